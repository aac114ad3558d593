"""Seeding for the inbox benchmark (bench/inbox_list_bench.py): teams, two accounts, and
cases spread like a real programme, with their people, addresses and messages."""
from __future__ import annotations

import itertools
import random
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import create_engine, delete, insert, select, text
from sqlalchemy.orm import Session

from flows.communes import default_gazetteer
from storage.models import (
    CASE_CATEGORIES,
    Case,
    ChannelAddress,
    Contact,
    Message,
    Team,
    TeamTerritory,
    User,
)

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
DEPARTEMENTS = ("95", "93", "75", "13", "69", "59", "33", "31", "44", "67")
ROISSY, SARCELLES = "200055655", "95585"
FIRST_NAMES = ("Nadia", "Karim", "Sophie", "Jean", "Fatou", "Mehdi", "Lucie", "Paul", "Aïcha",
               "Marc", "Inès", "Yann", "Léa", "Omar", "Chantal", "Hugo", "Samira", "Denis")
COMMON = ("bonjour", "voiture", "bus", "permis", "travail", "rendez-vous", "merci", "oui",
          "matin", "soir", "trop", "cher", "loin", "gare", "médecin", "vélo", "aide", "demain")
RARE_WORD = "trottinette"  # put in about 1 case in 2,000
LONG_THREAD = 50  # messages of the case page's long thread
SOURCES = (("self", 70), ("voice", 5), ("alert_giver", 15), ("ambassador", 7), ("coordinator", 3))
STATUSES = (("new", 10), ("in_progress", 25), ("waiting", 10), ("oriented", 10), ("closed", 45))


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
        pages = case_pages(conn, team_ids["95"])
        conn.execute(text("ANALYZE"))
        messages = conn.scalar(select(text("count(*)")).select_from(Message.__table__))
    engine.dispose()
    return {"cases": size, "messages": messages, "seed_seconds": round(time.perf_counter() - started, 1),
            "team_ids": team_ids, "case_pages": pages}


def case_pages(conn, team_id: int) -> dict[str, int]:
    """Two cases of the coordinator's team for the case page: the first gets a long thread
    (LONG_THREAD messages, both ways), the second keeps its ordinary one."""
    long_id, ordinary_id = conn.scalars(select(Case.id).where(Case.team_id == team_id)
                                        .order_by(Case.id).limit(2)).all()
    created = conn.scalar(select(Case.created_at).where(Case.id == long_id))
    conn.execute(delete(Message).where(Message.case_id == long_id))
    conn.execute(insert(Message), [
        {"contact_id": long_id, "channel_address_id": long_id, "case_id": long_id,
         "direction": "in" if k % 2 == 0 else "out", "channel": "sms",
         "body": f"Message {k + 1} : {' '.join(COMMON[k % len(COMMON):][:8])}",
         "status": "received" if k % 2 == 0 else "delivered", "attempts": 0,
         "purge_after_send": False, "created_at": created + timedelta(minutes=k)}
        for k in range(LONG_THREAD)])
    return {"long": long_id, "ordinary": ordinary_id}


def _case_rows(rng, n, insees, populations, team_of, team_ids, user_ids, words, weights):
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
