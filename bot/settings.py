"""One settings object, read from the environment once."""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta


def _hours(name: str, default: float) -> timedelta:
    return timedelta(hours=float(os.environ.get(name, default)))


@dataclass(frozen=True)
class Settings:
    """What the runtime needs to know; every value has a sensible default."""

    remind_after: timedelta = timedelta(hours=24)  # one gentle reminder after this silence
    expire_after: timedelta = timedelta(days=7)  # then the answers are forgotten
    sweep_every_seconds: float = 60.0  # how often the worker looks for idle conversations

    @classmethod
    def from_env(cls) -> "Settings":
        return cls(
            remind_after=_hours("REMIND_AFTER_HOURS", 24),
            expire_after=_hours("EXPIRE_AFTER_HOURS", 24 * 7),
            sweep_every_seconds=float(os.environ.get("SWEEP_EVERY_SECONDS", 60)),
        )
