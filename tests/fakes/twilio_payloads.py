"""Twilio webhook payloads (form fields as Twilio posts them) and their signatures."""
from __future__ import annotations

import math
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from twilio.request_validator import RequestValidator
from werkzeug.datastructures import MultiDict

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "fa4e70ce3a1b5c2d9e8f7a6b5c4d3e2f"
MESSAGING_SERVICE_SID = "MG" + "fedcba9876543210" * 2
API_VERSION = "2010-04-01"
_GSM7 = ("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRST"
         "UVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
_GSM7_EXTENSION = "^{}\\[~]|€\f"
_COUNTRIES = {"+33": "FR", "+32": "BE", "+41": "CH", "+44": "GB", "+1": "US"}
Form = dict[str, str]


def new_sid(prefix: str) -> str:
    """A Twilio-style sid: two letters and 32 hex digits."""
    return prefix + uuid.uuid4().hex


def segments(body: str) -> int:
    """SMS segments for `body`: GSM-7 (160, then 153 each) or UCS-2 (70, then 67 each)."""
    if all(c in _GSM7 or c in _GSM7_EXTENSION for c in body):
        units = sum(2 if c in _GSM7_EXTENSION else 1 for c in body)
        single, multi = 160, 153
    else:
        units = len(body.encode("utf-16-le")) // 2
        single, multi = 70, 67
    return 1 if units <= single else math.ceil(units / multi)


def sign(auth_token: str, url: str, params: Mapping[str, str | Sequence[str]]) -> str:
    """The X-Twilio-Signature Twilio would send for a POST of `params` to `url`."""
    form: MultiDict[str, str] = MultiDict()
    for name, value in params.items():
        for item in [value] if isinstance(value, str) else value:
            form.add(name, item)
    return RequestValidator(auth_token).compute_signature(url, form)


def _country(number: str) -> str:
    """ISO country of a number as Twilio reports it (short codes count as French here)."""
    for prefix in sorted(_COUNTRIES, key=len, reverse=True):
        if number.startswith(prefix):
            return _COUNTRIES[prefix]
    return "FR"


def inbound_sms(from_: str, to: str, body: str, sid: str | None = None, *,
                media: Sequence[tuple[str, str]] = (), messaging_service_sid: str | None = None,
                account_sid: str = ACCOUNT_SID, **extra: str) -> Form:
    """The form Twilio posts to the messaging webhook; `media` is (url, content type) pairs."""
    sid = sid or new_sid("MM" if media else "SM")
    form: Form = {
        "ToCountry": _country(to), "ToState": "", "SmsMessageSid": sid,
        "NumMedia": str(len(media)), "ToCity": "", "FromZip": "", "SmsSid": sid,
        "FromState": "", "SmsStatus": "received", "FromCity": "", "Body": body,
        "FromCountry": _country(from_), "To": to, "ToZip": "",
        "NumSegments": str(segments(body)), "ReferralNumMedia": "0", "MessageSid": sid,
        "AccountSid": account_sid, "From": from_, "ApiVersion": API_VERSION,
    }
    if messaging_service_sid:
        form["MessagingServiceSid"] = messaging_service_sid
    for index, (url, content_type) in enumerate(media):
        form[f"MediaUrl{index}"] = url
        form[f"MediaContentType{index}"] = content_type
    form.update(extra)
    return form


def status_callback(sid: str, status: str, error_code: int | str | None = None, *,
                    from_: str = "+33700000000", to: str = "+33612345678",
                    messaging_service_sid: str | None = None,
                    account_sid: str = ACCOUNT_SID, **extra: str) -> Form:
    """The form Twilio posts to a message's StatusCallback (ErrorCode only on failures)."""
    form: Form = {
        "SmsSid": sid, "SmsStatus": status, "MessageStatus": status, "To": to,
        "MessageSid": sid, "AccountSid": account_sid, "From": from_, "ApiVersion": API_VERSION,
    }
    if messaging_service_sid:
        form["MessagingServiceSid"] = messaging_service_sid
    if error_code is not None:
        form["ErrorCode"] = str(error_code)
    form.update(extra)
    return form


def voice_call(from_: str, to: str, sid: str, status: str = "ringing", *,
               account_sid: str = ACCOUNT_SID, **extra: str) -> Form:
    """The form Twilio posts to the voice webhook and its actions (Digits, Recording… in extra)."""
    form: Form = {
        "Called": to, "ToState": "", "CallerCountry": _country(from_), "Direction": "inbound",
        "CallerState": "", "ToZip": "", "CallSid": sid, "To": to, "CallerZip": "",
        "ToCountry": _country(to), "CalledZip": "", "ApiVersion": API_VERSION, "CalledCity": "",
        "CallStatus": status, "From": from_, "AccountSid": account_sid, "CalledCountry": _country(to),
        "CallerCity": "", "ToCity": "", "FromCountry": _country(from_), "Caller": from_,
        "FromCity": "", "CalledState": "", "FromZip": "", "FromState": "",
    }
    form.update(extra)
    return form


def recording_status(call_sid: str, recording_sid: str, status: str = "completed",
                     duration: int = 0, *, account_sid: str = ACCOUNT_SID) -> Form:
    """The form Twilio posts to a <Record>'s recordingStatusCallback (no caller in it)."""
    url = f"https://api.twilio.com/{API_VERSION}/Accounts/{account_sid}/Recordings/{recording_sid}"
    form: Form = {
        "AccountSid": account_sid, "CallSid": call_sid, "RecordingSid": recording_sid,
        "RecordingUrl": url, "RecordingStatus": status, "RecordingChannels": "1",
        "RecordingStartTime": "Sun, 29 Nov 2026 21:00:00 +0000", "RecordingSource": "RecordVerb",
        "RecordingTrack": "inbound", "ErrorCode": "0",
    }
    if status != "in-progress":
        form["RecordingDuration"] = str(duration)
    if status == "absent":
        form["ErrorCode"] = "16102"  # silent
    return form


def message_resource(form: Mapping[str, Any], sid: str, account_sid: str, now: str) -> dict[str, Any]:
    """The Message resource JSON Twilio answers to a create, built from its form fields."""
    media = form.get("MediaUrl") or []
    via_service = form.get("MessagingServiceSid") and not form.get("From")
    uri = f"/{API_VERSION}/Accounts/{account_sid}/Messages/{sid}"
    return {
        "account_sid": account_sid, "api_version": API_VERSION, "body": form.get("Body", ""),
        "date_created": now, "date_sent": None, "date_updated": now,
        "direction": "outbound-api", "error_code": None, "error_message": None,
        "from": form.get("From"), "messaging_service_sid": form.get("MessagingServiceSid"),
        "num_media": str(len(media)),
        "num_segments": "0" if via_service else str(segments(form.get("Body", ""))),
        "price": None, "price_unit": None, "sid": sid,
        "status": "accepted" if via_service else "queued", "to": form.get("To"),
        "uri": uri + ".json", "subresource_uris": {"media": uri + "/Media.json"},
    }
