"""The Flask application factory: the web process of Relais Mobilité."""
from __future__ import annotations

import os
from typing import Any

from flask import Flask

from storage.db import database_url, make_engine, make_session_factory


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app; `test_config` overrides the environment (DATABASE_URL…)."""
    app = Flask(__name__)
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("SECRET_KEY", "dev-only-change-me"),
        DATABASE_URL=database_url(),
        MAX_CONTENT_LENGTH=256 * 1024,
    )
    if test_config:
        app.config.update(test_config)
    app.extensions["session_factory"] = make_session_factory(make_engine(app.config["DATABASE_URL"]))

    from webhooks import health

    app.register_blueprint(health.blueprint)
    return app
