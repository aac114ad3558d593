"""The coordinators' web inbox: `init_inbox(app)` plugs it into the Flask app.

Every inbox area is a blueprint registered under the parent `inbox.web.blueprint`,
which requires sign-in and a CSRF token for every view of every area (see web.py).
"""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask, current_app, url_for
from flask_limiter import Limiter
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from . import auth, views, web
from .accounts import current_teams, init_login_manager
from .users_cli import cli
from .views import admin, simulator
from .views import partners as partner_pages  # not `partners`: that is inbox.partners
from .views import network as network_pages  # not `network`: that is inbox.network
from .views import outings as outing_pages  # not `outings`: that is inbox.outings

DEV_SECRET_KEY = "dev-only-change-me"
# (endpoint, label, admins only): entries whose endpoint is not registered yet are hidden.
NAVIGATION = (
    ("inbox.home.cases", "Demandes", False),
    ("inbox.partners.organisations", "Partenaires", False),
    ("inbox.network.page", "Réseau", False),
    ("inbox.outings.page", "Sorties", False),
    ("inbox.simulator.page", "Simulateur", False),
    ("inbox.admin.index", "Administration", True),
)

web.blueprint.register_blueprint(auth.blueprint)
web.blueprint.register_blueprint(views.blueprint)
web.blueprint.register_blueprint(simulator.blueprint)
web.blueprint.register_blueprint(admin.blueprint)
web.blueprint.register_blueprint(partner_pages.blueprint)
web.blueprint.register_blueprint(network_pages.blueprint)
web.blueprint.register_blueprint(outing_pages.blueprint)


def init_inbox(app: Flask) -> None:
    """Register the inbox on `app`: blueprints, sign-in, CSRF, rate limits and CLI."""
    _configure(app)
    _trust_proxies(app, app.config["SETTINGS"].trusted_proxies)
    CSRFProtect(app)
    init_login_manager(app, auth.LOGIN_ENDPOINT)
    app.register_blueprint(web.blueprint)
    from .api import init_api; init_api(app)  # /api/v1: bearer tokens, no cookie nor CSRF
    limiter = Limiter(
        key_func=auth._ip_key, app=app, key_prefix="relais-inbox", headers_enabled=True,
        storage_uri=app.config["RATELIMIT_STORAGE_URI"], in_memory_fallback_enabled=True,
    )
    auth.limit_sign_in(app, limiter, app.config["INBOX_SIGN_IN_RATE"])
    app.extensions["inbox_limiter"] = limiter
    app.context_processor(_template_context)
    app.cli.add_command(cli)


def _configure(app: Flask) -> None:
    """Cookie, CSRF and rate-limit settings (the inbox's own keys may be set by test_config)."""
    settings = app.config["SETTINGS"]
    https = settings.public_base_url.startswith("https://")
    if https and app.config["SECRET_KEY"] == DEV_SECRET_KEY and not app.testing:
        raise RuntimeError("SECRET_KEY must be set to a long random value on a public server: "
                           "with the development key anyone could forge an inbox session.")
    app.config.update({  # Flask has its own defaults for these: ours always apply
        "SESSION_COOKIE_HTTPONLY": True, "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": https,
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),  # about one working day
        # Polling pages (list, simulator) must not resend the cookie on every answer: a
        # poll could overwrite what another tab just stored. The 12 h count from sign-in.
        "SESSION_REFRESH_EACH_REQUEST": False,
    })
    defaults: dict[str, Any] = {
        "REMEMBER_COOKIE_HTTPONLY": True, "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": https, "REMEMBER_COOKIE_DURATION": timedelta(days=14),
        # Only inbox views are checked (web.py): the provider webhooks carry no CSRF token.
        "WTF_CSRF_CHECK_DEFAULT": False,
        "WTF_CSRF_TIME_LIMIT": None,  # valid as long as the session: the inbox stays open all day
        # memory:// counts per process (gunicorn workers each count): REDIS_URL shares them.
        "RATELIMIT_STORAGE_URI": settings.redis_url or "memory://",
        "INBOX_SIGN_IN_RATE": "5 per minute",  # failed sign-ins, per address and per email
    }
    for key, value in defaults.items():
        app.config.setdefault(key, value)


def _trust_proxies(app: Flask, count: int) -> None:
    """Behind `count` reverse proxies, read the client's address and scheme from their
    X-Forwarded-For/-Proto headers (sign-in limits count per real address). Without a
    proxy these headers are the client's own words: they are ignored."""
    if count > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)  # type: ignore[method-assign]


def _template_context() -> dict[str, Any]:
    """What every inbox template can use: the navigation and the signed-in account's teams."""
    return {"navigation": _navigation, "current_teams": current_teams}


def _navigation(is_admin: bool) -> list[tuple[str, str, str]]:
    """(endpoint, url, label) of the menu entries this account may see."""
    return [(endpoint, url_for(endpoint), label) for endpoint, label, admin_only in NAVIGATION
            if endpoint in current_app.view_functions and (is_admin or not admin_only)]
