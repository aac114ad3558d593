"""Teams and the territories they cover: a commune (INSEE code), an EPCI (SIREN) or a
département. A case goes to the team covering its commune, else to the default team."""
from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from inbox.admin import journal
from inbox.admin.errors import AdminError, ensure_admin
from storage.models import TERRITORY_KINDS, Team, TeamTerritory, User

TERRITORY_CODES = {  # official code shapes: INSEE commune, SIREN of the EPCI, département
    "commune": re.compile(r"(\d{5}|2[AB]\d{3})"),
    "epci": re.compile(r"\d{9}"),
    "departement": re.compile(r"(0[1-9]|[1-8]\d|9[0-5]|2[AB]|97[1-6])"),
}
TERRITORY_LABELS = {"commune": "Commune", "epci": "Intercommunalité", "departement": "Département"}
MAX_NAME = 120
Territory = tuple[str, str]


def parse_territory(text: str) -> Territory:
    """"departement:95" -> ("departement", "95"); AdminError if the kind or the code is wrong."""
    kind, _, code = text.partition(":")
    kind, code = kind.strip().lower(), code.strip().upper()
    if kind not in TERRITORY_KINDS:
        raise AdminError(f"« {text} » : le type doit être {', '.join(TERRITORY_KINDS)}.")
    if not TERRITORY_CODES[kind].fullmatch(code):
        raise AdminError(f"« {text} » : ce code ne ressemble pas à un code {kind}.")
    return kind, code


def parse_territories(text: str) -> list[Territory]:
    """Territories separated by spaces, commas or new lines, each once, in order."""
    return list(dict.fromkeys(parse_territory(part) for part in re.split(r"[\s,;]+", text) if part))


def format_territories(team: Team) -> str:
    """"commune:95585 departement:95": how the form shows a team's territories."""
    return " ".join(f"{t.kind}:{t.code}" for t in sorted(team.territories, key=_order))


def describe_territories(team: Team) -> str:
    """"Département 95, Commune 95585": a team's territories as admins read them."""
    return ", ".join(f"{TERRITORY_LABELS[t.kind]} {t.code}"
                     for t in sorted(team.territories, key=_order))


def all_teams(session: Session) -> list[Team]:
    """Every team, by name, with its territories and members."""
    query = (select(Team).options(selectinload(Team.territories), selectinload(Team.members))
             .order_by(Team.name))
    return list(session.scalars(query))


def create_team(session: Session, admin: User | None, name: str, territories: list[Territory],
                now: datetime, is_default: bool = False) -> tuple[Team, list[str]]:
    """A new team; returns it and the names of the teams it replaces as the default."""
    ensure_admin(admin)
    team = Team(name=_free_name(session, name), created_at=now,
                territories=[TeamTerritory(kind=k, code=c) for k, c in dict.fromkeys(territories)])
    session.add(team)
    replaced = _make_default(session, team) if is_default else []
    session.flush()
    journal.record(session, admin, "team_created", f"team:{team.id}", now, name=team.name,
                   territories=[f"{k}:{c}" for k, c in dict.fromkeys(territories)],
                   default=is_default)
    return team, replaced


def update_team(session: Session, admin: User | None, team_id: int, name: str,
                territories: list[Territory], is_default: bool, now: datetime) -> Team:
    """Rename a team, change its territories, or make it the default team."""
    ensure_admin(admin)
    team = session.get(Team, team_id)
    if team is None:
        raise AdminError("Cette équipe n'existe pas.")
    if team.is_default and not is_default:
        raise AdminError("Cette équipe reçoit les demandes qu'aucun territoire ne couvre. "
                         "Pour la remplacer, choisissez une autre équipe par défaut.")
    before = team.name
    team.name = _free_name(session, name, team.id)
    wanted = list(dict.fromkeys(territories))
    team.territories = ([t for t in team.territories if (t.kind, t.code) in wanted]
                        + [TeamTerritory(kind=k, code=c) for k, c in wanted
                           if (k, c) not in {(t.kind, t.code) for t in team.territories}])
    if is_default and not team.is_default:
        _make_default(session, team)
    session.flush()
    journal.record(session, admin, "team_updated", f"team:{team.id}", now, name=team.name,
                   former_name=before, territories=[f"{k}:{c}" for k, c in wanted],
                   default=team.is_default)
    return team


def _make_default(session: Session, team: Team) -> list[str]:
    """Make `team` the default one; the names of the teams that no longer are."""
    replaced = [other for other in session.scalars(select(Team).where(Team.is_default))
                if other is not team]
    for other in replaced:
        other.is_default = False
    team.is_default = True
    return [other.name for other in replaced]


def _free_name(session: Session, name: str, own_id: int | None = None) -> str:
    name = " ".join(name.split())
    if not name or len(name) > MAX_NAME:
        raise AdminError(f"Donnez un nom d'équipe de 1 à {MAX_NAME} caractères.")
    # Compared here, not in SQL: SQLite's lower() leaves "É" as it is.
    same = [team_id for team_id, other in session.execute(select(Team.id, Team.name))
            if other.casefold() == name.casefold() and team_id != own_id]
    if same:
        raise AdminError(f"L'équipe « {name} » existe déjà.")
    return name


def _order(territory: TeamTerritory) -> tuple[int, str]:
    return TERRITORY_KINDS.index(territory.kind), territory.code
