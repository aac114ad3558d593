"""/reseau: the partner network at a glance, and news to its members.

Coordinators and admins read the page and each broadcast's progress; only admins write
news (a message to the whole network is a service-wide act: it goes in the admin
journal). Signing in and CSRF tokens are checked for every page by inbox.web.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import (Blueprint, abort, current_app, flash, redirect, render_template, request,
                   url_for)
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from bot import news
from inbox import network
from inbox.accounts import admin_required
from inbox.partners import INVITE_KIND_LABELS, KIND_LABELS
from inbox.views.common import PARIS, acting_user, db, now, paris_time
from storage.models import Broadcast, Organisation

blueprint = Blueprint("network", __name__, url_prefix="/reseau")
INVALID = 422
POLL_SECONDS = 10  # the progress of a broadcast refreshes itself this often
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


@blueprint.errorhandler(404)
def not_found(_error: Exception) -> tuple[str, int]:
    return render_template("inbox/error.html", title="Nouvelle introuvable",
                           message="Cette nouvelle du réseau n'existe pas."), 404


@blueprint.get("")
def page() -> str:
    """Each organisation's members, referrals and last activity; those to call first."""
    after = current_app.config["SETTINGS"].network_recontact_after
    with db() as session:
        return render_template(
            "inbox/network/page.html", rows=network.network_activity(session, now(), after),
            recontact_days=after.days, kinds=KIND_LABELS, roles=INVITE_KIND_LABELS,
            broadcasts=network.recent(session), opted_in=network.opted_in_count(session))


@blueprint.get("/nouvelles/nouvelle")
@admin_required
def new_news() -> str:
    with db() as session:
        return render_template("inbox/network/news_form.html", form=network.NewsForm(),
                               **_choices(session))


@blueprint.post("/nouvelles/apercu")
@admin_required
def confirm_news() -> str | tuple[str, int]:
    """What will be sent, to how many people, and when: one more click to send."""
    from bot.proactive import next_time_to_write_first  # the holiday calendar, loaded here only
    with db() as session:
        try:
            form = _form().checked(session)
        except network.BroadcastError as error:
            return render_template("inbox/network/news_form.html", form=_form(),
                                   error=str(error), **_choices(session)), INVALID
        people = len(news.recipients(session, form.audience))
        return render_template(
            "inbox/network/news_confirm.html", form=form, people=people,
            audience=network.describe_audience(session, form.audience),
            example=news.news_body(form.text, "fr"), token=network.new_token(),
            when=when(next_time_to_write_first(now())))


@blueprint.post("/nouvelles")
@admin_required
def send_news() -> Response | tuple[str, int]:
    token = request.form.get("token", "")[:100]
    if not token:
        abort(400)
    with db() as session:
        try:
            broadcast, ids = network.send(session, acting_user(session), _form(), token, now())
        except network.BroadcastError as error:
            return render_template("inbox/network/news_form.html", form=_form(),
                                   error=str(error), **_choices(session)), INVALID
        session.commit()
        broadcast_id, not_before = broadcast.id, broadcast.not_before
    if ids and not_before <= now():
        from webhooks.delivery import jobs
        jobs().enqueue_delivery(ids)
    if ids:
        flash("La nouvelle est envoyée." if not_before <= now()
              else f"La nouvelle partira {when(not_before)}.", "info")
    return redirect(url_for("inbox.network.show_news", broadcast_id=broadcast_id), code=303)


@blueprint.get("/nouvelles/<int:broadcast_id>")
def show_news(broadcast_id: int) -> str:
    with db() as session:
        return render_template("inbox/network/news_show.html", **_progress(session, broadcast_id))


@blueprint.get("/nouvelles/<int:broadcast_id>/avancement")
def news_progress(broadcast_id: int) -> str:
    """The counts alone: what htmx swaps in every few seconds while messages wait."""
    with db() as session:
        return render_template("inbox/network/_progress.html", **_progress(session, broadcast_id))


def _progress(session: Session, broadcast_id: int) -> dict[str, Any]:
    broadcast = session.get(Broadcast, broadcast_id)
    if broadcast is None:
        abort(404)
    audience = news.Audience(broadcast.organisation_id, broadcast.role)
    return {"broadcast": broadcast, "progress": network.progress(session, broadcast.id),
            "audience": network.describe_audience(session, audience),
            "departure": day_and_time(broadcast.not_before),
            "later": broadcast.not_before > now(), "poll_seconds": POLL_SECONDS}


def when(moment: datetime) -> str:
    """"dès maintenant", or "lundi 2 mars, 09:00" (Paris time)."""
    return "dès maintenant" if moment <= now() else day_and_time(moment)


def day_and_time(moment: datetime) -> str:
    return f"{WEEKDAYS[moment.astimezone(PARIS).weekday()]} {paris_time(moment)}"


def _form() -> network.NewsForm:
    return network.NewsForm(text=request.form.get("text", "")[:2000],
                            organisation_id=request.form.get("organisation_id", "")[:20],
                            role=request.form.get("role", "")[:20])


def _choices(session: Session) -> dict[str, Any]:
    organisations = session.execute(select(Organisation.id, Organisation.name)
                                    .order_by(Organisation.name)).all()
    return {"organisations": organisations, "roles": network.ROLE_LABELS,
            "max_text": network.MAX_TEXT}
