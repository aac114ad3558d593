"""Texts per language, kept in data files translators edit without code (flows/texts/*.toml)."""
from __future__ import annotations

import functools
import tomllib
from pathlib import Path
from typing import Any

from flows.model import Option, Reply

TEXTS = Path(__file__).parent / "texts"
DEFAULT_LANGUAGE = "fr"


@functools.cache
def catalogue(language: str) -> dict[str, str]:
    """All texts of a language as flat keys ("resident.welcome")."""
    path = TEXTS / f"{language}.toml"
    if not path.exists():
        return {}
    with path.open("rb") as file:
        return dict(_flatten(tomllib.load(file)))


def _flatten(table: dict[str, Any], prefix: str = ""):
    for key, value in table.items():
        if isinstance(value, dict):
            yield from _flatten(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


def languages() -> list[str]:
    return sorted(path.stem for path in TEXTS.glob("*.toml"))


def text(key: str, language: str = DEFAULT_LANGUAGE, **params: Any) -> str:
    """A text in the person's language (French when missing), with its parameters."""
    template = catalogue(language).get(key) or catalogue(DEFAULT_LANGUAGE).get(key)
    if template is None:
        raise KeyError(f"no text for {key!r}")
    values = {name: _value(value, language) for name, value in params.items()}
    return template.format_map(values)


def _value(value: Any, language: str) -> str:
    """A tuple is a list of text keys (or literal words) to say one after the other."""
    if isinstance(value, (tuple, list)):
        return " / ".join(_word(item, language) for item in value)
    return str(value)


def _word(item: str, language: str) -> str:
    known = catalogue(language).get(item) or catalogue(DEFAULT_LANGUAGE).get(item)
    return known if known is not None else item


def reply_text(reply: Reply, language: str = DEFAULT_LANGUAGE) -> str:
    return text(reply.key, language, **reply.params)


def option_label(option: Option, language: str = DEFAULT_LANGUAGE) -> str:
    return option.text or text(option.label, language)
