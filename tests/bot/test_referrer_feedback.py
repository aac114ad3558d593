"""News to the referrer, through the real runtime and the inbox's functions: one message
per news, never twice, never the conversation, nobody told who left or said STOP; and
MES DEMANDES, which lists one's own referrals only."""
from __future__ import annotations

import secrets
from datetime import datetime, timezone

import pytest
from sqlalchemy import select, update

from bot.inbound import InboundMessage
from bot.runtime import Runtime
from bot.simulator import SimulatedPhone
from inbox import cases as inbox
from storage.models import (Case, CaseEvent, ChannelAddress, Contact, InviteCode, Message,
                            NetworkMember, Organisation, Solution, User)
from tests.support.accounts import password_hash

ALERT_GIVER, OTHER_GIVER = "+33639981234", "+33639985678"
PERSON, OTHER_PERSON = "+33612345678", "+33698765432"
NOTE = "Elle a peur de conduire depuis son accident"
NEWS = "Des nouvelles de"  # how every news begins, in French


@pytest.fixture
def admin(session_factory) -> int:
    with session_factory.begin() as session:
        user = User(email="alex@example.fr", name="Alex Admin", role="admin",
                    password_hash=password_hash())
        session.add(user)
        session.flush()
        return user.id


def join(runtime: Runtime, address: str, code: str, first_name: str = "Awa") -> SimulatedPhone:
    phone = SimulatedPhone(runtime, "sms", address=address)
    phone.send(f"PARTENAIRE {code}")
    for line in ("oui", first_name, "animatrice", "non"):  # organisation, name, job, news
        phone.send(line)
    return phone


@pytest.fixture
def alert_giver(runtime, network) -> SimulatedPhone:
    return join(runtime, ALERT_GIVER, network.valid)


def refer(phone: SimulatedPhone, first_name: str = "Fatou", number: str = PERSON) -> str:
    """A whole referral; returns the case's reference."""
    for line in ("REPERAGE", "oui", first_name, number, "le matin", "Sarcelles",
                 "pas de voiture", "travail", "10", "pas urgent", NOTE):
        phone.send(line)
    [thanks] = phone.send("oui")
    return thanks.body.split("Son numéro : ")[1].split(".")[0]


def act(session_factory, admin: int, reference: str, action, *args, now: datetime) -> None:
    """A coordinator's action from the inbox (inbox.cases), in its own transaction."""
    with session_factory.begin() as session:
        case = session.scalars(select(Case).where(Case.reference == reference)).one()
        action(session, case, session.get(User, admin), *args, now)


def close(session_factory, admin, reference, outcome, now) -> None:
    with session_factory.begin() as session:
        case = session.scalars(select(Case).where(Case.reference == reference)).one()
        inbox.change_status(session, case, session.get(User, admin), "closed", now,
                            outcome=outcome)


def contact_of(db, address: str) -> Contact:
    found = db.scalars(select(ChannelAddress).where(ChannelAddress.address == address)).one()
    return db.get(Contact, found.contact_id)


def news_to(db, address: str) -> list[Message]:
    """The news messages queued for the alert giver writing from `address`."""
    contact = contact_of(db, address)
    return [m for m in db.scalars(select(Message).where(
        Message.contact_id == contact.id, Message.direction == "out").order_by(Message.id)).all()
        if NEWS in m.body or "News about" in m.body]


def told(db, reference: str) -> list[str]:
    case = db.scalars(select(Case).where(Case.reference == reference)).one()
    return [e.data["news"] for e in db.scalars(select(CaseEvent).where(
        CaseEvent.case_id == case.id, CaseEvent.kind == "referrer_told")).all()]


def person_answers(runtime: Runtime, text: str, address: str = PERSON) -> None:
    """The referred person answers the consent SMS, by real SMS."""
    runtime.receive(InboundMessage(channel="sms", address=address, text=text,
                                   provider_id=secrets.token_hex(8)))


