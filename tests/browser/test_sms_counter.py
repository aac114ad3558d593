"""The reply box counts what the server will send: the same rules in JavaScript and Python.

inbox/static/js/sms.js repeats bot/channels/sms_text.py so that the count follows the
typing; these tests run both on one table of texts and ask for the same answers.
"""
from __future__ import annotations

from playwright.sync_api import Page

from bot.channels.rendering import SMS_MAX_SEGMENTS
from bot.channels.sms_text import segment_info, sms_body, split_message, to_gsm7
from tests.browser.conftest import login

GRINNING = "\U0001F600"
LONG_FRENCH = (
    "Bonjour, votre rendez-vous à la plateforme mobilité est confirmé pour mardi. "
    "L’auto-école sociale vous attend à 14 h, au 3 rue de la Gare. "
    "Pensez à prendre une pièce d’identité et votre justificatif de domicile. "
) * 4
CASES = [
    "", "Bonjour", "a" * 160, "a" * 161, "€" * 80, "€" * 81, "Voilà, c'est prêt", "ê" * 70,
    "ê" * 71, "Rendez-vous 🚌 demain", "🚌" * 34, "👍🏽" * 20, "مرحبا", "œuvre « oui »",
    "l’arrêt « Gare du Nord »… – 10\u00a0h\u202f!", "Ça coûte cher… « vraiment » ? 😀",
    "Être appelé·e, ﬁn, 1ᵉʳ étage, Noël", "e\u0301" * 40 + GRINNING, "a\x00b\x07c\td\u200be",
    "a" * 152 + "[" + "a" * 152, "a" * 66 + GRINNING + "a" * 66, "\rabcde\r\n123",
    "\U0001F3F3\ufe0f\u200d\U0001F308" + "1" * 65, "a" + "\u0301" * 40, " \n ", "\ufeffBonjour\x85",
    LONG_FRENCH, LONG_FRENCH + GRINNING, "mot " * 400, "Привет, как дела? " * 20,
    ("Première phrase courte. " * 9 + "\n\n") * 3, "x" * 150 + " " + GRINNING * 10,
]


def in_browser(page: Page, function: str, texts: list[str], *extra: object) -> list:
    """window.relaisSms.<function>(text, *extra) for each text, in one round trip."""
    return page.evaluate(
        f"([texts, extra]) => texts.map(text => window.relaisSms.{function}(text, ...extra))",
        [texts, list(extra)])


def test_the_browser_applies_the_servers_sms_rules(page: Page):
    login(page)
    infos = in_browser(page, "segmentInfo", CASES)
    bodies = [sms_body(text) for text in CASES]
    for text, info in zip(CASES, infos):
        expected = segment_info(text)
        assert (info["encoding"], info["segments"], info["units"], tuple(info["costly"])) == (
            expected.encoding, expected.segments, expected.units, expected.costly_chars), text
    assert in_browser(page, "toGsm7", CASES) == [to_gsm7(text) for text in CASES]
    assert in_browser(page, "smsBody", CASES) == bodies
    for limit in (1, SMS_MAX_SEGMENTS):
        assert in_browser(page, "splitMessage", bodies, limit) == [
            split_message(body, limit) for body in bodies]


PREVIEWS = [  # (text, SMS segments as sent, replaced, what still makes the SMS dearer)
    ("Voilà, c'est prêt", 1, ["ê → e"], []),
    ("Ça coûte cher… « vraiment » ?", 1, ["û → u", "… → ...", "« → \"", "» → \""], []),
    ("Rendez-vous 🚌 à l’arrêt", 1, [], ["🚌"]),  # UCS-2 anyway: sent as typed
    ("ê" * 71, 1, ["ê → e"], []),  # 2 SMS as typed, 1 as sent
    (LONG_FRENCH, 6, ["’ → '"], []),  # 848 characters: 2 SMS of 3 segments, cut at a sentence
]


def test_the_preview_is_what_will_be_sent(page: Page):
    login(page)
    previews = in_browser(page, "preview", [text for text, *_ in PREVIEWS])
    for (text, segments, replaced, costly), preview in zip(PREVIEWS, previews):
        parts = split_message(sms_body(text), SMS_MAX_SEGMENTS)
        assert preview["sms"] == parts, text
        assert preview["segments"] == sum(segment_info(part).segments for part in parts) == segments
        assert (preview["replaced"], preview["costly"]) == (replaced, costly), text
