"""The admins' journal: each administration action writes who did what, and when."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from storage.models import AdminEvent, User

PAGE_SIZE = 100
ACTION_LABELS = {
    "canned_created": "Réponse type créée",
    "canned_updated": "Réponse type modifiée",
    "canned_deleted": "Réponse type supprimée",
    "canned_archived": "Réponse type archivée",
    "solution_created": "Solution ajoutée",
    "solution_updated": "Solution modifiée",
    "solution_deactivated": "Solution retirée du catalogue",
    "solution_reactivated": "Solution remise au catalogue",
    "user_created": "Compte créé",
    "user_deactivated": "Compte fermé",
    "user_reactivated": "Compte rouvert",
    "password_reset": "Nouveau mot de passe",
    "user_teams_changed": "Équipes du compte changées",
    "team_created": "Équipe créée",
    "team_updated": "Équipe modifiée",
    "member_role_changed": "Rôle d'un membre du réseau changé",
    "news_sent": "Nouvelles du réseau envoyées",
}


def record(session: Session, actor: User | None, action: str, subject: str, now: datetime,
           **data: Any) -> AdminEvent:
    """Write one line of the journal (`data`: names and codes, never a password)."""
    event = AdminEvent(at=now, actor_id=actor.id if actor else None, action=action,
                       subject=subject, data=data)
    session.add(event)
    session.flush()
    return event


def recent(session: Session, before: int | None = None,
           limit: int = PAGE_SIZE) -> tuple[list[AdminEvent], int | None]:
    """A page of the journal, newest first, older than line `before` if given; and the
    line to continue from (None on the last page). Lines are numbered in the order they
    are written, so a keyset on the id stays fast however long the journal grows."""
    query = select(AdminEvent).options(selectinload(AdminEvent.actor))
    if before is not None:
        query = query.where(AdminEvent.id < before)
    events = list(session.scalars(query.order_by(AdminEvent.id.desc()).limit(limit + 1)))
    more = len(events) > limit
    return events[:limit], events[limit - 1].id if more else None


def describe(event: AdminEvent) -> str:
    """"Compte créé : Marie Dupont": the action and the name of what it was done to."""
    label = ACTION_LABELS.get(event.action, event.action)
    name = event.data.get("name") or event.data.get("title")
    return f"{label} : {name}" if name else label
