"""The benchmark's messages: resident conversations as signed Twilio SMS webhooks."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from tests.fakes.twilio_payloads import inbound_sms, sign

HOST = "127.0.0.1"
AUTH_TOKEN = "bench-" + "0123456789abcdef" * 2  # any token: the server is given the same
SMS_NUMBER = "+33700000000"  # the service's number (the "To" of every inbound SMS)
FICTION_PREFIX = "+3363998"  # ARCEP fiction range: 06 39 98 00 00 to 06 39 98 99 99
CONVERSATION = ("Bonjour", "oui", "1", "2", "Sarcelles", "1", "1", "oui")
SMS_PATH = "/webhooks/twilio/sms"
BARE_PATH = "/bench/bare"


def ramp_length(lanes: int) -> int:
    """Messages sent before every lane is active (their senders are closer together)."""
    return sum(sum(1 for lane in range(lanes) if tick >= lane % len(CONVERSATION))
               for tick in range(len(CONVERSATION)))


def conversation_stream(total: int, lanes: int) -> list[tuple[str, str, int]]:
    """`total` (sender, text, step) in sending order, in `lanes` staggered conversations.

    Lane l starts at tick l mod 8, so after the first 8 ticks every stretch of the stream
    holds all 8 steps in equal parts (new contacts, commune lookups, case creations…).
    A lane whose conversation is over goes on with a new number. Once all lanes run, two
    messages of one sender are `lanes` positions apart, more than the requests in flight
    (clients, open-loop threads), so a person's answers arrive in order; the ramp-up
    (ramp_length) is sent one request at a time as the warm-up.
    """
    numbers = iter(range(10_000))
    lane_state: list[list[Any] | None] = [None] * lanes
    out: list[tuple[str, str, int]] = []
    tick = 0
    while len(out) < total:
        for lane in range(lanes):
            if tick < lane % len(CONVERSATION):
                continue
            state = lane_state[lane]
            if state is None or state[1] == len(CONVERSATION):
                try:
                    state = [f"{FICTION_PREFIX}{next(numbers):04d}", 0]
                except StopIteration:
                    raise SystemExit("more than 10 000 conversations: lower -n or the rate") from None
                lane_state[lane] = state
            out.append((state[0], CONVERSATION[state[1]], state[1]))
            state[1] += 1
            if len(out) == total:
                break
        tick += 1
    return out


@dataclass
class Prepared:
    """One signed webhook request, and the same bytes posted to the bare endpoint."""

    sid: str
    sender: str
    step: int
    webhook: bytes
    bare: bytes


def raw_post(path: str, port: int, body: bytes, signature: str) -> bytes:
    head = (f"POST {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nUser-Agent: TwilioProxy/1.1\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n"
            f"X-Twilio-Signature: {signature}\r\nAccept: */*\r\n\r\n")
    return head.encode("ascii") + body


def prepare(port: int, stream: list[tuple[str, str, int]]) -> list[Prepared]:
    """Sign every form for the public URL the server is told (PUBLIC_BASE_URL)."""
    url = f"http://{HOST}:{port}{SMS_PATH}"
    prepared = []
    for sender, text, step in stream:
        sid = "SM" + uuid.uuid4().hex
        form = inbound_sms(sender, SMS_NUMBER, text, sid)
        signature = sign(AUTH_TOKEN, url, form)
        body = urlencode(form).encode("utf-8")
        prepared.append(Prepared(sid, sender, step, raw_post(SMS_PATH, port, body, signature),
                                 raw_post(BARE_PATH, port, body, signature)))
    return prepared

