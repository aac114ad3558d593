"""What every inbound webhook does once it has parsed a message: queue it, durably, and
hand it to the worker; and the job queue of this app."""
from __future__ import annotations

import logging

from flask import current_app

from bot import inbound_queue
from bot.inbound import InboundMessage
from bot.jobs import Jobs, make_huey

log = logging.getLogger(__name__)


def jobs() -> Jobs:
    """The job queue of this app (built on first use; tests give their own as JOBS)."""
    extensions = current_app.extensions
    if "jobs" not in extensions:
        settings = current_app.config["SETTINGS"]
        extensions["jobs"] = current_app.config.get("JOBS") or Jobs(
            make_huey(settings), settings, session_factory=extensions["session_factory"])
    return extensions["jobs"]


def accept(message: InboundMessage) -> None:
    """Commit the message to the inbound queue, then ask a worker to handle it.

    Once this returns, the message is on disk and the provider may be answered. A replay
    of a message still queued stores nothing. If the job cannot be enqueued, the row
    waits for the worker's sweep.
    """
    item_id = inbound_queue.store(current_app.extensions["session_factory"], message)
    if item_id is not None:
        jobs().enqueue_inbound(item_id)
