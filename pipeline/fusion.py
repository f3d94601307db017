"""Fuses the CRNN's and the glyph digit reader's readings of a value into the field's result.

Rules: a reading that fails its field's check loses; when both pass and agree, the confidence
rises (both would have to be wrong); when both pass and disagree, the CRNN (which reads the
letters too) wins at a lowered confidence. `crnn_only` and `glyph_only` keep one reader (the
glyph reader cannot read words: attachment and title always come from the CRNN).

Example:
    >>> from recognizers.reader.decode import Reading
    >>> from recognizers.glyphs.digits import GlyphReading
    >>> r = fuse("date", Reading("1402/05/12", 0.9, True), GlyphReading("1402/05/12", 0.8, ()))
    >>> r.text, round(r.confidence, 3), r.source, r.gregorian
    ('1402/05/12', 0.98, 'agree', '2023-08-03')
"""

from __future__ import annotations

import re

from pipeline.types import FieldResult
from recognizers.charset import Charset
from recognizers.dates import parse_jalali
from recognizers.glyphs.digits import UNKNOWN_LETTER, GlyphReading, letters_as_unknown
from recognizers.reader.decode import Reading, is_letter_number

FUSIONS = ("fused", "crnn_only", "glyph_only")
NUMERIC = ("date", "number")
MAX_ATTACHMENT_COUNT = 3  # digits in an attachment's count of sheets: `۱۲ برگ`, not `۵۳۲۱۱`
# The printed labels of each field (longest first), as they open a value box that took them in.
LABEL_WORDS = {"number": ("شماره",), "date": ("مورخه", "مورخ", "تاریخ"), "attachment": ("پیوست",),
               "title": ("موضوع",)}
LABEL_WITH_COLON = {
    field: re.compile(rf"^\s*(?:{'|'.join(words)})\s*[:،؛]\s*") for field, words in LABEL_WORDS.items()
}
# the label word with or without its colon, then a space or the colon
LABEL_WORD = {
    field: re.compile(rf"^\s*(?:{'|'.join(words)})(?:\s*[:،؛]\s*|\s+)")
    for field, words in LABEL_WORDS.items()
}


def without_label(field: str, text: str, label_held: bool = False) -> str:
    """`text` without its field's own label and colon at its start: a value box that reached
    over the label reads `موضوع: ...` (the colon often read as `،`). A label word without its
    colon stays (it may be the value's own first word) unless `label_held`: the value's box
    holds its label, no label of its field being on its line outside it (val3 p000032: a
    subject printed `موضوع اسناد ...`, no colon, found as one box).

    Example:
        >>> without_label("title", "موضوع، استان سپرده"), without_label("title", "موضوع قرارداد")
        ('استان سپرده', 'موضوع قرارداد')
        >>> without_label("title", "موضوع قرارداد", label_held=True)
        'قرارداد'
    """
    pattern = (LABEL_WORD if label_held else LABEL_WITH_COLON).get(field)
    return pattern.sub("", text, count=1) if pattern else text


def is_attachment(text: str) -> bool:
    """Whether `text` (canonical) can be a letter's attachment: words (`ندارد`, `دارد`, `یک نسخه`),
    with at most a short count of sheets or copies (`12 برگ`, `3`). A longer run of digits, or a
    `/`, is a number or date read from the wrong line.

    Example:
        >>> is_attachment("12 برگ"), is_attachment("ندارد"), is_attachment("53211"), is_attachment("1396/05")
        (True, True, False, False)
    """
    if not text.strip() or "/" in text:
        return False
    return all(len(run) <= MAX_ATTACHMENT_COUNT for run in re.findall(r"\d+", text))


def _check(field: str, text: str, label_held: bool = False) -> tuple[bool, str, str]:
    """(valid, canonical text, gregorian) of a value of `field` (`label_held`: see `without_label`)."""
    text = without_label(field, Charset.canonical(text).strip(), label_held)
    if field == "date":
        date = parse_jalali(text)
        return (True, date.iso, date.gregorian) if date else (False, text, "")
    if field == "number":
        return is_letter_number(text), text, ""
    if field == "attachment":
        return is_attachment(text), text, ""
    return bool(text), text, ""


def fuse(
    field: str, crnn: Reading, glyphs: GlyphReading | None, mode: str = "fused", label_held: bool = False
) -> FieldResult:
    """The field's `FieldResult` (without its box) from the two readings; `label_held`: the value's
    box holds its label (`without_label`)."""
    if mode not in FUSIONS:
        raise ValueError(f"unknown fusion {mode!r}; choose one of {FUSIONS}")
    c_ok, c_text, c_greg = _check(field, crnn.text, label_held)
    g_text = glyphs.text if glyphs is not None else None

    def result(text, conf, valid, source, greg=""):
        return FieldResult(text, float(conf), valid, (0.0, 0.0, 0.0, 0.0), crnn.text, g_text, source, greg)

    if field not in NUMERIC or glyphs is None or mode == "crnn_only":
        return result(c_text, crnn.confidence, c_ok, "crnn", c_greg)
    # a glyph reading with unknown letters can only be checked, not written, when letters are in it
    g_complete = UNKNOWN_LETTER not in glyphs.text
    g_ok, g_canon, g_greg = _check(field, glyphs.text, label_held) if g_complete else (False, glyphs.text, "")
    if mode == "glyph_only":
        return result(g_canon, glyphs.confidence, g_ok, "glyphs", g_greg)
    same = c_ok and (
        c_text == g_canon
        if field == "date" and g_ok
        else letters_as_unknown(crnn.text) == glyphs.text
    )
    if c_ok and same:
        return result(c_text, 1 - (1 - crnn.confidence) * (1 - glyphs.confidence), True, "agree", c_greg)
    if c_ok:
        return result(c_text, crnn.confidence * (1 - 0.5 * glyphs.confidence), True, "crnn", c_greg)
    if g_ok:
        return result(g_canon, glyphs.confidence * 0.9, True, "glyphs", g_greg)
    return result(c_text, crnn.confidence, False, "crnn", c_greg)
