"""The solutions catalogue (admins only) and the JSON API's tokens."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from inbox.cases import (
    CaseError, NotAllowed, add_solution, issue_token, revoke_token, solutions, update_solution,
    user_for_token,
)
from inbox.cases.tokens import hash_token
from storage.models import ApiToken, Solution, User
from storage.seed import DEFAULT_SOLUTIONS, seed_demo, seed_solutions
from tests.inbox.cases.helpers import T0


def test_the_default_catalogue_is_seeded_once(tx):
    with tx() as s:
        assert len(seed_solutions(s)) == len(DEFAULT_SOLUTIONS) == 11
    with tx() as s:
        assert seed_solutions(s) == []
        names = [sol.name for sol in solutions(s)]
    assert "Auto-école sociale" in names and "Location solidaire de scooter" in names
    assert names == sorted(names)


def test_seed_demo_fills_the_catalogue(tx):
    with tx() as s:
        seed_demo(s)
    with tx() as s:
        assert len(solutions(s)) == len(DEFAULT_SOLUTIONS)


def test_admins_add_rename_and_turn_off_solutions(tx, people):
    with tx() as s:
        alex = s.get(User, people.alex)
        seed_solutions(s)
        added = add_solution(s, alex, "  Covoiturage   solidaire ", "carpool", T0)
        assert added.name == "Covoiturage solidaire"
        with pytest.raises(CaseError, match="existe déjà"):
            add_solution(s, alex, "garage SOLIDAIRE", "garage", T0)
        update_solution(s, alex, added.id, active=False)
        assert added not in solutions(s) and added in solutions(s, include_inactive=True)


def test_coordinators_cannot_change_the_catalogue(tx, people):
    with tx() as s, pytest.raises(NotAllowed, match="admins"):
        add_solution(s, s.get(User, people.marie), "Taxi", "taxi", T0)


def test_a_token_is_stored_only_as_its_hash_and_acts_as_its_user(tx, people):
    with tx() as s:
        row, token = issue_token(s, s.get(User, people.marie), "Export tableur", T0)
        token_id = row.id
    with tx() as s:
        stored = s.get(ApiToken, token_id)
        assert stored.token_hash == hash_token(token) and token not in stored.token_hash
        assert user_for_token(s, token, T0).id == people.marie
        assert stored.last_used_at == T0
        assert user_for_token(s, token + "x", T0) is None
        assert user_for_token(s, "not-a-token", T0) is None


def test_a_revoked_token_or_a_closed_account_no_longer_works(tx, people):
    with tx() as s:
        _, marie_token = issue_token(s, s.get(User, people.marie), "A", T0)
        row, paul_token = issue_token(s, s.get(User, people.paul), "B", T0)
        with pytest.raises(NotAllowed):
            revoke_token(s, s.get(User, people.marie), row.id, T0)
        revoke_token(s, s.get(User, people.paul), row.id, T0 + timedelta(minutes=1))
        s.get(User, people.marie).active = False
    with tx() as s:
        assert user_for_token(s, paul_token, T0) is None
        assert user_for_token(s, marie_token, T0) is None
        assert s.scalars(select(Solution)).all() == []
