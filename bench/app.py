"""WSGI module of the benchmark: the real app plus a bare endpoint, in one gunicorn server.

    gunicorn --workers 2 --bind 127.0.0.1:PORT bench.app:app

`app` is exactly what webhooks.wsgi serves (create_app(), configured by the environment:
DATABASE_URL, TWILIO_AUTH_TOKEN, PUBLIC_BASE_URL, HUEY_SQLITE_PATH, REDIS_URL…), with two
additions:

- POST /bench/bare answers the same empty TwiML as the SMS webhook without reading the
  form, checking a signature or touching a database: the ceiling of Flask + gunicorn on
  this machine, measured in the same server as the real path.
- BENCH_QUEUE_NAME names the Huey queue (the app gets its own Jobs, through the
  documented JOBS config key, as the tests do), so that on a shared Redis the benchmark's
  tasks stay apart from anyone else's; bench/worker.py consumes the same queue.
"""
from __future__ import annotations

import os

from flask import Response

from bot.channels.sms import twiml_empty
from bot.jobs import Jobs, make_huey
from webhooks import create_app

BARE_TWIML = twiml_empty()  # computed once: the bare route does no work per request

app = create_app()

_settings = app.config["SETTINGS"]
_queue_name = os.environ.get("BENCH_QUEUE_NAME", "").strip() or "relais"
if _queue_name != "relais":
    app.config["JOBS"] = Jobs(make_huey(_settings, name=_queue_name), _settings,
                              session_factory=app.extensions["session_factory"])


@app.post("/bench/bare")
def bare() -> Response:
    """The same answer as POST /webhooks/twilio/sms, with none of its work."""
    return Response(BARE_TWIML, mimetype="text/xml")
