"""/demandes/<id>/medias/<message>/<n>: recordings, voice notes and photos, through the inbox only."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.settings import Settings
from storage.models import Case, Message, Team
from tests.fakes.telegram import TOKEN
from tests.fakes.twilio import ACCOUNT_SID, AUTH_TOKEN
from tests.inbox.cases.helpers import make_case
from tests.inbox.conftest import ADMIN, make_app, seed_accounts

MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x64" + bytes(413)
OGG = b"OggS\x00\x02" + bytes(64)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(64)


def settings(fake_twilio, fake_telegram, **changes) -> Settings:
    return Settings(**{"twilio_account_sid": ACCOUNT_SID, "twilio_auth_token": AUTH_TOKEN,
                       "twilio_api_base_url": fake_twilio.url, "telegram_bot_token": TOKEN,
                       "telegram_api_base_url": fake_telegram.url, **changes})


@pytest.fixture
def app(db_url, session_factory, fake_twilio, fake_telegram):
    seed_accounts(session_factory)
    return make_app(db_url, SETTINGS=settings(fake_twilio, fake_telegram))


def add_media(session, case, channel: str, media: list[dict]) -> int:
    message = Message(contact_id=case.contact_id, case_id=case.id, direction="in",
                      channel=channel, body="", media=media, status="received",
                      created_at=case.created_at)
    session.add(message)
    session.flush()
    return message.id


@pytest.fixture
def media(session_factory, fake_twilio, fake_telegram) -> dict[str, str]:
    """A voice case of the coordinator's team, a Telegram case with a voice note and a
    photo, and another team's voice case; the files sit at the fake providers."""
    recording = fake_twilio.add_recording(MP3)
    fake_telegram.add_file("voice-1", OGG, "voice/file_1.oga")
    fake_telegram.add_file("photo-1", JPEG, "photos/file_2.jpg")
    with session_factory.begin() as session:
        ours = session.scalar(select(Team).where(Team.name == "Équipe Sarcelles"))
        theirs = Team(name="Équipe Cergy")
        session.add(theirs)
        session.flush()
        call = make_case(session, ours.id, address="+33612345678", channel="sms", source="voice")
        chat = make_case(session, ours.id, address="5550001", channel="telegram")
        other = make_case(session, theirs.id, address="+33612340000", channel="sms", source="voice")
        recorded = [{"kind": "recording", "ref": recording, "content_type": "audio/mpeg"}]
        paths = {
            "recording": f"/demandes/{call.id}/medias/{add_media(session, call, 'voice', recorded)}/0",
            "other": f"/demandes/{other.id}/medias/{add_media(session, other, 'voice', recorded)}/0",
        }
        telegram = add_media(session, chat, "telegram", [{"kind": "voice", "ref": "voice-1"},
                                                         {"kind": "photo", "ref": "photo-1"}])
        paths |= {"voice": f"/demandes/{chat.id}/medias/{telegram}/0",
                  "photo": f"/demandes/{chat.id}/medias/{telegram}/1",
                  "beyond": f"/demandes/{chat.id}/medias/{telegram}/2",
                  "elsewhere": f"/demandes/{call.id}/medias/{telegram}/0",
                  "call_page": f"/demandes/{call.id}", "chat_page": f"/demandes/{chat.id}"}
        return paths


def test_an_anonymous_visitor_gets_nothing_and_no_provider_is_asked(client, media, fake_twilio):
    response = client.get(media["recording"])
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]
    assert fake_twilio.calls == []


def test_a_coordinator_of_another_team_gets_nothing(client, auth, media, fake_twilio):
    auth.login()
    assert client.get(media["other"]).status_code == 404
    assert fake_twilio.calls == []


def test_an_admin_may_listen_to_any_team_s_recording(client, auth, media):
    auth.login(ADMIN)
    assert client.get(media["other"]).data == MP3


