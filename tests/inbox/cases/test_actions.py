"""Assign, transfer, notes, callback, categories, read: each writes its event."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from inbox.cases import (
    CaseError, add_note, assign, mark_read, set_callback, set_categories, transfer,
)
from storage.models import Case, CaseEvent, Message, Note, User
from tests.inbox.cases.helpers import T0, make_case, outbox_count


@pytest.fixture
def case_id(tx, teams) -> int:
    with tx() as s:
        return make_case(s, teams["sarcelles"], address="+33639981234").id


def act(tx, user_id, case_id, action, *args):
    with tx() as s:
        return action(s, s.get(Case, case_id), s.get(User, user_id), *args, T0)


def events(tx, case_id) -> list[tuple[str, str, dict]]:
    with tx() as s:
        query = select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)
        return [(e.kind, e.actor, e.data) for e in s.scalars(query)]


def test_assign_to_a_team_member_then_to_nobody(tx, people, case_id):
    act(tx, people.marie, case_id, assign, people.sam)
    assert act(tx, people.marie, case_id, assign, people.sam) is None  # no change, no event
    act(tx, people.sam, case_id, assign, None)
    assert events(tx, case_id) == [
        ("assigned", f"user:{people.marie}", {"from": None, "to": people.sam}),
        ("assigned", f"user:{people.sam}", {"from": people.sam, "to": None}),
    ]


@pytest.mark.parametrize("who", ["paul", "former"])
def test_assign_refuses_someone_outside_the_team_or_inactive(tx, people, case_id, who):
    with pytest.raises(CaseError, match="ne fait pas partie"):
        act(tx, people.marie, case_id, assign, getattr(people, who))


def test_transfer_moves_the_case_and_drops_an_assignee_from_elsewhere(tx, people, teams, case_id):
    act(tx, people.marie, case_id, assign, people.marie)
    act(tx, people.marie, case_id, transfer, teams["val_d_oise"])
    with tx() as s:
        case = s.get(Case, case_id)
        assert (case.team_id, case.assignee_id) == (teams["val_d_oise"], None)
    assert events(tx, case_id)[-1] == ("transferred", f"user:{people.marie}", {
        "from": teams["sarcelles"], "to": teams["val_d_oise"], "unassigned": people.marie})


def test_transfer_keeps_an_assignee_who_belongs_to_both_teams(tx, people, teams, case_id):
    act(tx, people.marie, case_id, assign, people.sam)
    act(tx, people.marie, case_id, transfer, teams["val_d_oise"])
    with tx() as s:
        assert s.get(Case, case_id).assignee_id == people.sam


def test_a_note_is_kept_for_the_team_and_never_sent(tx, people, case_id):
    with tx() as s:
        before = outbox_count(s)
    note = act(tx, people.marie, case_id, add_note, "  A rappeler après 17 h, secret  ")
    with tx() as s:
        assert s.get(Note, note.id).body == "A rappeler après 17 h, secret"
        assert outbox_count(s) == before
        assert not any("secret" in m.body for m in s.scalars(select(Message)))
    assert events(tx, case_id) == [("note_added", f"user:{people.marie}", {"note_id": note.id})]
    with pytest.raises(CaseError, match="vide"):
        act(tx, people.marie, case_id, add_note, "   ")


def test_a_callback_date_is_paris_midnight_and_cannot_be_past(tx, people, case_id):
    act(tx, people.marie, case_id, set_callback, date(2026, 3, 5))
    with tx() as s:
        assert s.get(Case, case_id).callback_at == datetime(2026, 3, 4, 23, 0, tzinfo=timezone.utc)
    act(tx, people.marie, case_id, set_callback, T0 + timedelta(hours=2))  # later today
    with pytest.raises(CaseError, match="déjà passée"):
        act(tx, people.marie, case_id, set_callback, date(2026, 3, 1))
    act(tx, people.marie, case_id, set_callback, None)
    assert [data["at"] for kind, _, data in events(tx, case_id)] == [
        "2026-03-04T23:00:00+00:00", "2026-03-02T11:00:00+00:00", None]


def test_categories_are_known_ones_in_a_fixed_order(tx, people, case_id):
    act(tx, people.marie, case_id, set_categories, ["senior", "job_seeker", "senior"])
    with tx() as s:
        assert s.get(Case, case_id).categories == ["job_seeker", "senior"]
    with pytest.raises(CaseError, match="inconnue"):
        act(tx, people.marie, case_id, set_categories, ["poor"])


def test_mark_read_only_when_something_was_unread(tx, people, case_id):
    assert act(tx, people.marie, case_id, mark_read) is None
    with tx() as s:
        s.get(Case, case_id).unread = True
    assert act(tx, people.marie, case_id, mark_read).kind == "read"
    with tx() as s:
        assert s.get(Case, case_id).unread is False
