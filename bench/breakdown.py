#!/usr/bin/env python3
"""Where the time of one SMS webhook goes: the messages of webhook_bench.py posted
in-process (Flask test client, one thread, no gunicorn, no network, no other writer),
with a timer around each step of the path (bench/timings.py). A diagnostic to read next
to the benchmark, not a benchmark.

    .venv/bin/python bench/breakdown.py --db sqlite -n 1000
    .venv/bin/python bench/breakdown.py --db postgres -n 1000
    .venv/bin/python bench/breakdown.py --db sqlite -n 1000 --what-if-fast-split

Times are wall-clock means per webhook, in ms. "rest of the transaction" is
Runtime.receive minus the timed steps inside it (SQLAlchemy's bookkeeping, lazy loads,
the final flush, BEGIN and COMMIT). Lines "(of which: …)" overlap the others.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def rss_mb() -> tuple[float, float]:
    values = {}
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(("VmRSS:", "VmHWM:")):
                name, amount, _ = line.split()
                values[name[:-1]] = int(amount) / 1024
    return round(values["VmRSS"], 1), round(values["VmHWM"], 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("-n", type=int, default=1000)
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/bench")
    parser.add_argument("--what-if-fast-split", action="store_true",
                        help="bot.channels.sms_text._fitting_prefix with a fast path (the "
                             "whole text when it fits): same result, one measure")
    args = parser.parse_args()

    from bench import timings
    from bench import webhook_bench as wb

    workdir = Path(tempfile.mkdtemp(prefix="relais-breakdown-"))
    try:
        if args.db == "sqlite":
            url, _facts = wb.prepare_sqlite(workdir, allow_tmpfs=False)
        else:
            url, _facts = wb.prepare_postgres(args.pg_url)
        wb.migrate_and_seed(url)
        os.environ.update(DATABASE_URL=url, TWILIO_AUTH_TOKEN=wb.AUTH_TOKEN,
                          PUBLIC_BASE_URL="http://127.0.0.1:5000",
                          BENCH_HUEY_FILE=str(workdir / "huey.sqlite3"),
                          BENCH_QUEUE_NAME="relais-breakdown")
        os.environ.pop("REDIS_URL", None)
        os.environ.pop("BENCH_TIMINGS_DIR", None)
        names = timings.install(what_if_fast_split=args.what_if_fast_split)
        if args.what_if_fast_split:
            print("hypothèse : _fitting_prefix avec raccourci (texte entier s'il tient)")

        from bench.app import app
        from tests.fakes.twilio_payloads import inbound_sms, sign

        client = app.test_client()
        signed_url = "http://127.0.0.1:5000" + wb.SMS_PATH
        forms = []
        for sender, text, _step in wb.conversation_stream(args.n, 64):
            form = inbound_sms(sender, wb.SMS_NUMBER, text)
            forms.append((form, sign(wb.AUTH_TOKEN, signed_url, form)))
        # The first messages load what is loaded lazily (communes…): not counted.
        warm = min(len(forms) // 4, 300)
        for form, signature in forms[:warm]:
            client.post(wb.SMS_PATH, data=form, headers={"X-Twilio-Signature": signature})
        timings.TIMES.clear()
        timings.CALLS.clear()
        total = 0.0
        for form, signature in forms[warm:]:
            start = time.perf_counter()
            answer = client.post(wb.SMS_PATH, data=form, headers={"X-Twilio-Signature": signature})
            total += time.perf_counter() - start
            assert answer.status_code == 200, answer.status_code
        count = len(forms) - warm
        print(f"\n{count} webhooks mesurés ({args.db}), {count / total:.1f}/s sur un fil")
        print(f"{'étape':<48}{'ms/webhook':>11}{'appels':>8}")
        print(f"{'total (test client Flask compris)':<48}{1000 * total / count:>11.2f}")
        for name, row in timings.per_webhook(timings.TIMES, timings.CALLS, names).items():
            if row["ms"] is None:
                print(f"{name + ' (par webhook)':<48}{row['per_webhook']:>11}{row['calls']:>8}")
                continue
            indent = "  " if name in {n.strip() for n in names if n.startswith("  ")} else ""
            print(f"{indent + name:<48}{row['ms']:>11.2f}{row['calls']:>8}")
        print(f"mémoire de ce processus à la fin : RSS/HWM {rss_mb()} Mo "
              "(il a aussi importé Alembic pour migrer)")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