def test_a_recording_is_fetched_from_twilio_with_the_account_and_never_cached(
        client, auth, media, fake_twilio):
    auth.login()
    response = client.get(media["recording"])
    assert response.status_code == 200 and response.data == MP3
    assert response.mimetype == "audio/mpeg"
    assert "no-store" in response.headers["Cache-Control"]
    assert "private" in response.headers["Cache-Control"]
    [(verb, path, _)] = fake_twilio.calls  # the fake refuses a request without Basic auth
    assert verb == "GET" and path.endswith(".mp3") and f"/Accounts/{ACCOUNT_SID}/Recordings/" in path


def test_wrong_twilio_credentials_give_a_plain_not_found(app, client, auth, media, fake_twilio,
                                                         fake_telegram):
    app.config["SETTINGS"] = settings(fake_twilio, fake_telegram, twilio_auth_token="x" * 32)
    auth.login()
    assert client.get(media["recording"]).status_code == 404
    assert len(fake_twilio.calls) == 1  # the fake refused the credentials


@pytest.mark.parametrize("name, content, mimetype", [("voice", OGG, "audio/ogg"),
                                                     ("photo", JPEG, "image/jpeg")])
def test_a_telegram_voice_note_or_photo_comes_through_get_file(client, auth, media,
                                                                fake_telegram, name, content, mimetype):
    auth.login()
    response = client.get(media[name])
    assert (response.status_code, response.data, response.mimetype) == (200, content, mimetype)
    assert fake_telegram.count("getFile") == 1


def test_an_mms_photo_is_fetched_on_the_configured_host_only(client, auth, session_factory,
                                                            fake_twilio, media):
    url = fake_twilio.add_media("MM" + "1" * 32, JPEG, "image/jpeg")
    foreign = url.replace(ACCOUNT_SID, "AC" + "9" * 32)
    elsewhere = "https://example.org" + url.split(fake_twilio.url, 1)[1]  # same path, other host
    case = int(media["call_page"].rsplit("/", 1)[1])
    with session_factory.begin() as session:
        message = add_media(session, session.get(Case, case), "sms", [
            {"kind": "photo", "ref": url, "content_type": "image/jpeg"},
            {"kind": "photo", "ref": foreign, "content_type": "image/jpeg"},
            {"kind": "photo", "ref": elsewhere, "content_type": "text/html"}])
    auth.login()
    base = f"/demandes/{case}/medias/{message}"
    assert client.get(f"{base}/0").data == JPEG
    assert client.get(f"{base}/1").status_code == 404  # not our account's
    answer = client.get(f"{base}/2")  # fetched from the configured API, never another host
    assert answer.data == JPEG and answer.mimetype == "application/octet-stream"
    assert answer.headers["Content-Disposition"] == "attachment"


@pytest.mark.parametrize("name", ["beyond", "elsewhere"])
def test_a_media_that_is_not_on_this_case_is_not_found(client, auth, media, name):
    auth.login()
    assert client.get(media[name]).status_code == 404


def test_a_media_bigger_than_the_cap_is_refused(client, auth, media, monkeypatch):
    import bot.media

    monkeypatch.setattr(bot.media, "MAX_BYTES", len(MP3) - 1)
    auth.login()
    assert client.get(media["recording"]).status_code == 404


def test_the_case_page_plays_and_shows_media_through_the_inbox_only(client, auth, media,
                                                                    fake_twilio, fake_telegram):
    auth.login()
    call = client.get(media["call_page"]).get_data(as_text=True)
    assert f'<audio controls preload="metadata" src="{media["recording"]}"' in call
    chat = client.get(media["chat_page"]).get_data(as_text=True)
    assert f'src="{media["voice"]}"' in chat
    assert f'<img src="{media["photo"]}" alt="Photo envoyée par la personne"' in chat
    for page in (call, chat):
        assert fake_twilio.url not in page and "twilio.com" not in page
        assert fake_telegram.url not in page and TOKEN not in page
