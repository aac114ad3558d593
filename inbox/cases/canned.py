"""Canned replies: ready-made answers, for everyone or for one team, with placeholders.

    "Bonjour {prenom}, votre demande {reference} est bien reçue."

{prenom} is the person's first name (nothing if unknown), {reference} the case's
reference. Admins manage the replies for everyone; coordinators those of their teams.
"""
from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from inbox.cases.errors import CaseError, NotAllowed
from inbox.cases.visibility import is_admin, team_ids
from storage.models import CannedReply, Case, User

PLACEHOLDERS = ("prenom", "reference")
_ALIASES = {"prenom": "prenom", "prénom": "prenom", "reference": "reference",
            "référence": "reference"}
_PLACEHOLDER = re.compile(r"\{([^{}\s]+)\}")
MAX_TITLE, MAX_BODY = 120, 1600


def fill(canned: CannedReply | str, case: Case) -> str:
    """The reply's text for this case: placeholders replaced, no stray spaces left."""
    body = canned if isinstance(canned, str) else canned.body
    first_name = (case.contact.first_name or "") if case.contact else ""
    return render(body, first_name, case.reference)


def render(body: str, first_name: str, reference: str) -> str:
    """`body` with {prenom} and {reference} replaced (also used for the admins' preview)."""
    values = {"prenom": first_name.strip(), "reference": reference}

    def value(match: re.Match[str]) -> str:
        name = _ALIASES.get(match.group(1).lower())
        return values[name] if name else match.group(0)

    text = _PLACEHOLDER.sub(value, body)
    text = re.sub(r"[ \t]{2,}", " ", text)  # "Bonjour  ," when the name is unknown
    text = re.sub(r"[ \t]+([,.])", r"\1", text)
    return "\n".join(line.strip() for line in text.split("\n")).strip()


def canned_replies(session: Session, user: User) -> list[CannedReply]:
    """The replies the user may use: those for everyone and those of their teams."""
    query = (select(CannedReply).where(CannedReply.archived_at.is_(None))
             .order_by(CannedReply.title, CannedReply.id))
    if not is_admin(user):
        query = query.where(or_(CannedReply.team_id.is_(None),
                                CannedReply.team_id.in_(team_ids(user))))
    return list(session.scalars(query))


def get_canned(session: Session, user: User, canned_id: int) -> CannedReply | None:
    """One reply the user may use, or None."""
    return next((c for c in canned_replies(session, user) if c.id == canned_id), None)


def create_canned(session: Session, user: User, title: str, body: str, team_id: int | None,
                  now: datetime) -> CannedReply:
    """Add a reply for a team (None: for everyone, admins only)."""
    _ensure_may_manage(user, team_id)
    canned = CannedReply(title=_clean_title(title), body=clean_body(body), team_id=team_id,
                         created_at=now)
    session.add(canned)
    session.flush()
    return canned


def update_canned(session: Session, user: User, canned_id: int, title: str, body: str,
                  team_id: int | None) -> CannedReply:
    """Change a reply's title, text or team."""
    canned = _managed(session, user, canned_id)
    _ensure_may_manage(user, team_id)
    canned.title, canned.body, canned.team_id = _clean_title(title), clean_body(body), team_id
    session.flush()
    return canned


def delete_canned(session: Session, user: User, canned_id: int) -> None:
    """Remove a reply."""
    session.delete(_managed(session, user, canned_id))
    session.flush()


def _managed(session: Session, user: User, canned_id: int) -> CannedReply:
    canned = session.get(CannedReply, canned_id)
    if canned is None or get_canned(session, user, canned_id) is None:
        raise CaseError("Cette réponse type n'existe pas.")
    _ensure_may_manage(user, canned.team_id)
    return canned


def _ensure_may_manage(user: User, team_id: int | None) -> None:
    if is_admin(user):
        return
    if team_id is None:
        raise NotAllowed("Seuls les admins gèrent les réponses types communes à toutes les équipes.")
    if team_id not in team_ids(user):
        raise NotAllowed("Vous gérez seulement les réponses types de vos équipes.")


def _clean_title(title: str) -> str:
    title = " ".join(title.split())
    if not title or len(title) > MAX_TITLE:
        raise CaseError(f"Donnez un titre de 1 à {MAX_TITLE} caractères.")
    return title


def clean_body(body: str) -> str:
    body = body.strip()
    if not body or len(body) > MAX_BODY:
        raise CaseError(f"Le texte doit faire de 1 à {MAX_BODY} caractères.")
    unknown = sorted({m.group(1) for m in _PLACEHOLDER.finditer(body)
                      if m.group(1).lower() not in _ALIASES})
    if unknown:
        raise CaseError("Repère inconnu : " + ", ".join("{" + u + "}" for u in unknown)
                        + ". Les repères possibles sont {prenom} et {reference}.")
    return body
