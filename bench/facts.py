"""Facts a result carries: the machine, the code measured; and measuring a commit."""
from __future__ import annotations

import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
MB = 1024 * 1024


def machine_facts() -> dict[str, Any]:
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    from importlib.metadata import version
    with open("/proc/meminfo") as meminfo:
        mem_kb = int(meminfo.readline().split()[1])
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory_gb": round(mem_kb / MB, 1),
            "kernel": platform.release(), "python": platform.python_version(),
            "gunicorn": version("gunicorn"), "flask": version("flask"),
            "sqlalchemy": version("sqlalchemy"), "psycopg": version("psycopg"),
            "huey": version("huey"), "loadavg_before": os.getloadavg()}


def source_facts() -> dict[str, Any]:
    """Which code was measured: the commit, and the files changed since (if any)."""
    if os.environ.get("BENCH_SOURCE"):
        return json.loads(os.environ["BENCH_SOURCE"])
    try:
        commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"], check=True,
                                capture_output=True, text=True).stdout.strip()
        changed = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain"], check=True,
                                 capture_output=True, text=True).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):
        return {"commit": None, "note": "not a git checkout"}
    return {"commit": commit, "tree": "working tree",
            "changed_files": [line for line in changed if not line[3:].startswith("bench/")]}


def run_from_snapshot(revision: str, argv: list[str]) -> int:
    """Run this script in a copy of `revision` (git archive) with today's bench/ on top.

    For measuring committed code while the working tree is being edited: the copy has
    the committed project files and this directory's bench/ scripts, nothing else.
    """
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--verify", revision + "^{commit}"],
                            check=True, capture_output=True, text=True).stdout.strip()
    snapshot = Path(tempfile.mkdtemp(prefix="relais-bench-src-"))
    try:
        archive = subprocess.Popen(["git", "-C", str(REPO), "archive", commit],
                                   stdout=subprocess.PIPE)
        subprocess.run(["tar", "-x", "-C", str(snapshot)], stdin=archive.stdout, check=True)
        archive.stdout.close()
        if archive.wait() != 0:
            raise SystemExit(f"git archive {revision} failed")
        shutil.rmtree(snapshot / "bench", ignore_errors=True)
        shutil.copytree(REPO / "bench", snapshot / "bench",
                        ignore=shutil.ignore_patterns("results", "__pycache__"))
        env = dict(os.environ, BENCH_SOURCE=json.dumps(
            {"commit": commit, "tree": f"git archive {revision} + bench/ of the working tree"}))
        child = subprocess.Popen([sys.executable, str(snapshot / "bench" / "webhook_bench.py"),
                                  *argv], env=env)
        try:
            return child.wait()
        except BaseException:
            child.send_signal(signal.SIGTERM)  # it stops its own gunicorn
            child.wait(60)
            raise
    finally:
        shutil.rmtree(snapshot, ignore_errors=True)
