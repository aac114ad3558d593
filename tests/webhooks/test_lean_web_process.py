"""The web process stays small: an SMS webhook loads neither the Telegram SDK, nor the
delivery machinery, nor the holiday calendar, nor the communes (the worker does)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
WORKER_ONLY = ["telegram", "holidays", "bot.delivery", "bot.reminders",
               "bot.inbound_worker"]

PROGRAM = """
import json, sys
from huey import MemoryHuey
from bot.jobs import Jobs
from bot.settings import Settings
from storage.migrate import upgrade
from tests.fakes.twilio_payloads import inbound_sms, sign
from webhooks import create_app

url = sys.argv[1]
upgrade(url)
settings = Settings(twilio_auth_token="tok", public_base_url="https://relais.example.fr")
jobs = Jobs(MemoryHuey("held"), settings)  # jobs held: this process only enqueues
app = create_app({"TESTING": True, "DATABASE_URL": url, "SETTINGS": settings, "JOBS": jobs})
form = inbound_sms("+33639981234", "+33700000000", "Sarcelles")
answer = app.test_client().post("/webhooks/twilio/sms", data=form, headers={
    "X-Twilio-Signature": sign("tok", "https://relais.example.fr/webhooks/twilio/sms", form)})
from flows.communes import default_gazetteer
print(json.dumps({"status": answer.status_code, "jobs": len(jobs.huey.pending()),
                  "loaded": sorted(m for m in sys.argv[2:] if m in sys.modules),
                  "communes_loaded": default_gazetteer.cache_info().currsize}))
"""


def test_an_sms_webhook_loads_only_what_the_web_path_needs(tmp_path):
    url = f"sqlite:///{tmp_path / 'relais.sqlite3'}"
    run = subprocess.run([sys.executable, "-c", PROGRAM, url, *WORKER_ONLY], cwd=REPO,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen == {"status": 200, "jobs": 1, "loaded": [], "communes_loaded": 0}
