"""The engine does no I/O: no database, no network, no files, no clock."""
from __future__ import annotations

import builtins
import socket
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

import pytest

from flows import engine
from flows.communes import default_gazetteer
from flows.model import Inbound, State
from flows.resident import RESIDENT

CONVERSATION = ["Bonjour", "oui", "g pa de voiture", "travail", "st denis", "93200", "1", "1",
                "RETOUR", "2", "1", "EFFACER", "non", "APPEL"]


def test_flows_import_no_database_web_or_provider_library():
    code = ("import sys, flows.engine, flows.resident, flows.catalogue; "
            "bad = [m for m in sys.modules if m.split('.')[0] in "
            "('sqlalchemy', 'flask', 'httpx', 'requests', 'telegram', 'twilio', 'storage', 'bot', "
            "'webhooks', 'inbox')]; print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_a_whole_conversation_runs_with_io_and_clock_unavailable(monkeypatch):
    default_gazetteer()  # reference data is loaded once, before the conversation starts

    def refuse(*args, **kwargs):
        raise AssertionError("the engine tried to do I/O")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(builtins, "open", refuse)
    monkeypatch.setattr(time, "time", refuse)
    monkeypatch.setitem(sys.modules, "sqlalchemy", None)

    state, now, replies = State(flow=RESIDENT.id), datetime(2026, 3, 2, 9, tzinfo=timezone.utc), 0
    for text in CONVERSATION:
        step = engine.advance(RESIDENT, state, Inbound(text=text), now)
        state, now, replies = step.state, now + timedelta(minutes=1), replies + len(step.replies)
    assert state.status == "with_human" and replies > len(CONVERSATION)


def test_the_same_inputs_give_the_same_outputs():
    now = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    runs = []
    for _ in range(2):
        state, steps = State(flow=RESIDENT.id), []
        for text in CONVERSATION[:8]:
            step = engine.advance(RESIDENT, state, Inbound(text=text), now)
            state = step.state
            steps.append((step.replies, step.effects, state.to_json()))
        runs.append(steps)
    assert runs[0] == runs[1]


@pytest.mark.parametrize("text", ["", " ", "\x00", "🙂" * 3000, "‮evil", "a" * 100_000])
def test_any_text_gets_an_answer_and_never_an_error(text):
    state = engine.advance(RESIDENT, State(flow=RESIDENT.id), Inbound(text="Bonjour"),
                           datetime(2026, 3, 2, tzinfo=timezone.utc)).state
    for question in ("consent", "difficulties"):
        step = engine.advance(RESIDENT, state, Inbound(text=text), datetime(2026, 3, 2, tzinfo=timezone.utc))
        assert step.replies
        state = engine.advance(RESIDENT, state, Inbound(text="oui"), datetime(2026, 3, 2, tzinfo=timezone.utc)).state
