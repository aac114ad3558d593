"""Pictures and order for people who read little, over the whole resident flow.

Every Telegram option carries a pictogram, every SMS option a number, and each message
puts its most important words first: the question before its explanation, what happens
next before the reference number.
"""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

import pytest

from bot.channels.rendering import render
from bot.channels.sms_text import numbered_options, to_gsm7
from bot.compose import compose
from flows import engine
from flows.catalogue import catalogue, languages
from flows.model import State
from flows.resident import RESIDENT
from tests.flows.transcript import EXTRA, START, inbound_for, transcripts

QUESTION_MARKS = ("?", "؟")  # Arabic writes ؟
ENDINGS = ("resident.done_call", "resident.done_message")


def resident_paths():
    """Every turn of the resident transcripts: (transcript, channel, the turn's step)."""
    for path in transcripts():
        source = path.read_text(encoding="utf-8")
        if "invite:" in source or re.search(r"^> /start \S", source, re.MULTILINE):
            continue  # a partner's conversation, not the resident flow
        state, now, channel, app_language = State(flow=RESIDENT.id), START, "sms", ""
        for line in source.splitlines():
            if line.startswith("channel:"):
                channel, _, app_language = line.split(":", 1)[1].strip().partition(" ")
            elif line.startswith("> "):
                inbound = replace(inbound_for(line[2:], channel), language_hint=app_language or None)
                step = engine.advance(RESIDENT, state, inbound, now)
                state, now = step.state, now + timedelta(seconds=30)
                yield path.stem, channel, step


TURNS = list(resident_paths())


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?؟:])\s+|\n", text) if s.strip()]


def test_the_resident_transcripts_are_walked():
    assert len({name for name, *_ in TURNS}) >= 10
    assert {channel for _, channel, _ in TURNS} == {"sms", "telegram"}


def test_every_telegram_option_has_a_pictogram():
    options = [(name, o) for name, _, step in TURNS for r in step.replies for o in r.options]
    assert len(options) > 50
    for name, option in options:
        assert option.pictogram.strip(), f"{name}: {option.id} has no pictogram"


def test_every_sms_option_is_numbered_under_its_question():
    checked = 0
    for name, _, step in TURNS:
        for message in compose(step.replies, step.state.language, EXTRA):
            if not message.choices:
                continue
            sent = " ".join(part.body for part in render("sms", message)).split()
            numbered = numbered_options([choice.label for choice in message.choices])
            tails = (numbered.split(), to_gsm7(numbered).split())  # as written, or in GSM-7
            assert any(sent[-len(tail):] == tail for tail in tails), f"{name}: {sent}"
            checked += 1
    assert checked > 20


QUESTION_KEYS = sorted({key for q in RESIDENT.questions for key in (q.prompt, q.short)
                        if key and q.id != "summary"})


@pytest.mark.parametrize("language", languages())
@pytest.mark.parametrize("key", QUESTION_KEYS)
def test_a_question_comes_before_its_explanation(language, key):
    text = catalogue(language).get(key)
    if text is None:
        pytest.skip(f"{key} is not translated into {language}")  # French is used instead
    assert sentences(text)[0].endswith(QUESTION_MARKS), f"{language} {key}: {text}"


@pytest.mark.parametrize("language", languages())
def test_the_summary_shows_the_answers_then_asks(language):
    lines = catalogue(language)["resident.summary"].split("\n")
    assert lines[-1].endswith(QUESTION_MARKS)
    assert all("{" in line for line in lines[:-1])  # one answer per line, nothing else


@pytest.mark.parametrize("language", languages())
@pytest.mark.parametrize("key", ENDINGS)
def test_the_end_says_what_happens_next_before_the_reference(language, key):
    text = catalogue(language)[key]
    *before, last = sentences(text)
    assert "{reference}" in last, f"{language} {key}: {text}"
    assert any(re.search(r"\d", s) for s in before), f"{language} {key}: {text}"  # "3 jours"