def test_each_status_change_tells_the_referrer_once(alert_giver, session_factory, db, admin,
                                                     clock):
    reference = refer(alert_giver)
    assert news_to(db, ALERT_GIVER) == []  # a referral alone is no news

    act(session_factory, admin, reference, inbox.change_status, "in_progress", now=clock.now)
    [contacted] = news_to(db, ALERT_GIVER)
    assert contacted.body == (f"Des nouvelles de la personne que vous nous avez présentée "
                              f"(Fatou, {reference}) :\nL'équipe mobilité a pu la joindre.")
    assert contacted.case_id is None  # not in the person's conversation on the case page
    assert contacted.next_attempt_at == clock.now  # Monday morning: it may go at once

    act(session_factory, admin, reference, inbox.change_status, "waiting", now=clock.now)
    act(session_factory, admin, reference, inbox.change_status, "in_progress", now=clock.now)
    assert len(news_to(db, ALERT_GIVER)) == 1  # "contacted" is said once

    with session_factory.begin() as session:
        session.add(Solution(name="Garage solidaire", kind="garage"))
    solution = db.scalars(select(Solution)).one().id
    act(session_factory, admin, reference, inbox.orient, solution, now=clock.now)
    close(session_factory, admin, reference, "solution_found", clock.now)
    bodies = [m.body for m in news_to(db, ALERT_GIVER)]
    assert len(bodies) == 2 and bodies[1].endswith(
        "Une solution a été trouvée pour ses trajets. Merci pour votre aide !")
    assert told(db, reference) == ["contacted", "solution_found"]
    for body in bodies:  # never what the person or the alert giver said about her
        assert NOTE not in body and "voiture" not in body and "06" not in body


def test_the_first_reply_of_a_coordinator_is_contacted(alert_giver, session_factory, db, admin,
                                                       clock):
    reference = refer(alert_giver)
    act(session_factory, admin, reference, inbox.reply, "Bonjour Fatou, c'est Camille.",
        now=clock.now)
    act(session_factory, admin, reference, inbox.reply, "Je vous rappelle demain.",
        now=clock.now)
    [contacted] = news_to(db, ALERT_GIVER)
    assert contacted.body.endswith("L'équipe mobilité a pu la joindre.")
    assert "Camille" not in contacted.body and "rappelle" not in contacted.body


def test_no_answer_then_a_reopening_says_nothing_more(alert_giver, session_factory, db, admin,
                                                      clock):
    reference = refer(alert_giver)
    close(session_factory, admin, reference, "no_answer", clock.now)
    act(session_factory, admin, reference, inbox.change_status, "in_progress", now=clock.now)
    close(session_factory, admin, reference, "no_answer", clock.now)
    [no_answer] = news_to(db, ALERT_GIVER)
    assert "n'a pas pu la joindre, malgré plusieurs essais" in no_answer.body
    assert told(db, reference) == ["no_answer"]  # not "contacted" after the reopening


def test_declined_by_a_coordinator_names_the_reference_only(alert_giver, session_factory, db,
                                                            admin, clock):
    reference = refer(alert_giver)
    close(session_factory, admin, reference, "declined", clock.now)
    [declined] = news_to(db, ALERT_GIVER)
    assert declined.body.startswith(f"Des nouvelles de votre fiche de repérage {reference} :\n"
                                    "La personne ne souhaite pas")  # "être" leaves as "etre"
    assert "Fatou" not in declined.body


def test_the_person_saying_no_to_the_sms_is_told_once_without_her_name(
        alert_giver, runtime, session_factory, db, admin, clock):
    reference = refer(alert_giver)
    person_answers(runtime, "NON")
    person_answers(runtime, "NON")
    [declined] = news_to(db, ALERT_GIVER)
    assert reference in declined.body and "Fatou" not in declined.body
    assert told(db, reference) == ["declined"]
    alert_giver.collect()
    listed = alert_giver.send("MES DEMANDES")
    assert f"{reference}, le 02/03 : la personne a dit non." in listed[0].body
    assert "Fatou" not in listed[0].body


def test_nobody_is_told_once_the_referrer_left_the_network(alert_giver, session_factory, db,
                                                           admin, clock):
    reference = refer(alert_giver)
    alert_giver.send("QUITTER")
    alert_giver.send("oui")
    assert db.scalars(select(NetworkMember)).one().left_at is not None
    act(session_factory, admin, reference, inbox.change_status, "in_progress", now=clock.now)
    close(session_factory, admin, reference, "solution_found", clock.now)
    assert news_to(db, ALERT_GIVER) == [] and told(db, reference) == []


def test_nobody_is_told_after_stop(alert_giver, session_factory, db, admin, clock):
    reference = refer(alert_giver)
    alert_giver.send("STOP")
    close(session_factory, admin, reference, "solution_found", clock.now)
    assert news_to(db, ALERT_GIVER) == [] and told(db, reference) == []


