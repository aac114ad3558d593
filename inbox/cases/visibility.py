"""Who sees which case: coordinators the cases of their teams, admins all of them.

Every read of a case goes through `visible_cases` or `get_case`, and every action checks
`ensure_visible`: a case of another team is as good as absent (the web layer answers 404).
"""
from __future__ import annotations

from sqlalchemy import Select, false, select
from sqlalchemy.orm import Session

from inbox.cases.errors import NotVisible
from storage.models import Case, User


def is_admin(user: User) -> bool:
    """An active admin: sees every case and manages the shared settings."""
    return user.active and user.role == "admin"


def team_ids(user: User) -> set[int]:
    """The ids of the user's teams."""
    return {team.id for team in user.teams}


def visible_cases(user: User) -> Select[tuple[Case]]:
    """A select() of the cases the user may see (none for an inactive account).

    The user's teams are written in the query as a list of ids (not a subquery): both
    databases then check them on each row first, in the order index where it carries
    them, before any costlier condition (a search's lookups); an index led by the team
    (ix_cases_wants_human, for the APPEL count) is read for these teams only.
    """
    query = select(Case)
    if not user.active:
        return query.where(false())
    if is_admin(user):
        return query
    return query.where(Case.team_id.in_(sorted(team_ids(user))))


def get_case(session: Session, user: User, case_id: int) -> Case | None:
    """The case if the user may see it, else None (whether it exists or not)."""
    return session.scalars(visible_cases(user).where(Case.id == case_id)).first()


def can_see(user: User, case: Case) -> bool:
    """The same rule as visible_cases, for a case already loaded."""
    if not user.active:
        return False
    return is_admin(user) or (case.team_id is not None and case.team_id in team_ids(user))


def ensure_visible(user: User, case: Case) -> None:
    """Raise NotVisible unless the user may see the case."""
    if not can_see(user, case):
        raise NotVisible()
