"""The network page's figures: per organisation, its members, referrals and last activity,
and whether the team should get back in touch ("à recontacter").

A handful of grouped queries whatever the number of organisations: members (with their
first names), referral counts, and the members' last message.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session, selectinload

from storage.models import Case, Message, NetworkMember, Organisation

RECENT, LONGER = timedelta(days=30), timedelta(days=90)


@dataclass
class OrganisationActivity:
    """One row of the network page."""

    organisation: Organisation
    members: list[NetworkMember] = field(default_factory=list)  # departures included
    referrals_30: int = 0
    referrals_90: int = 0
    last_referral: datetime | None = None
    last_message: datetime | None = None
    reasons: list[str] = field(default_factory=list)  # why to get back in touch

    @property
    def active(self) -> list[NetworkMember]:
        return [member for member in self.members if member.left_at is None]

    @property
    def left(self) -> list[NetworkMember]:
        return [member for member in self.members if member.left_at is not None]

    @property
    def last_activity(self) -> datetime | None:
        """The last referral, member joining or leaving, or message from a member."""
        moments = [self.last_referral, self.last_message]
        moments += [m.joined_at for m in self.members] + [m.left_at for m in self.left]
        return max((_aware(moment) for moment in moments if moment), default=None)

    @property
    def to_recontact(self) -> bool:
        return bool(self.reasons)


def network_activity(session: Session, now: datetime,
                     recontact_after: timedelta) -> list[OrganisationActivity]:
    """Every organisation, those to get back in touch with first, then by name."""
    organisations = session.scalars(select(Organisation).order_by(Organisation.name))
    rows = {o.id: OrganisationActivity(o) for o in organisations}
    for member in _members(session):
        rows[member.organisation_id].members.append(member)
    for organisation_id, in_30, in_90, last in _referrals(session, now):
        row = rows[organisation_id]
        row.referrals_30, row.referrals_90, row.last_referral = in_30 or 0, in_90 or 0, last
    for organisation_id, last in _last_messages(session):
        rows[organisation_id].last_message = last
    for row in rows.values():
        row.reasons = reasons_to_recontact(row, now, recontact_after)
    return sorted(rows.values(), key=lambda row: (not row.to_recontact,
                                                  row.organisation.name.casefold()))


def reasons_to_recontact(row: OrganisationActivity, now: datetime,
                         after: timedelta) -> list[str]:
    """Why the team should call the organisation, in French; none when all is well.

    No referral for `after` (counted from the organisation's creation when it never sent
    one: a new partner is given that long), or a member who left within `after`.
    """
    reasons = []
    days = after.days
    if row.last_referral is not None and _aware(row.last_referral) <= now - after:
        since = (now - _aware(row.last_referral)).days
        reasons.append(f"Aucune fiche depuis {since} jours")
    elif row.last_referral is None and _aware(row.organisation.created_at) <= now - after:
        reasons.append(f"Aucune fiche depuis son arrivée (plus de {days} jours)")
    recent_departures = [m for m in row.left if _aware(m.left_at) > now - after]
    if recent_departures:
        count = len(recent_departures)
        reasons.append(f"{count} membre{'s' if count > 1 else ''} parti{'s' if count > 1 else ''} "
                       f"ces {days} derniers jours")
    return reasons


def _members(session: Session) -> list[NetworkMember]:
    query = (select(NetworkMember).options(selectinload(NetworkMember.contact))
             .order_by(NetworkMember.left_at.is_not(None), NetworkMember.joined_at))
    return list(session.scalars(query))


def _referrals(session: Session, now: datetime):
    """(organisation id, referrals in 30 days, in 90 days, last referral) per organisation."""
    def within(period: timedelta):
        return func.sum(case((Case.created_at >= now - period, 1), else_=0))
    query = (select(Case.referrer_organisation_id, within(RECENT), within(LONGER),
                    func.max(Case.created_at))
             .where(Case.referrer_organisation_id.is_not(None))
             .group_by(Case.referrer_organisation_id))
    return session.execute(query).all()


def _last_messages(session: Session):
    """(organisation id, last message a member wrote while in the network)."""
    during = and_(Message.contact_id == NetworkMember.contact_id, Message.direction == "in",
                  Message.created_at >= NetworkMember.joined_at,
                  or_(NetworkMember.left_at.is_(None), Message.created_at <= NetworkMember.left_at))
    query = (select(NetworkMember.organisation_id, func.max(Message.created_at))
             .join(Message, during).group_by(NetworkMember.organisation_id))
    return session.execute(query).all()


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)

