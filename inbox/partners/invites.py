"""Invite codes of an organisation: create one (with its expiry), revoke it, say its state."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from inbox.partners.codes import new_code
from inbox.partners.organisations import PartnerError
from storage.models import INVITE_KINDS, InviteCode, Organisation

INVITE_KIND_LABELS = dict(zip(INVITE_KINDS, ("Donneur d'alerte", "Ambassadeur")))
PARIS = ZoneInfo("Europe/Paris")
MAX_VALIDITY = timedelta(days=3 * 366)


def create_invite(session: Session, organisation: Organisation, kind: str,
                  expires_on: date | None, now: datetime) -> InviteCode:
    """A fresh code, valid until the end of `expires_on` (Paris time), or with no end."""
    if kind not in INVITE_KIND_LABELS:
        raise PartnerError("Choisissez pour qui est le code : donneur d'alerte ou ambassadeur.")
    expires_at = None
    if expires_on is not None:
        expires_at = datetime.combine(expires_on + timedelta(days=1), time(), PARIS)
        if expires_at <= now:
            raise PartnerError("La date de fin est déjà passée.")
        if expires_at - now > MAX_VALIDITY:
            raise PartnerError("Un code dure au plus 3 ans.")
    invite = InviteCode(organisation_id=organisation.id, code=_unused_code(session), kind=kind,
                        created_at=now, expires_at=expires_at, uses=0)
    session.add(invite)
    session.flush()
    return invite


def _unused_code(session: Session) -> str:
    while True:  # a clash among 34 million codes is rare; just draw again
        code = new_code()
        if session.scalar(select(InviteCode.id).where(InviteCode.code == code)) is None:
            return code


def revoke_invite(invite: InviteCode, now: datetime) -> None:
    """The code stops working now; people who joined with it stay."""
    if invite.revoked_at is None:
        invite.revoked_at = now


def invite_state(invite: InviteCode, now: datetime) -> str:
    """"active", "revoked" or "expired"."""
    if invite.revoked_at is not None:
        return "revoked"
    if invite.expires_at is not None and invite.expires_at <= now:
        return "expired"
    return "active"
