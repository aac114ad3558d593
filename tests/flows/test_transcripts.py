"""Every transcript in tests/flows/transcripts/ replays exactly as written."""
from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from tests.flows.transcript import replay, transcripts


@pytest.mark.parametrize("path", transcripts(), ids=lambda p: p.stem)
def test_transcript(path: Path) -> None:
    written = path.read_text(encoding="utf-8")
    replayed = replay(written)
    if os.environ.get("UPDATE_TRANSCRIPTS") == "1":
        path.write_text(replayed, encoding="utf-8")
        return
    diff = "".join(difflib.unified_diff(
        written.splitlines(True), replayed.splitlines(True), "written", "replayed"))
    assert replayed == written, f"the conversation went differently:\n{diff}"


def test_there_are_transcripts() -> None:
    assert len(transcripts()) >= 10
