"""What people sent besides text (call recordings, voice notes, photos), fetched for the inbox.

A message keeps only a reference to its media (a RecordingSid, a Telegram file_id, a
Twilio media URL). The inbox asks for the media of a message it may show; this module
fetches it from the provider with the account's credentials and hands back a bounded
stream with a safe content type. Nobody ever gets a provider link. Plain HTTP (requests)
against the configured base URLs, so tests reach the fake servers.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests

from bot.channels.voice import recording_url
from bot.settings import Settings

MAX_BYTES = 20 * 1024 * 1024  # the most a Telegram bot may download; a 2-minute call is ~2 MB
TIMEOUT = (5.0, 30.0)  # seconds: to connect, between two bytes
CHUNK = 64 * 1024
# Types the inbox may show inline; anything else is offered as a download.
SHOWN = {"audio/mpeg", "audio/ogg", "audio/x-wav", "audio/wav", "image/jpeg", "image/png",
         "image/gif", "image/webp"}
KIND_TYPES = {"recording": "audio/mpeg", "voice": "audio/ogg", "photo": "image/jpeg"}
_TWILIO_MEDIA = re.compile(r"/2010-04-01/Accounts/(AC\w+)/Messages/(MM|SM)\w+/Media/ME\w+")
_TELEGRAM_FILE_ID = re.compile(r"[A-Za-z0-9_-]{1,256}")
_TELEGRAM_PATH = re.compile(r"[A-Za-z0-9_./-]{1,256}")


class MediaUnavailable(Exception):
    """The media cannot be fetched (unknown reference, provider refusal, too big)."""


@dataclass
class Fetched:
    """A media on its way: its type, its size when known, and its bytes, at most MAX_BYTES."""

    content_type: str
    length: int | None
    chunks: Iterator[bytes]


def fetch(settings: Settings, channel: str, media: Mapping[str, Any]) -> Fetched:
    """The bytes of one media of a message received on `channel`."""
    kind, ref = media.get("kind"), media.get("ref")
    if not isinstance(ref, str) or not ref:
        raise MediaUnavailable("no reference")
    if channel == "voice" and kind == "recording":
        try:
            url = recording_url(settings, ref, "mp3")
        except ValueError:
            raise MediaUnavailable("not a recording sid") from None
        response = _get(url, auth=_twilio_auth(settings))
    elif channel == "sms":
        response = _get(_twilio_media_url(settings, ref), auth=_twilio_auth(settings))
    elif channel == "telegram":
        response = _get(_telegram_file_url(settings, ref))
    else:
        raise MediaUnavailable(f"no media on channel {channel}")
    declared = str(media.get("content_type") or KIND_TYPES.get(str(kind), ""))
    return Fetched(_safe_type(declared), _length(response), _bounded(response))


def _twilio_auth(settings: Settings) -> tuple[str, str]:
    if not (settings.twilio_account_sid and settings.twilio_auth_token):
        raise MediaUnavailable("Twilio is not configured")
    return settings.twilio_account_sid, settings.twilio_auth_token


def _twilio_media_url(settings: Settings, ref: str) -> str:
    """An MMS media of our account, on the configured API host (never any other host)."""
    path = urlsplit(ref).path
    match = _TWILIO_MEDIA.fullmatch(path)
    if match is None or match.group(1) != settings.twilio_account_sid:
        raise MediaUnavailable("not a media of this Twilio account")
    return settings.twilio_api_base_url.rstrip("/") + path


def _telegram_file_url(settings: Settings, file_id: str) -> str:
    """getFile, then the file's download URL of the Bot API."""
    token = settings.telegram_bot_token
    if not token or not _TELEGRAM_FILE_ID.fullmatch(file_id):
        raise MediaUnavailable("Telegram is not configured, or not a file id")
    base = settings.telegram_api_base_url.rstrip("/")
    try:
        answer = requests.get(f"{base}/bot{token}/getFile", params={"file_id": file_id},
                              timeout=TIMEOUT)
        result = answer.json().get("result") or {}
    except (requests.RequestException, ValueError, AttributeError) as error:
        raise MediaUnavailable(f"getFile failed: {type(error).__name__}") from None
    path = result.get("file_path") if isinstance(result, dict) else None
    if not answer.ok or not isinstance(path, str) or not _TELEGRAM_PATH.fullmatch(path) \
            or ".." in path:
        raise MediaUnavailable("getFile gave no file path")
    if int(result.get("file_size") or 0) > MAX_BYTES:
        raise MediaUnavailable("file too big")
    return f"{base}/file/bot{token}/{path}"


def _get(url: str, auth: tuple[str, str] | None = None) -> requests.Response:
    try:
        # Twilio may redirect to a short-lived storage link: requests drops the credentials
        # when the host changes.
        response = requests.get(url, auth=auth, stream=True, timeout=TIMEOUT)
    except requests.RequestException as error:
        raise MediaUnavailable(f"unreachable: {type(error).__name__}") from None
    if response.status_code != 200 or (_length(response) or 0) > MAX_BYTES:
        response.close()
        raise MediaUnavailable(f"provider answered {response.status_code}")
    return response


def _length(response: requests.Response) -> int | None:
    value = response.headers.get("Content-Length", "")
    return int(value) if value.isdigit() else None


def _bounded(response: requests.Response) -> Iterator[bytes]:
    """The body in chunks, cut at MAX_BYTES; the connection is released at the end."""
    sent = 0
    try:
        for chunk in response.iter_content(CHUNK):
            sent += len(chunk)
            if sent > MAX_BYTES:
                return
            yield chunk
    finally:
        response.close()


def _safe_type(content_type: str) -> str:
    """A type the browser may show inline, else a plain download."""
    base = content_type.split(";")[0].strip().lower()
    return base if base in SHOWN else "application/octet-stream"
