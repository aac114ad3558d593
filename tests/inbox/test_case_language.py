"""The case page tells the coordinator which language the person reads (the page stays French)."""
from __future__ import annotations

from sqlalchemy import select

from storage.models import Case, Contact, Team
from tests.inbox.cases.helpers import make_case


def a_case(session_factory, language: str) -> int:
    with session_factory.begin() as session:
        team = session.scalar(select(Team).where(Team.name == "Équipe Sarcelles"))
        case = make_case(session, team.id, address="+33639981234", channel="sms")
        session.get(Contact, case.contact_id).language = language
        return case.id


def test_the_language_of_a_person_who_reads_arabic_is_shown(client, auth, session_factory):
    case_id = a_case(session_factory, "ar")
    auth.login()
    html = client.get(f"/demandes/{case_id}").get_data(as_text=True)
    assert "<dt>Langue</dt><dd>arabe : le robot lui écrit dans cette langue</dd>" in html


def test_nothing_is_said_for_french(client, auth, session_factory):
    case_id = a_case(session_factory, "fr")
    auth.login()
    html = client.get(f"/demandes/{case_id}").get_data(as_text=True)
    assert "<dt>Langue</dt>" not in html and "Résumé" in html


def test_a_case_whose_person_erased_their_data_still_shows(client, auth, session_factory):
    case_id = a_case(session_factory, "uk")
    with session_factory.begin() as session:
        session.get(Case, case_id).contact_id = None
    auth.login()
    assert client.get(f"/demandes/{case_id}").status_code == 200
