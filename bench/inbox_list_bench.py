"""Measure the inbox's case list and case page at 100,000 cases (a script, not a test).

    .venv/bin/python bench/inbox_list_bench.py --db both --sizes 1000,100000

For each database (SQLite files, PostgreSQL databases `bench_inbox_<size>`, all recreated)
and each size, the script migrates, seeds cases spread like a real programme
(bench/inbox_seed.py: teams by territory, statuses, sources, communes, categories, waits,
about 10 messages a case for the search), then times GET requests of the real app (Flask
test client, a signed-in coordinator of 2 teams out of 12, and an admin who sees
everything): the first page, a deep keyset page, each filter, searches, the header's
APPEL count, and the page of a case with a long thread (50 messages) and of an ordinary
one. The sizes are measured together, their requests alternating. It records the
SQL each request runs and checks its plan (EXPLAIN / EXPLAIN QUERY PLAN) for full scans
of cases or messages. Results: bench/results/<date>-inbox-list-<db>.json, and a table.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, event, select, text
from sqlalchemy.orm import Session

from bench.inbox_seed import NOW, RARE_WORD, ROISSY, seed
from storage import migrate
from storage.models import Case, User

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_inbox"  # + _<size>
DEFAULT_SQLITE = ROOT / "instance" / "inbox-bench.sqlite3"  # inbox-bench-<size>.sqlite3
REPEAT, WARMUP = 40, 3


# ---------------------------------------------------------------- measuring

def scenarios(url: str, team_ids: dict[str, int], pages: dict[str, int]) -> list[tuple[str, str]]:
    """(name, query string) of /demandes, the header count and case pages; values taken
    from the data."""
    engine = create_engine(url)
    with engine.connect() as conn:
        case = conn.execute(select(Case.reference, Case.callback_phone)
                            .where(Case.team_id == team_ids["95"]).order_by(Case.id).limit(1)).one()
    engine.dispose()
    phone = "0" + case.callback_phone[3:]
    phone = " ".join(phone[i:i + 2] for i in range(0, 10, 2))
    return [
        ("première page", ""), ("page profonde (clé)", "DEEP"),
        ("statut en cours", "statut=in_progress"), ("une équipe", f"equipe={team_ids['95']}"),
        ("non attribuées", "qui=personne"), ("attend une réponse", "attente=oui"),
        ("veut parler à quelqu'un", "appel=oui"), ("rappel en retard", "rappel=retard"),
        ("origine donneur d'alerte", "origine=alert_giver"), ("origine appel", "origine=voice"),
        ("département 95", "territoire=departement:95"), ("intercommunalité", f"territoire=epci:{ROISSY}"),
        ("commune écrite", "commune=Sarcelles"), ("catégorie senior", "categorie=senior"),
        ("filtres combinés", "statut=in_progress&territoire=departement:95&categorie=senior"),
        ("recherche mot courant", "q=voiture"), ("recherche mot rare", f"q={RARE_WORD}"),
        ("recherche deux mots", "q=permis+gare"), ("recherche prénom", "q=Nadia"),
        ("recherche téléphone", "q=" + phone.replace(" ", "+")),
        ("recherche référence", "q=" + case.reference),
        ("compte APPEL (en-tête)", "APPELS"),
        ("page d'une demande (50 messages)", f"CASE:{pages['long']}"),
        ("page d'une demande ordinaire", f"CASE:{pages['ordinary']}"),
    ]


def signed_in_client(app, email: str):
    """A test client whose session holds the account, as after the sign-in form."""
    from inbox.accounts import session_id
    with app.extensions["session_factory"]() as session:
        user = session.scalar(select(User).where(User.email == email))
        stored = session_id(user)
    client = app.test_client()
    with client.session_transaction() as cookie:
        cookie["_user_id"], cookie["_fresh"] = stored, True
    return client


def deep_key(app, email: str, depth: float = 0.5) -> str:
    """The page key halfway down the user's whole list, found by walking its pages of the
    inbox's size (so that a short list, at 1,000 cases, still has a full page after it)."""
    from inbox.cases import list_cases, visible_cases
    from inbox.cases.listing import DEFAULT_LIMIT, SortKey
    engine = app.extensions["session_factory"].kw["bind"]
    with Session(engine) as session:
        user = session.scalar(select(User).where(User.email == email))
        total = session.scalar(select(text("count(*)")).select_from(visible_cases(user).subquery()))
        key, seen = None, 0
        while seen < total * depth and seen + DEFAULT_LIMIT < total:
            page = list_cases(session, user, after=key, limit=DEFAULT_LIMIT, now=NOW)
            seen += len(page.cases)
            key = SortKey.of(page.cases[-1]).encode()
    return key