def test_a_case_without_referrer_tells_nobody(runtime, session_factory, db, admin, clock):
    resident = SimulatedPhone(runtime, "sms", address=OTHER_PERSON)
    for text in ("Bonjour", "oui", "g pa de voiture", "1", "95200", "1", "le matin", "oui"):
        resident.send(text)
    reference = db.scalars(select(Case)).one().reference
    act(session_factory, admin, reference, inbox.change_status, "in_progress", now=clock.now)
    close(session_factory, admin, reference, "solution_found", clock.now)
    assert told(db, reference) == []
    assert [m for m in db.scalars(select(Message)).all() if NEWS in m.body] == []


def test_at_night_the_news_waits_for_the_morning_in_the_referrers_language(
        alert_giver, session_factory, db, admin, clock):
    reference = refer(alert_giver)
    with session_factory.begin() as session:
        session.execute(update(Contact).where(Contact.id == contact_of(db, ALERT_GIVER).id)
                        .values(language="en"))
    saturday_night = datetime(2026, 3, 7, 20, 30, tzinfo=timezone.utc)  # 21:30 in Paris
    close(session_factory, admin, reference, "solution_found", saturday_night)
    [news] = news_to(db, ALERT_GIVER)
    monday_morning = datetime(2026, 3, 9, 8, 0)  # 9:00 in Paris; Sunday is skipped
    assert news.next_attempt_at.replace(tzinfo=None) == monday_morning
    assert news.body == (f"News about the person you told us about (Fatou, {reference}):\n"
                         "A solution has been found for their journeys. Thank you for your help!")


def test_mes_demandes_lists_only_ones_own_referrals(runtime, alert_giver, session_factory, db,
                                                    admin, clock):
    with session_factory.begin() as session:
        session.add(Organisation(name="Mission locale de Cergy", kind="mission_locale",
                                 territory_kind="commune", territory_code="95127",
                                 contact_name="Paul Durand",
                                 invite_codes=[InviteCode(code="C3RGY9", kind="alert_giver")]))
    other = join(runtime, OTHER_GIVER, "C3RGY9", first_name="Karim")
    mine = refer(alert_giver, "Fatou")
    theirs = refer(other, "Lucas", OTHER_PERSON)
    close(session_factory, admin, mine, "solution_found", clock.now)
    [news] = alert_giver.collect()
    assert news.body.startswith(f"Des nouvelles de la personne que vous nous avez présentée "
                                f"(Fatou, {mine}) :")
    assert other.collect() == []

    [listed] = alert_giver.send("MES DEMANDES")
    assert listed.body == ("Vos dernières fiches de repérage :\n"
                           f"{mine}, Fatou, le 02/03 : solution trouvée.")
    [listed] = other.send("mes demandes")
    assert listed.body == ("Vos dernières fiches de repérage :\n"
                           f"{theirs}, Lucas, le 02/03 : en attente de son accord.")
    assert NOTE not in listed.body and mine not in listed.body


def test_mes_demandes_before_any_referral_and_for_a_resident(runtime, alert_giver):
    [listed] = alert_giver.send("mes demandes")
    assert listed.body.startswith("Vous n'avez pas encore fait de fiche de repérage.")
    assert "REPERAGE" in listed.body
    resident = SimulatedPhone(runtime, "sms", address=OTHER_PERSON)
    replies = resident.send("mes demandes")
    assert all("fiche" not in reply.body for reply in replies)  # the resident flow answers


def test_mes_demandes_shows_the_ten_latest_newest_first(alert_giver, session_factory, db, clock):
    for n in range(12):
        refer(alert_giver, f"Personne{n}", f"+336129900{n:02d}")
        clock.advance(hours=1)
    references = [c.reference for c in db.scalars(select(Case).order_by(Case.id.desc())).all()]
    listed = "\n".join(reply.body for reply in alert_giver.send("MES DEMANDES"))
    shown = [line.split(",")[0] for line in listed.splitlines()[1:]]
    assert shown == references[:10]


def test_the_json_api_closing_a_case_tells_the_referrer_too(alert_giver, session_factory, db,
                                                            db_url, admin, clock):
    from tests.inbox.conftest import make_app

    reference = refer(alert_giver)
    with session_factory.begin() as session:
        token = inbox.issue_token(session, session.get(User, admin), "tableur", clock.now)[1]
    client = make_app(db_url, INBOX_NOW=clock).test_client()
    response = client.post(f"/api/v1/cases/{reference}/status",
                           json={"status": "closed", "outcome": "no_answer"},
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.get_data(as_text=True)
    [news] = news_to(db, ALERT_GIVER)
    assert "malgré plusieurs essais" in news.body
