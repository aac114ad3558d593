"""Summing up a run: latency percentiles, CPU cost per request, the targets, the table."""
from __future__ import annotations

import math
from typing import Any

from bench.load import Outcome
from bench.stream import CONVERSATION

TARGETS = {
    "ratio_min": 0.25,  # webhook throughput / bare throughput
    "p99_ms_max": 50.0,  # at the fixed rate
    "worker_mb_max": 150.0,  # peak resident memory of one web worker
}


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def summarize(out: Outcome, elapsed: float, sids: list[str] | None = None,
              steps: list[int] | None = None) -> dict[str, Any]:
    done = [lat for lat in out.latency if not math.isnan(lat)]
    done.sort()
    service = sorted(s for s in out.service if not math.isnan(s))
    ok = sum(1 for s in out.status if 200 <= s < 300)
    non_2xx: dict[str, int] = {}
    for s in out.status:
        if s >= 0 and not 200 <= s < 300:
            key = "transport_error" if s == 0 else str(s)
            non_2xx[key] = non_2xx.get(key, 0) + 1
    ms = lambda v: round(v * 1000, 2)  # noqa: E731
    result = {
        "requests": out.n, "completed": len(done), "not_sent": out.status.count(-1),
        "ok_2xx": ok, "non_2xx": non_2xx, "non_2xx_total": sum(non_2xx.values()),
        "bodies_with_locked": sum(out.locked), "elapsed_s": round(elapsed, 3),
        "rps": round(len(done) / elapsed, 1) if elapsed > 0 else None,
        "latency_ms": {"p50": ms(percentile(done, 50)), "p90": ms(percentile(done, 90)),
                       "p99": ms(percentile(done, 99)), "max": ms(done[-1]) if done else None,
                       "mean": ms(sum(done) / len(done)) if done else None},
        "service_ms": {"p50": ms(percentile(service, 50)), "p99": ms(percentile(service, 99)),
                       "max": ms(service[-1]) if service else None},
        "first_errors": out.errors[:5],
    }
    if steps is not None:  # latency per answer of the conversation: which step costs what
        by_step = {}
        for number, text in enumerate(CONVERSATION):
            values = sorted(lat for lat, step in zip(out.latency, steps)
                            if step == number and not math.isnan(lat))
            by_step[f"{number + 1}:{text}"] = {"n": len(values), "p50": ms(percentile(values, 50)),
                                               "p99": ms(percentile(values, 99))}
        result["latency_ms_by_step"] = by_step
    if sids is not None:
        result["acknowledged_sids"] = [sid for sid, s in zip(sids, out.status) if 200 <= s < 300]
    return result


def add_cpu_cost(phase: dict[str, Any]) -> None:
    """CPU time of the workers (and PostgreSQL) per answered request, in ms.

    Steadier than requests/s when other processes share the machine: it says what one
    request costs, not how much CPU was left for it.
    """
    cpu, done = phase["cpu"], phase["completed"]
    if done:
        cpu["workers_cpu_ms_per_request"] = round(1000 * cpu["workers_cpu_s"] / done, 2)
        cpu["postgres_cpu_ms_per_request"] = round(
            1000 * cpu["postgres_cores"] * cpu["wall_s"] / done, 2)


def disturbance(result: dict[str, Any]) -> float:
    """The most CPU foreign processes took during a judged phase (bare, webhook, paced)."""
    return max(result["phases"][name]["cpu"]["other_cores"] for name in ("bare", "webhook", "paced"))


