"""Measure the inbox's case list at 100,000 cases (a script, not a test).

    .venv/bin/python bench/inbox_list_bench.py --db both --sizes 1000,100000

For each database (a SQLite file, the PostgreSQL database `bench`, both recreated) and
each size, the script migrates, seeds cases spread like a real programme (teams by
territory, statuses, sources, communes, categories, waits, about 10 messages a case for
the search), then times GET requests of the real app (Flask test client, a signed-in
coordinator of 2 teams out of 12, and an admin who sees everything): the first page, a
deep keyset page, each filter, searches, and the header's APPEL count. It records the
SQL each request runs and checks its plan (EXPLAIN / EXPLAIN QUERY PLAN) for full scans
of cases or messages. Results: bench/results/<date>-inbox-list-<db>.json, and a table.
"""
from __future__ import annotations

import argparse
import itertools
import json
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, event, insert, select, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from flows.communes import default_gazetteer  # noqa: E402
from storage import migrate  # noqa: E402
from storage.models import (  # noqa: E402
    CASE_CATEGORIES, Case, ChannelAddress, Contact, Message, Team, TeamTerritory, User,
)

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/bench"
DEFAULT_SQLITE = ROOT / "instance" / "inbox-bench.sqlite3"
NOW = datetime(2026, 11, 29, 12, 0, tzinfo=timezone.utc)
DEPARTEMENTS = ("95", "93", "75", "13", "69", "59", "33", "31", "44", "67")
ROISSY, SARCELLES = "200055655", "95585"
FIRST_NAMES = ("Nadia", "Karim", "Sophie", "Jean", "Fatou", "Mehdi", "Lucie", "Paul", "Aïcha",
               "Marc", "Inès", "Yann", "Léa", "Omar", "Chantal", "Hugo", "Samira", "Denis")
COMMON = ("bonjour", "voiture", "bus", "permis", "travail", "rendez-vous", "merci", "oui",
          "matin", "soir", "trop", "cher", "loin", "gare", "médecin", "vélo", "aide", "demain")
RARE_WORD = "trottinette"  # put in about 1 case in 2,000
SOURCES = (("self", 70), ("voice", 5), ("alert_giver", 15), ("ambassador", 7), ("coordinator", 3))
STATUSES = (("new", 10), ("in_progress", 25), ("waiting", 10), ("oriented", 10), ("closed", 45))
REPEAT, WARMUP = 20, 3


def pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def vocabulary(rng: random.Random, size: int = 6000) -> list[str]:
    """Made-up words after the common ones: a long tail, as real messages have."""
    syllables = ["ba", "ro", "mi", "tu", "lé", "ca", "po", "ni", "sa", "ve", "do", "ri", "fa", "zu"]
    words = set()
    while len(words) < size:
        words.add("".join(rng.choices(syllables, k=rng.randint(2, 4))))
    return [*COMMON, *sorted(words)]


def places() -> tuple[list[str], list[float], dict[str, str]]:
    """Communes of the 10 départements (by population) and the team each is routed to."""
    communes = [c for c in default_gazetteer().communes()
                if c.departement in DEPARTEMENTS and not c.parent_insee]
    team_of = {c.insee: ("commune" if c.insee == SARCELLES else
                         "epci" if c.epci_siren == ROISSY else c.departement) for c in communes}
    return [c.insee for c in communes], [max(c.population, 50) for c in communes], team_of


