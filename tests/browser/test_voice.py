"""A call leaves a message; the coordinator plays it in the case page, served through the inbox.

The live server is wired to the fake Twilio server, which holds the recording and checks
the account's credentials; the browser only ever talks to the inbox.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest
import requests
from playwright.sync_api import Page, expect

from bot.settings import Settings
from tests.browser.conftest import LiveServer, check_accessibility, login, seed_coordinator, serve
from tests.fakes.twilio import (ACCOUNT_SID, AUTH_TOKEN, new_sid, recording_status, sign,
                                voice_call)

LINE = "+33700000000"
PERSON = "+33612345678"
FRAMES = 80  # of 1152 samples at 44.1 kHz: about 2 seconds


def silent_mp3(frames: int = FRAMES) -> bytes:
    """MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, mono: frames of silence (empty side info)."""
    header = bytes([0xFF, 0xFB, 0x90, 0xC0])
    frame_size = 144 * 128_000 // 44_100  # 417 bytes, no padding
    return (header + bytes(frame_size - len(header))) * frames


@pytest.fixture
def live_server(db_url, session_factory, fake_twilio) -> Iterator[LiveServer]:
    """The app with the voice line on the fake Twilio; cases land in the coordinator's team."""
    from webhooks import create_app

    seed_coordinator(session_factory, default_team="Équipe Sarcelles")

    def make(url: str):
        settings = Settings(twilio_account_sid=ACCOUNT_SID, twilio_auth_token=AUTH_TOKEN,
                            twilio_api_base_url=fake_twilio.url, public_base_url=url)
        return create_app({"TESTING": True, "DATABASE_URL": db_url, "SETTINGS": settings})

    with serve(make) as live:
        yield live


def twilio_posts(live: LiveServer, url: str, form: dict) -> ET.Element:
    """POST a form the way Twilio does, signed for the public URL; the TwiML answered."""
    url = url if url.startswith("http") else live.url + url
    response = requests.post(url, data=form, timeout=10,
                             headers={"X-Twilio-Signature": sign(AUTH_TOKEN, url, form)})
    assert response.status_code == 200, response.text
    return ET.fromstring(response.content)


def leave_a_message(live: LiveServer, recording_sid: str) -> None:
    """Call, press 1, speak: Twilio then tells the recording is ready."""
    call = new_sid("CA")
    menu = twilio_posts(live, "/webhooks/twilio/voice", voice_call(PERSON, LINE, call))
    record = twilio_posts(live, menu.find("Gather").get("action"),
                          voice_call(PERSON, LINE, call, "in-progress", Digits="1"))
    callback = record.find("Record").get("recordingStatusCallback")
    twilio_posts(live, callback, recording_status(call, recording_sid, "completed", 2))


def test_the_coordinator_plays_a_recording_left_on_the_voice_line(page: Page, live_server,
                                                                  fake_twilio):
    leave_a_message(live_server, fake_twilio.add_recording(silent_mp3()))
    login(page)
    page.get_by_role("link", name="RM-2026-00001").click()

    audio = page.locator("audio[controls]")
    expect(audio).to_have_count(1)
    expect(page.get_by_text("Message vocal (2 s)")).to_be_visible()
    audio.evaluate("element => element.load()")
    page.wait_for_function(
        "element => element.readyState >= 1 && element.duration > 1", arg=audio.element_handle())
    duration = audio.evaluate("element => element.duration")
    assert 1.5 < duration < 2.5
    fetched = [path for verb, path, _ in fake_twilio.calls if path.endswith(".mp3")]
    assert fetched and all(verb == "GET" for verb, _, _ in fake_twilio.calls)
    assert "twilio" not in audio.get_attribute("src")
    check_accessibility(page)
