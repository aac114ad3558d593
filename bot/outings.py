"""An ambassador's outing (SORTIE) is recorded, and the referrals of that day link to it.

A referral an ambassador makes on the spot belongs to their outing of the same day
(in Europe/Paris), whichever comes first in the chat:
- the outing is logged after the referrals: `record_outing` links that ambassador's
  referrals of the day that have no outing yet;
- the referral comes after the outing: `refer_person` asks `outing_for_referral`.
With two outings on one day, a later referral goes to the latest one.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.network import active_membership
from storage.models import Case, Outing

if TYPE_CHECKING:
    from bot.effects import Context

PARIS = ZoneInfo("Europe/Paris")


def paris_day(moment: datetime) -> date:
    return moment.astimezone(PARIS).date()


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The first moment of a Paris day and of the next one, in UTC (23 or 25 hours apart
    when the clocks change)."""
    start = datetime.combine(day, time(0), tzinfo=PARIS)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=PARIS)
    return start.astimezone(timezone.utc), end.astimezone(timezone.utc)


def record_outing(ctx: Context, data: dict[str, Any]) -> None:
    """Save the outing told in the chat; link the ambassador's referrals of the day."""
    member = active_membership(ctx.session, ctx.contact.id)
    outing = Outing(
        contact_id=ctx.contact.id, organisation_id=member.organisation_id if member else None,
        at=ctx.now, day=paris_day(ctx.now), place_kind=data["place_kind"],
        place_note=data.get("place_note"), area=data.get("area") or "",
        commune_insee=data.get("commune_insee"), people_met=int(data.get("people_met") or 0),
        weather=data.get("weather"), note=data.get("note"), created_at=ctx.now,
    )
    ctx.session.add(outing)
    ctx.session.flush()
    start, end = day_bounds(outing.day)
    linked = ctx.session.execute(update(Case).where(
        Case.referrer_contact_id == ctx.contact.id, Case.outing_id.is_(None),
        Case.created_at >= start, Case.created_at < end).values(outing_id=outing.id))
    ctx.results["outing_referrals"] = linked.rowcount or 0


def outing_for_referral(session: Session, contact_id: int, now: datetime) -> int | None:
    """The id of this ambassador's latest outing today, for a referral made now."""
    query = (select(Outing.id).where(Outing.contact_id == contact_id,
                                     Outing.day == paris_day(now))
             .order_by(Outing.at.desc(), Outing.id.desc()).limit(1))
    return session.scalar(query)


HANDLERS = {"record_outing": record_outing}
