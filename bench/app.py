"""WSGI module of the benchmark: the real app plus a bare endpoint, in one gunicorn server.

    gunicorn --workers 2 --bind 127.0.0.1:PORT bench.app:app

`app` is exactly what webhooks.wsgi serves (create_app(), configured by the environment:
DATABASE_URL, TWILIO_AUTH_TOKEN, PUBLIC_BASE_URL, REDIS_URL…), with two additions:

- POST /bench/bare answers the same empty TwiML as the SMS webhook without reading the
  form, checking a signature or touching a database: the ceiling of Flask + gunicorn on
  this machine, measured in the same server as the real path.
- The Huey queue can be moved out of the repository: bot.jobs.make_huey always puts the
  embedded SQLite queue in instance/huey.sqlite3 (no environment variable for it), so when
  BENCH_HUEY_FILE is set, the app gets its own Jobs (the documented JOBS config key, as the
  tests do) on that file. BENCH_QUEUE_NAME names the Huey queue (for a Redis queue: keeps
  the benchmark's tasks apart from anyone else's). No consumer runs: enqueuing the
  "deliver now" task is part of the webhook path, sending is not.
- BENCH_TIMINGS_DIR (webhook_bench.py --timings, a diagnosis run): timers around the
  steps of the webhook (bench/timings.py), written per worker to that directory.
"""
from __future__ import annotations

import os
from pathlib import Path

from flask import Response

from bot.channels.sms import twiml_empty
from bot.jobs import Jobs, make_huey
from webhooks import create_app

if os.environ.get("BENCH_TIMINGS_DIR"):  # diagnosis only (webhook_bench.py --timings)
    from bench import timings

    timings.install(dump_dir=os.environ["BENCH_TIMINGS_DIR"])

BARE_TWIML = twiml_empty()  # computed once: the bare route does no work per request

app = create_app()

_settings = app.config["SETTINGS"]
_huey_file = os.environ.get("BENCH_HUEY_FILE", "").strip()
_queue_name = os.environ.get("BENCH_QUEUE_NAME", "").strip() or "relais"
if _huey_file or _queue_name != "relais":
    app.config["JOBS"] = Jobs(
        make_huey(_settings, name=_queue_name, filename=Path(_huey_file) if _huey_file else None),
        _settings, session_factory=app.extensions["session_factory"])


@app.post("/bench/bare")
def bare() -> Response:
    """The same answer as POST /webhooks/twilio/sms, with none of its work."""
    return Response(BARE_TWIML, mimetype="text/xml")
