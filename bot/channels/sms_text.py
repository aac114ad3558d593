"""SMS text rules: GSM-7 or UCS-2, segment counts, cheaper look-alikes, splitting.

Pure functions, no provider SDK. Segments are counted as Twilio's reference calculator
(TwilioDevEd/message-segment-calculator) counts them: the text is cut into graphemes
(user-perceived characters, Unicode UAX #29) and no grapheme, surrogate pair or GSM-7
escape sequence ever straddles two segments. Nothing here raises. The inbox's reply box
counts with the same rules in JavaScript (inbox/static/js/sms.js); a browser test keeps
the two in step.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import regex

# GSM 03.38 default alphabet (the escape code 0x1B is not a character) and its extension
# table, whose characters are sent as escape + code: 2 septets each.
GSM7_BASIC: frozenset[str] = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED: frozenset[str] = frozenset("\f^{}\\[~]|€")
_GSM7 = GSM7_BASIC | GSM7_EXTENDED

GSM7_SINGLE, GSM7_MULTI = 160, 153  # septets: alone, per segment of a long message
UCS2_SINGLE, UCS2_MULTI = 70, 67  # UTF-16 code units: the header takes the difference
_MAX_GRAPHEME = 16  # code points; bounds pathological text ("Zalgo") to one segment
_GRAPHEME = regex.compile(r"\X")
OPTIONS_LINE = 32  # characters: a line of short options still fits a small phone screen

# Look-alikes that force UCS-2, for SMS only (Twilio's Smart Encoding does the
# punctuation, not the letters). Letters are handled by decomposition in _substitute.
_LOOKALIKES: dict[str, str] = {
    **dict.fromkeys("’‘‚‛′´`ʼ‹›", "'"),
    **dict.fromkeys("“”„‟″«»", '"'),
    **dict.fromkeys("‐‑‒–—―−•", "-"),
    **dict.fromkeys("\t\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007", " "),
    **dict.fromkeys("\u2008\u2009\u200a\u202f\u205f\u3000", " "),
    **dict.fromkeys("\u2028\u2029", "\n"),
    **dict.fromkeys("\u00ad\u200b\u2060\ufeff", ""),  # invisible: soft hyphen, zero widths
    "…": "...",
    "œ": "oe",
    "Œ": "OE",
    "·": ".",  # "habitant·es" is commonly written "habitant.es"
    "×": "x",
    "÷": "/",
}
# White space, spelled out so that the inbox's script (inbox/static/js/sms.js) finds the
# same: Python's and JavaScript's "\s" differ on a few characters.
_BLANK = "\t\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_WHITE = _BLANK + "\n"
# French guillemets carry inner (often non-breaking) spaces: « oui » becomes "oui".
_GUILLEMETS = re.compile(f"«[{_BLANK}]*|[{_BLANK}]*»")

_PARAGRAPH = re.compile(f"\n[{_BLANK}]*\n")
_SENTENCE_END = re.compile(f"[.!?…]+[\"'»”’)\\]]*(?=[{_WHITE}])")
_SPACE = re.compile(f"[{_WHITE}]")
_EDGES = re.compile(f"^[{_WHITE}]+|[{_WHITE}]+\\Z")


@dataclass(frozen=True)
class SegmentInfo:
    """How a text travels as SMS: its encoding, size and billed segments."""

    encoding: str  # "GSM-7" or "UCS-2"
    segments: int  # 0 for empty text
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    per_segment: int  # 160/153 (GSM-7) or 70/67 (UCS-2)
    costly_chars: tuple[str, ...]  # distinct graphemes that forced UCS-2, in order


def _text(value: object) -> str:
    """The input as a string: None is empty, anything else its str()."""
    return value if isinstance(value, str) else "" if value is None else str(value)


def is_gsm7(text: str) -> bool:
    """True if every character is in the GSM-7 basic set or extension table."""
    return all(ch in _GSM7 for ch in _text(text))


def septets(text: str) -> int:
    """Septets the text takes in GSM-7; extension characters count 2 (others count 1)."""
    return sum(2 if ch in GSM7_EXTENDED else 1 for ch in _text(text))


def _units(text: str) -> int:
    """UTF-16 code units: a character outside the BMP (most emoji) counts 2."""
    return sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)


def _graphemes(text: str, limit: int | None = None) -> list[str]:
    """Split text into graphemes (Unicode UAX #29, as Twilio does), at most `limit` of them.

    Like Twilio, CR LF counts as two characters. A pathological cluster ("Zalgo" text) is
    cut every _MAX_GRAPHEME code points, so that one always fits a segment.
    """
    found: list[str] = []
    for match in _GRAPHEME.finditer(text):
        cluster = match.group()
        pieces = [cluster] if len(cluster) <= _MAX_GRAPHEME else [
            cluster[at:at + _MAX_GRAPHEME] for at in range(0, len(cluster), _MAX_GRAPHEME)]
        found += ["\r", "\n"] if cluster == "\r\n" else pieces
        if limit is not None and len(found) >= limit:
            return found[:limit]
    return found


def _pack(sizes: Sequence[int], per_segment: int) -> int:
    """Segments needed when filling greedily and never splitting one item."""
    segments, used = 1, 0
    for size in sizes:
        if used and used + size > per_segment:
            segments, used = segments + 1, 0
        used += size
    return segments


def _measure(graphemes: Sequence[str]) -> SegmentInfo:
    """Segment information of a text already split into graphemes."""
    gsm = all(g in _GSM7 for g in graphemes)  # a multi-code-point grapheme is never GSM-7
    sizes = [septets(g) if gsm else _units(g) for g in graphemes]
    single, multi = (GSM7_SINGLE, GSM7_MULTI) if gsm else (UCS2_SINGLE, UCS2_MULTI)
    total = sum(sizes)
    if total <= single:
        segments, per_segment = (1 if graphemes else 0), single
    else:
        segments, per_segment = _pack(sizes, multi), multi
    costly = () if gsm else tuple(dict.fromkeys(g for g in graphemes if not is_gsm7(g)))
    return SegmentInfo("GSM-7" if gsm else "UCS-2", segments, total, per_segment, costly)


def segment_info(text: str) -> SegmentInfo:
    """Encoding, size and segment count of a text, as Twilio bills it."""
    text = _text(text)
    if text and GSM7_BASIC.issuperset(text):  # the common case, counted without graphemes
        n = len(text)
        if n <= GSM7_SINGLE:
            return SegmentInfo("GSM-7", 1, n, GSM7_SINGLE, ())
        return SegmentInfo("GSM-7", -(-n // GSM7_MULTI), n, GSM7_MULTI, ())
    return _measure(_graphemes(text))


def _substitute(ch: str) -> str:
    """GSM-7 stand-in for one character, or the character itself when none is sensible."""
    if ch in _GSM7:
        return ch
    if ch in _LOOKALIKES:
        return _LOOKALIKES[ch]
    if unicodedata.category(ch) == "Cc":
        return ""  # invisible control characters (NUL, BEL, ESC…)
    # ê → e, È → E, ç → c, ﬁ → fi, ᵉ → e: drop the accents, keep it only if all GSM-7.
    decomposed = unicodedata.normalize("NFKD", ch)
    plain = "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))
    return plain if _strip(plain) and is_gsm7(plain) else ch


def to_gsm7(text: str) -> str:
    """Replace characters that force UCS-2 by GSM-7 look-alikes; others (emoji…) stay."""
    composed = unicodedata.normalize("NFC", _text(text))  # e + U+0301 becomes é (GSM-7)
    return "".join(map(_substitute, _GUILLEMETS.sub('"', composed)))


def sms_body(text: str) -> str:
    """The text to send: GSM-7 look-alikes if that makes it GSM-7 or cheaper, else as is."""
    text = _text(text)
    if is_gsm7(text):
        return text
    candidate = to_gsm7(text)
    if is_gsm7(candidate) or segment_info(candidate).segments < segment_info(text).segments:
        return candidate
    return text


def _fitting_prefix(text: str, max_segments: int) -> int:
    """Length of the longest grapheme-aligned prefix that fits `max_segments` segments."""
    # More graphemes than this cannot fit: each one takes at least a septet or a unit.
    graphemes = _graphemes(text, max_segments * GSM7_SINGLE + 1)
    low, high = 1, len(graphemes)  # one grapheme always fits: it is at most 32 units
    while low < high:  # fitting is monotonic: a shorter prefix never costs more
        middle = (low + high + 1) // 2
        if _measure(graphemes[:middle]).segments <= max_segments:
            low = middle
        else:
            high = middle - 1
    return sum(map(len, graphemes[:low]))


def _cut_point(text: str, size: int) -> int:
    """Where to end a part within text[:size]: paragraph, sentence or word break, else size."""
    scope = text[: size + 1]  # a break just after the window counts too
    breaks = (
        [m.start() for m in _PARAGRAPH.finditer(scope)],
        [m.end() for m in _SENTENCE_END.finditer(scope)],
        [m.start() for m in _SPACE.finditer(scope)],
    )
    paragraphs, sentences, spaces = ([at for at in found if 0 < at <= size] for found in breaks)
    # A paragraph or sentence break wins if it fills at least half the part: a tiny part
    # would cost a whole SMS. Word breaks come last; a word is cut only if it has no room.
    for found in (paragraphs, sentences, spaces):
        if found and found[-1] >= size // 2:
            return found[-1]
    return spaces[-1] if spaces else size


def split_message(text: str, max_segments_per_part: int = 1) -> list[str]:
    """Cut a text into stripped parts of at most `max_segments_per_part` segments each."""
    limit = max_segments_per_part if isinstance(max_segments_per_part, int) else 1
    limit = max(limit, 1)
    parts: list[str] = []
    rest = _strip(_text(text))
    if segment_info(rest).segments <= limit:
        return [rest] if rest else []  # the usual case: it fits, no search needed
    while rest:
        size = _fitting_prefix(rest, limit)
        cut = size if size == len(rest) else _cut_point(rest, size)
        parts.append(_strip(rest[:cut]))
        rest = _strip(rest[cut:])
    return parts


def _strip(text: str) -> str:
    """The text without white space at either end."""
    return _EDGES.sub("", text)



def numbered_options(labels: Sequence[str], line: int = OPTIONS_LINE) -> str:
    """Render choices for SMS: "1 Oui 2 Non" on one line when they fit, else one per line.

    A line break costs what a space costs, so the layout only serves reading: short
    choices side by side, a longer list one choice per line.
    """
    if isinstance(labels, str) or not isinstance(labels, Iterable):
        labels = [] if labels is None else [labels]
    options = [f"{n} {' '.join(_text(label).split())}" for n, label in enumerate(labels, 1)]
    together = " ".join(options)
    return together if len(together) <= line else "\n".join(options)
