"""POST /webhooks/twilio/voice and its follow-ups: signed by Twilio, answered with TwiML.

    /webhooks/twilio/voice             a call comes in (the number's "A call comes in")
    /webhooks/twilio/voice/choice      the key pressed, or none (?attempt=1, 2)
    /webhooks/twilio/voice/recorded    the message is over: thank and hang up
    /webhooks/twilio/voice/recording   the recording's status (started, kept, absent)
    /webhooks/twilio/voice/status      the call's status (the number's "Call status changes")
"""
from __future__ import annotations

from flask import Blueprint, Response, current_app, g, jsonify, request, url_for
from flask.typing import ResponseReturnValue

from bot.calls import VoiceLine
from bot.channels import voice
from webhooks.delivery import accept
from webhooks.twilio import signed

blueprint = Blueprint("twilio_voice", __name__)


def twiml(body: str) -> Response:
    return Response(body, mimetype="text/xml")


def line() -> VoiceLine:
    return VoiceLine(current_app.extensions["session_factory"])


def link(endpoint: str, **params: object) -> str:
    """The URL Twilio is to call next: public when PUBLIC_BASE_URL is set (it is signed)."""
    return current_app.config["SETTINGS"].public_base_url + url_for(endpoint, **params)


@blueprint.before_request
def authenticate() -> ResponseReturnValue | None:
    """Every voice request is signed, exactly as the SMS ones, and names its call (g.call)."""
    if not signed():
        return jsonify(error="forbidden"), 403
    try:
        g.call = voice.parse_call(request.form.to_dict(flat=True))
    except voice.MalformedCall:
        return jsonify(error="malformed call"), 400
    return None


@blueprint.post("/webhooks/twilio/voice")
def incoming() -> ResponseReturnValue:
    line().incoming(g.call)
    return twiml(voice.menu(link(".choice", attempt=1)))


@blueprint.post("/webhooks/twilio/voice/choice")
def choice() -> ResponseReturnValue:
    attempt = max(1, request.args.get("attempt", 1, type=int) or 1)
    step = line().choose(g.call, attempt)
    if step.start_sms is not None:
        accept(step.start_sms)  # the SMS conversation starts like a text the person sent
    return twiml(voice.after_choice(step.say, again_url=link(".choice", attempt=attempt + 1),
                                    done_url=link(".recorded"), status_url=link(".recording")))


@blueprint.post("/webhooks/twilio/voice/recorded")
def recorded() -> ResponseReturnValue:
    return twiml(voice.goodbye("thanks"))


@blueprint.post("/webhooks/twilio/voice/recording")
def recording() -> ResponseReturnValue:
    line().recording(g.call)
    return twiml(voice.empty())


@blueprint.post("/webhooks/twilio/voice/status")
def status() -> ResponseReturnValue:
    line().ended(g.call)
    return twiml(voice.empty())
