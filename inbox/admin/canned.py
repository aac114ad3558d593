"""Canned replies as the admins manage them: every reply, archived ones included.

A reply that has been sent at least once is archived rather than deleted: it is no
longer offered, and the admins still see what it said. Placeholders and their checks
are the case domain's (inbox.cases.canned): {prenom} and {reference}.
"""
from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from inbox.admin import journal
from inbox.admin.errors import AdminError, ensure_admin
from inbox.cases import canned as domain
from storage.models import CannedReply, Team, User

# What the preview shows in place of the placeholders.
PREVIEW_FIRST_NAME, PREVIEW_REFERENCE = "Nadia", "RM-2026-00042"
_PLACEHOLDER = re.compile(r"\{[^{}\s]+\}")


def all_canned(session: Session) -> list[CannedReply]:
    """Every reply: those in use first, by title; archived ones last."""
    query = (select(CannedReply).options(selectinload(CannedReply.team))
             .order_by(CannedReply.archived_at.is_not(None), CannedReply.title, CannedReply.id))
    return list(session.scalars(query))


def check_body(body: str) -> str:
    """The text, cleaned, or AdminError/CaseError saying which placeholder is wrong."""
    stray = _PLACEHOLDER.sub("", body)
    if "{" in stray or "}" in stray:
        raise AdminError("Une accolade est seule. Écrivez les repères entre accolades, "
                         "sans espace : {prenom} ou {reference}.")
    return domain.clean_body(body)


def preview(body: str) -> str:
    """The reply as a person named Nadia, case RM-2026-00042, would read it."""
    return domain.render(check_body(body), PREVIEW_FIRST_NAME, PREVIEW_REFERENCE)


def add(session: Session, admin: User, title: str, body: str, team_id: int | None,
        now: datetime) -> CannedReply:
    """A new reply, for every team (team_id None) or one."""
    ensure_admin(admin)
    _check_team(session, team_id)
    canned = domain.create_canned(session, admin, title, check_body(body), team_id, now)
    journal.record(session, admin, "canned_created", f"canned:{canned.id}", now, title=canned.title)
    return canned


def edit(session: Session, admin: User, canned_id: int, title: str, body: str,
         team_id: int | None, now: datetime) -> CannedReply:
    """Change a reply still in use (an archived one stays as it was sent)."""
    ensure_admin(admin)
    _check_team(session, team_id)
    canned = domain.update_canned(session, admin, canned_id, title, check_body(body), team_id)
    journal.record(session, admin, "canned_updated", f"canned:{canned.id}", now, title=canned.title)
    return canned


def remove(session: Session, admin: User, canned_id: int, now: datetime) -> str:
    """Delete a reply never sent, archive one already sent; returns "deleted" or "archived"."""
    ensure_admin(admin)
    canned = session.get(CannedReply, canned_id)
    if canned is None or canned.archived_at is not None:
        raise AdminError("Cette réponse type n'existe pas ou est déjà archivée.")
    subject, title = f"canned:{canned.id}", canned.title
    if canned.last_used_at is None:
        session.delete(canned)
        journal.record(session, admin, "canned_deleted", subject, now, title=title)
        return "deleted"
    canned.archived_at = now
    journal.record(session, admin, "canned_archived", subject, now, title=title)
    return "archived"


def note_use(session: Session, user: User, canned_id: int, now: datetime) -> None:
    """Remember that `user` sent a reply starting from this canned reply (if offered to them)."""
    canned = domain.get_canned(session, user, canned_id)
    if canned is not None:
        canned.last_used_at = now
        session.flush()


def _check_team(session: Session, team_id: int | None) -> None:
    if team_id is not None and session.get(Team, team_id) is None:
        raise AdminError("Cette équipe n'existe pas.")
