"""A network member's role, changed from the organisation's page: alert giver or ambassador.

The membership and the contact change together (the chat follows the contact's role:
flows.network), the admins' journal keeps who did it, and a new ambassador is told in
the chat how to log an outing (bot.ambassadors).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.ambassadors import tell_new_ambassador
from inbox.admin import journal
from inbox.partners.invites import INVITE_KIND_LABELS
from inbox.partners.organisations import PartnerError
from storage.models import NetworkMember, User


def change_role(session: Session, member: NetworkMember, role: str, actor: User,
                now: datetime) -> bool:
    """Make the member an alert giver or an ambassador; False when it already is one."""
    if role not in INVITE_KIND_LABELS:
        raise PartnerError("Choisissez un rôle : donneur d'alerte ou ambassadeur.")
    if member.left_at is not None:
        raise PartnerError("Cette personne a quitté le réseau.")
    if member.role == role:
        return False
    member.role = role
    member.contact.role = role
    name = f"{member.contact.first_name or '—'} ({member.organisation.name})"
    journal.record(session, actor, "member_role_changed", f"network_member:{member.id}", now,
                   name=name, role=role)
    if role == "ambassador":
        tell_new_ambassador(session, member.contact, now)
    return True