def seed(url: str, size: int, seed_value: int = 42) -> dict[str, object]:
    """Teams, two accounts, `size` cases with contacts, addresses and messages."""
    rng = random.Random(seed_value)
    engine = create_engine(url)
    words = vocabulary(rng)
    weights = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(words))))  # Zipf
    insees, populations, team_of = places()
    populations = list(itertools.accumulate(populations))
    with engine.begin() as conn:
        teams = {d: Team(name=f"Équipe {d}", territories=[TeamTerritory(kind="departement", code=d)])
                 for d in DEPARTEMENTS}
        teams["epci"] = Team(name="Équipe Roissy", territories=[TeamTerritory(kind="epci", code=ROISSY)])
        teams["commune"] = Team(name="Équipe Sarcelles",
                                territories=[TeamTerritory(kind="commune", code=SARCELLES)])
        with Session(bind=conn) as session:
            session.add_all(teams.values())
            session.add_all([
                User(email="coordination@bench.fr", name="Coordination", role="coordinator",
                     password_hash="x", teams=[teams["95"], teams["epci"]]),
                User(email="admin@bench.fr", name="Admin", role="admin", password_hash="x"),
            ])
            session.flush()
            team_ids = {key: team.id for key, team in teams.items()}
            user_ids = [u.id for u in session.scalars(select(User).order_by(User.id))]
            session.commit()
    started = time.perf_counter()
    chunk = 5000
    for start in range(0, size, chunk):
        rows = [_case_rows(rng, n, insees, populations, team_of, team_ids, user_ids, words, weights)
                for n in range(start, min(size, start + chunk))]
        with engine.begin() as conn:
            conn.execute(insert(Contact), [r[0] for r in rows])
            conn.execute(insert(ChannelAddress), [r[1] for r in rows])
            conn.execute(insert(Case), [r[2] for r in rows])
            conn.execute(insert(Message), [m for r in rows for m in r[3]])
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
        messages = conn.scalar(select(text("count(*)")).select_from(Message.__table__))
    engine.dispose()
    return {"cases": size, "messages": messages, "seed_seconds": round(time.perf_counter() - started, 1),
            "team_ids": team_ids}


def _case_rows(rng, n, insees, populations, team_of, team_ids, user_ids, words, weights):  # noqa: ANN001, ANN202
    """One case: its contact, address, row and messages (ids given, for bulk inserts)."""
    case_id = n + 1
    insee = rng.choices(insees, cum_weights=populations)[0] if rng.random() < 0.95 else None
    team = team_ids[team_of[insee]] if insee else team_ids["75"]
    status = pick(rng, STATUSES)
    created = NOW - timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))
    is_open = status != "closed"
    waiting = created + timedelta(minutes=rng.randrange(60 * 24)) if is_open and rng.random() < 0.3 else None
    phone = f"+336{(case_id * 7919 + 12345678) % 10**8:08d}"  # distinct for every case
    contact = {"id": case_id, "role": "resident", "language": "fr",
               "first_name": rng.choice(FIRST_NAMES), "created_at": created}
    address = {"id": case_id, "contact_id": case_id, "channel": "sms", "address": phone,
               "created_at": created}
    case = {
        "id": case_id, "reference": f"RM-{created.year}-{case_id:06d}", "contact_id": case_id,
        "source": pick(rng, SOURCES), "channel": "sms", "status": status,
        "outcome": "solution_found" if not is_open else None, "team_id": team,
        "assignee_id": rng.choice(user_ids) if rng.random() < 0.5 else None,
        "commune_insee": insee, "commune_name": default_gazetteer().by_insee(insee).name if insee else None,
        "difficulties": rng.sample(["no_licence", "no_vehicle", "cost", "no_transport"], 2),
        "purposes": ["job"], "contact_moments": [], "callback_phone": phone,
        "wants_human": is_open and rng.random() < 0.01, "unread": waiting is not None,
        "categories": rng.sample(CASE_CATEGORIES, rng.randrange(3)),
        "created_at": created, "updated_at": created, "waiting_since": waiting,
        "callback_at": NOW + timedelta(days=rng.randrange(-20, 20)) if is_open and rng.random() < 0.2 else None,
        "closed_at": created + timedelta(days=3) if not is_open else None,
    }
    messages = []
    for k in range(rng.randint(2, 18)):
        body = " ".join(rng.choices(words, cum_weights=weights, k=rng.randint(4, 22)))
        if k == 0 and rng.random() < 0.0005:
            body += " " + RARE_WORD
        messages.append({"contact_id": case_id, "channel_address_id": case_id, "case_id": case_id,
                         "direction": "in" if k % 2 == 0 else "out", "channel": "sms", "body": body,
                         "status": "received" if k % 2 == 0 else "delivered", "attempts": 0,
                         "purge_after_send": False, "created_at": created + timedelta(minutes=k)})
    return contact, address, case, messages


