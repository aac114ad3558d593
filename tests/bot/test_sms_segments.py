"""SMS segment counts: GSM-7 and UCS-2, exactly as Twilio bills them.

Expected figures come from the rules (GSM-7: 160 septets alone, else 153 per segment,
extension characters 2 septets; UCS-2: 70 UTF-16 units alone, else 67; nothing straddles
two segments) and from the cases of Twilio's reference calculator
(TwilioDevEd/message-segment-calculator).
"""
import pytest

from bot.channels.sms_text import SegmentInfo, segment_info, to_gsm7

GRINNING = "\U0001F600"  # 😀, outside the BMP: 2 UTF-16 units
THUMBS_UP_MEDIUM = "\U0001F44D\U0001F3FD"  # 👍🏽, one grapheme of 4 units

# --- segment counts: GSM-7 -------------------------------------------------------------


def test_empty_text_has_no_segment():
    assert segment_info("") == SegmentInfo("GSM-7", 0, 0, 160, ())


@pytest.mark.parametrize(
    ("length", "segments", "per_segment"),
    [
        (1, 1, 160),
        (160, 1, 160),  # fits a single SMS
        (161, 2, 153),  # concatenated: 153 + 8
        (306, 2, 153),  # 153 * 2 exactly
        (307, 3, 153),  # 153 + 153 + 1
        (10_000, 66, 153),  # 153 * 65 = 9945, 55 left for a 66th
    ],
)
def test_plain_gsm7_lengths(length, segments, per_segment):
    assert segment_info("a" * length) == SegmentInfo("GSM-7", segments, length, per_segment, ())


def test_extension_character_near_the_single_segment_limit():
    # 158 + 2 septets = 160: still one SMS; 159 + 2 = 161: two.
    assert segment_info("a" * 158 + "€") == SegmentInfo("GSM-7", 1, 160, 160, ())
    assert segment_info("a" * 159 + "€") == SegmentInfo("GSM-7", 2, 161, 153, ())
    assert segment_info("a" * 152 + "[" + "a" * 6).segments == 1  # 160 septets
    assert segment_info("a" * 152 + "[" + "a" * 7).segments == 2  # 161 septets


def test_extension_character_never_straddles_two_segments():
    # 306 septets either way, but "[" at septets 153-154 would straddle: segment 1 keeps
    # 152, segment 2 takes "[" + 151 (153), one "a" is left for a third segment.
    assert segment_info("a" * 152 + "[" + "a" * 152) == SegmentInfo("GSM-7", 3, 306, 153, ())
    # One "a" earlier, "[" ends segment 1 exactly (151 + 2 = 153): two segments.
    assert segment_info("a" * 151 + "[" + "a" * 153) == SegmentInfo("GSM-7", 2, 306, 153, ())


def test_crlf_stays_gsm7():
    assert segment_info("a\r\nb") == SegmentInfo("GSM-7", 1, 4, 160, ())


# --- segment counts: UCS-2 -------------------------------------------------------------


def test_french_accents_in_gsm7_cost_nothing():
    assert segment_info("é è à ù") == SegmentInfo("GSM-7", 1, 7, 160, ())
    assert segment_info("a" * 100 + "é") == SegmentInfo("GSM-7", 1, 101, 160, ())


def test_one_costly_character_switches_the_whole_text_to_ucs2():
    # 101 units > 70, so 67 per segment: 2 SMS instead of 1.
    assert segment_info("a" * 100 + "ê") == SegmentInfo("UCS-2", 2, 101, 67, ("ê",))
    assert segment_info("l’arrêt") == SegmentInfo("UCS-2", 1, 7, 70, ("’", "ê"))
    assert segment_info("« Bonjour » «") == SegmentInfo("UCS-2", 1, 13, 70, ("«", "»"))
    # GSM-7 characters weigh one unit each in UCS-2, even the extension ones.
    assert segment_info("€ê").units == 2


@pytest.mark.parametrize(
    ("length", "segments", "per_segment"),
    [
        (70, 1, 70),
        (71, 2, 67),  # 67 + 4
        (134, 2, 67),  # 67 * 2 exactly
        (135, 3, 67),
        (10_000, 150, 67),  # 67 * 149 = 9983, 17 left for a 150th
    ],
)
def test_ucs2_lengths(length, segments, per_segment):
    assert segment_info("ê" * length) == SegmentInfo("UCS-2", segments, length, per_segment, ("ê",))


def test_emoji_counts_two_units_near_the_single_segment_limit():
    # 68 + 2 = 70 units: one SMS; 69 + 2 = 71: two.
    assert segment_info("a" * 68 + GRINNING) == SegmentInfo("UCS-2", 1, 70, 70, (GRINNING,))
    assert segment_info("a" * 69 + GRINNING) == SegmentInfo("UCS-2", 2, 71, 67, (GRINNING,))


DIGITS = "".join(str(n % 10) for n in range(2, 400))  # "2345678901…", as Twilio's tests write
ITALY = "\U0001F1EE\U0001F1F9"  # 🇮🇹: two regional indicators, one grapheme of 4 units
RAINBOW_FLAG = "\U0001F3F3\ufe0f\u200d\U0001F308"  # 🏳️‍🌈: one grapheme of 6 units

