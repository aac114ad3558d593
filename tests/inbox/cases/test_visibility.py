"""A coordinator sees the cases of their teams only; an admin sees them all."""
from __future__ import annotations

import pytest

from inbox.cases import (
    CaseFilters, NotVisible, add_note, assign, change_status, get_case, list_cases, reply,
    visible_cases,
)
from storage.models import Case, User
from tests.inbox.cases.helpers import T0, make_case


@pytest.fixture
def cases(tx, teams) -> dict[str, int]:
    with tx() as s:
        made = {
            "sarcelles": make_case(s, teams["sarcelles"], address="+33639980001",
                                   messages=("Je cherche un garage",)),
            "val_d_oise": make_case(s, teams["val_d_oise"], address="+33639980002",
                                    messages=("Je cherche un garage aussi",)),
            "no_team": make_case(s, None, address="+33639980003"),
        }
        return {name: case.id for name, case in made.items()}


def visible_ids(session, user_id: int) -> set[int]:
    return set(session.scalars(visible_cases(session.get(User, user_id)).with_only_columns(Case.id)))


def test_a_coordinator_sees_only_the_cases_of_their_teams(tx, people, cases):
    with tx() as s:
        assert visible_ids(s, people.marie) == {cases["sarcelles"]}
        assert visible_ids(s, people.paul) == {cases["val_d_oise"]}
        assert visible_ids(s, people.sam) == {cases["sarcelles"], cases["val_d_oise"]}


def test_an_admin_sees_every_case_and_a_closed_account_none(tx, people, cases):
    with tx() as s:
        assert visible_ids(s, people.alex) == set(cases.values())
        assert visible_ids(s, people.former) == set()


def test_get_case_answers_none_for_another_teams_case(tx, people, cases):
    with tx() as s:
        marie = s.get(User, people.marie)
        assert get_case(s, marie, cases["sarcelles"]).id == cases["sarcelles"]
        assert get_case(s, marie, cases["val_d_oise"]) is None
        assert get_case(s, marie, 999_999) is None


def test_search_and_filters_never_reach_another_teams_case(tx, people, cases):
    with tx() as s:
        marie = s.get(User, people.marie)
        other = s.get(Case, cases["val_d_oise"])
        for filters in (CaseFilters(search=other.reference), CaseFilters(search="garage"),
                        CaseFilters(search="06 39 98 00 02"),
                        CaseFilters(team_id=other.team_id)):
            found = [c.id for c in list_cases(s, marie, filters, now=T0).cases]
            assert cases["val_d_oise"] not in found, filters


@pytest.mark.parametrize("action", [
    lambda s, case, user: assign(s, case, user, user.id, T0),
    lambda s, case, user: add_note(s, case, user, "note", T0),
    lambda s, case, user: change_status(s, case, user, "in_progress", T0),
    lambda s, case, user: reply(s, case, user, "Bonjour", T0),
])
def test_no_action_touches_another_teams_case(tx, people, cases, action):
    with tx() as s:
        marie, case = s.get(User, people.marie), s.get(Case, cases["val_d_oise"])
        with pytest.raises(NotVisible):
            action(s, case, marie)
