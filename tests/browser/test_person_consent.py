"""A referred person's answer to the consent SMS, as a coordinator sees it: readable, accessible."""
from __future__ import annotations

from playwright.sync_api import Page, expect
from sqlalchemy import select

from storage.models import Team
from tests.browser.conftest import check_accessibility, login
from tests.inbox.cases.helpers import make_case


def test_the_list_and_the_case_say_the_person_has_not_answered_yet(page: Page, live_server,
                                                                    session_factory):
    with session_factory.begin() as session:
        team = session.scalar(select(Team).where(Team.name == "Équipe Sarcelles"))
        waiting = make_case(session, team.id, address="+33612345678", channel="sms",
                            first_name="Fatou", source="alert_giver", status="waiting",
                            person_consent="asked").id
        make_case(session, team.id, address="+33612345679", channel="sms", first_name="Karim",
                  source="alert_giver", person_consent="silent")
    login(page)
    expect(page.get_by_text("En attente de l'accord de la personne")).to_be_visible()
    expect(page.get_by_text("Pas de réponse de la personne")).to_be_visible()
    check_accessibility(page)
    page.goto(f"/demandes/{waiting}")
    expect(page.get_by_text("Réponse de la personne au SMS")).to_be_visible()
    check_accessibility(page)
