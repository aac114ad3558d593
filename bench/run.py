"""One run of the benchmark on one database: server and worker up, the phases, the result."""
from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from bench.databases import (
    check_database, fsync_cost_ms, migrate_and_seed, prepare_postgres, prepare_sqlite,
    queue_pending,
)
from bench.drain import Drain, end_to_end
from bench.facts import machine_facts, source_facts
from bench.load import closed_loop, open_loop
from bench.procfs import Phase, WorkerMonitor, children_of, wait_until_idle
from bench.report import add_cpu_cost, judge, summarize
from bench.server import BotWorker, Server, free_port
from bench.stream import AUTH_TOKEN, CONVERSATION, HOST, conversation_stream, prepare, ramp_length

MB = 1024 * 1024
FOREIGN_ENV = ("DATABASE_URL", "REDIS_URL", "PUBLIC_BASE_URL", "TWILIO_AUTH_TOKEN",
               "TWILIO_ACCOUNT_SID", "SMS_SENDER", "TELEGRAM_BOT_TOKEN", "HUEY_SQLITE_PATH",
               "BENCH_QUEUE_NAME")


def environment(args: argparse.Namespace, url: str, port: int, workdir: Path) -> dict[str, str]:
    """What gunicorn and the worker are given: this run's database, queue and public URL."""
    env = {k: v for k, v in os.environ.items() if k not in FOREIGN_ENV}
    env.update(DATABASE_URL=url, TWILIO_AUTH_TOKEN=AUTH_TOKEN,
               PUBLIC_BASE_URL=f"http://{HOST}:{port}",
               BENCH_QUEUE_NAME=f"relais-bench-{uuid.uuid4().hex[:8]}", PYTHONUNBUFFERED="1")
    if args.queue == "redis":
        env["REDIS_URL"] = args.redis_url
    else:
        env["HUEY_SQLITE_PATH"] = str(workdir / "huey.sqlite3")
    return env


