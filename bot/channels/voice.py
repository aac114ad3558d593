"""Voice adapter (Twilio): call webhooks in, neutral `Call` out; what the caller hears, as TwiML.

The voice line speaks French only (fr-FR speech), so its few sentences live here rather
than in the resident flow's catalogues. A recording is kept as a reference (its
RecordingSid), never as a link: the inbox asks bot.media to fetch it with the account's
credentials.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from twilio.twiml.voice_response import VoiceResponse

from bot.channels.sms import normalize_phone
from bot.settings import Settings

LANGUAGE = "fr-FR"
MAX_MESSAGE_SECONDS = 120
MENU_WAIT_SECONDS = 6
ENDED = frozenset({"completed", "busy", "no-answer", "failed", "canceled"})
_RECORDING_SID = re.compile(r"RE[0-9a-f]{32}")

SAY = {
    "welcome": "Bonjour, ici Relais Mobilité. Nous aidons les personnes qui ont du mal à se "
               "déplacer. Seule l'équipe mobilité écoute vos messages.",
    "menu": "Pour laisser un message, appuyez sur 1. "
            "Pour recevoir un SMS et continuer par écrit, appuyez sur 2.",
    "not_heard": "Je n'ai pas compris votre choix.",
    "record": "Vous pouvez parler après le bip, pendant 2 minutes. Vous pouvez nous dire votre "
              "ville et ce qui est difficile pour vos trajets.",
    "no_choice": "Vous pouvez laisser un message.",
    "sms_stopped": "Vous ne recevez plus nos SMS. Pour les recevoir à nouveau, vous pouvez "
                   "écrire START par SMS. Vous pouvez aussi laisser un message.",
    "sms_sent": "Merci. Vous allez recevoir un SMS dans un instant. Au revoir.",
    "sms_known": "Merci. L'équipe mobilité a déjà votre demande. "
                 "Une personne va vous répondre. Au revoir.",
    "thanks": "Merci pour votre message. Une personne de l'équipe mobilité va vous rappeler "
              "d'ici 2 jours. Au revoir.",
}


class MalformedCall(ValueError):
    """The form lacks what every Twilio voice webhook carries (the webhook answers 400)."""


@dataclass(frozen=True)
class Call:
    """One request about a call: who calls, which key, which recording, which status."""

    sid: str
    caller: str  # E.164, as Twilio wrote it ("anonymous"), or "" (recording callbacks)
    digits: str = ""
    status: str = ""  # CallStatus: ringing, in-progress, completed, busy, no-answer…
    recording_sid: str = ""
    recording_status: str = ""  # in-progress, completed, absent, failed
    recording_seconds: int = 0

    def recording_media(self) -> dict[str, Any]:
        """The recording as a message's media reference (no URL: bot.media builds it)."""
        return {"kind": "recording", "ref": self.recording_sid, "content_type": "audio/mpeg",
                "duration": self.recording_seconds}


def parse_call(form: Mapping[str, str]) -> Call:
    """The fields of a voice webhook, call status or recording status callback."""
    sid = (form.get("CallSid") or "").strip()
    if not sid:
        raise MalformedCall("CallSid is required")
    caller = (form.get("From") or form.get("Caller") or "").strip()
    return Call(
        sid=sid, caller=normalize_phone(caller) if caller else "",
        digits=(form.get("Digits") or "").strip(),
        status=(form.get("CallStatus") or "").strip().lower(),
        recording_sid=(form.get("RecordingSid") or "").strip(),
        recording_status=(form.get("RecordingStatus") or "").strip().lower(),
        recording_seconds=_seconds(form.get("RecordingDuration")),
    )


def _seconds(value: str | None) -> int:
    try:
        return max(0, int(value or 0))
    except ValueError:
        return 0


def recording_url(settings: Settings, recording_sid: str, audio_format: str = "mp3") -> str:
    """Where the account's recording is fetched, with the account's credentials (Basic auth)."""
    if not _RECORDING_SID.fullmatch(recording_sid) or audio_format not in ("mp3", "wav"):
        raise ValueError("not a recording sid")
    base = settings.twilio_api_base_url.rstrip("/")
    return (f"{base}/2010-04-01/Accounts/{settings.twilio_account_sid}/Recordings/"
            f"{recording_sid}.{audio_format}")


# -- what the caller hears ----------------------------------------------------------------
def menu(choice_url: str, welcome: bool = True) -> str:
    """The welcome (or "not understood") and the two choices; silence also goes to `choice_url`."""
    response = VoiceResponse()
    response.say(SAY["welcome" if welcome else "not_heard"], language=LANGUAGE)
    gather = response.gather(input="dtmf", num_digits=1, timeout=MENU_WAIT_SECONDS,
                             action=choice_url, method="POST")
    gather.say(SAY["menu"], language=LANGUAGE)
    response.redirect(choice_url, method="POST")  # no key pressed: the same URL, no Digits
    return str(response)


def record(done_url: str, status_url: str, before: str | None = None) -> str:
    """Leave a message of up to 2 minutes after the beep (`before`: a sentence said first)."""
    response = VoiceResponse()
    if before:
        response.say(SAY[before], language=LANGUAGE)
    response.say(SAY["record"], language=LANGUAGE)
    response.record(action=done_url, method="POST", max_length=MAX_MESSAGE_SECONDS,
                    play_beep=True, finish_on_key="#", recording_status_callback=status_url,
                    recording_status_callback_method="POST",
                    recording_status_callback_event="in-progress completed absent")
    response.hangup()
    return str(response)


def after_choice(say: str, *, again_url: str, done_url: str, status_url: str) -> str:
    """What follows the menu (bot.calls.Next.say): the menu again, the message, or goodbye."""
    if say == "menu_again":
        return menu(again_url, welcome=False)
    if say.startswith("record"):
        before = {"record_no_choice": "no_choice", "record_sms_stopped": "sms_stopped"}
        return record(done_url, status_url, before.get(say))
    return goodbye(say)


def goodbye(sentence: str) -> str:
    """Say one of the closing sentences, then hang up."""
    response = VoiceResponse()
    response.say(SAY[sentence], language=LANGUAGE)
    response.hangup()
    return str(response)


def empty() -> str:
    """The answer to a status callback: nothing to say."""
    return str(VoiceResponse())
