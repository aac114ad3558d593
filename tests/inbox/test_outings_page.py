"""/sorties lists the ambassadors' outings with their totals; a member's role is switched
from the organisation's page (CSRF, journal, a note to the new ambassador)."""
from __future__ import annotations

import html
import re
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from storage.models import (AdminEvent, Case, ChannelAddress, Contact, Message, NetworkMember,
                            Organisation, Outing)
from tests.inbox.conftest import ADMIN, csrf_token, make_app, seed_accounts

SUNDAY_EVENING = datetime(2026, 3, 8, 20, 0, tzinfo=timezone.utc)  # 21:00 in Paris


@pytest.fixture
def app(db_url, session_factory):
    seed_accounts(session_factory)
    return make_app(db_url, INBOX_NOW=lambda: SUNDAY_EVENING)


def member(session, organisation, first_name: str, role: str, address: str,
           opted_out: bool = False) -> NetworkMember:
    contact = Contact(role=role, language="fr", first_name=first_name)
    contact.addresses.append(ChannelAddress(
        channel="telegram", address=address, opted_out_at=SUNDAY_EVENING if opted_out else None))
    joined = NetworkMember(contact=contact, organisation=organisation, role=role,
                           joined_at=datetime(2026, 1, 5, tzinfo=timezone.utc))
    session.add(joined)
    return joined


def outing(session, who: NetworkMember, day: date, place: str, people: int, referrals: int,
           **fields) -> Outing:
    logged = Outing(ambassador=who.contact, organisation=who.organisation, day=day,
                    place_kind=place, area="Les Flanades", people_met=people,
                    at=datetime(day.year, day.month, day.day, 15, tzinfo=timezone.utc), **fields)
    session.add(logged)
    session.flush()
    for n in range(referrals):
        session.add(Case(reference=f"RM-{logged.id}-{n}", source="ambassador", channel="telegram",
                         referrer_contact_id=who.contact.id, outing_id=logged.id))
    return logged


@pytest.fixture
def network(session_factory) -> dict[str, int]:
    """Two ambassadors and an alert giver; four outings over two months."""
    with session_factory.begin() as session:
        lochères = Organisation(name="Centre social des Lochères", kind="other")
        ccas = Organisation(name="CCAS de Sarcelles", kind="ccas")
        samir = member(session, lochères, "Samir", "ambassador", "111")
        lina = member(session, ccas, "Lina", "ambassador", "222")
        awa = member(session, ccas, "Awa", "alert_giver", "333")
        gone = member(session, ccas, "Paul", "alert_giver", "444", opted_out=True)
        outing(session, samir, date(2026, 2, 14), "market", 12, 2, weather="rain",
               note="<script>alert(1)</script> Le bus 20 ne passe plus.")
        outing(session, samir, date(2026, 3, 2), "market", 8, 1)
        outing(session, samir, date(2026, 3, 4), "school_gate", 5, 0)
        outing(session, lina, date(2026, 3, 3), "door_to_door", 20, 3, place_note=None)
        session.flush()
        return {"organisation": ccas.id, "awa": awa.id, "lina": lina.id, "paul": gone.id,
                "lochères": lochères.id, "samir": samir.id}


def table(page: str, table_id: str) -> list[list[str]]:
    """The text of each body row of a table, cell by cell."""
    body = re.search(rf'<table[^>]*id="{table_id}".*?<tbody>(.*?)</tbody>', page, re.S).group(1)
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [[html.unescape(re.sub(r"<[^>]+>|\s+", " ", cell).strip())
             for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)] for row in rows]


def test_anonymous_visitors_are_sent_to_sign_in(client, network):
    response = client.get("/sorties")
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]


