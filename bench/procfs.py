"""The server's processes seen from /proc: memory, CPU, and the machine's other load."""
from __future__ import annotations

import os
import resource
import threading
import time
from typing import Any

DISTURBED_CORES = 0.25  # CPU taken by processes foreign to the benchmark during a phase


def proc_status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM in bytes (empty if the process is gone)."""
    values = {}
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(("VmRSS:", "VmHWM:")):
                    name, amount, _unit = line.split()
                    values[name[:-1]] = int(amount) * 1024
    except OSError:
        return {}
    return values


def proc_pss(pid: int) -> int:
    """Proportional set size in bytes: the worker's own pages plus its share of the rest."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def proc_cpu_ticks(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime
    except (OSError, IndexError, ValueError):
        return 0


def children_of(parent: int) -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            pids.append(int(entry))
    return sorted(pids)


def ticks_of_command(name: str) -> dict[int, int]:
    """CPU ticks of each process named `name` (the PostgreSQL server and its backends)."""
    ticks = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                text = stat.read()
        except OSError:
            continue
        if text[text.find("(") + 1:text.rfind(")")] == name:
            fields = text.rsplit(")", 1)[1].split()
            ticks[int(entry)] = int(fields[11]) + int(fields[12])
    return ticks


def wait_until_idle(max_seconds: float, busy_pct: float = 25.0) -> float:
    """Wait (bounded) until the machine is nearly idle; return the last busy % seen."""
    deadline = time.monotonic() + max_seconds
    while True:
        before = machine_cpu()
        time.sleep(2)
        busy, _iowait, total = (b - a for a, b in zip(before, machine_cpu()))
        seen = 100 * busy / total if total else 0.0
        if seen <= busy_pct or time.monotonic() >= deadline:
            return round(seen, 1)
        print(f"  machine occupée à {seen:.0f} % par d'autres processus : on attend…", flush=True)


def machine_cpu() -> tuple[int, int, int]:
    """(busy, iowait, total) jiffies of all CPUs, from /proc/stat."""
    with open("/proc/stat") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    idle, iowait = values[3], values[4]
    total = sum(values[:8])
    return total - idle - iowait, iowait, total


class WorkerMonitor(threading.Thread):
    """Samples the gunicorn workers' memory every `interval` seconds, per phase, and the
    bot worker's (`bot_worker`: its pid) apart."""

    def __init__(self, master: int, bot_worker: int, interval: float = 0.2):
        super().__init__(daemon=True)
        self.master, self.bot_worker, self.interval = master, bot_worker, interval
        self.bot_worker_peak: dict[str, int] = {"VmHWM": 0, "VmRSS": 0}
        self.stop_event = threading.Event()
        self.lock = threading.Lock()
        self.workers: dict[int, dict[str, int]] = {}  # pid -> peak VmHWM, VmRSS
        self.phase: str | None = None
        self.phase_peak_rss: dict[str, int] = {}
        self.pss_after_phase: dict[str, dict[int, int]] = {}
        self.samples = 0

    def pids(self) -> list[int]:
        return children_of(self.master)

    def sample(self) -> None:
        for pid in self.pids():
            values = proc_status(pid)
            if not values:
                continue
            with self.lock:
                peak = self.workers.setdefault(pid, {"VmHWM": 0, "VmRSS": 0})
                for name in ("VmHWM", "VmRSS"):
                    peak[name] = max(peak[name], values.get(name, 0))
                if self.phase:
                    self.phase_peak_rss[self.phase] = max(self.phase_peak_rss.get(self.phase, 0),
                                                          values.get("VmRSS", 0))
                self.samples += 1
        values = proc_status(self.bot_worker)
        with self.lock:
            for name in ("VmHWM", "VmRSS"):
                self.bot_worker_peak[name] = max(self.bot_worker_peak[name], values.get(name, 0))

    def run(self) -> None:
        while not self.stop_event.wait(self.interval):
            self.sample()

    def stop(self) -> None:
        self.stop_event.set()
        self.join(5)
        self.sample()


class Phase:
    """CPU accounting of one phase: server workers, this client, the whole machine."""

    def __init__(self, monitor: WorkerMonitor, name: str):
        self.monitor, self.name = monitor, name

    def __enter__(self) -> "Phase":
        self.monitor.sample()
        self.monitor.phase = self.name
        self.pids = self.monitor.pids()
        self.worker_ticks = sum(proc_cpu_ticks(pid) for pid in self.pids)
        self.bot_worker_ticks = proc_cpu_ticks(self.monitor.bot_worker)
        self.postgres_ticks = ticks_of_command("postgres")
        self.client = resource.getrusage(resource.RUSAGE_SELF)
        self.machine = machine_cpu()
        self.wall = time.perf_counter()
        return self

    def __exit__(self, *exc: Any) -> None:
        wall = time.perf_counter() - self.wall
        self.monitor.sample()
        self.monitor.phase = None
        self.monitor.pss_after_phase[self.name] = {pid: proc_pss(pid) for pid in self.monitor.pids()}
        hz = os.sysconf("SC_CLK_TCK")
        ticks = sum(proc_cpu_ticks(pid) for pid in self.monitor.pids()) - self.worker_ticks
        # Backends that ended during the phase are not counted (their ticks are gone).
        postgres = sum(t - self.postgres_ticks.get(pid, 0)
                       for pid, t in ticks_of_command("postgres").items()) / hz / wall
        client = resource.getrusage(resource.RUSAGE_SELF)
        client_cores = (client.ru_utime + client.ru_stime - self.client.ru_utime
                        - self.client.ru_stime) / wall
        busy, iowait, total = (b - a for a, b in zip(self.machine, machine_cpu()))
        cores = os.cpu_count() or 1
        busy_cores = cores * busy / total if total else 0.0
        workers = ticks / hz / wall
        bot_worker = (proc_cpu_ticks(self.monitor.bot_worker) - self.bot_worker_ticks) / hz / wall
        self.cpu = {
            "wall_s": round(wall, 2),
            "workers_cpu_s": round(ticks / hz, 2),
            "workers_cores": round(workers, 2),
            "bot_worker_cores": round(bot_worker, 2),
            "client_cores": round(client_cores, 2),
            "postgres_cores": round(postgres, 2),
            # Everything else that ran meanwhile (kernel work of the above included).
            "other_cores": round(max(busy_cores - workers - bot_worker - client_cores - postgres,
                                     0), 2),
            "machine_busy_pct": round(100 * busy / total, 1) if total else None,
            "machine_iowait_pct": round(100 * iowait / total, 1) if total else None,
        }
        # Other sessions share this machine: a phase where they took a quarter of a core
        # or more is marked, its figures are lower than the code's.
        self.cpu["disturbed"] = self.cpu["other_cores"] >= DISTURBED_CORES
