"""CTC post-processing: greedy decoding, prefix beam search, and decoding constrained to a field.

All decoders take one sample's T×C log-probabilities (numpy) and return a `Reading` whose `text`
is in logical (reading) order; the network reads the crop left to right, so the raw output is in
visual order and `Charset.to_logical` turns it round.

Example:
    >>> cs = Charset(alphabet="0123/")
    >>> logp = np.log(np.full((4, 6), 1e-4)); logp[[0, 1, 2, 3], [2, 2, 0, 3]] = 0.0
    >>> GreedyDecoder(cs)(logp).text
    '12'
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from recognizers.charset import BLANK, MARKED_ARABIC_DIGITS, Charset
from recognizers.dates import JALALI_MONTHS, parse_jalali


@dataclass(frozen=True)
class Reading:
    """What a reader made of one crop.

    Attributes:
        text: logical order, canonical symbols (ASCII digits, Persian letters).
        confidence: in [0, 1]; the probability of the least sure character (1 for empty text
            read with sure blanks).
        valid: None for unconstrained decoding; else whether `text` passed the field's check.
        script: the digit script seen (`Charset.digit_script_seen`): `arabic`, `persian`, or
            None when the crop shows no 4, 5 or 6 (or the alphabet cannot tell).
    """

    text: str
    confidence: float
    valid: bool | None = None
    script: str | None = None


def read_classes(charset: Charset, classes: list[int]) -> tuple[str, str | None]:
    """Class indices (visual order, blanks dropped) -> (logical canonical text, digit script)."""
    visual = charset.decode(classes)
    return Charset.canonical(charset.to_logical(visual)), charset.digit_script_seen(visual)


def _char_confidence(probs: np.ndarray, path: np.ndarray) -> float:
    """Min over emitted characters of the peak probability in that character's frames;
    for an empty path, the mean blank probability."""
    peaks, current, peak = [], -1, 0.0
    for t, k in enumerate(path.tolist()):
        if k != current:
            if current not in (-1, BLANK):
                peaks.append(peak)
            current, peak = k, 0.0
        peak = max(peak, float(probs[t, k]))
    if current not in (-1, BLANK):
        peaks.append(peak)
    return min(peaks) if peaks else float(probs[:, BLANK].mean()) if len(probs) else 0.0


class GreedyDecoder:
    """Best class per step, repeats merged, blanks dropped."""

    def __init__(self, charset: Charset) -> None:
        self.charset = charset

    def __call__(self, logp: np.ndarray) -> Reading:
        path = logp.argmax(axis=1)
        keep = np.r_[True, path[1:] != path[:-1]] & (path != BLANK)
        text, script = read_classes(self.charset, path[keep].tolist())
        return Reading(text, _char_confidence(np.exp(logp), path), script=script)


def beam_search(
    logp: np.ndarray,
    beam: int = 8,
    prune: float = -8.0,
    allowed: Callable[[tuple[int, ...], int], bool] | None = None,
) -> list[tuple[tuple[int, ...], float]]:
    """CTC prefix beam search; returns up to `beam` (classes, log-probability) pairs, best first.

    Args:
        prune: classes with a log-probability below this at a step are not extended.
        allowed: (prefix, next class) -> whether the prefix may grow by that class.
    """
    beams: dict[tuple[int, ...], tuple[float, float]] = {(): (0.0, -math.inf)}  # (p_blank, p_char)
    for t in range(len(logp)):
        row = logp[t]
        candidates = np.flatnonzero(row > prune).tolist()
        nxt: dict[tuple[int, ...], list[float]] = {}

        def add(prefix, pb, pc, nxt=nxt):
            entry = nxt.setdefault(prefix, [-math.inf, -math.inf])
            entry[0], entry[1] = np.logaddexp(entry[0], pb), np.logaddexp(entry[1], pc)

        for prefix, (pb, pc) in beams.items():
            total = np.logaddexp(pb, pc)
            add(prefix, total + row[BLANK], -math.inf)
            for k in candidates:
                if k == BLANK:
                    continue
                if prefix and prefix[-1] == k:
                    add(prefix, -math.inf, pc + row[k])  # repeat merges into the same char
                    if allowed is None or allowed(prefix, k):
                        add((*prefix, k), -math.inf, pb + row[k])  # blank-separated double
                elif allowed is None or allowed(prefix, k):
                    add((*prefix, k), -math.inf, total + row[k])
        ranked = sorted(nxt.items(), key=lambda kv: -np.logaddexp(*kv[1]))[:beam]
        beams = {k: (v[0], v[1]) for k, v in ranked}
    return [
        (k, float(np.logaddexp(*v))) for k, v in sorted(beams.items(), key=lambda kv: -np.logaddexp(*kv[1]))
    ]


class ConstrainedDecoder:
    """Beam search limited to a field's symbols; the best candidate that passes `check` wins.

    Falls back to the best unchecked candidate with `valid=False` (never silently).
    """

    def __init__(self, charset: Charset, symbols: str, check: Callable[[str], bool], beam: int = 12) -> None:
        self.charset, self.check, self.beam = charset, check, beam
        marked = "".join(c for c in MARKED_ARABIC_DIGITS if c in charset.alphabet)
        self.allowed_classes = frozenset(charset.encode(symbols + marked))

    def __call__(self, logp: np.ndarray) -> Reading:
        results = beam_search(logp, self.beam, allowed=lambda _p, k: k in self.allowed_classes)
        if results:
            mass = np.logaddexp.reduce([s for _, s in results])
            for classes, score in results:
                text, script = read_classes(self.charset, list(classes))
                if self.check(text):
                    # confidence: the candidate's share of the probability the beam holds
                    return Reading(text, float(np.exp(score - mass)), True, script)
        greedy = GreedyDecoder(self.charset)(logp)
        return Reading(greedy.text, greedy.confidence, False, greedy.script)


DATE_SYMBOLS = "0123456789/-. " + "".join(sorted(set("".join(JALALI_MONTHS))))
NUMBER_PATTERN = re.compile(r"^[0-9\u0600-\u06FF]+([/\-_][0-9\u0600-\u06FF]+)*$")
MAX_CODE_LETTERS = 4  # a number's letters are office codes (`ص`, `الف`, `ب/ر/گ`), not words
# A longer digit run is no letter number: a dotted leader in an empty slot, read as zeros by the
# glyph reader (44 of them on val300 p000119), or a national document ID's 12-16 digits at most.
MAX_NUMBER_DIGITS = 16


def is_date(text: str) -> bool:
    """A string that parses as a valid Jalali date."""
    return parse_jalali(text) is not None


def is_letter_number(text: str) -> bool:
    """Digit-and-letter groups joined by `/ - _`, with a digit other than 0 (a row of dots reads as
    zeros), no run of letters longer than an office code (`MAX_CODE_LETTERS`: a word such as
    پرونده is another field's) and no run of digits longer than `MAX_NUMBER_DIGITS`.

    Example:
        >>> is_letter_number("1234/ص/1402"), is_letter_number("23پرونده"), is_letter_number("ص")
        (True, False, False)
        >>> is_letter_number("0000000"), is_letter_number("8" * 20), is_letter_number("100/0")
        (False, False, True)
    """
    return (
        bool(NUMBER_PATTERN.match(text))
        and any(Charset.digit_value(c) not in (None, 0) for c in text)
        and all(len(run) <= MAX_CODE_LETTERS for run in re.findall(r"[^\W\d_]+", text))
        and all(len(run) <= MAX_NUMBER_DIGITS for run in re.findall(r"\d+", text))
    )
