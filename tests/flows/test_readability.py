"""The French resident flow stays easy to read (scripts/readability.py, in the README)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "readability.py"
EASY = 75  # Kandel & Moles: 70-80 fairly easy, 80-90 easy


def load():
    spec = importlib.util.spec_from_file_location("readability", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_score_tells_easy_from_hard_french():
    readability = load()
    easy = "Vous avez du mal à vous déplacer ? Nous pouvons vous aider."
    hard = ("Conformément aux dispositions réglementaires applicables, l'instruction de votre "
            "demande nécessite la transmission préalable des justificatifs administratifs.")
    assert readability.score(easy) > 80 > 40 > readability.score(hard)


def test_the_resident_flow_is_easy_to_read():
    readability = load()
    messages = readability.resident_messages()
    assert len(messages) > 30 and not any("{" in m for m in messages)
    assert readability.score(" ".join(messages)) >= EASY
