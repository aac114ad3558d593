"""/simulateur: a coordinator plays a resident on a simulated SMS or Telegram phone.

Messages go through bot.simulator.SimulatedPhone and the app's own Runtime, so the
conversation is a real one (channel "sms-sim" or "telegram-sim") and lands in the inbox.
The phone's address is kept in the Flask session, one per look; "Nouvelle conversation"
draws a fresh one. The thread is polled by htmx: each poll delivers what the outbox holds
for the phone (a reply written in the inbox included) and answers 204 when nothing changed.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from flask import (Blueprint, abort, current_app, redirect, render_template, request, session,
                   url_for)
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from bot.inbound import InboundMessage
from bot.simulator import LOOKS, Received, SimulatedPhone
from inbox import cases as domain
from inbox.views.common import acting_user, db
from storage.models import Case, ChannelAddress, Message

blueprint = Blueprint("simulator", __name__)
SESSION_KEY = "simulator_addresses"
LOOK_LABELS = {"sms": "SMS", "telegram": "Telegram"}
MAX_TEXT = 1600


@dataclass
class Bubble:
    """One message as the simulated phone shows it."""

    id: int
    mine: bool  # written by the person playing ("Vous")
    body: str
    segments: int | None = None
    buttons: list[dict[str, str]] = field(default_factory=list)


def _look(look: str) -> str:
    if look not in LOOKS:
        abort(404)
    return look


def _phone(look: str, fresh: bool = False) -> SimulatedPhone:
    """The phone of this browser session for `look` (its address remembered in the session)."""
    addresses = dict(session.get(SESSION_KEY) or {})
    phone = SimulatedPhone(current_app.extensions["runtime"], look,
                           None if fresh else addresses.get(look))
    if addresses.get(look) != phone.address:
        addresses[look] = phone.address
        session[SESSION_KEY] = addresses
    return phone


def _thread(db_session: Session, phone: SimulatedPhone) -> list[Bubble]:
    """Every message of this phone's address, oldest first; a tapped button shows its label."""
    rows = db_session.scalars(
        select(Message).join(ChannelAddress, Message.channel_address_id == ChannelAddress.id)
        .where(ChannelAddress.channel == phone.channel, ChannelAddress.address == phone.address)
        .order_by(Message.id)).all()
    labels: dict[str, str] = {}
    bubbles = []
    for row in rows:
        if row.direction == "out":
            if row.status == "queued":
                continue  # not delivered to the phone yet
            buttons = list(row.options or []) if phone.look == "telegram" else []
            labels.update({b["id"]: b.get("label", b["id"]) for b in buttons})
            bubbles.append(Bubble(row.id, False, row.body, row.segments, buttons))
        else:
            body = row.body
            if body.startswith("[") and body.endswith("]") and body[1:-1] in labels:
                body = labels[body[1:-1]]
            bubbles.append(Bubble(row.id, True, body))
    return bubbles


def _case(db_session: Session, phone: SimulatedPhone) -> Case | None:
    """The latest case of this phone's contact, if the signed-in account may see it."""
    contact_id = db_session.scalar(select(ChannelAddress.contact_id).where(
        ChannelAddress.channel == phone.channel, ChannelAddress.address == phone.address))
    if contact_id is None:
        return None
    case_id = db_session.scalar(select(Case.id).where(Case.contact_id == contact_id)
                                .order_by(Case.id.desc()).limit(1))
    return domain.get_case(db_session, acting_user(db_session), case_id) if case_id else None


def _context(phone: SimulatedPhone) -> dict[str, Any]:
    with db() as db_session:
        bubbles = _thread(db_session, phone)
        case = _case(db_session, phone)
        return {
            "look": phone.look, "address": phone.address, "bubbles": bubbles,
            "last_id": bubbles[-1].id if bubbles else 0,
            "buttons": bubbles[-1].buttons if bubbles and not bubbles[-1].mine else [],
            "case_url": url_for("inbox.home.show", case_id=case.id) if case else None,
            "case_reference": case.reference if case else None,
            "look_labels": LOOK_LABELS, "max_text": MAX_TEXT,
            "poll_seconds": current_app.config.get(
                "SIMULATOR_POLL_SECONDS", current_app.config.get("INBOX_POLL_SECONDS", 10)),
        }


@blueprint.get("/simulateur")
def page() -> str:
    """The page: the look switch, the phone, its thread and the message box."""
    look = request.args.get("apparence", "sms")
    phone = _phone(look if look in LOOKS else "sms")
    phone.collect()
    return render_template("inbox/simulator/page.html", **_context(phone))


@blueprint.get("/simulateur/<look>/fil")
def thread(look: str) -> str | tuple[str, int]:
    """The thread alone, for the htmx poll: 204 (nothing to swap) when nothing is new."""
    phone = _phone(_look(look))
    received = phone.collect()
    context = _context(phone)
    known = request.args.get("dernier", "")
    if not received and known.isdigit() and int(known) == context["last_id"]:
        return "", 204
    return render_template("inbox/simulator/_thread.html", news=len(received), **context)


@blueprint.post("/simulateur/<look>/envoyer")
def send(look: str) -> str | Response:
    """Send what the person wrote, or the Telegram button they tapped; show the answers."""
    phone = _phone(_look(look))
    received: list[Received] = []
    option = request.form.get("option", "").strip()
    text = request.form.get("text", "")[:MAX_TEXT]
    if option and phone.look == "telegram":
        with db() as db_session:
            bubbles = _thread(db_session, phone)
        offered = bubbles[-1].buttons if bubbles and not bubbles[-1].mine else []
        if any(button["id"] == option for button in offered):
            phone.runtime.receive(InboundMessage(
                channel=phone.channel, address=phone.address, option_id=option,
                provider_id=secrets.token_hex(8)))
            received = phone.collect()
    elif text.strip():
        if phone.look == "telegram":  # a lone number taps that button of the last message
            with db() as db_session:
                bubbles = _thread(db_session, phone)
            phone.buttons = bubbles[-1].buttons if bubbles and not bubbles[-1].mine else []
        received = phone.send(text)
    if request.headers.get("HX-Request") != "true":
        return redirect(url_for(".page", apparence=phone.look) + "#telephone")
    return render_template("inbox/simulator/_sent.html", news=len(received), **_context(phone))


@blueprint.post("/simulateur/<look>/nouvelle")
def restart(look: str) -> Response:
    """Start a fresh conversation: a new simulated number or chat id."""
    _phone(_look(look), fresh=True)
    return redirect(url_for(".page", apparence=look))
