"""Timers around the steps of the SMS webhook path, for diagnosis (never for the figures).

Used by bench/breakdown.py (in-process) and by bench/app.py when BENCH_TIMINGS_DIR is set
(webhook_bench.py --timings): each gunicorn worker then writes its sums to
BENCH_TIMINGS_DIR/<pid>.json every 50 webhooks and when it exits.

The wrappers replace module attributes where webhooks/twilio.py and bot/runtime.py look
them up; nothing is changed on disk. The timers add a few microseconds per call.
"""
from __future__ import annotations

import atexit
import functools
import importlib
import json
import os
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable

TIMES: dict[str, float] = defaultdict(float)
CALLS: dict[str, int] = defaultdict(int)
NESTED: dict[str, float] = defaultdict(float)  # time of a step spent inside another step
_depth = [0]  # steps of the transaction ("  " names) running now

RECEIVE = "Runtime.receive (transaction)"
RENDERING = "  outbox: SMS rendering"
ORDER = [  # the order of the path, for the reports
    "signature (X-Twilio-Signature)", "parse_form", RECEIVE, "  _seen (replay check)",
    "  find_or_create_address", "  lock_conversation", "  handover.case_for_new_message",
    "  effects.open_case_id (x2)", "  engine.advance", "  effects.apply", "  compose",
    "  effects.open_case", "  handover.person_wrote", RENDERING,
    "  outbox.queue (incl. rendering)", "hand_off (Huey enqueue)",
    "(of which: BEGIN, lock wait included)", "(of which: COMMIT, fsync included)",
    "(of which: session flushes)", "SQL statements",
]


def timed(name: str, function: Callable[..., Any],
          after: Callable[[], None] | None = None) -> Callable[..., Any]:
    inner = name.startswith("  ")

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        nested = inner and _depth[0] > 0
        if inner:
            _depth[0] += 1
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            elapsed = time.perf_counter() - start
            if inner:
                _depth[0] -= 1
            TIMES[name] += elapsed
            CALLS[name] += 1
            if nested:
                NESTED[name] += elapsed
            if after is not None:
                after()
    return wrapper


def install(what_if_fast_split: bool = False, dump_dir: str | None = None) -> list[str]:
    """Wrap the steps; returns their names in the order of the path."""
    import sqlalchemy.engine.base
    import sqlalchemy.orm.session

    import bot.channels.sms_text
    import bot.outbox
    import bot.runtime
    import flows.engine
    import webhooks.twilio
    from bot import effects

    patches = {
        (webhooks.twilio, "signed"): "signature (X-Twilio-Signature)",
        (webhooks.twilio.sms, "parse_form"): "parse_form",
        (bot.runtime.Runtime, "receive"): RECEIVE,
        (bot.runtime.Runtime, "_seen"): "  _seen (replay check)",
        (bot.runtime, "find_or_create_address"): "  find_or_create_address",
        (bot.runtime, "lock_conversation"): "  lock_conversation",
        ("bot.handover", "case_for_new_message"): "  handover.case_for_new_message",
        (effects, "open_case_id"): "  effects.open_case_id (x2)",
        (flows.engine, "advance"): "  engine.advance",
        (effects, "apply"): "  effects.apply",
        (bot.runtime, "compose"): "  compose",
        (effects, "open_case"): "  effects.open_case",
        ("bot.handover", "person_wrote"): "  handover.person_wrote",
        (bot.outbox, "render"): RENDERING,
        (bot.outbox, "queue"): "  outbox.queue (incl. rendering)",
        (webhooks.twilio, "hand_off"): "hand_off (Huey enqueue)",
        (sqlalchemy.orm.session.Session, "flush"): "(of which: session flushes)",
        (sqlalchemy.engine.base.Connection, "_begin_impl"): "(of which: BEGIN, lock wait included)",
        (sqlalchemy.engine.base.Connection, "_commit_impl"): "(of which: COMMIT, fsync included)",
    }
    after = None
    if dump_dir:
        path = Path(dump_dir) / f"{os.getpid()}.json"

        def dump() -> None:
            path.write_text(json.dumps({"times": TIMES, "calls": CALLS, "nested": NESTED}))

        def every_50() -> None:
            if CALLS[RECEIVE] % 50 == 0:
                dump()

        after = every_50
        atexit.register(dump)
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    def count_statement(*_args: Any) -> None:
        CALLS["SQL statements"] += 1

    event.listen(Engine, "before_cursor_execute", count_statement)
    installed = ["SQL statements"]
    for (owner, attribute), name in patches.items():
        if isinstance(owner, str):  # a module that older versions of the project lack
            try:
                owner = importlib.import_module(owner)
            except ImportError:
                continue
        if not hasattr(owner, attribute):
            continue
        setattr(owner, attribute,
                timed(name, getattr(owner, attribute), after if name == RECEIVE else None))
        installed.append(name)
    if what_if_fast_split:
        sms_text = bot.channels.sms_text
        slow = sms_text._fitting_prefix

        def fitting_prefix(text: str, max_segments: int) -> int:
            if sms_text.segment_info(text).segments <= max_segments:
                return len(text)  # what the binary search finds when everything fits
            return slow(text, max_segments)

        sms_text._fitting_prefix = fitting_prefix
    return installed


def per_webhook(times: dict[str, float], calls: dict[str, int], names: list[str],
                nested: dict[str, float] | None = None) -> dict[str, dict[str, float]]:
    """Mean ms per webhook of each step, and the untimed rest of the transaction.

    A step is shown with all its time, even when it ran inside another timed step
    (open_case inside open_case_id or effects.apply); the rest counts each moment once.
    """
    nested = NESTED if nested is None else nested
    count = calls.get(RECEIVE, 0)
    if not count:
        return {}
    order = ORDER + [name for name in names if name not in ORDER]
    table = {name.strip(): {"ms": round(1000 * times[name] / count, 2), "calls": calls[name]}
             for name in order if name in times}
    if calls.get("SQL statements"):  # SQLAlchemy's, all engines (Huey's queue is not one)
        table["SQL statements"] = {"ms": None, "calls": calls["SQL statements"],
                                   "per_webhook": round(calls["SQL statements"] / count, 1)}
    inner = [k for k in times if k.startswith("  ")]
    rest = times[RECEIVE] - sum(times[k] - nested.get(k, 0.0) for k in inner)
    table["rest of the transaction (ORM, BEGIN..COMMIT)"] = {"ms": round(1000 * rest / count, 2),
                                                             "calls": count}
    return table
