"""The case list: filters, the longest wait first, and keyset pages without gaps."""
from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import insert

from inbox.cases import CaseError, CaseFilters, list_cases, visible_cases
from storage.models import Case, User
from tests.inbox.cases.helpers import T0, make_case

H = timedelta(hours=1)


def listed(tx, user_id: int, now: datetime = T0, **filters) -> list[str]:
    with tx() as s:
        page = list_cases(s, s.get(User, user_id), CaseFilters(**filters), now=now, limit=200)
        return [c.reference for c in page.cases]


def test_the_longest_waiting_person_comes_first_then_the_newest(tx, people, teams):
    team = teams["sarcelles"]
    with tx() as s:
        old_quiet = make_case(s, team, created_at=T0 - 5 * H).reference
        new_quiet = make_case(s, team, created_at=T0 - 1 * H).reference
        waits_1h = make_case(s, team, created_at=T0 - 9 * H, waiting_since=T0 - 1 * H).reference
        waits_3h = make_case(s, team, created_at=T0 - 4 * H, waiting_since=T0 - 3 * H).reference
        tie_old = make_case(s, team, created_at=T0 - 8 * H, waiting_since=T0 - 3 * H).reference
    assert listed(tx, people.marie) == [waits_3h, tie_old, waits_1h, new_quiet, old_quiet]


def test_filters_by_status_team_assignee_and_source(tx, people, teams):
    with tx() as s:
        mine = make_case(s, teams["sarcelles"], status="in_progress", assignee_id=people.sam).reference
        nobody = make_case(s, teams["sarcelles"], status="new", source="alert_giver").reference
        pauls = make_case(s, teams["val_d_oise"], status="closed", assignee_id=people.paul).reference
    assert set(listed(tx, people.sam, statuses=("new", "in_progress"))) == {mine, nobody}
    assert listed(tx, people.sam, statuses="closed") == [pauls]
    assert listed(tx, people.sam, team_id=teams["val_d_oise"]) == [pauls]
    assert listed(tx, people.sam, mine=True) == [mine]
    assert listed(tx, people.sam, unassigned=True) == [nobody]
    assert set(listed(tx, people.sam, mine=True, unassigned=True)) == {mine, nobody}
    assert listed(tx, people.sam, source="alert_giver") == [nobody]


def test_filters_by_commune_departement_and_category(tx, people, teams):
    team = teams["val_d_oise"]
    with tx() as s:
        sarcelles = make_case(s, team, commune_insee="95585", categories=["senior", "disability"]).reference
        cergy = make_case(s, team, commune_insee="95127", categories=["young_person"]).reference
        paris = make_case(s, team, commune_insee="75056").reference
        guadeloupe = make_case(s, team, commune_insee="97101", categories=["senior"]).reference
    assert listed(tx, people.paul, commune_insee="95585") == [sarcelles]
    assert set(listed(tx, people.paul, departement="95")) == {sarcelles, cergy}
    assert listed(tx, people.paul, departement="971") == [guadeloupe]
    assert listed(tx, people.paul, departement="75") == [paris]
    assert set(listed(tx, people.paul, category="senior")) == {sarcelles, guadeloupe}
    assert listed(tx, people.paul, category="energy_poverty") == []


def test_waiting_asked_for_a_person_and_callbacks_in_paris_days(tx, people, teams):
    team = teams["sarcelles"]
    now = datetime(2026, 3, 2, 22, 30, tzinfo=timezone.utc)  # 23:30 in Paris
    with tx() as s:
        waiting = make_case(s, team, waiting_since=now - H, wants_human=True).reference
        today = make_case(s, team, callback_at=datetime(2026, 3, 1, 23, 0, tzinfo=timezone.utc)).reference
        tomorrow = make_case(s, team, callback_at=datetime(2026, 3, 2, 23, 0, tzinfo=timezone.utc)).reference
        overdue = make_case(s, team, callback_at=datetime(2026, 3, 1, 22, 59, tzinfo=timezone.utc)).reference
        make_case(s, team, status="closed", callback_at=now - 48 * H)  # closed: no callback due
    assert listed(tx, people.marie, now=now, waiting=True) == [waiting]
    assert listed(tx, people.marie, now=now, wants_human=True) == [waiting]
    assert listed(tx, people.marie, now=now, callback="today") == [today]
    assert listed(tx, people.marie, now=now, callback="overdue") == [overdue]
    assert tomorrow not in listed(tx, people.marie, now=now, callback="today")


