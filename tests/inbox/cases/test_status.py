"""Statuses: new → in progress → waiting → oriented → closed, reopen, outcome at closing."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from inbox.cases import TransitionRefused, CaseError, change_status, orient
from storage.models import CASE_STATUSES, Case, CaseEvent, Solution, User
from storage.seed import seed_solutions
from tests.inbox.cases.helpers import T0, make_case

ALLOWED = {
    ("new", "in_progress"), ("new", "waiting"), ("new", "oriented"), ("new", "closed"),
    ("in_progress", "waiting"), ("in_progress", "oriented"), ("in_progress", "closed"),
    ("waiting", "in_progress"), ("waiting", "oriented"), ("waiting", "closed"),
    ("oriented", "in_progress"), ("oriented", "waiting"), ("oriented", "closed"),
    ("closed", "in_progress"),
}
PAIRS = [(a, b) for a in CASE_STATUSES for b in CASE_STATUSES if a != b]


@pytest.fixture
def case_in(tx, teams):
    def make(status: str) -> int:
        with tx() as s:
            extra = {"outcome": "no_answer", "closed_at": T0} if status == "closed" else {}
            return make_case(s, teams["sarcelles"], status=status, **extra).id
    return make


def move(tx, user_id, case_id, status, outcome=None):
    with tx() as s:
        return change_status(s, s.get(Case, case_id), s.get(User, user_id), status, T0,
                             outcome=outcome)


@pytest.mark.parametrize("before, after", PAIRS)
def test_each_move_is_allowed_or_refused(tx, people, case_in, before, after):
    case_id = case_in(before)
    outcome = "solution_found" if after == "closed" else None
    if (before, after) in ALLOWED:
        event = move(tx, people.marie, case_id, after, outcome)
        assert (event.kind, event.actor) == ("status_changed", f"user:{people.marie}")
        assert event.data["from"] == before and event.data["to"] == after
    else:
        with pytest.raises(TransitionRefused, match="ne peut pas passer"):
            move(tx, people.marie, case_id, after, outcome)
        with tx() as s:
            assert s.get(Case, case_id).status == before


def test_closing_needs_a_known_outcome(tx, people, case_in):
    case_id = case_in("in_progress")
    for outcome in (None, "forgotten"):
        with pytest.raises(TransitionRefused, match="choisissez un résultat"):
            move(tx, people.marie, case_id, "closed", outcome)
    with pytest.raises(TransitionRefused, match="en clôturant"):
        move(tx, people.marie, case_id, "waiting", "solution_found")


def test_closing_records_outcome_and_time_and_stops_the_wait(tx, people, teams):
    with tx() as s:
        case_id = make_case(s, teams["sarcelles"], status="oriented", waiting_since=T0,
                            wants_human=True).id
    event = move(tx, people.marie, case_id, "closed", "oriented_elsewhere")
    assert event.data == {"from": "oriented", "to": "closed", "outcome": "oriented_elsewhere"}
    with tx() as s:
        case = s.get(Case, case_id)
        assert (case.status, case.outcome, case.closed_at) == ("closed", "oriented_elsewhere", T0)
        assert case.waiting_since is None and not case.wants_human


def test_reopening_clears_the_outcome(tx, people, case_in):
    case_id = case_in("closed")
    move(tx, people.marie, case_id, "in_progress")
    with tx() as s:
        case = s.get(Case, case_id)
        assert (case.status, case.outcome, case.closed_at) == ("in_progress", None, None)


def test_the_same_status_changes_nothing(tx, people, case_in):
    case_id = case_in("waiting")
    assert move(tx, people.marie, case_id, "waiting") is None
    with tx() as s:
        assert s.scalars(select(CaseEvent)).all() == []


def test_orienting_records_the_solution_and_the_status(tx, people, case_in):
    case_id = case_in("in_progress")
    with tx() as s:
        seed_solutions(s)
        garage = s.scalars(select(Solution).where(Solution.name == "Garage solidaire")).one()
        event = orient(s, s.get(Case, case_id), s.get(User, people.marie), garage.id, T0)
        assert event.kind == "oriented"
        assert event.data == {"solution_id": garage.id, "solution": "Garage solidaire",
                              "from": "in_progress"}
        case = s.get(Case, case_id)
        assert (case.status, case.solution.name) == ("oriented", "Garage solidaire")


def test_a_solution_turned_off_or_a_closed_case_cannot_be_oriented(tx, people, case_in):
    open_id, closed_id = case_in("new"), case_in("closed")
    with tx() as s:
        seed_solutions(s)
        solution = s.scalars(select(Solution).limit(1)).one()
        marie = s.get(User, people.marie)
        with pytest.raises(TransitionRefused, match="rouvrez"):
            orient(s, s.get(Case, closed_id), marie, solution.id, T0)
        solution.active = False
        with pytest.raises(CaseError, match="catalogue"):
            orient(s, s.get(Case, open_id), marie, solution.id, T0)
