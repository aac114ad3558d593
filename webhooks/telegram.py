"""POST /webhooks/telegram: authenticate, parse, commit to the inbound queue, answer fast.

The Telegram SDK (for Update.de_json) is imported on the first update, so an SMS-only
web process never loads it.
"""
from __future__ import annotations

import hmac

from flask import Blueprint, current_app, jsonify, request
from flask.typing import ResponseReturnValue

from webhooks.delivery import accept

blueprint = Blueprint("telegram_webhook", __name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def authentic() -> bool:
    """The secret token we gave setWebhook, compared in constant time."""
    expected = current_app.config["SETTINGS"].telegram_webhook_secret
    given = request.headers.get(SECRET_HEADER, "")
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


@blueprint.post("/webhooks/telegram")
def update() -> ResponseReturnValue:
    if not authentic():
        return jsonify(error="forbidden"), 403
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return jsonify(error="malformed update"), 400
    from bot.channels import telegram

    try:
        parsed = telegram.parse_update(payload)
    except telegram.MalformedUpdate:
        return jsonify(error="malformed update"), 400
    if parsed is None:
        return jsonify({}), 200  # an update type we do not use
    if parsed.message is not None:
        accept(parsed.message)
    if parsed.callback_query_id:  # stops the button's spinner, in this very answer
        return jsonify(telegram.callback_answer(parsed.callback_query_id)), 200
    return jsonify({}), 200
