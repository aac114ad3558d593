"""Effects of the partner flows: joining and leaving the network, yes or no to its news."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import update

from storage.models import InviteCode, NetworkMember

if TYPE_CHECKING:
    from bot.effects import Context


def join_network(ctx: Context, data: dict[str, Any]) -> None:
    """The contact becomes an alert giver (or ambassador) of the organisation."""
    ctx.contact.role = data["role"]
    ctx.contact.first_name = data["first_name"]
    ctx.session.add(NetworkMember(
        contact_id=ctx.contact.id, organisation_id=data["organisation_id"],
        invite_code_id=data["code_id"], role=data["role"], job_title=data["job_title"],
        joined_at=ctx.now, news_opt_in=data.get("news") == "yes",
    ))
    ctx.session.execute(update(InviteCode).where(InviteCode.id == data["code_id"])
                        .values(uses=InviteCode.uses + 1))


def leave_network(ctx: Context, data: dict[str, Any]) -> None:
    """QUITTER: the membership ends (the network page shows when); a resident again."""
    ctx.session.execute(update(NetworkMember).where(
        NetworkMember.contact_id == ctx.contact.id, NetworkMember.left_at.is_(None))
        .values(left_at=ctx.now))
    ctx.contact.role = "resident"


def set_news_opt_in(ctx: Context, data: dict[str, Any]) -> None:
    """NOUVELLES: yes or no to the network's news, on the current membership."""
    ctx.session.execute(update(NetworkMember).where(
        NetworkMember.contact_id == ctx.contact.id, NetworkMember.left_at.is_(None))
        .values(news_opt_in=data["news"] == "yes"))


HANDLERS = {"join_network": join_network, "leave_network": leave_network,
            "set_news_opt_in": set_news_opt_in}
