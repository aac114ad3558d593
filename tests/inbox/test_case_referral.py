"""The case page of a referral says who referred the person and what they told us."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select

from storage.models import CaseEvent, Contact, Team
from tests.inbox.cases.helpers import make_case
from tests.support.partners import seed_network

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def a_referral(session_factory, note: str = "Son fils peut traduire.") -> int:
    network = seed_network(session_factory, NOW)
    with session_factory.begin() as session:
        team = session.scalar(select(Team).where(Team.name == "Équipe Sarcelles"))
        awa = Contact(role="alert_giver", first_name="Awa")
        session.add(awa)
        session.flush()
        case = make_case(session, team.id, address="+33612345678", channel="sms", first_name="Fatou",
                         source="alert_giver", referrer_organisation_id=network.organisation_id,
                         referrer_contact_id=awa.id, categories=["job_seeker", "migrant"],
                         consent_by="alert_giver", consent_at=NOW, consent_channel="telegram")
        session.add(CaseEvent(case_id=case.id, at=NOW, kind="created", actor="bot", data={
            "source": "alert_giver", "referral": {"urgency": "rendez-vous le 12 mars", "note": note}}))
        return case.id


def test_the_referring_organisation_and_alert_giver_are_shown(client, auth, session_factory):
    case_id = a_referral(session_factory)
    auth.login()
    html = client.get(f"/demandes/{case_id}").get_data(as_text=True)
    assert '<dt>Repérée par</dt><dd dir="auto">CCAS de Sarcelles · Awa</dd>' in html
    assert "<dd>Demandeur·se d&#39;emploi, Personne migrante</dd>" in html
    assert '<dt>Urgence</dt><dd dir="auto">rendez-vous le 12 mars</dd>' in html
    assert "« Son fils peut traduire. »" in html
    assert "Donneur d&#39;alerte, le" in html  # who gave the consent


def test_what_the_alert_giver_wrote_is_shown_as_text(client, auth, session_factory):
    case_id = a_referral(session_factory, note="<b>urgent</b>")
    auth.login()
    html = client.get(f"/demandes/{case_id}").get_data(as_text=True)
    assert "&lt;b&gt;urgent&lt;/b&gt;" in html and "<b>urgent</b>" not in html


def test_a_case_without_referrer_says_nothing_of_it(client, auth, session_factory):
    with session_factory.begin() as session:
        team = session.scalar(select(Team).where(Team.name == "Équipe Sarcelles"))
        case_id = make_case(session, team.id, address="+33639981234", channel="sms").id
    auth.login()
    html = client.get(f"/demandes/{case_id}").get_data(as_text=True)
    assert "Repérée par" not in html and "Catégories du programme" not in html
