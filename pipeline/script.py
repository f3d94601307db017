"""The digit script of a page, and the reading order it implies.

A page uses one digit script for its header. Only ٤ ٥ ٦ look different in Arabic-Indic and
Persian, so a single value may not show which it is; but the order of a value such as `138-501`
depends on it (between Arabic-Indic digits `-` is a bidi neutral and the parts swap places on the
page). The CRNN reports the script each crop shows (`Reading.script`); the page takes the majority,
and values that showed none are reordered when the page's digits are Arabic-Indic.

Example:
    >>> readings = [Reading("501-138", 0.9), Reading("1402/05/12", 0.9, script="arabic")]
    >>> arabic_digit_pages(readings, pages=[0, 0])
    {0}
    >>> in_arabic_order(readings[0]).text
    '138-501'
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import TypeVar

from recognizers.charset import Charset
from recognizers.reader.decode import Reading

T = TypeVar("T")


def page_scripts(scripts: Sequence[str | None], pages: Sequence[int]) -> dict[int, str | None]:
    """Per page, the digit script most of its readings showed (None: none showed one, or a tie).

    Example:
        >>> page_scripts(["arabic", None, "persian", "persian"], [0, 0, 1, 1])
        {0: 'arabic', 1: 'persian'}
    """
    votes: dict[int, Counter] = {}
    for script, page in zip(scripts, pages, strict=True):
        votes.setdefault(page, Counter())
        if script is not None:
            votes[page][script] += 1
    out: dict[int, str | None] = {}
    for page, count in votes.items():
        ranked = count.most_common()
        tie = len(ranked) > 1 and ranked[0][1] == ranked[1][1]
        out[page] = ranked[0][0] if ranked and not tie else None
    return out


def arabic_digit_pages(readings: Sequence[Reading], pages: Sequence[int]) -> set[int]:
    """The pages whose readings mostly showed Arabic-Indic digits.

    Example:
        >>> arabic_digit_pages([Reading("٤", 1.0, script="arabic"), Reading("1", 1.0)], [3, 3])
        {3}
    """
    scripts = page_scripts([r.script for r in readings], pages)
    return {page for page, script in scripts.items() if script == "arabic"}


def in_arabic_order(reading: T) -> T:
    """A reading (anything with `text`) reordered as Arabic-Indic digits read; None stays None.

    Example:
        >>> in_arabic_order(Reading("24-2655", 0.8)).text
        '2655-24'
    """
    if reading is None or not any(c.isdigit() for c in reading.text):
        return reading  # order only changes between numbers
    return replace(reading, text=Charset.as_arabic_digits(reading.text))
