"""The runtime: messages in, cases and outbox rows out, all in one transaction."""
from __future__ import annotations

from sqlalchemy import select

from bot.inbound import InboundMessage
from flows.catalogue import text
from storage.models import Case, CaseEvent, ChannelAddress, Conversation, Message

SARCELLES_ANSWERS = ["Bonjour", "oui", "2 3", "1", "Sarcelles", "1", "1", "1"]


def talk(phone, *lines):
    replies = []
    for line in lines:
        replies = phone.send(line)
    return replies


def test_a_whole_conversation_creates_a_case_with_its_fields(sms_phone, db, teams, clock):
    last = talk(sms_phone, *SARCELLES_ANSWERS)

    case = db.scalars(select(Case)).one()
    assert case.reference == "RM-2026-00001"
    assert last[0].body.startswith("Merci ! Une personne")
    assert last[0].body.endswith("Votre numéro de demande : RM-2026-00001.")
    assert (case.commune_insee, case.commune_name) == ("95585", "Sarcelles")
    assert case.difficulties == ["no_vehicle", "cost"]
    assert case.purposes == ["job"]
    assert (case.contact_preference, case.contact_moments) == ("call", ["morning"])
    assert (case.source, case.channel, case.status) == ("self", "sms-sim", "new")
    assert (case.consent_by, case.consent_channel) == ("person", "sms-sim")
    assert case.consent_at is not None and case.consent_at <= clock.now
    assert case.team_id == teams["sarcelles"]  # a commune territory beats the département
    assert [e.kind for e in db.scalars(select(CaseEvent))] == ["created"]


def test_every_message_of_the_conversation_is_on_the_case(sms_phone, db):
    talk(sms_phone, *SARCELLES_ANSWERS)
    case = db.scalars(select(Case)).one()
    messages = db.scalars(select(Message).order_by(Message.id)).all()
    assert len(messages) == 16  # 8 written, 8 answered
    assert {m.case_id for m in messages} == {case.id}
    assert [m.body for m in messages if m.direction == "in"] == SARCELLES_ANSWERS


def test_sms_replies_are_numbered_and_counted_in_segments(sms_phone):
    first = sms_phone.send("Bonjour")
    assert len(first) == 1
    assert "\n1 Oui\n2 Non\n" in first[0].body  # then the other languages
    assert first[0].segments == 1


def test_telegram_replies_carry_buttons_with_pictograms(telegram_phone):
    first = telegram_phone.send("/start")
    assert first[0].buttons[:3] == [
        {"id": "yes", "label": "Oui", "pictogram": "✅"},
        {"id": "no", "label": "Non", "pictogram": "❌"},
        {"id": "language_en", "label": "English", "pictogram": "🌐"},  # then the others
    ]
    assert first[0].body == f"{text('resident.welcome')}\n{text('resident.consent')}"  # as written
    second = telegram_phone.send("1")  # a tap on the first button
    assert second[0].body.startswith("Qu'est-ce qui est difficile")


def test_routing_falls_back_to_the_departement_then_to_the_default_team(runtime, db, teams):
    from bot.simulator import SimulatedPhone

    cergy = SimulatedPhone(runtime, "sms", address="+33639980001")
    talk(cergy, "Bonjour", "oui", "1", "1", "Cergy", "2", "1")
    lyon = SimulatedPhone(runtime, "sms", address="+33639980002")
    talk(lyon, "Bonjour", "oui", "1", "1", "69003", "2", "1")
    cases = {c.commune_name: c.team_id for c in db.scalars(select(Case))}
    assert cases == {"Cergy": teams["val_d_oise"], "Lyon 3e Arrondissement": teams["default"]}


def test_a_replayed_provider_id_is_acknowledged_and_does_nothing(runtime, db):
    message = InboundMessage(channel="sms", address="+33612345678", text="Bonjour",
                             provider_id="SM0001")
    first = runtime.receive(message)
    again = runtime.receive(message)
    assert not first.duplicate and len(first.replies) == 1
    assert again.duplicate and again.replies == []
    assert db.scalar(select(Message.id).where(Message.direction == "in").order_by(
        Message.id.desc())) == first.message_id
    assert len(db.scalars(select(Message)).all()) == 2


def test_the_same_provider_id_on_another_channel_is_another_message(runtime):
    runtime.receive(InboundMessage(channel="sms", address="+33612345678", text="a", provider_id="1"))
    other = runtime.receive(InboundMessage(channel="telegram", address="77", text="a", provider_id="1"))
    assert not other.duplicate


def test_a_message_is_kept_even_when_handling_fails(runtime, db, monkeypatch):
    from flows import engine

    def broken(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(engine, "advance", broken)
    handled = runtime.receive(InboundMessage(channel="sms", address="+33612345678",
                                             text="J'ai besoin d'aide", provider_id="SM9"))
    assert handled.failed and handled.message_id
    row = db.get(Message, handled.message_id)
    assert row.body == "J'ai besoin d'aide" and row.error == "not handled by the bot"
    again = runtime.receive(InboundMessage(channel="sms", address="+33612345678",
                                           text="J'ai besoin d'aide", provider_id="SM9"))
    assert again.duplicate


def test_stop_marks_the_address_and_start_clears_it(sms_phone, db):
    talk(sms_phone, "Bonjour", "STOP")
    address = db.scalars(select(ChannelAddress)).one()
    assert address.opted_out_at is not None
    assert sms_phone.send("1") == []  # nothing is sent after STOP
    sms_phone.send("START")
    assert db.scalars(select(ChannelAddress)).one().opted_out_at is None


def test_asking_for_a_person_opens_a_flagged_case(sms_phone, db):
    replies = talk(sms_phone, "Bonjour", "oui", "1", "APPEL")
    case = db.scalars(select(Case)).one()
    assert case.wants_human and case.difficulties == ["no_licence"]
    assert replies[0].body.startswith("D'accord. Une personne")
    assert sms_phone.send("Je suis disponible demain matin") == []  # the bot stays quiet
    last = db.scalars(select(Message).order_by(Message.id.desc())).first()
    assert last.case_id == case.id and last.body == "Je suis disponible demain matin"


def test_refusing_consent_keeps_nothing_they_wrote(sms_phone, db):
    talk(sms_phone, "Bonjour, j'ai pas de voiture", "non")
    assert db.scalars(select(Case)).all() == []
    bodies = [m.body for m in db.scalars(select(Message).where(Message.direction == "in"))]
    assert bodies == ["", ""]


def test_conversation_state_is_saved_with_its_version(sms_phone, db):
    talk(sms_phone, "Bonjour", "oui")
    conversation = db.scalars(select(Conversation)).one()
    assert conversation.state["step"] == "difficulties"
    assert conversation.status == "active"
    assert conversation.version == 3  # created, then saved by each of the two turns