# (text, encoding, segments, units): the cases of Twilio's reference calculator
# (tests/index.test.js of TwilioDevEd/message-segment-calculator), and the same rules at
# the other boundaries French texts meet.
TWILIO_CASES = [
    ("1" + DIGITS[:159], "GSM-7", 1, 160),
    ("1" + DIGITS[:160], "GSM-7", 2, 161),
    ("1" + DIGITS[:305], "GSM-7", 2, 306),  # 153 * 2
    ("1" + DIGITS[:306], "GSM-7", 3, 307),
    *[(ch + DIGITS[:158], "GSM-7", 1, 160) for ch in "|^€{}[]~\\"],  # escape + 158: 160
    *[(ch + DIGITS[:159], "GSM-7", 2, 161) for ch in "|^€{}[]~\\"],
    ("a" * 152 + "€" + "a" * 152, "GSM-7", 3, 306),  # € would straddle segments 1 and 2
    ("a" * 151 + "€" + "a" * 153, "GSM-7", 2, 306),  # € ends segment 1 exactly
    ("\rabcde\r\n123", "GSM-7", 1, 11),  # CR LF is two characters
    ("😜" + DIGITS[:68], "UCS-2", 1, 70),
    ("😜" + DIGITS[:69], "UCS-2", 2, 71),
    ("😜" + DIGITS[:133], "UCS-2", 3, 135),
    (ITALY + DIGITS[:66], "UCS-2", 1, 70),
    (ITALY + DIGITS[:67], "UCS-2", 2, 71),
    (RAINBOW_FLAG + DIGITS[:64], "UCS-2", 1, 70),
    (RAINBOW_FLAG + DIGITS[:65], "UCS-2", 2, 71),
    *[(ch * 70, "UCS-2", 1, 70) for ch in "ÁÚúçíÍóÓ"],
    *[(ch * 71, "UCS-2", 2, 71) for ch in "ÁÚúçíÍóÓ"],
    ("😀" + "]" * 68, "UCS-2", 1, 70),  # in UCS-2 an extension character is one unit
    ("😀" + "]" * 69, "UCS-2", 2, 71),
    ("e" + "\u0301" * 3 + "a" * 66, "UCS-2", 1, 70),  # one grapheme of 4 units
    ("e" + "\u0301" * 3 + "a" * 67, "UCS-2", 2, 71),
    ("a" * 66 + "😀" + "a" * 66, "UCS-2", 3, 134),  # the emoji would straddle 1 and 2
    ("a" * 65 + "😀" + "a" * 67, "UCS-2", 2, 134),
    ("a" * 159 + "’", "UCS-2", 3, 160),  # one curly apostrophe: 3 SMS instead of 1
    ("a" * 159 + "ê", "UCS-2", 3, 160),
    ("a" * 159 + "é", "GSM-7", 1, 160),  # é is in GSM-7
]


@pytest.mark.parametrize(("text", "encoding", "segments", "units"), TWILIO_CASES)
def test_segments_as_twilio_counts_them(text, encoding, segments, units):
    info = segment_info(text)
    assert (info.encoding, info.segments, info.units) == (encoding, segments, units)


def test_twilio_reference_examples():
    # From the calculator's own suite: emoji + digits, 70 units in 1 SMS, 71 in 2,
    # and 135 units in 3 whose last holds one character.
    digits = "".join(str(n % 10) for n in range(2, 200))
    assert segment_info("😜" + digits[:68]).segments == 1
    assert segment_info("😜" + digits[:69]).segments == 2
    assert segment_info("😜" + digits[:133]).segments == 3


def test_emoji_never_straddles_two_segments():
    # 134 units is 67 * 2, but the emoji would occupy units 67-68: segment 1 keeps 66,
    # segment 2 takes the emoji + 65 (67), one "a" goes to a third segment.
    info = segment_info("a" * 66 + GRINNING + "a" * 66)
    assert info == SegmentInfo("UCS-2", 3, 134, 67, (GRINNING,))
    # One "a" earlier, the emoji ends segment 1 exactly (65 + 2 = 67): two segments.
    assert segment_info("a" * 65 + GRINNING + "a" * 67).segments == 2


def test_emoji_with_skin_tone_is_one_character_as_twilio_counts_it():
    # 65 + 4 + 65 = 134 units. Splitting between 👍 and 🏽 would fit 2 segments (67 + 67);
    # kept whole, 👍🏽 moves to segment 2 (4 + 63 = 67) and 2 units spill into a third.
    info = segment_info("a" * 65 + THUMBS_UP_MEDIUM + "a" * 65)
    assert info == SegmentInfo("UCS-2", 3, 134, 67, (THUMBS_UP_MEDIUM,))


def test_arabic_text():
    # 5 + 1 + 3 = 9 letters and space, all in the BMP: 9 units.
    info = segment_info("مرحبا بكم")
    assert info == SegmentInfo("UCS-2", 1, 9, 70, ("م", "ر", "ح", "ب", "ا", "ك"))
    # 12 * 6 = 72 units > 70: two segments (67 + 5).
    assert segment_info("مرحبا " * 12).segments == 2


def test_decomposed_accent_is_costly_until_composed():
    # e + U+0301 is one grapheme of 2 units, not GSM-7 as written.
    assert segment_info("e\u0301") == SegmentInfo("UCS-2", 1, 2, 70, ("e\u0301",))
    assert to_gsm7("e\u0301") == "é"
