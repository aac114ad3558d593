#!/usr/bin/env python3
"""Benchmark of the Twilio SMS webhook served by gunicorn, against a bare Flask endpoint,
and of the worker that handles what the webhook queued.

    .venv/bin/python bench/webhook_bench.py --db both -n 2000 --rate 100,50,25

(bench/README.md, in French, has the command used for the published results and the
results themselves.) For each database (a SQLite file in a temporary directory on a real
disk, or the PostgreSQL database `bench`, dropped and recreated), bench/run.py:

1. prepares a fresh database: storage.migrate.upgrade(url), storage.seed.seed_demo;
   refuses a tmpfs directory or a PostgreSQL with fsync or synchronous_commit off
   (bench/databases.py);
2. starts `gunicorn --workers 2 --bind 127.0.0.1:PORT bench.app:app` (sync workers, as in
   the Procfile) with DATABASE_URL, TWILIO_AUTH_TOKEN, PUBLIC_BASE_URL=http://127.0.0.1:PORT
   and the Huey queue in the temporary directory (HUEY_SQLITE_PATH), and the bot worker
   on the same queue (bench/worker.py, the Procfile's `worker`) (bench/server.py);
3. pre-builds signed Twilio form bodies: distinct MessageSid, fiction-range French mobile
   numbers (+33 6 39 98 xx xx) each going through the resident conversation
   Bonjour / oui / 1 / 2 / Sarcelles / 1 / 1 / oui (the last one creates a case);
   the first of them, sent one at a time, are the warm-up (bench/stream.py);
4. phase 1 (throughput): a closed loop of C concurrent clients on POST /bench/bare, then
   on POST /webhooks/twilio/sms; phase 2 (latency): an open-loop sender at a fixed rate
   (100/s for 20 s by default; more rates after a comma are measured too, the first one
   is judged) on the webhook, latency counted from the planned send time (bench/load.py);
5. after each webhook phase, waits for the worker to empty the inbound queue and reports
   the messages handled per second end to end, the time until the last reply was queued
   and each message's wait between acknowledgement and handling (bench/drain.py);
6. samples the gunicorn workers' and the bot worker's VmHWM / VmRSS all along, and the
   web workers' PSS after each phase; accounts the CPU of the web workers, of the bot
   worker, of this client, of PostgreSQL and of everything else (other processes share
   the machine: a phase where they took 0.25 core or more is marked "disturbed";
   --retries runs again) (bench/procfs.py);
7. counts every non-2xx answer, every body containing "locked", every transport error,
   and the logs' tracebacks; checks afterwards that every acknowledged MessageSid is in
   the database and that every finished conversation made its case;
8. writes bench/results/<date>-<db>[-tag].json and prints a table with the targets
   (bench/report.py).

--snapshot REV measures the committed code of REV in a temporary copy (git archive) with
this bench/ directory on top, for when the working tree is being edited.

The client runs on the same 2-core machine as the server: its CPU is measured and
reported. Only 127.0.0.1 is ever contacted. gunicorn and the worker are stopped (their
own process groups) on every exit path, including Ctrl-C and SIGTERM; every loop and
wait is bounded.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import signal
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.facts import run_from_snapshot  # noqa: E402  (after sys.path)
from bench.procfs import DISTURBED_CORES  # noqa: E402
from bench.report import disturbance, print_table  # noqa: E402
from bench.run import run_one  # noqa: E402

DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/bench"


def _interrupt(_signum: int, _frame: Any) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("-n", type=int, default=2000, help="requests per throughput phase")
    parser.add_argument("-c", "--concurrency", type=int, default=8,
                        help="closed-loop clients (phase 1)")
    parser.add_argument("--rate", default="100",
                        help="requests/s in phase 2; more rates after a comma (100,50,25) are "
                             "measured too, the first is the one judged")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of phase 2")
    parser.add_argument("--warmup", type=int, default=0,
                        help="webhooks before measuring (at least the lanes' ramp-up)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--queue", choices=("sqlite", "redis"), default="sqlite",
                        help="Huey storage: embedded SQLite file (default) or Redis")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument("--lanes", type=int, default=64, help="conversations in parallel")
    parser.add_argument("--senders", type=int, default=32, help="threads of the open loop")
    parser.add_argument("--timeout", type=float, default=30.0, help="per request, seconds")
    parser.add_argument("--max-phase-seconds", type=float, default=180.0)
    parser.add_argument("--tmpdir", default=None, help="where the SQLite files go (real disk)")
    parser.add_argument("--allow-tmpfs", action="store_true")
    parser.add_argument("--idle-wait", type=float, default=120.0,
                        help="seconds to wait at most for a nearly idle machine before starting")
    parser.add_argument("--retries", type=int, default=0,
                        help="runs again (fresh database) when other processes disturbed a "
                             "judged phase; the least disturbed run is kept")
    parser.add_argument("--tag", default="", help="suffix of the result file name")
    parser.add_argument("--out", default=str(REPO / "bench" / "results"))
    parser.add_argument("--worker", choices=("along", "after"), default="along",
                        help="the bot worker runs along the webhooks (as in production), or "
                             "is stopped during each webhook phase and drains afterwards")
    parser.add_argument("--drain-timeout", type=float, default=300.0,
                        help="seconds to wait at most for the worker to empty the inbound queue")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (logs, files)")
    parser.add_argument("--snapshot", metavar="REV", default=None,
                        help="measure the committed code of REV (e.g. HEAD) in a temporary "
                             "copy, not the working tree")
    args = parser.parse_args(argv)
    # SIGTERM ends the run like Ctrl-C: the `finally` blocks stop gunicorn (or the child
    # run of --snapshot, which then stops its own).
    signal.signal(signal.SIGTERM, _interrupt)
    if args.snapshot:
        rest = list(sys.argv[1:] if argv is None else argv)
        at = next(i for i, a in enumerate(rest) if a.startswith("--snapshot"))
        del rest[at:at + (1 if "=" in rest[at] else 2)]
        os.environ["BENCH_COMMAND"] = " ".join(["python", "bench/webhook_bench.py",
                                                *(sys.argv[1:] if argv is None else argv)])
        out = Path(args.out).resolve()
        return run_from_snapshot(args.snapshot, [*rest, "--out", str(out)])
    try:
        args.rates = [float(rate) for rate in args.rate.split(",")]
    except ValueError:
        parser.error("--rate: numbers separated by commas")
    if args.n < 1 or min(args.rates) <= 0 or args.duration <= 0 or args.concurrency < 1:
        parser.error("n, rate, duration and concurrency must be positive")
    if urlsplit(args.redis_url).hostname not in ("127.0.0.1", "localhost"):
        parser.error("the benchmark only talks to 127.0.0.1")

    databases = ("sqlite", "postgres") if args.db == "both" else (args.db,)
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    failed = False
    for db in databases:
        result = run_one(db, args)
        for attempt in range(args.retries):
            if disturbance(result) < DISTURBED_CORES:
                break
            print(f"[{db}] mesures perturbées par d'autres processus "
                  f"({disturbance(result)} cœur) : nouvel essai {attempt + 2}", flush=True)
            again = run_one(db, args)
            again["attempts"] = attempt + 2
            if disturbance(again) < disturbance(result):
                result = again
        print_table(result)
        suffix = "".join(f"-{part}" for part in (args.tag,) if part)
        path = out_dir / f"{dt.date.today().isoformat()}-{db}{suffix}.json"
        path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
        print(f"résultat écrit : {path.relative_to(REPO) if path.is_relative_to(REPO) else path}")
        failed |= not all(t["met"] for t in result["targets"].values())
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("interrompu : gunicorn arrêté, fichiers temporaires supprimés", file=sys.stderr)
        sys.exit(130)