def path_of(query: str, key: str) -> str:
    if query == "APPELS":
        return "/demandes/appels?vu=-1"
    if query.startswith("CASE:"):
        return f"/demandes/{query.removeprefix('CASE:')}"
    if query == "DEEP":
        return f"/demandes?apres={key}"
    return f"/demandes?{query}" if query else "/demandes"


def traced(app, client, path: str) -> list[tuple[str, object]]:
    """The SQL statements one request runs (with their parameters)."""
    engine = app.extensions["session_factory"].kw["bind"]
    seen: list[tuple[str, object]] = []

    def record(_conn, _cursor, statement, parameters, _context, _many):
        seen.append((statement, parameters))
    event.listen(engine, "before_cursor_execute", record)
    try:
        client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


def plans(app, statements: list[tuple[str, object]]) -> tuple[list[str], list[str]]:
    """The plan of each statement on the big tables, and the full scans found in them."""
    engine = app.extensions["session_factory"].kw["bind"]
    sqlite = engine.dialect.name == "sqlite"
    found, scans = [], []
    with engine.connect() as conn:
        for statement, parameters in statements:
            head = statement.lstrip().upper()
            if not head.startswith("SELECT") or not any(
                    t in statement for t in ("FROM cases", "messages", "channel_addresses")):
                continue
            prefix = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN "
            rows = conn.exec_driver_sql(prefix + statement, parameters).fetchall()
            plan = "\n".join(str(r[-1]) for r in rows)
            found.append(plan)
            for line in plan.splitlines():
                line = line.strip()
                full = (line.startswith("SCAN ") and " USING " not in line  # FTS: a lookup
                        and "VIRTUAL TABLE INDEX" not in line) if sqlite else "Seq Scan on" in line
                if full and any(t in line for t in ("cases", "messages", "channel_addresses", "contacts")):
                    scans.append(line)
    return found, scans


