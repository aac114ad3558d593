"""The SMS adapter: Twilio's webhook forms, signatures, TwiML, and sending to FakeTwilio."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Request, Response

from bot.channels.base import SendError
from bot.channels.sms import (
    MalformedSms, SmsSender, normalize_phone, opt_out_type, parse_form, redirect_url,
    signature_is_valid, twiml_empty,
)
from bot.inbound import InboundMessage
from bot.settings import Settings
from tests.fakes.server import FakeServer, json_response
from tests.fakes.twilio import (
    ACCOUNT_SID, AUTH_TOKEN, MESSAGING_SERVICE_SID, FakeTwilio, inbound_sms, sign,
)

SID = "SM" + "a" * 32
MEDIA_SID = "MM" + "b" * 32
PUBLIC_URL = "https://relais.example.fr/webhooks/twilio/sms"


def sms(text: str, address: str = "+33612345678", provider_id: str = SID, **fields: Any) -> InboundMessage:
    return InboundMessage(channel="sms", address=address, text=text, provider_id=provider_id,
                          **fields)


FORMS = [
    ("text", inbound_sms("+33612345678", "38123", "Bonjour", sid=SID), sms("Bonjour")),
    ("emoji", inbound_sms("+33612345678", "38123", "🚗❌ 👍🏽", sid=SID), sms("🚗❌ 👍🏽")),
    ("right-to-left Arabic", inbound_sms("+33612345678", "38123", "ليس لدي سيارة", sid=SID),
     sms("ليس لدي سيارة")),
    ("markup stays text", inbound_sms("+33612345678", "38123", "<script>x</script>", sid=SID),
     sms("<script>x</script>")),
    ("empty body", inbound_sms("+33612345678", "38123", "", sid=SID), sms("")),
    ("national number", inbound_sms("06 12 34 56 78", "38123", "oui", sid=SID), sms("oui")),
    ("foreign number", inbound_sms("+32470123456", "38123", "oui", sid=SID),
     sms("oui", "+32470123456")),
    ("short code sender", inbound_sms("38123", "+33700000000", "info", sid=SID),
     sms("info", "38123")),
    ("alphanumeric sender", inbound_sms("RelaisInfo", "+33700000000", "x", sid=SID),
     sms("x", "RelaisInfo")),
    ("STOP with Advanced Opt-Out", inbound_sms("+33612345678", "38123", "STOP", sid=SID,
                                               OptOutType="STOP"),
     sms("STOP", provider_confirms_stop=True)),
    ("START with Advanced Opt-Out", inbound_sms("+33612345678", "38123", "START", sid=SID,
                                                OptOutType="START"), sms("START")),
    ("media", inbound_sms("+33612345678", "38123", "voilà", sid=MEDIA_SID, media=[
        ("https://api.twilio.com/m/ME1", "image/jpeg"), ("https://api.twilio.com/m/ME2", "audio/amr"),
        ("https://api.twilio.com/m/ME3", "application/pdf")]),
     sms("voilà", provider_id=MEDIA_SID, media=(
         {"kind": "photo", "ref": "https://api.twilio.com/m/ME1", "content_type": "image/jpeg"},
         {"kind": "audio", "ref": "https://api.twilio.com/m/ME2", "content_type": "audio/amr"},
         {"kind": "file", "ref": "https://api.twilio.com/m/ME3", "content_type": "application/pdf"}))),
    ("NumMedia that is no number", inbound_sms("+33612345678", "38123", "x", sid=SID,
                                               NumMedia="deux"), sms("x")),
    ("NumMedia larger than what came", inbound_sms("+33612345678", "38123", "x", sid=SID,
                                                   NumMedia="3"), sms("x")),
    ("only the old SmsSid", {"From": "+33612345678", "Body": "x", "SmsSid": SID}, sms("x")),
]


@pytest.mark.parametrize(("form", "expected"), [(f, e) for _, f, e in FORMS],
                         ids=[name for name, _, _ in FORMS])
def test_parse_form(form: dict[str, str], expected: InboundMessage) -> None:
    assert parse_form(form) == expected
    assert parse_form(MultiDict(form)) == expected  # as Flask hands it over


@pytest.mark.parametrize("form", [
    {}, {"Body": "x", "MessageSid": SID}, {"From": "", "MessageSid": SID},
    {"From": "+33612345678", "Body": "x"}, {"From": "+33612345678", "MessageSid": "  "},
])
def test_malformed_forms(form: dict[str, str]) -> None:
    with pytest.raises(MalformedSms):
        parse_form(form)


def test_opt_out_type() -> None:
    assert opt_out_type(inbound_sms("+33612345678", "38123", "stop", OptOutType="STOP")) == "STOP"
    assert opt_out_type(inbound_sms("+33612345678", "38123", "stop")) is None


@pytest.mark.parametrize(("raw", "expected"), [
    ("+33612345678", "+33612345678"), ("0612345678", "+33612345678"),
    ("06 12 34 56 78", "+33612345678"), ("0033612345678", "+33612345678"),
    ("+33 6 39 98 12 34", "+33639981234"),  # the range kept for fiction: possible, not valid
    ("+1 415 555 0100", "+14155550100"), ("38123", "38123"), ("RelaisInfo", "RelaisInfo"),
    ("whatsapp:+33612345678", "whatsapp:+33612345678"), ("123", "123"), ("", ""),
    ("  ", ""), ("++33", "++33"), ("+33612345678999", "+33612345678999"),
])
def test_normalize_phone(raw: str, expected: str) -> None:
    assert normalize_phone(raw) == expected


def test_signatures() -> None:
    form = inbound_sms("+33612345678", "38123", "Bonjour", sid=SID)
    signature = sign(AUTH_TOKEN, PUBLIC_URL, form)
    assert signature_is_valid(AUTH_TOKEN, PUBLIC_URL, form, signature)
    assert signature_is_valid(AUTH_TOKEN, PUBLIC_URL, MultiDict(form), signature)
    assert not signature_is_valid(AUTH_TOKEN, PUBLIC_URL, {**form, "Body": "Bonjour!"}, signature)
    assert not signature_is_valid(AUTH_TOKEN, PUBLIC_URL + "?x=1", form, signature)
    assert not signature_is_valid(AUTH_TOKEN, "http://10.0.0.5:8000/webhooks/twilio/sms", form, signature)
    assert not signature_is_valid(AUTH_TOKEN, PUBLIC_URL, form, signature[:-2] + "x=")
    assert not signature_is_valid("other-token", PUBLIC_URL, form, signature)
    assert not signature_is_valid(AUTH_TOKEN, PUBLIC_URL, form, "")
    assert not signature_is_valid(AUTH_TOKEN, PUBLIC_URL, form, None)
    assert not signature_is_valid("", PUBLIC_URL, form, sign("", PUBLIC_URL, form))
    with_query = PUBLIC_URL + "?campaign=95"
    assert signature_is_valid(AUTH_TOKEN, with_query, form, sign(AUTH_TOKEN, with_query, form))


def test_twiml_empty() -> None:
    root = ET.fromstring(twiml_empty())
    assert root.tag == "Response" and list(root) == [] and not (root.text or "").strip()


# -- sending ----------------------------------------------------------------------------
def settings_for(url: str, sender: str = "+33700000000", public: str = "https://relais.example.fr",
                 token: str = AUTH_TOKEN) -> Settings:
    return Settings(twilio_account_sid=ACCOUNT_SID, twilio_auth_token=token,
                    twilio_api_base_url=url, sms_sender=sender, public_base_url=public)


@pytest.mark.parametrize(("sender", "public", "fields"), [
    ("+33700000000", "https://relais.example.fr",
     {"From": "+33700000000", "StatusCallback": "https://relais.example.fr/webhooks/twilio/status"}),
    ("38123", "", {"From": "38123"}),
    (MESSAGING_SERVICE_SID, "https://relais.example.fr",
     {"MessagingServiceSid": MESSAGING_SERVICE_SID,
      "StatusCallback": "https://relais.example.fr/webhooks/twilio/status"}),
], ids=["long number", "short code, no public URL", "messaging service"])
def test_send(fake_twilio: FakeTwilio, sender: str, public: str, fields: dict[str, str]) -> None:
    sid = SmsSender(settings_for(fake_twilio.url, sender, public)).send(
        "+33612345678", "Bonjour ! Répondez 1 ou 2", [{"id": "yes", "label": "Oui"}])
    assert sid.startswith("SM") and len(sid) == 34
    assert fake_twilio.messages == [
        {"To": "+33612345678", "Body": "Bonjour ! Répondez 1 ou 2", **fields, "Sid": sid}]


@pytest.mark.parametrize(("fail", "expected"), [
    (lambda fake: fake.fail_next(status=429),
     {"code": "429", "retry_after": None, "blocked": False, "permanent": False}),
    (lambda fake: fake.fail_next(code=21610),
     {"code": "21610", "retry_after": None, "blocked": True, "permanent": True}),
    (lambda fake: fake.unsubscribe("+33612345678"),
     {"code": "21610", "retry_after": None, "blocked": True, "permanent": True}),
    (lambda fake: fake.fail_next(status=500),
     {"code": "20500", "retry_after": None, "blocked": False, "permanent": False}),
    (lambda fake: fake.fail_next(status=503),
     {"code": "20503", "retry_after": None, "blocked": False, "permanent": False}),
    (lambda fake: fake.fail_next(code=21211),
     {"code": "21211", "retry_after": None, "blocked": False, "permanent": True}),
], ids=["429", "21610", "STOP texted", "500", "503", "400 invalid To"])
def test_send_errors(fake_twilio: FakeTwilio, fail, expected: dict[str, Any]) -> None:
    fail(fake_twilio)
    with pytest.raises(SendError) as caught:
        SmsSender(settings_for(fake_twilio.url)).send("+33612345678", "Bonjour", None)
    error = caught.value
    assert {"code": error.code, "retry_after": error.retry_after, "blocked": error.blocked,
            "permanent": error.permanent} == expected
    assert fake_twilio.count() == 0


def test_wrong_credentials_are_permanent(fake_twilio: FakeTwilio) -> None:
    with pytest.raises(SendError) as caught:
        SmsSender(settings_for(fake_twilio.url, token="wrong")).send("+33612345678", "x", None)
    assert (caught.value.code, caught.value.permanent) == ("20003", True)


class TooManyRequests(FakeServer):
    """Answers every request 429 with a Retry-After header, as FakeTwilio does not."""

    def handle(self, request: Request) -> Response:
        body = {"code": 20429, "message": "Too Many Requests", "status": 429}
        return json_response(body, 429, {"Retry-After": "12"})


def test_retry_after_header_is_honoured() -> None:
    with TooManyRequests() as server, pytest.raises(SendError) as caught:
        SmsSender(settings_for(server.url)).send("+33612345678", "Bonjour", None)
    assert (caught.value.retry_after, caught.value.permanent) == (12.0, False)


def test_unreachable_twilio_is_transient(fake_twilio: FakeTwilio) -> None:
    url = fake_twilio.url
    fake_twilio.stop()
    with pytest.raises(SendError) as caught:
        SmsSender(settings_for(url)).send("+33612345678", "Bonjour", None)
    assert (caught.value.code, caught.value.permanent) == ("network", False)


def test_real_api_is_left_alone_and_configuration_is_required() -> None:
    sender = SmsSender(settings_for("https://api.twilio.com"))
    assert sender.http.base_url is None  # requests go to Twilio itself (not in tests!)
    with pytest.raises(ValueError, match="SMS_SENDER"):
        SmsSender(settings_for("https://api.twilio.com", sender=""))


@pytest.mark.parametrize(("url", "expected"), [
    ("https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json",
     "http://fake:1/2010-04-01/Accounts/AC1/Messages.json"),
    ("https://messaging.dublin.ie1.twilio.com/v1/Services?a=1", "http://fake:1/v1/Services?a=1"),
    ("https://example.org/x", "https://example.org/x"),
    ("https://nottwilio.com/x", "https://nottwilio.com/x"),
    ("http://api.twilio.com/x", "http://api.twilio.com/x"),
])
def test_redirect_url(url: str, expected: str) -> None:
    assert redirect_url(url, "http://fake:1/") == expected
