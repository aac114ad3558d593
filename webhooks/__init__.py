"""The Flask application factory: the web process of Relais Mobilité."""
from __future__ import annotations

import logging
from typing import Any

from flask import Flask, request

from bot.runtime import Runtime
from bot.settings import Settings
from storage.db import database_url, make_engine, make_session_factory

MAX_BODY_BYTES = 128 * 1024  # provider payloads are a few KB; anything bigger is refused (413)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app; `test_config` overrides the environment (DATABASE_URL, SETTINGS…)."""
    app = Flask(__name__)
    settings = Settings.from_env()
    app.config.from_mapping(
        SECRET_KEY=settings.secret_key, DATABASE_URL=database_url(), SETTINGS=settings,
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
    )
    if test_config:
        app.config.update(test_config)
    session_factory = make_session_factory(make_engine(app.config["DATABASE_URL"]))
    app.extensions["session_factory"] = session_factory
    app.extensions["runtime"] = Runtime(
        session_factory, reopen_closed_cases=app.config["SETTINGS"].reopen_closed_cases,
        service=app.config["SETTINGS"].service_contact())
    logging.basicConfig(level=logging.INFO)

    from inbox import init_inbox
    from webhooks import health, telegram, twilio, twilio_voice

    app.register_blueprint(health.blueprint)
    app.register_blueprint(telegram.blueprint)
    app.register_blueprint(twilio.blueprint)
    app.register_blueprint(twilio_voice.blueprint)
    init_inbox(app)
    providers = {health.blueprint.name, telegram.blueprint.name, twilio.blueprint.name,
                 twilio_voice.blueprint.name}
    # The inbox's rate limits are for people signing in; the providers' calls are signed
    # and idempotent, and a limit there would only make them retry: not even looked up.
    app.extensions["inbox_limiter"].request_filter(lambda: request.blueprint in providers)
    return app
