#!/usr/bin/env python3
"""SQL statements per message, counted with a SQLAlchemy event: a diagnostic, not a test.

    .venv/bin/python bench/queries.py --db sqlite -n 800
    .venv/bin/python bench/queries.py --db postgres -n 800 --show 4

Plays the benchmark's conversations (bench/stream.py) in process, on one thread, through
both halves of the path: the webhook's part (bot.inbound_queue.store) and the worker's
(bot.inbound_worker.handle: Runtime.receive, effects, outbox). Prints, per step of the
conversation, the statements each half sends (BEGIN and COMMIT included) and the mean
wall time of the worker's half; --show N prints the statements of one message at step N.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


class Counter:
    """Every statement the engine sends, with BEGIN and COMMIT, while `on`."""

    def __init__(self, engine) -> None:  # noqa: ANN001
        from sqlalchemy import event

        self.statements: list[str] = []
        self.on = False
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "commit", lambda _connection: self._add("COMMIT"))
        if engine.dialect.name != "sqlite":  # SQLite's BEGIN IMMEDIATE is a statement already
            event.listen(engine, "begin", lambda _connection: self._add("BEGIN"))

    def _statement(self, _conn, _cursor, statement: str, *_args) -> None:  # noqa: ANN001
        self._add(" ".join(statement.split()))

    def _add(self, statement: str) -> None:
        if self.on:
            self.statements.append(statement)

    def take(self) -> list[str]:
        taken, self.statements = self.statements, []
        return taken


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("-n", type=int, default=800, help="messages")
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/bench")
    parser.add_argument("--show", type=int, default=0, metavar="STEP",
                        help="print the statements of one message at this step (1-8)")
    args = parser.parse_args()

    from bench.databases import migrate_and_seed, prepare_postgres, prepare_sqlite
    from bench.stream import CONVERSATION, conversation_stream
    from bot import inbound_queue, inbound_worker
    from bot.inbound import InboundMessage
    from bot.runtime import Runtime
    from storage.db import make_engine, make_session_factory

    workdir = Path(tempfile.mkdtemp(prefix="relais-queries-"))
    try:
        if args.db == "sqlite":
            url, _facts = prepare_sqlite(workdir, allow_tmpfs=False)
        else:
            url, _facts = prepare_postgres(args.pg_url)
        migrate_and_seed(url)
        engine = make_engine(url)
        session_factory = make_session_factory(engine)
        runtime = Runtime(session_factory)
        counter = Counter(engine)
        web: dict[int, list[int]] = defaultdict(list)
        worker: dict[int, list[int]] = defaultdict(list)
        worker_ms: dict[int, list[float]] = defaultdict(list)
        shown = False
        stream = conversation_stream(args.n, 64)
        warm = min(len(stream) // 4, 200)  # communes loaded, caches warm: not counted
        for number, (sender, text, step) in enumerate(stream):
            message = InboundMessage(channel="sms", address=sender, text=text,
                                     provider_id=f"SM{number:032d}")
            counter.on = number >= warm
            item_id = inbound_queue.store(session_factory, message)
            stored = len(counter.take())
            start = time.perf_counter()
            inbound_worker.handle(runtime, item_id)
            elapsed = time.perf_counter() - start
            statements = counter.take()
            if number < warm:
                continue
            web[step].append(stored)
            worker[step].append(len(statements))
            worker_ms[step].append(elapsed * 1000)
            if args.show == step + 1 and not shown:
                shown = True
                print(f"-- message {step + 1} « {text} », côté travailleur :")
                for statement in statements:
                    print("  ", statement[:160])
        engine.dispose()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    mean = lambda values: sum(values) / len(values) if values else float("nan")  # noqa: E731
    print(f"\n{args.db} : requêtes SQL par message (BEGIN et COMMIT compris), {args.n - warm} messages")
    print(f"{'étape':<16}{'webhook':>9}{'travailleur':>13}{'ms travailleur':>16}")
    for step, text in enumerate(CONVERSATION):
        print(f"{f'{step + 1}. {text}':<16}{mean(web[step]):>9.1f}{mean(worker[step]):>13.1f}"
              f"{mean(worker_ms[step]):>16.2f}")
    every = [v for values in worker.values() for v in values]
    every_ms = [v for values in worker_ms.values() for v in values]
    every_web = [v for step in worker for v in web[step]]
    print(f"{'moyenne':<16}{mean(every_web):>9.1f}{mean(every):>13.1f}{mean(every_ms):>16.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
