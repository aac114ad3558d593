"""An ambassador's outing through the runtime: recorded, and the day's referrals linked to it."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from bot.outings import day_bounds, paris_day
from bot.simulator import SimulatedPhone
from storage.models import Case, Contact, NetworkMember, Outing

AMBASSADOR = "+33639981234"
OTHER_AMBASSADOR = "+33639985678"
ALERT_GIVER = "+33639989999"
OUTING = ("SORTIE", "1", "Les Flanades, Sarcelles", "une dizaine", "2",
          "Beaucoup de questions sur le prix du bus", "oui")


def join(runtime, db, network, address: str, code: str, name: str) -> SimulatedPhone:
    """Join the network by SMS; the question about the news, if asked, gets a no."""
    before = len(db.scalars(select(NetworkMember)))
    phone = SimulatedPhone(runtime, "sms", address=address)
    for line in (f"PARTENAIRE {code}", "oui", name, "ambassadeur"):
        phone.send(line)
    if len(db.scalars(select(NetworkMember))) == before:
        phone.send("non")
    assert len(db.scalars(select(NetworkMember))) == before + 1
    return phone


@pytest.fixture
def ambassador(runtime, db, network) -> SimulatedPhone:
    return join(runtime, db, network, AMBASSADOR, network.ambassador, "Samir")


PHONES = {"Fatou": "06 12 34 56 78", "Marcel": "06 98 76 54 32", "Hier": "06 11 22 33 44"}


def refer(phone: SimulatedPhone, first_name: str) -> list:
    replies = []
    for line in ("REPERAGE", "oui", first_name, PHONES[first_name], "le matin", "Sarcelles",
                 "pas de voiture", "travail", "10", "pas urgent", "rien", "oui"):
        replies = phone.send(line)
    return replies


def log_outing(phone: SimulatedPhone) -> list:
    replies = []
    for line in OUTING:
        replies = phone.send(line)
    return replies


def contact_of(db, first_name: str) -> Contact:
    return next(c for c in db.scalars(select(Contact)) if c.first_name == first_name)


def test_an_outing_told_in_the_chat_is_recorded(ambassador, db, network, clock):
    replies = log_outing(ambassador)

    outing = db.scalars(select(Outing)).one()
    samir = contact_of(db, "Samir")
    assert samir.role == "ambassador"
    assert (outing.contact_id, outing.organisation_id) == (samir.id, network.organisation_id)
    assert (outing.place_kind, outing.area, outing.commune_insee) == (
        "market", "Les Flanades, Sarcelles", "95585")
    assert (outing.people_met, outing.weather) == (10, "rain")
    assert outing.note == "Beaucoup de questions sur le prix du bus"
    assert outing.day == date(2026, 3, 2)
    said = " ".join(r.body for r in replies)
    assert "Votre sortie est notée" in said and "REPERAGE" in said


def test_referrals_made_after_the_outing_are_linked_to_it(ambassador, db, clock):
    log_outing(ambassador)
    clock.advance(minutes=20)
    refer(ambassador, "Fatou")
    clock.advance(minutes=20)
    refer(ambassador, "Marcel")

    outing = db.scalars(select(Outing)).one()
    cases = db.scalars(select(Case).order_by(Case.id))
    assert len(cases) == 2
    assert [c.outing_id for c in cases] == [outing.id, outing.id]
    assert {c.source for c in cases} == {"ambassador"}


def test_referrals_made_before_the_outing_are_linked_when_it_is_logged(
        runtime, ambassador, db, network, clock):
    refer(ambassador, "Hier")  # yesterday's referral stays apart
    clock.advance(days=1)
    other = join(runtime, db, network, OTHER_AMBASSADOR, network.ambassador, "Lina")
    refer(ambassador, "Fatou")
    refer(other, "Marcel")  # another ambassador's referral of the same day
    assert all(c.outing_id is None for c in db.scalars(select(Case)))

    clock.advance(hours=2)
    log_outing(ambassador)

    outing = db.scalars(select(Outing)).one()
    linked = {db.get(Contact, c.contact_id).first_name: c.outing_id
              for c in db.scalars(select(Case))}
    assert linked == {"Hier": None, "Fatou": outing.id, "Marcel": None}


def test_the_day_is_the_day_in_paris(ambassador, db, clock):
    clock.advance(hours=13, minutes=30)  # 22:30 UTC: 23:30 in Paris, still 2 March
    log_outing(ambassador)
    clock.advance(hours=1)  # 00:30 in Paris: 3 March
    refer(ambassador, "Fatou")

    outing = db.scalars(select(Outing)).one()
    assert outing.day == date(2026, 3, 2)
    assert db.scalars(select(Case)).one().outing_id is None


def test_a_later_referral_goes_to_the_latest_outing_of_the_day(ambassador, db, clock):
    log_outing(ambassador)
    clock.advance(hours=3)
    log_outing(ambassador)
    refer(ambassador, "Fatou")

    latest = max(db.scalars(select(Outing)), key=lambda o: o.id)
    assert db.scalars(select(Case)).one().outing_id == latest.id


def test_an_alert_giver_gets_a_kind_answer_and_no_outing(runtime, db, network):
    phone = SimulatedPhone(runtime, "sms", address=ALERT_GIVER)
    for line in (f"PARTENAIRE {network.valid}", "oui", "Awa", "conseillère"):
        phone.send(line)
    if not db.scalars(select(NetworkMember)):
        phone.send("non")  # the question about the news
    replies = phone.send("SORTIE")

    assert "sert aux ambassadeurs" in replies[0].body
    assert db.scalars(select(Outing)).all() == []


def test_a_paris_day_has_23_or_25_hours_at_the_clock_changes():
    start, end = day_bounds(date(2026, 3, 29))  # summer time starts
    assert (end - start).total_seconds() == 23 * 3600
    assert paris_day(start) == date(2026, 3, 29)


def test_an_ambassador_who_erases_their_data_leaves_the_figures(ambassador, db):
    log_outing(ambassador)
    ambassador.send("EFFACER")
    ambassador.send("oui")

    assert all(c.first_name != "Samir" for c in db.scalars(select(Contact)))
    outing = db.scalars(select(Outing)).one()
    assert (outing.contact_id, outing.people_met, outing.place_kind) == (None, 10, "market")
