"""What every webhook does once a message is handled: wake the delivery of its replies."""
from __future__ import annotations

from flask import current_app

from bot.jobs import Jobs, make_huey
from bot.runtime import Handled


def jobs() -> Jobs:
    """The job queue of this app (built on first use; tests give their own as JOBS)."""
    extensions = current_app.extensions
    if "jobs" not in extensions:
        settings = current_app.config["SETTINGS"]
        extensions["jobs"] = current_app.config.get("JOBS") or Jobs(
            make_huey(settings), settings, session_factory=extensions["session_factory"])
    return extensions["jobs"]


def hand_off(handled: Handled) -> None:
    """Ask a worker to send the replies now; the minute sweep is the safety net."""
    if handled.replies:
        jobs().enqueue_delivery(handled.replies)
