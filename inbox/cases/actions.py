"""What a coordinator does to a case; each change writes one timeline event and returns
it (None when there was nothing to change). The caller commits."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from bot import handover
from inbox.cases.days import as_moment, paris_today
from inbox.cases.errors import CaseError
from inbox.cases.events import record
from inbox.cases.visibility import ensure_visible, is_admin
from storage.models import CASE_CATEGORIES, Case, CaseEvent, Note, Team, User

MAX_NOTE = 10_000


def assign(session: Session, case: Case, user: User, assignee_id: int | None,
           now: datetime) -> CaseEvent | None:
    """Give the case to a member of its team (an admin also), or to nobody (None)."""
    ensure_visible(user, case)
    if assignee_id == case.assignee_id:
        return None
    if assignee_id is not None:
        assignee = session.get(User, assignee_id)
        if assignee is None or not assignee.active or not _may_hold(assignee, case.team_id):
            raise CaseError("Cette personne ne fait pas partie de l'équipe de la demande.")
    before, case.assignee_id = case.assignee_id, assignee_id
    return record(session, case, user, "assigned", now, **{"from": before, "to": assignee_id})


def transfer(session: Session, case: Case, user: User, team_id: int,
             now: datetime) -> CaseEvent | None:
    """Move the case to another team; its assignee keeps it only if they belong there."""
    ensure_visible(user, case)
    team = session.get(Team, team_id)
    if team is None:
        raise CaseError("Cette équipe n'existe pas.")
    if team.id == case.team_id:
        return None
    data = {"from": case.team_id, "to": team.id}
    case.team_id = team.id
    if case.assignee is not None and not _may_hold(case.assignee, team.id):
        data["unassigned"], case.assignee_id = case.assignee_id, None
    return record(session, case, user, "transferred", now, **data)


def add_note(session: Session, case: Case, user: User, body: str, now: datetime) -> Note:
    """A private note for the team: stored on the case, never sent to anyone."""
    ensure_visible(user, case)
    body = body.strip()
    if not body:
        raise CaseError("La note est vide.")
    if len(body) > MAX_NOTE:
        raise CaseError(f"La note est trop longue ({MAX_NOTE} caractères au plus).")
    note = Note(case_id=case.id, author_id=user.id, body=body, created_at=now)
    session.add(note)
    session.flush()
    record(session, case, user, "note_added", now, note_id=note.id)
    return note


def set_callback(session: Session, case: Case, user: User, when: date | datetime | None,
                 now: datetime) -> CaseEvent | None:
    """Set the day (or moment) to call the person back; None clears it."""
    ensure_visible(user, case)
    moment = as_moment(when) if when is not None else None
    if moment == case.callback_at:
        return None
    if case.status == "closed":
        raise CaseError("Cette demande est close : rouvrez-la pour prévoir un rappel.")
    if moment is not None and moment < paris_today(now)[0]:
        raise CaseError("Cette date est déjà passée.")
    case.callback_at = moment
    return record(session, case, user, "callback_set", now,
                  at=moment.isoformat() if moment else None)


def set_categories(session: Session, case: Case, user: User, categories: list[str],
                   now: datetime) -> CaseEvent | None:
    """Set the programme's categories (for reports; never shown to the person)."""
    ensure_visible(user, case)
    unknown = [c for c in categories if c not in CASE_CATEGORIES]
    if unknown:
        raise CaseError(f"Catégorie inconnue : {', '.join(unknown)}.")
    chosen = [c for c in CASE_CATEGORIES if c in categories]  # canonical order, no repeat
    if chosen == list(case.categories or []):
        return None
    before, case.categories = list(case.categories or []), chosen
    return record(session, case, user, "categories_set", now, **{"from": before, "to": chosen})


def mark_read(session: Session, case: Case, user: User, now: datetime) -> CaseEvent | None:
    """The user opened the case: what the person wrote is read."""
    ensure_visible(user, case)
    if not case.unread:
        return None
    case.unread = False
    return record(session, case, user, "read", now)


def hand_back(session: Session, case: Case, user: User, now: datetime) -> CaseEvent | None:
    """Hand the conversation back to the bot, which acknowledges later messages again."""
    ensure_visible(user, case)
    if not handover.hand_back_to_bot(session, case, now) and not case.wants_human:
        return None
    case.wants_human = False
    return record(session, case, user, "handed_back", now)


def _may_hold(user: User, team_id: int | None) -> bool:
    """Admins may hold any case; coordinators those of their teams."""
    return is_admin(user) or any(team.id == team_id for team in user.teams)
