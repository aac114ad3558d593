"""inbox.admin without Flask: only admins (or the command line) may change the settings."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from inbox.admin import accounts, canned, solutions, teams
from inbox.cases import CaseError, NotAllowed
from storage.models import AdminEvent, User
from tests.inbox.conftest import ADMIN, COORDINATOR, seed_accounts

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)

ACTIONS = {
    "canned": lambda s, u: canned.add(s, u, "Accueil", "Bonjour", None, NOW),
    "solution": lambda s, u: solutions.add(s, u, "Covoiturage", "other", NOW),
    "account": lambda s, u: accounts.create_user(s, u, "lou@example.fr", "Lou", "admin", [], NOW),
    "team": lambda s, u: teams.create_team(s, u, "Équipe Cergy", [], NOW),
    "password": lambda s, u: accounts.reset_password(s, u, u, NOW),
}


@pytest.mark.parametrize("action", ACTIONS)
def test_a_coordinator_may_not_change_the_settings(session_factory, action):
    seed_accounts(session_factory)
    with session_factory() as session:
        coordinator = session.scalar(select(User).where(User.email == COORDINATOR))
        with pytest.raises(NotAllowed):
            ACTIONS[action](session, coordinator)


@pytest.mark.parametrize("action", ACTIONS)
def test_an_admin_may_and_the_journal_says_so(session_factory, action):
    seed_accounts(session_factory)
    with session_factory() as session:
        admin = session.scalar(select(User).where(User.email == ADMIN))
        ACTIONS[action](session, admin)
        event = session.scalar(select(AdminEvent))
        assert (event.actor_id, event.at) == (admin.id, NOW)


def test_territories_are_read_as_people_type_them():
    typed = " Commune:95585,departement:2a\nepci:200055655 commune:95585"
    assert teams.parse_territories(typed) == [
        ("commune", "95585"), ("departement", "2A"), ("epci", "200055655")]


def test_the_preview_replaces_known_placeholders_and_refuses_the_others():
    assert canned.preview("Bonjour {Prénom} ({reference})") == "Bonjour Nadia (RM-2026-00042)"
    with pytest.raises(CaseError, match="Repère inconnu : {ville}"):
        canned.preview("Bonjour, à {ville}")