# ---------------------------------------------------------------- measuring

def scenarios(url: str, team_ids: dict[str, int]) -> list[tuple[str, str]]:
    """(name, query string) of /demandes, plus the header count; values taken from the data."""
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
    ]


def signed_in_client(app, email: str):  # noqa: ANN001, ANN201
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
    """The page key halfway down the user's whole list, found by walking its pages."""
    from inbox.cases import list_cases, visible_cases
    from inbox.cases.listing import SortKey
    engine = app.extensions["session_factory"].kw["bind"]
    with Session(engine) as session:
        user = session.scalar(select(User).where(User.email == email))
        total = session.scalar(select(text("count(*)")).select_from(visible_cases(user).subquery()))
        key, seen = None, 0
        while seen < total * depth:
            page = list_cases(session, user, after=key, limit=200, now=NOW)
            seen += len(page.cases)
            key = SortKey.of(page.cases[-1]).encode()
    return key


def path_of(query: str, key: str) -> str:
    if query == "APPELS":
        return "/demandes/appels?vu=-1"
    if query == "DEEP":
        return f"/demandes?apres={key}"
    return f"/demandes?{query}" if query else "/demandes"


def traced(app, client, path: str) -> list[tuple[str, object]]:  # noqa: ANN001
    """The SQL statements one request runs (with their parameters)."""
    engine = app.extensions["session_factory"].kw["bind"]
    seen: list[tuple[str, object]] = []

    def record(_conn, _cursor, statement, parameters, _context, _many):  # noqa: ANN001, ANN202
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
                full = (line.startswith("SCAN ") and " USING " not in line) if sqlite \
                    else "Seq Scan on" in line
                if full and any(t in line for t in ("cases", "messages", "channel_addresses", "contacts")):
                    scans.append(line)
    return found, scans


def measure(url: str, team_ids: dict[str, int]) -> list[dict[str, object]]:
    """Time every scenario for the coordinator and for the admin."""
    from bot.settings import Settings
    from webhooks import create_app
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SETTINGS": Settings(),
                      "INBOX_NOW": lambda: NOW, "RATELIMIT_ENABLED": False})
    results = []
    for email, who in (("coordination@bench.fr", "coordinateur"), ("admin@bench.fr", "admin")):
        client, key = signed_in_client(app, email), deep_key(app, email)
        for name, query in scenarios(url, team_ids):
            path = path_of(query, key)
            for _ in range(WARMUP):
                response = client.get(path)
            assert response.status_code in (200, 204), (path, response.status_code)
            times = []
            for _ in range(REPEAT):
                started = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - started) * 1000)
            plan, scans = plans(app, traced(app, client, path))
            times.sort()
            results.append({
                "user": who, "name": name, "path": path if query != "DEEP" else "/demandes?apres=…",
                "rows": response.get_data(as_text=True).count('<tr class="case-row'),
                "p50_ms": round(statistics.median(times), 1),
                "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1), "max_ms": round(times[-1], 1),
                "full_scans": scans, "plans": plan,
            })
            print(f"  {who:13} {name:28} p50 {results[-1]['p50_ms']:7.1f} ms  "
                  f"p95 {results[-1]['p95_ms']:7.1f} ms  {'SCAN ' + '; '.join(scans) if scans else ''}",
                  flush=True)
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
    report: dict[str, object] = {"database": kind, "date": date.today().isoformat(), "sizes": {}}
    for size in sizes:
        url = fresh_database(kind, args.pg_url, args.sqlite_path)
        migrate.upgrade(url)
        print(f"{kind}: seeding {size} cases…", flush=True)
        seeded = seed(url, size)
        print(f"{kind}: {seeded['messages']} messages, seeded in {seeded['seed_seconds']} s", flush=True)
        report["sizes"][str(size)] = {**{k: v for k, v in seeded.items() if k != "team_ids"},
                                      "scenarios": measure(url, seeded["team_ids"])}
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
