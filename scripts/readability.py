"""Readability of what a resident reads in French: Kandel & Moles' score (Flesch for French).

    .venv/bin/python scripts/readability.py

Score = 207 - 1.015 × (words per sentence) - 73.6 × (syllables per word), computed by
textstat (language "fr", syllables from pyphen's French dictionary) over every message
of the resident flow and the service (flows/texts/fr.toml without the option labels and
the partner network). Roughly: 90-100 very easy, 80-90 easy, 70-80 fairly easy,
60-70 standard, below 50 difficult.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import textstat  # noqa: E402

from flows.catalogue import catalogue  # noqa: E402

# Sections of options (read as labels, not sentences) and of other flows.
NOT_MESSAGES = ("consent.", "difficulties.", "purposes.", "contact_way.", "moments.", "fix.",
                "summary.yes", "summary.no", "common.yes", "common.no", "common.that_is_all",
                "commune.none", "partner.", "referral.", "categories.",
                "outing.", "outing_place.", "outing_weather.", "my_referrals.",
                "referrer_feedback.")
EXAMPLE = {"difficulties": "Pas de voiture", "purposes": "Travail", "commune": "Sarcelles",
           "contact": "Par téléphone", "reference": "RM-2026-00001", "name": "Saint-Denis",
           "label": "Sarcelles (95200)", "first_name": "Fatou", "organisation": "CCAS de Sarcelles"}


def resident_messages() -> list[str]:
    """The French messages a resident can receive, placeholders filled, one line a sentence."""
    messages = []
    for key, template in sorted(catalogue("fr").items()):
        if key.startswith(NOT_MESSAGES):
            continue
        for line in template.format_map(EXAMPLE).split("\n"):
            line = line.strip()
            messages.append(line if line[-1:] in ".!?:" else line + ".")
    return messages


def score(text: str) -> float:
    textstat.set_lang("fr")
    return round(textstat.flesch_reading_ease(text), 1)


def main() -> None:
    text = " ".join(resident_messages())
    textstat.set_lang("fr")
    words, sentences = textstat.lexicon_count(text), textstat.sentence_count(text)
    print(f"Kandel & Moles (français) : {score(text)}")
    print(f"{words} mots, {sentences} phrases, {textstat.syllable_count(text)} syllabes")


if __name__ == "__main__":
    main()
