"""The benchmark's databases: a fresh SQLite file on a real disk or the PostgreSQL
database `bench`, durable settings checked, migrated and seeded; what a run left there."""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

MB = 1024 * 1024


def filesystem_of(path: Path) -> str:
    """The type of the filesystem holding `path` (longest mount point in /proc/mounts)."""
    best, kind = "", "?"
    with open("/proc/mounts") as mounts:
        for line in mounts:
            _dev, mount, fstype = line.split()[:3]
            if str(path).startswith(mount) and len(mount) > len(best):
                best, kind = mount, fstype
    return kind


def fsync_cost_ms(directory: Path, count: int = 50) -> float:
    """Median time of a 4 KiB write + fdatasync in `directory`: the price of one commit."""
    path = directory / "fsync-probe"
    times = []
    with open(path, "wb") as probe:
        for _ in range(count):
            probe.write(os.urandom(4096))
            probe.flush()
            start = time.perf_counter()
            os.fdatasync(probe.fileno())
            times.append(time.perf_counter() - start)
    path.unlink()
    times.sort()
    return round(times[len(times) // 2] * 1000, 3)


def prepare_sqlite(workdir: Path, allow_tmpfs: bool) -> tuple[str, dict[str, Any]]:
    fstype = filesystem_of(workdir.resolve())
    if fstype in ("tmpfs", "ramfs") and not allow_tmpfs:
        raise SystemExit(f"{workdir} is on {fstype}: fsync would cost nothing there; "
                         "use --tmpdir on a real disk")
    import sqlite3

    from storage.db import SQLITE_PRAGMAS
    url = f"sqlite:///{workdir / 'relais.sqlite3'}"
    return url, {"kind": "sqlite", "file": str(workdir / "relais.sqlite3"), "filesystem": fstype,
                 "sqlite_version": sqlite3.sqlite_version, "pragmas": list(SQLITE_PRAGMAS)}


def prepare_postgres(url: str) -> tuple[str, dict[str, Any]]:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or name in ("test", "postgres", "template0", "template1"):
        raise SystemExit(f"refusing to drop the database {name!r}: use a database of your own")
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("the benchmark only talks to 127.0.0.1")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
        settings = {key: conn.execute(f"SHOW {key}").fetchone()[0] for key in (
            "server_version", "fsync", "synchronous_commit", "full_page_writes",
            "wal_sync_method", "shared_buffers", "max_connections")}
    if settings["fsync"] != "on" or settings["synchronous_commit"] not in ("on", "remote_apply",
                                                                           "remote_write", "local"):
        raise SystemExit(f"PostgreSQL is not durable (fsync={settings['fsync']}, "
                         f"synchronous_commit={settings['synchronous_commit']}): no benchmark")
    return url, {"kind": "postgres", "database": name, **settings}


def migrate_and_seed(url: str) -> None:
    from sqlalchemy.pool import NullPool

    from storage import migrate
    from storage.db import make_engine, make_session_factory
    from storage.seed import seed_demo

    migrate.upgrade(url)
    engine = make_engine(url, poolclass=NullPool)
    try:
        with make_session_factory(engine).begin() as session:
            seed_demo(session)
    finally:
        engine.dispose()


def check_database(url: str, acknowledged: set[str]) -> dict[str, Any]:
    """What the runs left in the database; every acknowledged MessageSid must be there."""
    from sqlalchemy import func, select
    from sqlalchemy.pool import NullPool

    from storage.db import make_engine, make_session_factory
    from storage.models import (
        Case, ChannelAddress, Contact, Conversation, InboundQueueItem, Message,
    )

    engine = make_engine(url, poolclass=NullPool)
    try:
        with make_session_factory(engine)() as session:
            count = lambda q: session.scalar(q)  # noqa: E731
            inbound = select(Message.provider_id).where(Message.direction == "in",
                                                        Message.channel == "sms")
            stored = set(session.scalars(inbound))
            stored |= set(session.scalars(select(InboundQueueItem.provider_id)))
            return {
                "contacts": count(select(func.count(Contact.id))),
                "channel_addresses": count(select(func.count(ChannelAddress.id))),
                "conversations": count(select(func.count(Conversation.id))),
                "messages_in": count(select(func.count(Message.id)).where(Message.direction == "in")),
                "messages_out_queued": count(select(func.count(Message.id)).where(
                    Message.direction == "out", Message.status == "queued")),
                "inbound_not_handled": count(select(func.count(Message.id)).where(
                    Message.direction == "in", Message.error.is_not(None))),
                "inbound_queue_left": count(select(func.count(InboundQueueItem.id))),
                "cases": count(select(func.count(Case.id))),
                "acknowledged": len(acknowledged),
                "acknowledged_missing_in_db": len(acknowledged - stored),
            }
    finally:
        engine.dispose()


def queue_pending(env: dict[str, str], flush: bool) -> int | None:
    """Tasks waiting in the benchmark's Huey queue (then emptied when `flush`)."""
    from bot.jobs import make_huey
    from bot.settings import Settings

    settings = Settings(redis_url=env.get("REDIS_URL", ""),
                        huey_sqlite_path=env.get("HUEY_SQLITE_PATH", ""))
    try:
        huey = make_huey(settings, name=env["BENCH_QUEUE_NAME"])
        pending = huey.pending_count()
        if flush:
            huey.flush()
        return pending
    except Exception as exc:  # a report, not a failure of the benchmark
        print(f"  (queue not readable: {exc})", file=sys.stderr)
        return None