def measure(sites: dict[int, tuple[str, dict[str, int], dict[str, int]]]) -> dict[int, list[dict]]:
    """Time every scenario for the coordinator and for the admin, in the databases of every
    size at once: their requests alternate, so that a minute when the machine is slower
    slows every size alike (the ratio compares them). `sites`: size -> (URL, team ids,
    case pages)."""
    from bot.settings import Settings
    from webhooks import create_app
    apps = {size: create_app({"TESTING": True, "DATABASE_URL": url, "SETTINGS": Settings(),
                              "INBOX_NOW": lambda: NOW, "RATELIMIT_ENABLED": False})
            for size, (url, _teams, _pages) in sites.items()}
    lists = {size: scenarios(*site) for size, site in sites.items()}
    results: dict[int, list[dict]] = {size: [] for size in sites}
    for email, who in (("coordination@bench.fr", "coordinateur"), ("admin@bench.fr", "admin")):
        clients = {size: signed_in_client(app, email) for size, app in apps.items()}
        keys = {size: deep_key(app, email) for size, app in apps.items()}
        for index, (name, _query) in enumerate(next(iter(lists.values()))):
            paths = {size: path_of(lists[size][index][1], keys[size]) for size in sites}
            for size, path in paths.items():
                for _ in range(WARMUP):
                    response = clients[size].get(path)
                assert response.status_code in (200, 204), (path, response.status_code)
            times: dict[int, list[float]] = {size: [] for size in sites}
            pages: dict[int, str] = {}
            for _ in range(REPEAT):
                for size, path in paths.items():
                    started = time.perf_counter()
                    response = clients[size].get(path)
                    times[size].append((time.perf_counter() - started) * 1000)
                    pages[size] = response.get_data(as_text=True)
            for size, path in paths.items():
                plan, scans = plans(apps[size], traced(apps[size], clients[size], path))
                timed = sorted(times[size])
                results[size].append({
                    "user": who, "name": name,
                    "path": path if lists[size][index][1] != "DEEP" else "/demandes?apres=…",
                    "rows": pages[size].count('<tr class="case-row'),
                    "p50_ms": round(statistics.median(timed), 1),
                    "p95_ms": round(timed[int(0.95 * (len(timed) - 1))], 1),
                    "max_ms": round(timed[-1], 1), "full_scans": scans, "plans": plan,
                })
                row = results[size][-1]
                print(f"  {size:>7} {who:13} {name:28} p50 {row['p50_ms']:7.1f} ms  "
                      f"p95 {row['p95_ms']:7.1f} ms  {row['rows']:3} lignes  "
                      f"{'SCAN ' + '; '.join(scans) if scans else ''}", flush=True)
    return results


# ---------------------------------------------------------------- databases and main

def fresh_database(kind: str, pg_url: str, sqlite_path: Path) -> str:
    """Drop and recreate the bench database; its URL."""
    if kind == "sqlite":
        sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(str(sqlite_path) + suffix).unlink(missing_ok=True)
        return f"sqlite:///{sqlite_path}"
    name = pg_url.rsplit("/", 1)[1]
    if name in ("test", "postgres") or name.startswith(("template", "test_")):
        raise SystemExit(f"refusing to drop the database {name!r}")
    admin = create_engine(pg_url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return pg_url


def run(kind: str, sizes: list[int], args: argparse.Namespace) -> dict[str, object]:
    """Seed one database per size, then measure them together."""
    report: dict[str, object] = {"database": kind, "date": date.today().isoformat(), "sizes": {}}
    sites = {}
    for size in sizes:
        url = fresh_database(kind, f"{args.pg_url}_{size}",
                             args.sqlite_path.with_name(f"{args.sqlite_path.stem}-{size}.sqlite3"))
        migrate.upgrade(url)
        print(f"{kind}: seeding {size} cases…", flush=True)
        seeded = seed(url, size)
        print(f"{kind}: {seeded['messages']} messages, seeded in {seeded['seed_seconds']} s", flush=True)
        report["sizes"][str(size)] = {k: v for k, v in seeded.items() if k != "team_ids"}
        sites[size] = (url, seeded["team_ids"], seeded["case_pages"])
    for size, scenario_results in measure(sites).items():
        report["sizes"][str(size)]["scenarios"] = scenario_results
    if len(sizes) > 1:
        small, big = (report["sizes"][str(s)]["scenarios"] for s in (min(sizes), max(sizes)))
        report["ratio_p95_big_over_small"] = {
            f"{b['user']}: {b['name']}": round(b["p95_ms"] / max(s["p95_ms"], 0.1), 2)
            for s, b in zip(small, big)}
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--sizes", default="1000,100000", help="case counts, comma-separated")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument("--sqlite-path", type=Path, default=DEFAULT_SQLITE)
    parser.add_argument("--tag", default="")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    for kind in ("sqlite", "postgres") if args.db == "both" else (args.db,):
        report = run(kind, sizes, args)
        out = ROOT / "bench" / "results" / (
            f"{date.today().isoformat()}-inbox-list-{kind}{'-' + args.tag if args.tag else ''}.json")
        out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"→ {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
