"""Which team takes a case: the one whose territory covers the person's commune."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from flows.communes import default_gazetteer
from storage.models import Team, TeamTerritory

def territory_codes(insee: str | None) -> list[tuple[str, str]]:
    """(kind, code) pairs that contain a commune, most precise first."""
    commune = default_gazetteer().by_insee(insee) if insee else None
    if commune is None:
        return []
    codes = [("commune", commune.insee)]
    if commune.parent_insee:
        codes.append(("commune", commune.parent_insee))  # an arrondissement is in its city
    if commune.epci_siren:
        codes.append(("epci", commune.epci_siren))
    codes.append(("departement", commune.departement))
    return codes


def team_for_commune(session: Session, insee: str | None) -> Team | None:
    """The most precise covering team (commune, then EPCI, then département), or the default."""
    for kind, code in territory_codes(insee):
        query = (select(Team).join(TeamTerritory)
                 .where(TeamTerritory.kind == kind, TeamTerritory.code == code)
                 .order_by(Team.id).limit(1))
        team = session.scalars(query).first()
        if team is not None:
            return team
    return session.scalars(select(Team).where(Team.is_default).order_by(Team.id).limit(1)).first()
