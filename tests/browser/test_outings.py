"""A coordinator reads the ambassadors' outings and makes an alert giver an ambassador,
in a real browser; both pages pass axe-core."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from playwright.sync_api import Page, expect

from storage.models import Case, ChannelAddress, Contact, NetworkMember, Organisation, Outing
from tests.browser.conftest import check_accessibility, login


@pytest.fixture
def network(session_factory) -> int:
    """An organisation with an ambassador (two outings, one referral) and an alert giver."""
    joined = datetime(2026, 1, 5, tzinfo=timezone.utc)
    with session_factory.begin() as session:
        organisation = Organisation(name="Centre social des Lochères", kind="other")
        people = {}
        for name, role, address in (("Samir", "ambassador", "111"), ("Awa", "alert_giver", "222")):
            contact = Contact(role=role, first_name=name,
                              addresses=[ChannelAddress(channel="telegram", address=address)])
            session.add(NetworkMember(contact=contact, organisation=organisation, role=role,
                                      joined_at=joined))
            people[name] = contact
        outings = [
            Outing(ambassador=people["Samir"], organisation=organisation, day=day,
                   at=datetime(day.year, day.month, day.day, 15, tzinfo=timezone.utc),
                   place_kind=place, area="Les Flanades", people_met=people_met,
                   weather="rain", note="Le bus 20 ne passe plus le dimanche.")
            for day, place, people_met in ((date(2026, 2, 14), "market", 12),
                                           (date(2026, 3, 2), "building_hall", 6))]
        session.add_all(outings)
        session.flush()
        session.add(Case(reference="RM-2026-00001", source="ambassador", channel="telegram",
                         referrer_contact_id=people["Samir"].id, outing_id=outings[0].id))
        return organisation.id


def test_a_coordinator_reads_the_outings_and_names_an_ambassador(page: Page, network):
    login(page)
    menu = page.get_by_role("navigation", name="Menu principal")
    menu.get_by_role("link", name="Sorties").click()
    expect(page.get_by_role("heading", name="Sorties des ambassadeurs", level=1)).to_be_visible()
    by_ambassador = page.get_by_role("table", name="Sorties de chaque ambassadeur")
    expect(by_ambassador.get_by_role("row", name="Samir")).to_contain_text("18")
    expect(page.get_by_role("table", name="Sorties par mois, le plus récent d'abord")
           .get_by_role("row")).to_have_count(3)
    check_accessibility(page)

    page.goto(f"/partenaires/{network}")
    page.get_by_role("button", name="Passer ambassadeur : Awa").click()
    expect(page.locator(".flashes")).to_contain_text("Awa est maintenant ambassadeur")
    expect(page.get_by_role("button", name="Passer donneur d'alerte : Awa")).to_be_visible()
    check_accessibility(page)
