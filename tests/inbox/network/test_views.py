"""/reseau: coordinators and admins read the network; only admins send news, once."""
from __future__ import annotations

import html
import re
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from storage.models import AdminEvent, Broadcast, Message
from tests.inbox.conftest import ADMIN, csrf_token, make_app, seed_accounts
from tests.support.news_members import seed_members

SATURDAY_NIGHT = datetime(2026, 3, 7, 22, 0, tzinfo=timezone.utc)  # 23:00 in Paris
MONDAY_MORNING = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
TOKEN = re.compile(r'name="token" value="([^"]+)"')


class RecordingJobs:
    def __init__(self) -> None:
        self.delivered: list[list[int]] = []

    def enqueue_delivery(self, ids) -> None:  # noqa: ANN001
        self.delivered.append(list(ids))


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock():
    return Clock(MONDAY_MORNING)


@pytest.fixture
def jobs():
    return RecordingJobs()


@pytest.fixture
def app(db_url, session_factory, clock, jobs):
    seed_accounts(session_factory)
    return make_app(db_url, JOBS=jobs, INBOX_NOW=clock)


@pytest.fixture
def members(session_factory, clock):
    return seed_members(session_factory, clock.now)


def preview(client, **fields):
    data = {"csrf_token": csrf_token(client, "/reseau"), "text": "Réunion du réseau jeudi à 14 h.",
            "organisation_id": "", "role": "", **fields}
    return client.post("/reseau/nouvelles/apercu", data=data)


def send(client, token, **fields):
    data = {"csrf_token": csrf_token(client, "/reseau"), "token": token,
            "text": "Réunion du réseau jeudi à 14 h.", "organisation_id": "", "role": "", **fields}
    return client.post("/reseau/nouvelles", data=data)


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for path in ("/reseau", "/reseau/nouvelles/nouvelle", "/reseau/nouvelles/1"):
        response = client.get(path)
        assert response.status_code == 302 and "/connexion" in response.headers["Location"]
    assert client.post("/reseau/nouvelles", data={"token": "x"}).status_code == 302


def test_coordinators_read_the_network_but_do_not_send_news(client, auth, members, session_factory):
    auth.login()
    page = client.get("/reseau").get_data(as_text=True)
    assert 'href="/reseau"' in page and 'aria-current="page"' in page
    assert "CCAS de Sarcelles" in page and "Mairie de Garges" in page
    assert "<caption" in page and 'scope="col"' in page and 'scope="row"' in page
    assert re.search(r"Paul</span>, départ le 28 févr\.( 2026)?<", page)  # who left, and when
    assert "3 personnes du réseau reçoivent les nouvelles" in page
    assert "Écrire une nouvelle" not in page
    assert client.get("/reseau/nouvelles/nouvelle").status_code == 403
    assert preview(client).status_code == 403
    assert send(client, "abc").status_code == 403
    with session_factory() as session:
        assert session.scalars(select(Broadcast)).all() == []


def test_sending_needs_the_csrf_token(client, auth, members, session_factory):
    auth.login(ADMIN)
    response = client.post("/reseau/nouvelles", data={"token": "abc", "text": "Bonjour"})
    assert response.status_code == 400
    with session_factory() as session:
        assert session.scalars(select(Message).where(Message.direction == "out")).all() == []


def test_an_admin_previews_then_sends_once_and_it_is_journaled(client, auth, members, session_factory,
                                                                 jobs):
    auth.login(ADMIN)
    assert "data-sms-counter" in client.get("/reseau/nouvelles/nouvelle").get_data(as_text=True)
    confirm = preview(client).get_data(as_text=True)
    assert "Tous les membres du réseau" in confirm and "Envoyer à 3 personnes" in confirm
    assert "Pour ne plus recevoir ces nouvelles, écrivez NOUVELLES." in confirm
    token = TOKEN.search(confirm).group(1)

    response = send(client, token)
    assert response.status_code == 303
    again = send(client, token)  # a double click, or the page sent again
    assert again.headers["Location"] == response.headers["Location"]
    with session_factory() as session:
        broadcast = session.scalars(select(Broadcast)).one()
        rows = session.scalars(select(Message).where(Message.broadcast_id == broadcast.id)).all()
        event = session.scalars(select(AdminEvent)).one()
        actor = event.actor.email
    assert broadcast.recipients == 3 and len(rows) == 3
    assert jobs.delivered == [[row.id for row in rows]]  # daytime: asked to go at once
    assert (event.action, actor) == ("news_sent", ADMIN)
    assert event.data["text"] == "Réunion du réseau jeudi à 14 h."
    journal = client.get("/admin/journal").get_data(as_text=True)
    assert "Nouvelles du réseau envoyées : Tous les membres du réseau, 3 personnes" in journal

    show = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Réunion du réseau jeudi à 14 h." in show and "hx-trigger=\"every" in show


def test_on_saturday_night_the_news_waits_for_monday(client, auth, clock, session_factory, jobs):
    clock.now = SATURDAY_NIGHT
    seed_members(session_factory, clock.now)
    auth.login(ADMIN)
    confirm = preview(client, role="ambassador").get_data(as_text=True)
    assert "Ambassadeurs du réseau" in confirm
    assert re.search(r"lundi 9 mars( 2026)?, 09:00", confirm)  # the year once it is past
    response = send(client, TOKEN.search(confirm).group(1), role="ambassador")
    assert jobs.delivered == []  # nothing to deliver before Monday
    with session_factory() as session:
        broadcast = session.scalars(select(Broadcast)).one()
        [row] = session.scalars(select(Message).where(Message.broadcast_id == broadcast.id)).all()
    assert row.next_attempt_at == datetime(2026, 3, 9, 8, 0, tzinfo=timezone.utc)
    progress = client.get(response.headers["Location"] + "/avancement").get_data(as_text=True)
    assert re.search(r"<dt>En attente</dt><dd>1 \(départ lundi 9 mars( 2026)?, 09:00\)", progress)


def test_a_form_with_mistakes_comes_back_with_the_reason(client, auth, members):
    auth.login(ADMIN)
    for fields, reason in (({"text": "  "}, "Le message est vide."),
                           ({"text": "x" * 481}, "trop long"),
                           ({"organisation_id": "999"}, "Cette organisation n'existe pas."),
                           ({"role": "resident"}, "Choisissez les destinataires")):
        response = preview(client, **fields)
        assert response.status_code == 422 and reason in html.unescape(response.get_data(as_text=True))


def test_an_unknown_broadcast_is_a_404(client, auth):
    auth.login()
    assert client.get("/reseau/nouvelles/42").status_code == 404
