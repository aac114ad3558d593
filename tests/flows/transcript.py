"""Transcript files: whole conversations, written as the person and the bot say them.

    # a comment                     kept as is
    channel: sms                    sms (the bot knows the number) or telegram (it does not)
    > j'habite a sarcelles          what the person writes
    > [yes]                         a button tapped on Telegram (an option id)
    > /start CODE                   a command
    > (voice)                       a voice note
    @ +25h                          time passes (m, h, d)
    @ remind                        the reminder sweep runs now
    < Dans quelle ville …           what the bot answers (checked whole)
    < ~~~                           between two messages of one turn
    ! create_case commune_insee=…   an effect the runtime will apply

Only the lines starting with ">", "@", "#" and "channel:" are read as input: the
expected "<" and "!" lines are produced again and the whole file must match. Run with
UPDATE_TRANSCRIPTS=1 to rewrite the files after a deliberate change of wording, and
review the diff.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

from bot.compose import compose
from flows import engine
from flows.model import Inbound, State, Step
from flows.resident import RESIDENT

START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)  # a Monday morning
IDLE_AFTER, EXPIRE_AFTER = timedelta(hours=24), timedelta(days=7)
EXTRA = {"reference": "RM-2026-00001"}
UNITS = {"m": "minutes", "h": "hours", "d": "days"}


def inbound_for(line: str, channel: str) -> Inbound:
    phone = channel == "sms"
    if line.startswith("[") and line.endswith("]"):
        return Inbound(option_id=line[1:-1], channel=channel, address_is_phone=phone)
    if line.startswith("/"):
        command, _, payload = line[1:].partition(" ")
        return Inbound(command=command, payload=payload or None, channel=channel,
                       address_is_phone=phone)
    if line == "(voice)":
        return Inbound(media=("voice",), channel=channel, address_is_phone=phone)
    return Inbound(text=line, channel=channel, address_is_phone=phone)


def render(step: Step, channel: str) -> list[str]:
    """The bot's side of one turn, as transcript lines."""
    lines: list[str] = []
    for n, message in enumerate(compose(step.replies, step.state.language, EXTRA)):
        if n:
            lines.append("< ~~~")
        lines += [f"< {line}" for line in message.body.split("\n")]
        for number, choice in enumerate(message.choices, 1):
            shown = f"{number} {choice.label}" if channel == "sms" else f"[{choice.pictogram} {choice.label}]"
            lines.append(f"< {shown}")
    for effect in step.effects:
        fields = " ".join(f"{k}={_short(v)}" for k, v in sorted(effect.data.items()) if v)
        lines.append(f"! {effect.kind} {fields}".rstrip())
    return lines


def _short(value: object) -> str:
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    if isinstance(value, dict):
        return "{" + ",".join(f"{k}:{_short(v)}" for k, v in sorted(value.items()) if v) + "}"
    return str(value).replace("\n", " ")


def replay(source: str) -> str:
    """Run the person's side of a transcript and write the whole transcript again."""
    state, now, channel = State(flow=RESIDENT.id), START, "sms"
    out: list[str] = []
    for line in source.splitlines():
        if line.startswith(("<", "!")):
            continue
        out.append(line)
        if line.startswith("channel:"):
            channel = line.split(":", 1)[1].strip()
        elif line.startswith("@ remind"):
            step = engine.remind(RESIDENT, state, now, IDLE_AFTER, EXPIRE_AFTER)
            if step is not None:
                state = step.state
                out += render(step, channel)
        elif line.startswith("@ +"):
            amount, unit = re.fullmatch(r"@ \+(\d+)([mhd])", line.strip()).groups()
            now += timedelta(**{UNITS[unit]: int(amount)})
        elif line.startswith("> "):
            step = engine.advance(RESIDENT, state, inbound_for(line[2:], channel), now)
            state = step.state
            out += render(step, channel)
            now += timedelta(seconds=30)
    return "\n".join(out) + "\n"


def transcripts() -> list[Path]:
    return sorted((Path(__file__).parent / "transcripts").glob("*.txt"))
