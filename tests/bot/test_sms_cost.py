"""What a French resident pays in SMS for a whole self-referral: 8 segments at most."""
from __future__ import annotations

from sqlalchemy import select

from bot.channels.sms_text import segment_info
from bot.sms_cost import SEGMENT_BUDGET, costs_per_language, typical_path
from storage.models import Case, Message


def test_the_french_self_referral_costs_at_most_8_sms(runtime, db):
    cost = typical_path(runtime, "fr")

    case = db.scalars(select(Case)).one()  # the path went all the way to a case
    assert (case.difficulties, case.purposes, case.contact_preference) == (
        ["no_vehicle"], ["job"], "call")
    assert [message.segments for message in cost.received] == [1] * 8
    assert cost.segments <= SEGMENT_BUDGET == 8


def test_what_is_counted_is_what_is_stored_and_sent(runtime, db):
    cost = typical_path(runtime, "fr")

    sent = db.scalars(select(Message).where(Message.direction == "out").order_by(Message.id)).all()
    assert [m.body for m in sent] == [r.body for r in cost.received]
    for message in sent:  # the stored count is the exact count of the stored body
        assert message.segments == segment_info(message.body).segments
        assert segment_info(message.body).encoding == "GSM-7", message.body


def test_the_figure_per_language_is_computed_on_a_database_of_its_own():
    figures = costs_per_language(("fr",))
    assert figures == {"fr": 8}
