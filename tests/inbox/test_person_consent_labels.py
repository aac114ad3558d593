"""The list and the case page say where a referred person's own answer stands."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from storage.models import Case, Team
from tests.inbox.cases.helpers import make_case
from tests.inbox.conftest import csrf_token

SAID = {
    "asked": "En attente de l&#39;accord de la personne",
    "given": "La personne a dit oui",
    "silent": "Pas de réponse de la personne",
}


def a_referral(session_factory, person_consent: str | None, phone: str) -> int:
    with session_factory.begin() as session:
        team = session.scalar(select(Team).where(Team.name == "Équipe Sarcelles"))
        status = "waiting" if person_consent == "asked" else "new"
        return make_case(session, team.id, address=phone, channel="sms", first_name="Fatou",
                         source="alert_giver", status=status, person_consent=person_consent).id


@pytest.mark.parametrize("answer", SAID)
def test_the_case_page_and_the_list_show_the_persons_answer(client, auth, session_factory, answer):
    case_id = a_referral(session_factory, answer, "+33612345678")
    auth.login()
    page = client.get(f"/demandes/{case_id}").get_data(as_text=True)
    rows = client.get("/demandes").get_data(as_text=True)
    badge = f'<span class="badge badge--consent">{SAID[answer]}</span>'
    assert f"<dt>Réponse de la personne au SMS</dt><dd>{badge}</dd>" in page
    assert badge in rows
    assert all(other not in page + rows for key, other in SAID.items() if key != answer)


def test_a_person_who_came_by_themselves_has_no_such_line(client, auth, session_factory):
    case_id = a_referral(session_factory, None, "+33639981234")
    auth.login()
    page = client.get(f"/demandes/{case_id}").get_data(as_text=True)
    assert "Réponse de la personne au SMS" not in page and "badge--consent" not in page


def test_coordinators_can_still_move_a_case_waiting_for_the_answer(client, auth, session_factory):
    case_id = a_referral(session_factory, "asked", "+33612345678")
    auth.login()
    page = f"/demandes/{case_id}"
    client.post(f"{page}/statut", data={"csrf_token": csrf_token(client, page),
                                        "status": "in_progress"})
    with session_factory() as session:
        assert session.get(Case, case_id).status == "in_progress"
