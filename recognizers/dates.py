"""Jalali dates as printed on letters: parse, validate, convert.

Reads `YYYY/MM/DD`, `YYYY/M/D`, two-digit years (`02/5/12` → 1402), `D/M/YYYY`, `-` and `.`
separators, any digit script, and month names (`۱۲ مهر ۱۴۰۲`); the order is decided from the
values (a four-digit or >31 part is the year). A date that does not exist (1402/12/30) is None.

Example:
    >>> parse_jalali("۱۴۰۳/۱۲/۳۰").iso
    '1403/12/30'
    >>> parse_jalali("1402/12/30") is None
    True
    >>> parse_jalali("12 مهر 1402").gregorian
    '2023-10-04'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import jdatetime

from recognizers.charset import Charset

JALALI_MONTHS = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)
FUTURE_YEARS = 10  # how far ahead of today a letter's date may lie (corpora are generated to 1410)
_NUMERIC = re.compile(r"^(\d{1,4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,4})$")
_NAMED = re.compile(r"^(\d{1,2})\s+(\S+)\s+(\d{2,4})$")


@dataclass(frozen=True)
class JalaliDate:
    """A valid Jalali date."""

    year: int
    month: int
    day: int

    @property
    def iso(self) -> str:
        """`YYYY/MM/DD`, ASCII digits, zero-padded."""
        return f"{self.year:04d}/{self.month:02d}/{self.day:02d}"

    @property
    def gregorian(self) -> str:
        """The same day in the Gregorian calendar, ISO `YYYY-MM-DD`."""
        return jdatetime.date(self.year, self.month, self.day).togregorian().isoformat()


def month_length(year: int, month: int) -> int:
    """Days in a Jalali month (Esfand has 30 in leap years).

    Example:
        >>> month_length(1403, 12), month_length(1402, 12)
        (30, 29)
    """
    if month <= 6:
        return 31
    if month <= 11:
        return 30
    return 30 if jdatetime.date(year, 1, 1).isleap() else 29


def latest_year() -> int:
    """The last Jalali year a letter may carry: this year plus `FUTURE_YEARS` (a year read 1474
    for 1374, ۳ taken for ۴, is a misread, not a letter from seventy years ahead)."""
    return jdatetime.date.today().year + FUTURE_YEARS


def make_date(
    year: int, month: int, day: int, min_year: int = 1300, max_year: int | None = None
) -> JalaliDate | None:
    """A `JalaliDate` if the three numbers make one (two-digit years go to 13xx/14xx) between
    `min_year` and `max_year` (None: `latest_year()`), else None.

    Example:
        >>> make_date(1374, 8, 5), make_date(1474, 8, 5)
        (JalaliDate(year=1374, month=8, day=5), None)
    """
    if year < 100:
        year += 1400 if year < 50 else 1300
    max_year = latest_year() if max_year is None else max_year
    if not (min_year <= year <= max_year and 1 <= month <= 12):
        return None
    if not 1 <= day <= month_length(year, month):
        return None
    return JalaliDate(year, month, day)


def parse_jalali(text: str) -> JalaliDate | None:
    """The Jalali date a printed string means, or None if it is not a valid date."""
    text = Charset.canonical(text).strip().replace("\u200c", "")
    match = _NUMERIC.match(text)
    if match:
        a, b, c = match.groups()
        if len(a) >= 3 or int(a) > 31:
            return make_date(int(a), int(b), int(c))
        if len(c) >= 3 or int(c) > 31:
            return make_date(int(c), int(b), int(a))
        return make_date(int(a), int(b), int(c)) or make_date(int(c), int(b), int(a))
    match = _NAMED.match(text)
    if match and match.group(2) in JALALI_MONTHS:
        return make_date(int(match.group(3)), JALALI_MONTHS.index(match.group(2)) + 1, int(match.group(1)))
    return None
