"""The header's notice on every inbox page: people waiting to talk to someone.

Rendered with each page, then refreshed by htmx polling. The poll sends the count it
shows; an unchanged count answers 204, so htmx leaves the live region alone and screen
readers announce only a change.
"""
from __future__ import annotations

from flask import current_app, render_template, request
from flask_login import current_user
from sqlalchemy.orm import Session

from inbox.cases.asking import count_asking_for_a_person
from inbox.views import blueprint
from storage.models import User


def asking_count() -> int:
    """The count for the signed-in user (0 for a visitor).

    Read outside any transaction (AUTOCOMMIT): the page being rendered may hold one, and
    on SQLite every transaction takes the write lock.
    """
    if not current_user.is_authenticated:
        return 0
    engine = current_app.extensions["session_factory"].kw["bind"]
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection, \
            Session(bind=connection) as session:
        user = session.get(User, current_user.id)
        return count_asking_for_a_person(session, user) if user is not None else 0


@blueprint.app_context_processor
def _notice_context() -> dict[str, object]:
    return {"asking_count": asking_count,
            "asking_poll_seconds": current_app.config.get("INBOX_ASKING_POLL_SECONDS", 15)}


@blueprint.get("/demandes/appels")
def asking_notice() -> tuple[str, int] | str:
    """The notice alone, for htmx; 204 when the count shown (`vu`) is still right."""
    count = asking_count()
    if request.args.get("vu") == str(count):
        return "", 204
    return render_template("inbox/_asking.html", count=count)
