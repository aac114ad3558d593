"""SMS text rules: the alphabet, look-alikes, splitting and options (segment counts are
in test_sms_segments.py).
"""
import random

import pytest

from bot.channels.sms_text import (
    GSM7_BASIC,
    GSM7_EXTENDED,
    is_gsm7,
    numbered_options,
    segment_info,
    septets,
    sms_body,
    split_message,
    to_gsm7,
)

GRINNING = "\U0001F600"  # 😀, outside the BMP: 2 UTF-16 units
THUMBS_UP_MEDIUM = "\U0001F44D\U0001F3FD"  # 👍🏽, one grapheme of 4 units


def words(text: str) -> str:
    """The text with every whitespace removed: what splitting must preserve."""
    return "".join(text.split())


# --- the alphabet --------------------------------------------------------------------


def test_gsm7_tables_match_gsm_03_38_as_twilio_lists_it():
    # Twilio's UnicodeToGSM table: LF, FF, CR, 0x20-0x5F, 0x61-0x7E (no backtick),
    # 29 Latin-1 letters and signs, 10 Greek capitals and the euro sign: 137 in all.
    latin1 = [0xA1, 0xA3, 0xA4, 0xA5, 0xA7, 0xBF, 0xC4, 0xC5, 0xC6, 0xC7, 0xC9, 0xD1,
              0xD6, 0xD8, 0xDC, 0xDF, 0xE0, 0xE4, 0xE5, 0xE6, 0xE8, 0xE9, 0xEC, 0xF1,
              0xF2, 0xF6, 0xF8, 0xF9, 0xFC]
    greek = [0x393, 0x394, 0x398, 0x39B, 0x39E, 0x3A0, 0x3A3, 0x3A6, 0x3A8, 0x3A9]
    points = [0x0A, 0x0C, 0x0D, *range(0x20, 0x60), *range(0x61, 0x7F), *latin1, *greek, 0x20AC]
    assert GSM7_BASIC | GSM7_EXTENDED == {chr(p) for p in points}
    assert len(GSM7_BASIC) == 127 and len(GSM7_EXTENDED) == 10  # 128 codes minus escape
    assert not GSM7_BASIC & GSM7_EXTENDED
    assert GSM7_EXTENDED == set("\f^{}\\[~]|€")


def test_french_letters_in_and_out_of_gsm7():
    assert is_gsm7("é è ù à ì ò É Ç ä ö ü ñ å æ ø ß Ä Ö Ü Ñ Å Æ Ø")
    for ch in "êâîôûçëïœÈÀÊÂÎÔÛËÏÙ«»’…`\t":
        assert not is_gsm7(ch), ch
    assert is_gsm7("")


def test_septets_count_extension_characters_twice():
    assert septets("") == 0
    assert septets("abc") == 3
    assert septets("a€[") == 5  # 1 + 2 + 2
    assert septets("\f") == 2  # form feed is in the extension table


# --- look-alikes -----------------------------------------------------------------------


def test_to_gsm7_replaces_punctuation_look_alikes():
    text = "l’arrêt « Gare du Nord »… – 10\u00a0h\u202f!"
    assert to_gsm7(text) == "l'arret \"Gare du Nord\"... - 10 h !"
    assert to_gsm7("‘a’ “b” — c") == "'a' \"b\" - c"


def test_to_gsm7_maps_french_letters_to_the_closest_gsm7_letter():
    assert to_gsm7("êâîôûçëïœ ÈÀÊÂÎÔÛËÏÙŒ") == "eaiouceioe EAEAIOUEIUOE"
    assert to_gsm7("é è à ù ì ò É Ç ä ö ü ñ") == "é è à ù ì ò É Ç ä ö ü ñ"  # already GSM-7
    assert to_gsm7("1ᵉʳ étage, Noël") == "1er étage, Noel"


def test_to_gsm7_keeps_what_has_no_sensible_substitute():
    text = f"{GRINNING} مرحبا Привет 日本 {THUMBS_UP_MEDIUM}"
    assert to_gsm7(text) == text
    assert to_gsm7("a\x00b\x07c\td\u200be") == "abc de"  # invisible controls go, tab is a space


def test_to_gsm7_is_idempotent():
    text = "Ça coûte cher… « vraiment » ? 😀 مرحبا"
    assert to_gsm7(to_gsm7(text)) == to_gsm7(text)


