"""No message exceeds what its channel carries, and people read little before a question.

Checked on the messages of every transcript as the person receives them (every language,
SMS and Telegram), and on every option label in every language.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.channels.rendering import SMS_MAX_SEGMENTS
from bot.channels.sms_text import numbered_options, segment_info, sms_body, split_message
from bot.channels.telegram_sender import MAX_CALLBACK_DATA, MAX_TEXT
from flows import languages
from flows.catalogue import catalogue
from flows.commune_question import NONE_OPTION
from flows.questions import SomeOf
from flows.resident import RESIDENT
from flows.vocabulary import FIXES, YES_NO
from tests.flows.transcript import transcripts

MAX_BUTTON_LABEL = 32  # characters: longer labels are cut on a phone's screen
MAX_BEFORE_QUESTION = 320  # characters to read before the question (PRODUCT.md)
SENTENCE_ENDS = ".!?:؟…"
EXAMPLE = {  # long but real values for the placeholders
    "difficulties": "Pas de voiture / Trop cher / Santé", "purposes": "Travail, entretien / Courses",
    "commune": "Saint-Rémy-lès-Chevreuse (78470)", "contact": "Par téléphone / +33612345678",
    "reference": "RM-2026-00001", "name": "Saint-Denis", "label": "Saint-Denis (93200)",
    "organisation": "Centre communal d'action sociale de Sarcelles", "first_name": "Marie-Claire",
    "number": "06 12 34 56 78", "link": "t.me/RelaisMobiliteBot",
    "reach": "+33612345678 / Le matin", "categories": "Senior", "urgency": "le 12 mars",
    "note": "—",
    "place": "Permanence, accueil", "area": "Les Flanades, Sarcelles", "people": "12",
    "weather": "Pluie",
    "date": "12/03", "status": "en attente de son accord",  # a MES DEMANDES line
}


def messages(path: Path) -> list[tuple[str, list[str]]]:
    """(channel, lines) of each message the bot sends in a transcript."""
    found: list[tuple[str, list[str]]] = []
    channel, current = "sms", []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("< ") and line != "< ~~~":
            current.append(line[2:])
            continue
        if current:
            found.append((channel, current))
            current = []
        if line.startswith("channel:"):
            channel = line.split(":", 1)[1].split()[0]
    return found


def before_question(text: str) -> str:
    """What a person reads up to the last question of a message (all of it if none)."""
    end = max(text.rfind("?"), text.rfind("؟"))
    return text[: end + 1] if end >= 0 else text


def option_labels() -> set[str]:
    labels = {option.label for question in RESIDENT.questions for option in question.options()}
    labels |= {f"common.{choice.id}" for choice in YES_NO} | {f"fix.{part.id}" for part in FIXES}
    return labels | {NONE_OPTION.label, SomeOf.done_option.label}


def cut_mid_sentence(text: str) -> list[str]:
    """The SMS parts a long message is cut into that end inside a sentence."""
    bad, position = [], 0
    for part in split_message(text, SMS_MAX_SEGMENTS):
        end = text.index(part, position) + len(part)
        if not (part[-1] in SENTENCE_ENDS or text[end:end + 1] in ("", "\n")):
            bad.append(part)
        position = end
    return bad


@pytest.mark.parametrize("path", transcripts(), ids=lambda p: p.stem)
def test_every_message_fits_its_channel(path):
    """Telegram takes 4096 characters; on SMS a long turn is cut between sentences only."""
    for channel, lines in messages(path):
        if channel == "sms":
            assert cut_mid_sentence(sms_body("\n".join(lines))) == []
        else:
            body = "\n".join(line for line in lines if not line.startswith("["))
            assert len(body.encode("utf-16-le")) // 2 <= MAX_TEXT, body


@pytest.mark.parametrize("language", languages.SUPPORTED)
def test_every_question_comes_with_its_options_in_one_sms_part(language):
    """Never a question in one part and its numbered options in another.

    The summary's lines grow with the answers: a long one is cut between lines, so only
    its last line, the question, must stay with the options.
    """
    for question in RESIDENT.questions:
        options = [catalogue(language)[option.label] for option in question.options()]
        for key in filter(None, (question.prompt, question.short)):
            template = catalogue(language)[key]
            asked = template.split("\n")[-1] if "\n" in template else template
            text = asked.format_map(EXAMPLE) + "\n" + numbered_options(options)
            segments = segment_info(sms_body(text)).segments
            assert segments <= SMS_MAX_SEGMENTS, f"{language} {key}: {segments} SMS"


@pytest.mark.parametrize("language", languages.SUPPORTED)
def test_every_text_alone_fits_one_sms_part(language):
    for key, template in catalogue(language).items():
        segments = segment_info(sms_body(template.format_map(EXAMPLE))).segments
        assert segments <= SMS_MAX_SEGMENTS, f"{language} {key}: {segments} SMS"


@pytest.mark.parametrize("path", transcripts(), ids=lambda p: p.stem)
def test_little_to_read_before_each_question(path):
    for _, lines in messages(path):
        reading = before_question("\n".join(lines))
        assert len(reading) <= MAX_BEFORE_QUESTION, f"{len(reading)} characters: {reading}"


@pytest.mark.parametrize("language", languages.SUPPORTED)
def test_option_labels_fit_a_telegram_button(language):
    texts = catalogue(language)
    for key in option_labels():
        assert len(texts[key]) <= MAX_BUTTON_LABEL, f"{language} {key}: {texts[key]}"


def test_language_options_fit_buttons_and_callback_data():
    for channel in ("sms", "telegram"):
        for option in languages.options(languages.SUPPORTED, channel):
            assert len(option.text) <= MAX_BUTTON_LABEL
            assert len(option.id.encode()) <= MAX_CALLBACK_DATA


def test_the_transcripts_cover_every_language_on_both_channels():
    covered = set()
    for path in transcripts():
        channel = "sms"
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("channel:"):
                channel = line.split(":", 1)[1].split()[0]
            if line.startswith("! set_language language="):
                covered.add((line.rsplit("=", 1)[1], channel))
    wanted = {(code, channel) for code in languages.SUPPORTED[1:]
              for channel in ("sms", "telegram")}
    assert wanted <= covered
