"""Demo data for a first run: two teams, a coordinator account, the solutions catalogue."""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from .models import Solution, Team, TeamTerritory, User, normalize_email

DEMO_EMAIL = "demo@relais-mobilite.fr"
DEFAULT_TEAM = "Équipe mobilité"
# name -> territories (kind, code) covered
DEMO_TEAMS: dict[str, tuple[tuple[str, str], ...]] = {
    DEFAULT_TEAM: (),
    "Équipe Val-d'Oise": (("departement", "95"),),
}

# The default orientation catalogue: (name coordinators read, stable kind code).
DEFAULT_SOLUTIONS: tuple[tuple[str, str], ...] = (
    ("Conseil en mobilité", "advice"),
    ("Auto-école sociale", "driving_school"),
    ("Aide au permis", "licence_aid"),
    ("Location solidaire de voiture", "car_rental"),
    ("Location solidaire de scooter", "scooter_rental"),
    ("Location solidaire de vélo", "bike_rental"),
    ("Garage solidaire", "garage"),
    ("Transport à la demande", "on_demand_transport"),
    ("Vélo-école", "bike_school"),
    ("Accompagnement aux transports en commun", "public_transport"),
    ("Aide financière", "financial_aid"),
)


@dataclass
class SeedResult:
    """What seed_demo created; `password` is set only when the account is new."""

    email: str
    password: str | None = None
    teams_created: list[str] = field(default_factory=list)


def seed_demo(session: Session) -> SeedResult:
    """Create what is missing of the demo teams and account; the caller commits."""
    result = SeedResult(email=DEMO_EMAIL)
    teams = [_ensure_team(session, name, territories, result)
             for name, territories in DEMO_TEAMS.items()]
    user = session.scalar(select(User).where(User.email == DEMO_EMAIL))
    if user is None:
        result.password = os.environ.get("DEMO_PASSWORD") or new_password()
        user = User(email=DEMO_EMAIL, name="Coordinatrice de démonstration",
                    password_hash=hash_password(result.password), role="coordinator")
        session.add(user)
    for team in teams:
        if team not in user.teams:
            user.teams.append(team)
    seed_solutions(session)
    session.flush()
    return result


def seed_solutions(session: Session) -> list[str]:
    """Add the default solutions missing by name (never revive one an admin turned off)."""
    present = set(session.scalars(select(Solution.name)))
    added = [name for name, _kind in DEFAULT_SOLUTIONS if name not in present]
    session.add_all(Solution(name=name, kind=kind) for name, kind in DEFAULT_SOLUTIONS
                    if name in added)
    session.flush()
    return added


def reset_password(session: Session, email: str, password: str | None = None) -> str | None:
    """Give the account a new password and return it; None if there is no such account."""
    user = session.scalar(select(User).where(User.email == normalize_email(email)))
    if user is None:
        return None
    password = password or new_password()
    user.password_hash = hash_password(password)
    session.flush()
    return password


def new_password() -> str:
    """A random password of 12 URL-safe characters."""
    return secrets.token_urlsafe(9)


def hash_password(password: str) -> str:
    """Hash with scrypt (check with werkzeug.security.check_password_hash)."""
    return generate_password_hash(password, method="scrypt")


def _ensure_team(
    session: Session, name: str, territories: tuple[tuple[str, str], ...], result: SeedResult
) -> Team:
    """Find or create a team, adding any missing territory."""
    team = session.scalar(select(Team).where(Team.name == name))
    if team is None:
        team = Team(name=name, is_default=(name == DEFAULT_TEAM))
        session.add(team)
        result.teams_created.append(name)
    present = {(t.kind, t.code) for t in team.territories}
    for kind, code in territories:
        if (kind, code) not in present:
            team.territories.append(TeamTerritory(kind=kind, code=code))
    return team