def test_a_coordinator_reads_the_outings_and_their_totals(client, auth, network):
    auth.login()
    page = client.get("/sorties").get_data(as_text=True)

    assert 'href="/sorties"' in page
    assert re.search(r'id="total-outings">4<', page) and re.search(r'id="total-people">45<', page)
    assert re.search(r'id="total-referrals">6<', page)
    assert table(page, "by-ambassador") == [
        ["Samir", "Centre social des Lochères", "3", "25", "3"],
        ["Lina", "CCAS de Sarcelles", "1", "20", "3"]]
    assert table(page, "by-place") == [
        ["Marché", "2", "20", "3"], ["Sortie d'école", "1", "5", "0"],
        ["Porte-à-porte", "1", "20", "3"]]
    assert table(page, "by-month") == [["mars 2026", "3", "33", "4"],
                                       ["février 2026", "1", "12", "2"]]
    rows = table(page, "outings")
    assert [row[1] for row in rows] == ["Samir", "Lina", "Samir", "Samir"]  # newest first
    assert rows[-1][3:] == ["Marché", "Les Flanades", "12", "2", "Pluie",
                            "<script>alert(1)</script> Le bus 20 ne passe plus."]
    assert "<script>alert(1)" not in page


def test_the_page_says_so_when_there_is_no_outing(client, auth):
    auth.login(ADMIN)
    page = client.get("/sorties").get_data(as_text=True)
    assert "Pas encore de sortie" in page and 'id="total-outings">0<' in page


def switch(client, organisation_id: int, member_id: int, role: str, token: str | None = None):
    page = f"/partenaires/{organisation_id}"
    token = token if token is not None else csrf_token(client, page)
    return client.post(f"{page}/membres/{member_id}/role",
                       data={"csrf_token": token, "role": role})


def test_a_coordinator_makes_an_alert_giver_an_ambassador(client, auth, network, session_factory):
    auth.login()
    page = client.get(f"/partenaires/{network['organisation']}").get_data(as_text=True)
    assert "Passer ambassadeur" in page and "Passer donneur d'alerte" in page

    response = switch(client, network["organisation"], network["awa"], "ambassador")

    assert response.status_code == 303
    with session_factory() as session:
        awa = session.get(NetworkMember, network["awa"])
        assert (awa.role, awa.contact.role) == ("ambassador", "ambassador")
        event = session.scalars(select(AdminEvent)).one()
        assert (event.action, event.data["name"]) == (
            "member_role_changed", "Awa (CCAS de Sarcelles)")
        note = session.scalars(select(Message).where(Message.contact_id == awa.contact_id)).one()
        assert "SORTIE" in note.body and note.body.startswith("Bonjour Awa")
        # Written first by the service: it waits for Monday 9:00 in Paris, not Sunday night.
        assert note.next_attempt_at.astimezone(timezone.utc) == datetime(
            2026, 3, 9, 8, 0, tzinfo=timezone.utc)
    followed = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Awa est maintenant ambassadeur" in followed


def test_back_to_alert_giver_without_a_message(client, auth, network, session_factory):
    auth.login()
    response = switch(client, network["organisation"], network["lina"], "alert_giver")
    assert response.status_code == 303
    with session_factory() as session:
        lina = session.get(NetworkMember, network["lina"])
        assert (lina.role, lina.contact.role) == ("alert_giver", "alert_giver")
        assert session.scalars(select(Message)).all() == []


def test_no_note_to_an_address_that_said_stop(client, auth, network, session_factory):
    auth.login()
    switch(client, network["organisation"], network["paul"], "ambassador")
    with session_factory() as session:
        assert session.get(NetworkMember, network["paul"]).role == "ambassador"
        assert session.scalars(select(Message)).all() == []


def test_the_switch_needs_the_csrf_token_and_the_right_organisation(
        client, auth, network, session_factory):
    auth.login()
    assert switch(client, network["organisation"], network["awa"], "ambassador",
                  token="forged").status_code == 400
    assert switch(client, network["lochères"], network["awa"], "ambassador").status_code == 404
    switch(client, network["organisation"], network["awa"], "boss")
    with session_factory() as session:
        assert session.get(NetworkMember, network["awa"]).role == "alert_giver"
        assert session.scalars(select(AdminEvent)).all() == []


def test_a_case_made_on_an_outing_says_so(client, auth, network, session_factory):
    with session_factory() as session:
        case = session.scalars(select(Case).where(Case.outing_id.is_not(None))
                               .order_by(Case.id)).first()
    auth.login(ADMIN)
    page = client.get(f"/demandes/{case.id}").get_data(as_text=True)
    assert "Pendant une sortie" in page and 'href="/sorties"' in page and "Les Flanades" in page
