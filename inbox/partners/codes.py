"""Invite codes people can type and read aloud, and the ways to hand them out.

A code is 6 characters from 18 letters and digits that cannot be mistaken for one
another, on a phone screen or over the phone: no 0/O/Q/D, 1/I/L/J, 2/Z, 5/S, 8/B, 6/G,
U/V. That makes 34 million codes; with the guessing limit (bot.network), a guesser
would need centuries.
"""
from __future__ import annotations

import io
import secrets

import segno

ALPHABET = "3479ACEFHKMNPRTWXY"
CODE_LENGTH = 6


def new_code() -> str:
    """A random code, e.g. "K7M4PX"."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def deep_link(bot_username: str, code: str) -> str:
    """The Telegram link that opens the bot with /start CODE ("" without a bot name)."""
    username = bot_username.strip().lstrip("@")
    return f"https://t.me/{username}?start={code}" if username else ""


def sms_keyword(code: str) -> str:
    """What to text to the service's number."""
    return f"PARTENAIRE {code}"


def qr_svg(link: str, title: str) -> bytes:
    """A printable QR code of the link, as an SVG document (medium error correction)."""
    qr = segno.make(link, error="m", micro=False)
    buffer = io.BytesIO()
    qr.save(buffer, kind="svg", scale=8, border=4, title=title, xmldecl=True, nl=False)
    return buffer.getvalue()
