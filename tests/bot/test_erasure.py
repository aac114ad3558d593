"""EFFACER: once confirmed, nothing of the person is left in any table."""
from __future__ import annotations

from sqlalchemy import inspect, select, text

from storage.models import Case, ChannelAddress, Contact, Conversation, Message

PHONE = "+33639981234"
THEIR_WORDS = "je travaille de nuit a la boulangerie Dupont"


def everything_stored(engine) -> str:
    """Every value of every row of every table, as one text to search."""
    values = []
    with engine.connect() as connection:
        for table in inspect(engine).get_table_names():
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):
                values.extend(str(v) for v in row)
    return "\n".join(values)


def test_erasing_leaves_no_trace_of_the_person(sms_phone, runtime, engine, db):
    for line in ["Bonjour", "oui", THEIR_WORDS, "1", "Cergy", "1", "1", "1"]:
        sms_phone.send(line)
    assert db.scalars(select(Case)).one().difficulty_note == THEIR_WORDS
    before = everything_stored(engine)
    assert PHONE in before and THEIR_WORDS in before and "95127" in before

    sms_phone.send("EFFACER")
    [confirmation] = sms_phone.send("oui")  # the simulator delivers it: the last trace goes

    assert confirmation.body.startswith("C'est fait : vos données sont effacées.")
    stored = everything_stored(engine)
    assert PHONE not in stored
    assert THEIR_WORDS not in stored and "95127" not in stored  # Cergy
    for model in (Case, Contact, ChannelAddress, Conversation):
        assert db.scalars(select(model)).all() == [], model.__name__
    inbound = db.scalars(select(Message)).all()
    assert inbound and all(m.body == "" and m.contact_id is None for m in inbound)
    assert all(m.direction == "in" for m in inbound)  # kept only to recognise replays


def test_until_the_confirmation_is_sent_the_address_is_kept_to_send_it(sms_phone, runtime, db):
    sms_phone.send("Bonjour")
    sms_phone.send("effacer")
    from bot.inbound import InboundMessage

    runtime.receive(InboundMessage(channel="sms-sim", address=PHONE, text="oui", provider_id="x1"))
    queued = db.scalars(select(Message).where(Message.status == "queued")).one()
    assert queued.purge_after_send and db.scalars(select(ChannelAddress)).one().address == PHONE


def test_saying_no_keeps_everything(sms_phone, db):
    sms_phone.send("Bonjour")
    sms_phone.send("oui")
    sms_phone.send("effacer")
    [reply] = sms_phone.send("non")
    assert reply.body.startswith("D'accord, nous gardons vos réponses.")
    assert db.scalars(select(Contact)).one()
