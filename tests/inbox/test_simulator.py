"""/simulateur with the Flask client: a coordinator plays a resident against the real engine."""
from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from storage.models import Case, ChannelAddress, Message, Team
from tests.inbox.conftest import csrf_token

CONVERSATION = ["Bonjour", "oui", "g pa de voiture", "1", "95200", "1", "le matin", "oui"]
ATTACK = "<script>alert(1)</script> <img src=x onerror=alert(1)>"


def send(client: FlaskClient, text: str, look: str = "sms", htmx: bool = True, **form: str):
    headers = {"HX-Request": "true"} if htmx else {}
    data = {"csrf_token": csrf_token(client, f"/simulateur?apparence={look}"), "text": text, **form}
    return client.post(f"/simulateur/{look}/envoyer", data=data, headers=headers)


def default_team(session_factory: sessionmaker[Session]) -> None:
    with session_factory.begin() as session:
        session.execute(update(Team).where(Team.name == "Équipe Sarcelles").values(is_default=True))


def test_the_simulator_needs_a_signed_in_account(client: FlaskClient):
    for path in ("/simulateur", "/simulateur/sms/fil"):
        response = client.get(path)
        assert response.status_code == 302 and "/connexion" in response.headers["Location"]
    assert client.post("/simulateur/sms/envoyer", data={"text": "Bonjour"}).status_code in (302, 400)
    assert client.post("/simulateur/sms/nouvelle").status_code in (302, 400)


def test_posting_without_the_csrf_token_is_refused(client: FlaskClient, auth, session):
    auth.login()
    response = client.post("/simulateur/sms/envoyer", data={"text": "Bonjour"})
    assert response.status_code == 400
    assert session.scalar(select(Message.id)) is None


def test_the_page_shows_a_labelled_phone_and_the_menu_entry(client: FlaskClient, auth):
    auth.login()
    html = client.get("/simulateur").get_data(as_text=True)
    assert '<label for="sim-text">Votre message</label>' in html
    assert ">Simulateur</a>" in html and "Téléphone simulé (SMS)" in html
    assert "Aucun message" in html
    assert "Téléphone simulé (Telegram)" in client.get("/simulateur?apparence=telegram").get_data(as_text=True)


def test_a_full_conversation_creates_a_case_on_sms_sim(client: FlaskClient, auth, session_factory):
    default_team(session_factory)
    auth.login()
    for text in CONVERSATION:
        response = send(client, text)
        assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Vous" in html and "Relais Mobilité" in html and " SMS</p>" in html
    assert "Voir la demande dans la boîte" in html
    assert 'id="sim-form"' in html and 'hx-swap-oob="true"' in html
    with session_factory() as session:
        case = session.scalars(select(Case)).one()
        assert case.channel == "sms-sim"
        address = session.scalars(select(ChannelAddress)).one()
        assert address.channel == "sms-sim" and address.contact_id == case.contact_id
        assert session.scalar(select(Message.id).where(Message.status == "queued")) is None
    assert f'href="/demandes/{case.id}"' in html


def test_without_htmx_a_post_comes_back_to_the_page(client: FlaskClient, auth):
    auth.login()
    response = send(client, "Bonjour", htmx=False)
    assert response.status_code == 302 and "/simulateur" in response.headers["Location"]
    html = client.get("/simulateur").get_data(as_text=True)
    assert "Bonjour" in html and "Relais Mobilité" in html


def test_markup_in_a_message_shows_escaped(client: FlaskClient, auth):
    auth.login()
    html = send(client, ATTACK).get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_poll_answers_204_when_nothing_is_new_and_the_thread_when_a_reply_waits(
        client: FlaskClient, auth, session_factory):
    default_team(session_factory)
    auth.login()
    for text in CONVERSATION:
        html = send(client, text).get_data(as_text=True)
    last = re.search(r"dernier=(\d+)", html).group(1)
    assert client.get(f"/simulateur/sms/fil?dernier={last}").status_code == 204
    # a reply written in the inbox waits in the outbox: the next poll delivers it
    with session_factory() as session:
        case_id = session.scalar(select(Case.id))
    page = f"/demandes/{case_id}"
    reply = client.post(f"{page}/reponse", data={"csrf_token": csrf_token(client, page),
                                                  "text": "Bonjour, ici Camille."})
    assert reply.status_code == 302
    response = client.get(f"/simulateur/sms/fil?dernier={last}")
    assert response.status_code == 200 and "Bonjour, ici Camille." in response.get_data(as_text=True)


def test_a_new_conversation_draws_a_new_address(client: FlaskClient, auth):
    auth.login()
    first = re.search(r'simulé : <span dir="ltr">([^<]+)<', client.get("/simulateur").get_data(as_text=True)).group(1)
    again = re.search(r'simulé : <span dir="ltr">([^<]+)<', client.get("/simulateur").get_data(as_text=True)).group(1)
    assert first == again
    client.post("/simulateur/sms/nouvelle", data={"csrf_token": csrf_token(client, "/simulateur")})
    fresh = re.search(r'simulé : <span dir="ltr">([^<]+)<', client.get("/simulateur").get_data(as_text=True)).group(1)
    assert fresh != first and fresh.startswith("+33")


def test_telegram_buttons_post_their_option_id(client: FlaskClient, auth, session_factory):
    auth.login()
    html = send(client, "Bonjour", look="telegram").get_data(as_text=True)
    options = re.findall(r'name="option" value="([^"]+)"', html)
    assert options, html
    html = send(client, "", look="telegram", option=options[0]).get_data(as_text=True)
    assert html.count("simulator__bubble--mine") == 2
    with session_factory() as session:
        bodies = session.scalars(select(Message.body).where(Message.direction == "in")
                                 .order_by(Message.id)).all()
    assert bodies[-1] == f"[{options[0]}]"