def run_one(db: str, args: argparse.Namespace) -> dict[str, Any]:
    facts = machine_facts()  # before the run: the load average says if the machine was idle
    workdir = Path(tempfile.mkdtemp(prefix=f"relais-bench-{db}-", dir=args.tmpdir))
    server: Server | None = None
    worker: BotWorker | None = None
    env: dict[str, str] = {}
    try:
        if db == "sqlite":
            url, db_facts = prepare_sqlite(workdir, args.allow_tmpfs)
        else:
            url, db_facts = prepare_postgres(args.pg_url)
        db_facts["fsync_probe_ms"] = fsync_cost_ms(workdir)
        print(f"[{db}] base prête : {db_facts}", flush=True)
        migrate_and_seed(url)
        port = args.port or free_port()
        env = environment(args, url, port, workdir)
        queue_pending(env, flush=False)  # creates the SQLite queue's tables before the workers

        warmup = max(args.warmup, ramp_length(args.lanes))
        per_rate = [int(rate * args.duration) for rate in args.rates]
        prepared = prepare(port, conversation_stream(warmup + args.n + sum(per_rate), args.lanes))
        warm, throughput = prepared[:warmup], prepared[warmup:warmup + args.n]
        paced_sets, at = [], warmup + args.n
        for count in per_rate:
            paced_sets.append(prepared[at:at + count])
            at += count

        facts["busy_pct_before"] = wait_until_idle(args.idle_wait)
        server = Server(port, args.workers, env, workdir)
        server.start()
        worker = BotWorker(env, workdir)
        worker_pid = worker.start()
        print(f"[{db}] gunicorn prêt sur {HOST}:{port} (maître {server.proc.pid}, "
              f"workers {children_of(server.proc.pid)}), travailleur {worker_pid}", flush=True)
        monitor = WorkerMonitor(server.proc.pid, worker_pid)
        monitor.start()
        drain = Drain(url)
        phases: dict[str, Any] = {}
        try:
            # Warm-up: both routes, every process imported and connected (not reported),
            # and the worker has handled it all (the communes are loaded).
            closed_loop(port, [p.bare for p in warm], args.concurrency, args.timeout, 60)
            warm_out, _ = closed_loop(port, [p.webhook for p in warm], 1, args.timeout, 300)
            warm_summary = summarize(warm_out, 1, [p.sid for p in warm])
            drain.wait_empty(args.drain_timeout)

            with Phase(monitor, "bare") as phase:
                out, elapsed = closed_loop(port, [p.bare for p in throughput], args.concurrency,
                                           args.timeout, args.max_phase_seconds)
            phases["bare"] = {**summarize(out, elapsed), "cpu": phase.cpu}
            add_cpu_cost(phases["bare"])
            print(f"[{db}] bare : {phases['bare']['rps']} req/s", flush=True)

            def webhooks(name: str, sent: list, send: Any, **extra: Any) -> None:
                if args.worker == "after":  # the acknowledging path alone, then the drain
                    worker.stop()
                started_at = time.time()
                with Phase(monitor, name) as phase:
                    out, elapsed = send([p.webhook for p in sent])
                if args.worker == "after":
                    monitor.bot_worker = worker.start()
                sids = [p.sid for p in sent]
                phases[name] = {**summarize(out, elapsed, sids, [p.step for p in sent]), **extra,
                                "cpu": phase.cpu}
                add_cpu_cost(phases[name])
                with Phase(monitor, f"{name}-drain") as phase:
                    phases[name]["end_to_end"] = end_to_end(drain, out, sids, started_at,
                                                            args.drain_timeout)
                phases[name]["end_to_end"]["drain_cpu"] = phase.cpu
                e2e = phases[name]["end_to_end"]
                print(f"[{db}] {name} : {phases[name]['rps']} req/s acquittées, "
                      f"p99 {phases[name]['latency_ms']['p99']} ms ; traitées {e2e['handled_per_s']}/s, "
                      f"dernière réponse en file à +{e2e['last_reply_queued_after_start_s']} s",
                      flush=True)

            webhooks("webhook", throughput, lambda requests: closed_loop(
                port, requests, args.concurrency, args.timeout, args.max_phase_seconds))
            # The first rate is the target's; the others show where the latency stands.
            for number, (rate, paced) in enumerate(zip(args.rates, paced_sets)):
                webhooks("paced" if number == 0 else f"paced_{rate:g}", paced,
                         lambda requests, rate=rate: open_loop(port, requests, rate, args.timeout,
                                                               args.senders), rate=rate)
        finally:
            drain.close()
            monitor.stop()
            worker.stop()
            server.stop()

        acknowledged = set(warm_summary.pop("acknowledged_sids"))
        for name in [n for n in phases if n != "bare"]:
            acknowledged |= set(phases[name].pop("acknowledged_sids"))
        steps = [p.step for p in prepared]
        result: dict[str, Any] = {
            "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "command": os.environ.get("BENCH_COMMAND") or " ".join(
                ["python", "bench/webhook_bench.py", *sys.argv[1:]]),
            "source": source_facts(),
            "machine": facts,
            "database": db_facts,
            "server": {"command": " ".join(server.command[2:]), "workers": args.workers,
                       "worker_class": "sync", "bot_worker": "python -m bench.worker (2 threads)",
                       "bot_worker_runs": "along the webhooks" if args.worker == "along"
                       else "after each webhook phase",
                       "queue": "redis" if args.queue == "redis" else "huey sqlite (temp dir)"},
            "load": {"n": args.n, "concurrency": args.concurrency, "rates": args.rates,
                     "duration_s": args.duration, "warmup": warmup, "lanes": args.lanes,
                     "open_loop_senders": args.senders,
                     "distinct_senders": len({p.sender for p in prepared}),
                     "messages_per_step": {CONVERSATION[i] + f"#{i + 1}": steps.count(i)
                                           for i in range(len(CONVERSATION))}},
            "warmup_non_2xx": warm_summary["non_2xx_total"],
            "warmup_locked": warm_summary["bodies_with_locked"],
            "phases": phases,
            "memory_mb": {
                "workers": {str(pid): {"peak_VmHWM": round(v["VmHWM"] / MB, 1),
                                       "peak_VmRSS": round(v["VmRSS"] / MB, 1)}
                            for pid, v in sorted(monitor.workers.items())},
                "bot_worker": {"peak_VmHWM": round(monitor.bot_worker_peak["VmHWM"] / MB, 1),
                               "peak_VmRSS": round(monitor.bot_worker_peak["VmRSS"] / MB, 1)},
                "peak_rss_by_phase": {k: round(v / MB, 1) for k, v in monitor.phase_peak_rss.items()},
                "pss_after_phase": {phase: {str(pid): round(v / MB, 1) for pid, v in pss.items()}
                                    for phase, pss in monitor.pss_after_phase.items()},
                "samples": monitor.samples,
            },
            "server_log": server.log_counts(),
            "worker_log": worker.log_counts(),
            "queue_pending_tasks": queue_pending(env, flush=args.queue == "redis"),
            "database_after": check_database(url, acknowledged),
        }
        # A case is created by the 8th answer ("oui" to the summary) of each conversation.
        result["database_after"]["cases_expected"] = sum(
            1 for p in prepared if p.step == len(CONVERSATION) - 1 and p.sid in acknowledged)
        result["targets"] = judge(result)
        return result
    except BaseException:
        for process in (server, worker):
            if process is not None:
                print(f"--- fin du journal {process.log_path.name} ---\n{process.log_tail()}",
                      file=sys.stderr)
        raise
    finally:
        for process in (worker, server):
            if process is not None:
                process.stop()
        if args.queue == "redis" and env:
            queue_pending(env, flush=True)
        if args.keep:
            print(f"[{db}] dossier gardé : {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