def judge(result: dict[str, Any]) -> dict[str, Any]:
    phases = result["phases"]
    ratio = phases["webhook"]["rps"] / phases["bare"]["rps"]
    p99 = phases["paced"]["latency_ms"]["p99"]
    peak = max((w["peak_VmHWM"] for w in result["memory_mb"]["workers"].values()), default=math.nan)
    errors = sum(p["non_2xx_total"] + p["not_sent"] for p in phases.values()) \
        + result["warmup_non_2xx"]
    locked = sum(p["bodies_with_locked"] for p in phases.values()) \
        + result["warmup_locked"] + result["server_log"]["database_is_locked"] \
        + result["worker_log"]["database_is_locked"]
    db = result["database_after"]
    bare_cost = phases["bare"]["cpu"].get("workers_cpu_ms_per_request")
    hook_cost = phases["webhook"]["cpu"].get("workers_cpu_ms_per_request")
    return {
        "throughput_ratio": {"value": round(ratio, 3), "target": f">= {TARGETS['ratio_min']}",
                             "met": ratio >= TARGETS["ratio_min"],
                             # The same comparison by CPU cost per request (workers only):
                             # what the ratio would be with the workers alone on the CPUs.
                             "cpu_cost_ratio": round(bare_cost / hook_cost, 3)
                             if bare_cost and hook_cost else None},
        "p99_at_rate_ms": {"value": p99, "target": f"< {TARGETS['p99_ms_max']}",
                           "met": p99 < TARGETS["p99_ms_max"]},
        "worker_peak_mb": {"value": peak, "target": f"< {TARGETS['worker_mb_max']}",
                           "met": peak < TARGETS["worker_mb_max"]},
        "no_error_answer": {"value": {"non_2xx_or_unsent": errors, "locked": locked},
                            "target": "0", "met": errors == 0 and locked == 0},
        # Not in the list, but what "durably committed" means in practice:
        "acknowledged_all_stored": {"value": db["acknowledged_missing_in_db"], "target": "0",
                                    "met": db["acknowledged_missing_in_db"] == 0},
        "all_handled_by_bot": {"value": {"not_handled": db["inbound_not_handled"],
                                         "handling_failed": result["worker_log"]["handling_failed"],
                                         "left_in_queue": db["inbound_queue_left"]},
                               "target": "0", "met": db["inbound_not_handled"] == 0
                               and result["worker_log"]["handling_failed"] == 0
                               and db["inbound_queue_left"] == 0},
    }


def print_table(result: dict[str, Any]) -> None:
    db = result["database"]["kind"]
    phases = result["phases"]
    print(f"\n== {db} — {result['date']} — {result['machine']['nproc']} cœurs, "
          f"Python {result['machine']['python']}")
    print(f"{'phase':<10}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'non-2xx':>9}"
          f"{'workers':>9}{'trav.':>7}{'client':>8}{'pg':>6}{'autres':>8}{'CPU ms/req':>12}")
    for name in phases:
        p = phases[name]
        lat = p["latency_ms"]
        print(f"{name:<10}{p['rps']:>9}{lat['p50']:>9}{lat['p99']:>9}{lat['max']:>9}"
              f"{p['non_2xx_total']:>9}{p['cpu']['workers_cores']:>9}"
              f"{p['cpu']['bot_worker_cores']:>7}{p['cpu']['client_cores']:>8}"
              f"{p['cpu']['postgres_cores']:>6}{p['cpu']['other_cores']:>8}"
              f"{p['cpu'].get('workers_cpu_ms_per_request', '-'):>12}"
              f"{'  perturbée' if p['cpu']['disturbed'] else ''}")
    print("(workers, trav., client, pg, autres : cœurs CPU occupés en moyenne pendant la phase "
          "par les workers web, le travailleur, ce client, PostgreSQL et le reste ; "
          "CPU ms/req : temps CPU des workers web par requête)")
    for pid, mem in result["memory_mb"]["workers"].items():
        print(f"worker {pid} : pic VmHWM {mem['peak_VmHWM']} Mo, VmRSS max {mem['peak_VmRSS']} Mo")
    print(f"travailleur : pic VmHWM {result['memory_mb']['bot_worker']['peak_VmHWM']} Mo")
    for name, phase in phases.items():
        if "end_to_end" in phase:
            e2e = phase["end_to_end"]
            print(f"bout à bout {name} : {e2e['handled']}/{e2e['acknowledged']} traités, "
                  f"{e2e['handled_per_s']}/s (rythme du travailleur {e2e['worker_pace_per_s']}/s), "
                  f"dernière réponse en file à "
                  f"+{e2e['last_reply_queued_after_start_s']} s (+{e2e['last_reply_after_last_ack_s']} s "
                  f"après le dernier acquittement), attente p50/p99 {e2e['wait_ms']['p50']}/"
                  f"{e2e['wait_ms']['p99']} ms")
    print(f"base après : {result['database_after']}")
    print(f"journal serveur : {result['server_log']} ; travailleur : {result['worker_log']}")
    for name, target in result["targets"].items():
        mark = "OK " if target["met"] else "NON"
        print(f"  [{mark}] {name} = {target['value']} (cible {target['target']})")
