"""Small actions for tests: a clock to move, teams to seed, a phone to talk with."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy.orm import Session, sessionmaker

from storage.models import Team, TeamTerritory


class Clock:
    """A clock that only moves when a test says so."""

    def __init__(self, start: datetime = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def seed_teams(session_factory: sessionmaker[Session]) -> dict[str, int]:
    """A default team, a Val-d'Oise team (département 95) and a Sarcelles team (commune)."""
    with session_factory.begin() as session:
        teams = {
            "default": Team(name="Équipe mobilité", is_default=True),
            "val_d_oise": Team(name="Équipe Val-d'Oise",
                               territories=[TeamTerritory(kind="departement", code="95")]),
            "sarcelles": Team(name="Équipe Sarcelles",
                              territories=[TeamTerritory(kind="commune", code="95585")]),
        }
        session.add_all(teams.values())
        session.flush()
        return {name: team.id for name, team in teams.items()}