def test_sms_body_prefers_pure_gsm7():
    assert sms_body("Votre arrêt est confirmé") == "Votre arret est confirmé"
    assert sms_body("Tapez « STOP »") == 'Tapez "STOP"'
    assert sms_body("Déjà GSM-7 €") == "Déjà GSM-7 €"
    # One ê doubled the bill (2 segments); without it, 101 septets fit one SMS.
    assert segment_info(sms_body("a" * 100 + "ê")).segments == 1


def test_sms_body_keeps_messages_that_must_stay_ucs2():
    for text in ("Bonjour 👋 l’arrêt", "مرحبا بكم", "Привет, как дела?"):
        assert sms_body(text) == text


def test_sms_body_takes_the_look_alikes_when_they_save_segments():
    # 2 + 40 * 2 = 82 units: 2 segments. Composed, 2 + 40 = 42 units: 1 segment, and the
    # emoji stays.
    text = GRINNING + "e\u0301" * 40
    assert segment_info(text).segments == 2
    assert sms_body(text) == GRINNING + "é" * 40


# --- splitting -------------------------------------------------------------------------

WELCOME = "Bonjour, nous avons bien reçu votre demande d’aide à la mobilité."  # 65
CALLBACK = "Une personne de l’équipe vous rappellera."  # 41
SITUATION = (  # 136, GSM-7 (é, à, è are in it)
    "Vous pouvez aussi répondre à ce message pour préciser votre situation : pas de "
    "permis, pas de voiture, trajets trop chers ou trop longs."
)
ORIENTATION = (  # 112, GSM-7
    "Nous vous orienterons vers la bonne solution près de chez vous. "
    "Répondez STOP pour ne plus recevoir de messages."
)
FRENCH = f"{WELCOME} {CALLBACK}\n\n{SITUATION} {ORIENTATION}"


def test_split_nothing():
    assert split_message("") == []
    assert split_message(" \n\t ") == []
    assert split_message("  Bonjour  ") == ["Bonjour"]


def test_split_french_text_at_paragraph_then_sentences():
    # Paragraph 1 (107 chars) is UCS-2 (ç, ’): a 70-unit window, whose last sentence end
    # is at 65. The next window (UCS-2 again) holds the paragraph break at 41.
    # Paragraph 2 is GSM-7: a 160-septet window, last sentence end at 136; 112 remain.
    assert split_message(FRENCH) == [WELCOME, CALLBACK, SITUATION, ORIENTATION]


def test_split_gsm7_paragraphs_each_fit_one_sms():
    first = "Votre dossier RM-2026-00042 est ouvert. " * 2 + "Merci."  # 86 chars
    second = "Une conseillere vous appellera demain matin. " * 3 + "A bientot."  # 145
    parts = split_message(first + "\n\n" + second)
    assert parts == [first, second]


def test_split_prefers_sentences_then_spaces():
    sentence = "Le bus passe toutes les heures. "  # 32 chars
    text = sentence * 8  # 256 chars, GSM-7
    parts = split_message(text)
    # 160 chars hold 5 sentences exactly (160), whose end is followed by a space.
    assert parts == [(sentence * 5).strip(), (sentence * 3).strip()]
    no_punctuation = "mot " * 60  # 240 chars: the first part ends at a space, whole words
    parts = split_message(no_punctuation)
    assert parts == [("mot " * 40).strip(), ("mot " * 20).strip()]


def test_split_cuts_a_word_only_when_it_is_longer_than_a_segment():
    assert split_message("a" * 400) == ["a" * 160, "a" * 160, "a" * 80]
    assert split_message("a" * 200 + " fin du message") == ["a" * 160, "a" * 40 + " fin du message"]
    assert split_message("ê" * 100) == ["ê" * 70, "ê" * 30]


def test_split_measures_each_part_in_its_own_encoding():
    # Together: UCS-2, 171 units. Apart: 150 GSM-7 septets (1 SMS) and 20 units (1 SMS).
    text = "x" * 150 + " " + GRINNING * 10
    assert split_message(text) == ["x" * 150, GRINNING * 10]


