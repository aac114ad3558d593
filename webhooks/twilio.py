"""POST /webhooks/twilio/sms and /webhooks/twilio/status: signed by Twilio, answered fast.

An SMS is committed to the inbound queue and answered; the worker handles it.
"""
from __future__ import annotations

import functools

from flask import Blueprint, Response, current_app, jsonify, request
from flask.typing import ResponseReturnValue

from bot.channels import sms
from bot.delivery_status import record_status
from storage.models import utcnow
from webhooks.delivery import accept

blueprint = Blueprint("twilio_webhook", __name__)


def public_url() -> str:
    """The URL Twilio called, as seen from outside (behind a proxy or TLS terminator)."""
    base = current_app.config["SETTINGS"].public_base_url
    if not base:
        return request.url
    query = request.query_string.decode("latin-1")
    return base + request.path + (f"?{query}" if query else "")


def signed() -> bool:
    settings = current_app.config["SETTINGS"]
    signature = request.headers.get("X-Twilio-Signature", "")
    if not settings.twilio_auth_token or not signature:
        return False
    form = request.form.to_dict(flat=True)
    return sms.signature_is_valid(settings.twilio_auth_token, public_url(), form, signature)


def twiml() -> Response:
    return Response(_empty_twiml(), mimetype="text/xml")


@functools.cache
def _empty_twiml() -> str:
    """The same few bytes every time: rendered once."""
    return sms.twiml_empty()


@blueprint.post("/webhooks/twilio/sms")
def inbound_sms() -> ResponseReturnValue:
    if not signed():
        return jsonify(error="forbidden"), 403
    try:
        message = sms.parse_form(request.form.to_dict(flat=True))
    except sms.MalformedSms:
        return jsonify(error="malformed message"), 400
    accept(message)
    return twiml()


@blueprint.post("/webhooks/twilio/status")
def status_callback() -> ResponseReturnValue:
    if not signed():
        return jsonify(error="forbidden"), 403
    form = request.form
    sid, status = form.get("MessageSid"), form.get("MessageStatus")
    if not sid or not status:
        return jsonify(error="malformed status"), 400
    record_status(current_app.extensions["session_factory"], "sms", sid,
                  status.lower(), form.get("ErrorCode") or None, utcnow())
    return twiml()
