"""The terminal simulator: a newcomer plays a resident against the real engine and database."""
from __future__ import annotations

import sys
import textwrap
from typing import TextIO

from bot.runtime import Runtime
from bot.simulator import Received, SimulatedPhone

WIDTH = 48
INTRO = """\
Simulateur Relais Mobilité ({look}) — numéro simulé : {address}
Écrivez comme sur un téléphone. Sur Telegram, tapez le numéro d'un bouton pour le choisir.
Ctrl-D ou /quitter pour finir. Les demandes créées ici sont de vraies demandes.
"""


def bubble(message: Received, look: str) -> str:
    """A received message drawn like a phone bubble, with its SMS cost or its buttons."""
    lines = []
    for paragraph in message.body.split("\n"):
        lines += textwrap.wrap(paragraph, WIDTH) or [""]
    if look == "telegram":
        lines += [f"  [{n}] {b['pictogram']} {b['label']}" for n, b in enumerate(message.buttons, 1)]
    border = "─" * (WIDTH + 2)
    body = "\n".join(f"│ {line.ljust(WIDTH)} │" for line in lines)
    footer = f"  {message.segments} SMS" if look == "sms" and message.segments else ""
    return f"┌{border}┐\n{body}\n└{border}┘{footer}"


def chat(runtime: Runtime, look: str, address: str | None = None,
         stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> None:
    """Read lines, send them, print what the bot answers, until the end of input."""
    phone = SimulatedPhone(runtime, look, address)
    print(INTRO.format(look="SMS" if look == "sms" else "Telegram", address=phone.address), file=stdout)
    for line in stdin:
        text = line.rstrip("\n")
        if text.strip() in ("/quitter", "/quit"):
            break
        if not text.strip():
            continue
        for message in phone.send(text):
            print(bubble(message, look), file=stdout)
        stdout.flush()