def test_unknown_filter_values_are_refused_in_french():
    with pytest.raises(CaseError, match="Statut"):
        CaseFilters(statuses=("lost",))
    with pytest.raises(CaseError, match="Catégorie"):
        CaseFilters(category="poor")


def test_a_forged_page_key_is_refused(tx, people):
    with tx() as s, pytest.raises(CaseError, match="lien de page"):
        list_cases(s, s.get(User, people.marie), after="bm9wZQ")


# --- keyset pagination over thousands of cases ----------------------------------------

def seed_many(tx, teams: dict[str, int], count: int = 3000) -> None:
    """Cases with many ties (few distinct times) and many NULL waits, in random order."""
    rng = random.Random(42)
    team_ids = [teams["sarcelles"], teams["val_d_oise"], teams["default"]]
    rows = []
    for n in range(count):
        waiting = None if rng.random() < 0.4 else T0 - rng.randrange(12) * H
        rows.append({
            "reference": f"RM-2026-{n + 1:05d}", "source": "self", "channel": "sms",
            "status": rng.choice(["new", "in_progress", "closed"]),
            "team_id": rng.choice(team_ids), "created_at": T0 - rng.randrange(20) * H,
            "updated_at": T0, "waiting_since": waiting, "difficulties": [], "purposes": [],
            "contact_moments": [], "categories": [], "wants_human": False, "unread": False,
        })
    rng.shuffle(rows)
    with tx() as s:
        s.execute(insert(Case), rows)


def expected_order(cases: list[Case]) -> list[int]:
    far = datetime.max.replace(tzinfo=timezone.utc)
    return [c.id for c in sorted(cases, key=lambda c: (
        c.waiting_since is None, c.waiting_since or far, -c.created_at.timestamp(), -c.id))]


def walk(tx, user_id: int, filters: CaseFilters, limit: int) -> tuple[list[int], int]:
    """Every page in turn; returns the ids in order and how many pages were read."""
    ids, key, pages = [], None, 0
    while True:
        with tx() as s:
            page = list_cases(s, s.get(User, user_id), filters, after=key, limit=limit)
        ids += [c.id for c in page.cases]
        pages += 1
        if page.next_key is None:
            return ids, pages
        assert len(page.cases) == limit
        key = page.next_key


@pytest.mark.parametrize("who, filters, limit", [
    ("alex", CaseFilters(), 50),
    ("alex", CaseFilters(), 37),
    ("marie", CaseFilters(), 50),
    ("sam", CaseFilters(statuses=("new", "in_progress")), 64),
    ("alex", CaseFilters(search="rm-2026-0"), 50),  # a search: both segments in one query
    ("marie", CaseFilters(search="RM-2026", statuses=("closed",)), 45),
])
def test_pages_concatenate_to_the_whole_ordered_list(tx, people, teams, who, filters, limit):
    seed_many(tx, teams)
    user_id = getattr(people, who)
    with tx() as s:
        user = s.get(User, user_id)
        visible = [c for c in s.scalars(visible_cases(user))
                   if not filters.statuses or c.status in filters.statuses]
        expected = expected_order(visible)
    ids, pages = walk(tx, user_id, filters, limit)
    assert len(ids) == len(set(ids)), "a case appeared twice"
    assert ids == expected
    assert pages == -(-len(expected) // limit)


def test_an_empty_list_is_one_page_without_next_key(tx, people):
    with tx() as s:
        page = list_cases(s, s.get(User, people.marie))
    assert page.cases == [] and page.next_key is None