def test_split_with_emoji_never_breaks_a_grapheme():
    text = " ".join(f"trajet{n} {THUMBS_UP_MEDIUM}{GRINNING}" for n in range(30))
    parts = split_message(text)
    assert len(parts) > 1
    for part in parts:
        assert segment_info(part).segments == 1
        assert part.count("\U0001F44D") == part.count("\U0001F3FD")  # 👍 keeps its tone
    assert words(" ".join(parts)) == words(text)
    glued = "a" * 60 + GRINNING * 10  # one 80-unit "word": cut between emoji, not inside
    assert split_message(glued) == ["a" * 60 + GRINNING * 5, GRINNING * 5]


def test_split_with_several_segments_per_part():
    assert split_message("a" * 400, max_segments_per_part=2) == ["a" * 306, "a" * 94]
    assert split_message("a" * 400, max_segments_per_part=0) == ["a" * 160, "a" * 160, "a" * 80]


# --- options ---------------------------------------------------------------------------


def test_numbered_options_share_a_line_when_they_are_short():
    assert numbered_options(["Oui", "Non"]) == "1 Oui 2 Non"
    assert numbered_options(["Par téléphone", "Par message"]) == "1 Par téléphone 2 Par message"
    assert numbered_options([]) == ""
    assert numbered_options([" Trop\ncher  "]) == "1 Trop cher"


def test_numbered_options_take_a_line_each_when_they_do_not_fit_one():
    # "1 Pas de permis 2 Pas de voiture" is 32 characters: still one line; one more is not.
    assert numbered_options(["Pas de permis", "Pas de voiture"]) == "1 Pas de permis 2 Pas de voiture"
    assert numbered_options(["Pas de permis", "Pas de voitures"]) == "1 Pas de permis\n2 Pas de voitures"
    moments = numbered_options(["Le matin", "L'après-midi", "Le soir", "N'importe quand"])
    assert moments == "1 Le matin\n2 L'après-midi\n3 Le soir\n4 N'importe quand"


# --- robustness ------------------------------------------------------------------------

ODD_INPUTS = [
    "",
    "\x00\x01\x1b\x7f\x85",
    "\ud800 lone surrogate \udfff",
    "\u202eRTL override \u200f\u200e",
    "a" + "\u0301" * 500,  # "Zalgo": one base letter, 500 accents
    "\U0001F1EB\U0001F1F7\U0001F1EB",  # 🇫🇷 and a stray regional indicator
    "👨\u200d👩\u200d👧\u200d👦" * 40,
    "\r\n" * 300,
]


def _random_text(length: int) -> str:
    """Deterministic mixed text: French, emoji, Arabic, controls, marks and spaces."""
    alphabet = list("abcdeéèêçàù’«» €[") + [GRINNING, "م", "ر", "\u0301", "\n", "\x00", " ", "  "]
    rng = random.Random(20260101)
    return "".join(rng.choice(alphabet) for _ in range(length))


@pytest.mark.parametrize("text", [*ODD_INPUTS, _random_text(10_000), "mot " * 2500])
def test_every_function_accepts_any_text(text):
    info = segment_info(text)
    assert info.segments >= (1 if text else 0)
    assert isinstance(is_gsm7(text), bool) and septets(text) >= 0
    assert isinstance(to_gsm7(text), str) and isinstance(sms_body(text), str)
    parts = split_message(text)
    assert all(part and part == part.strip() for part in parts)
    assert all(segment_info(part).segments == 1 for part in parts)
    assert words("".join(parts)) == words(text)
    assert numbered_options([text, text]).startswith("1 ")


def test_non_text_inputs_do_not_raise():
    assert segment_info(None).segments == 0  # type: ignore[arg-type]
    assert split_message(None) == []  # type: ignore[arg-type]
    assert sms_body(None) == ""  # type: ignore[arg-type]
    assert numbered_options(None) == ""  # type: ignore[arg-type]


@pytest.mark.parametrize("length", [1, 159, 160, 161, 306, 307, 459, 460, 1000])
def test_the_fast_count_of_plain_gsm7_text_agrees_with_the_grapheme_count(length):
    from bot.channels.sms_text import _graphemes, _measure

    text = ("Bonjour à vous ! On reprend ? 1 2 3 @£$ " * 30)[:length]
    assert segment_info(text) == _measure(_graphemes(text))
