"""The solutions catalogue managed by the admins: list, add, edit, take off and put back."""
from __future__ import annotations

from sqlalchemy import select

from storage.models import Case, Solution, Team
from storage.seed import DEFAULT_SOLUTIONS, seed_solutions
from inbox.admin.solutions import KIND_LABELS
from tests.inbox.admin_support import ids, journal, page, post, rows
from tests.inbox.cases.helpers import make_case
from tests.inbox.conftest import ADMIN, csrf_token


def solution_id(session_factory, name: str) -> int:
    with session_factory() as session:
        return session.scalar(select(Solution.id).where(Solution.name == name))


def sorted_kinds() -> list[str]:
    """The kinds of the default catalogue as listed: by solution name."""
    return [KIND_LABELS[kind] for _name, kind in sorted(DEFAULT_SOLUTIONS)]


def test_the_seeded_catalogue_is_listed_with_its_kinds(client, auth, session_factory):
    with session_factory.begin() as session:
        seed_solutions(session)
    auth.login(ADMIN)
    html = page(client, "/admin/solutions")
    assert f"{len(DEFAULT_SOLUTIONS)} solutions" in html
    for name, _kind in DEFAULT_SOLUTIONS:
        assert name in html
    assert [(row[1], row[2], row[3]) for row in rows(html)] == [
        (kind_labels, "0", "Proposée") for kind_labels in sorted_kinds()]


def test_an_admin_adds_a_solution_that_coordinators_can_orient_to(client, auth, session_factory):
    with session_factory.begin() as session:
        team = session.scalar(select(Team.id).where(Team.name == "Équipe Sarcelles"))
        case_id = make_case(session, team, first_name="Nadia").id
    auth.login(ADMIN)
    html = post(client, "/admin/solutions", follow=True, name=" Covoiturage  solidaire ",
                kind="other").get_data(as_text=True)
    assert "« Covoiturage solidaire » est ajoutée au catalogue." in html
    added = solution_id(session_factory, "Covoiturage solidaire")
    assert added is not None
    auth.logout()
    auth.login()
    case_page = f"/demandes/{case_id}"
    assert "Covoiturage solidaire" in page(client, case_page)
    client.post(f"{case_page}/orientation",
                data={"csrf_token": csrf_token(client, case_page), "solution": added})
    with session_factory() as session:
        assert session.get(Case, case_id).solution_id == added
    assert [a for a, _, _ in journal(session_factory)] == ["solution_created"]


def test_a_name_already_in_the_catalogue_or_a_missing_kind_is_refused(client, auth,
                                                                      session_factory):
    with session_factory.begin() as session:
        seed_solutions(session)
    auth.login(ADMIN)
    twice = post(client, "/admin/solutions", name="garage solidaire", kind="garage")
    assert twice.status_code == 422
    assert "Cette solution existe déjà dans le catalogue." in twice.get_data(as_text=True)
    no_kind = post(client, "/admin/solutions", name="Covoiturage", kind="")
    assert no_kind.status_code == 422
    html = no_kind.get_data(as_text=True)
    assert "Choisissez un type de solution dans la liste." in html and 'value="Covoiturage"' in html
    assert journal(session_factory) == []


def test_an_admin_renames_a_solution_and_oriented_cases_follow(client, auth, session_factory):
    with session_factory.begin() as session:
        seed_solutions(session)
    garage = solution_id(session_factory, "Garage solidaire")
    auth.login(ADMIN)
    assert 'value="Garage solidaire"' in page(client, f"/admin/solutions/{garage}")
    response = post(client, f"/admin/solutions/{garage}", name="Garage solidaire du Val",
                    kind="garage")
    assert response.status_code == 303
    with session_factory() as session:
        assert session.get(Solution, garage).name == "Garage solidaire du Val"
    refused = post(client, f"/admin/solutions/{garage}", name="Aide financière", kind="garage")
    assert refused.status_code == 422 and "existe déjà" in refused.get_data(as_text=True)
    assert client.get("/admin/solutions/999999").status_code == 404


def test_a_solution_taken_off_is_no_longer_offered_but_stays_on_its_cases(
        client, auth, session_factory):
    with session_factory.begin() as session:
        seed_solutions(session)
        team = session.scalar(select(Team.id).where(Team.name == "Équipe Sarcelles"))
        garage = session.scalar(select(Solution).where(Solution.name == "Garage solidaire"))
        case_id = make_case(session, team, solution_id=garage.id, status="oriented").id
        garage_id = garage.id
    auth.login(ADMIN)
    html = post(client, f"/admin/solutions/{garage_id}/retirer", follow=True).get_data(as_text=True)
    assert "« Garage solidaire » n&#39;est plus proposée." in html
    assert rows(html)[-1][:4] == ["Garage solidaire", "Garage solidaire", "1", "Retirée"]
    with session_factory() as session:
        assert session.get(Solution, garage_id).active is False
    case_html = page(client, f"/demandes/{case_id}")
    assert "Orientée vers</dt><dd dir=\"auto\">Garage solidaire</dd>" in case_html
    assert f'<option value="{garage_id}"' not in case_html  # no longer offered
    post(client, f"/admin/solutions/{garage_id}/remettre")
    with session_factory() as session:
        assert session.get(Solution, garage_id).active is True
    admin = ids(session_factory)["admin"]
    assert journal(session_factory) == [("solution_deactivated", admin, f"solution:{garage_id}"),
                                        ("solution_reactivated", admin, f"solution:{garage_id}")]
