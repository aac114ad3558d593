"""A voice note or a photo on Telegram, in the middle of the questions: a person takes over."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from storage.models import Case, CaseEvent, Conversation, Message
from tests.fakes.telegram import callback_update, photo_update, text_update, voice_update

CHAT = 5550002
HANDED_OVER = ("Merci ! Une personne de l'équipe mobilité va écouter ou regarder votre message. "
               "Elle vous répondra ici d'ici 2 jours.")


@pytest.fixture
def at_a_middle_question(telegram, fake_telegram):
    """The person agreed, and is asked what is difficult for their trips."""
    telegram.post(text_update(3001, CHAT, "Bonjour"))
    telegram.post(callback_update(3002, CHAT, "yes"))
    assert fake_telegram.sent_messages()[-1]["text"].startswith("Qu'est-ce qui est difficile")


@pytest.mark.parametrize("update, media", [
    (voice_update(3003, CHAT, file_id="voice-77", duration=9),
     {"kind": "voice", "ref": "voice-77", "duration": 9}),
    (photo_update(3003, CHAT, file_id="photo-77"), {"kind": "photo", "ref": "photo-77"}),
    (photo_update(3003, CHAT, file_id="photo-77", caption="le bus ne passe plus"),
     {"kind": "photo", "ref": "photo-77"}),
])
def test_a_voice_note_or_photo_is_handed_to_a_person_with_the_media_on_a_case(
        at_a_middle_question, telegram, fake_telegram, session_factory, update, media):
    assert telegram.post(update).status_code == 200
    assert fake_telegram.sent_messages()[-1]["text"] == HANDED_OVER
    with session_factory() as session:
        case = session.scalars(select(Case)).one()
        assert (case.source, case.channel, case.wants_human) == ("self", "telegram", True)
        kinds = session.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == case.id)
                                .order_by(CaseEvent.id)).all()
        assert kinds == ["created", "sent_media"]
        with_media = session.scalars(select(Message).where(Message.provider_id == "3003")).one()
        assert with_media.case_id == case.id and with_media.media == [media]
        assert session.scalars(select(Conversation)).one().status == "with_human"


def test_after_the_handover_the_bot_stays_quiet(at_a_middle_question, telegram, fake_telegram,
                                               session_factory):
    telegram.post(voice_update(3003, CHAT))
    sent = len(fake_telegram.sent_messages())
    telegram.post(text_update(3004, CHAT, "Vous avez reçu mon message ?"))
    assert len(fake_telegram.sent_messages()) == sent  # a person of the team answers
    with session_factory() as session:
        case = session.scalars(select(Case)).one()
        last = session.scalars(select(Message).order_by(Message.id.desc())).first()
        assert last.case_id == case.id and case.unread
