import pytest

from recognizers.dates import make_date, month_length, parse_jalali


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("1403/12/30", True),
        ("1402/12/30", False),
        ("1399/12/30", True),
        ("1400/12/30", False),
        ("1402/07/31", False),
        ("1402/06/31", True),
        ("1402/13/01", False),
        ("1402/00/10", False),
    ],
)
def test_leap_years_and_month_lengths(text, valid):
    assert (parse_jalali(text) is not None) == valid


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("۱۴۰۲/۰۵/۱۲", "1402/05/12"),
        ("١٤٠٢/٥/١٢", "1402/05/12"),
        ("1402/5/12", "1402/05/12"),
        ("02/5/12", "1402/05/12"),  # two-digit year
        ("98/11/3", "1398/11/03"),
        ("12/5/1402", "1402/05/12"),  # D/M/YYYY: the four-digit part is the year
        ("25/06/98", "1398/06/25"),  # day first: 98 can only be a year
        ("1402-05-12", "1402/05/12"),
        ("1402.05.12", "1402/05/12"),
        ("۱۲ مهر ۱۴۰۲", "1402/07/12"),
        ("3 اسفند 1399", "1399/12/03"),
    ],
)
def test_printed_forms_are_read(text, iso):
    assert parse_jalali(text).iso == iso


@pytest.mark.parametrize("text", ["", "1402/05", "abc", "1402/05/12/1", "12 مهرماه 1402", "1402//12"])
def test_non_dates_are_none(text):
    assert parse_jalali(text) is None


def test_gregorian_conversion():
    assert parse_jalali("1403/01/01").gregorian == "2024-03-20"
    assert parse_jalali("1403/12/30").gregorian == "2025-03-20"


def test_helpers():
    assert month_length(1399, 12) == 30 and month_length(1400, 12) == 29
    assert make_date(1402, 2, 31) is not None and make_date(1402, 7, 31) is None


def test_a_year_far_ahead_is_a_misread():
    """val300 p000046: ۱۳۷۴ read ۱۴۷۴ (۳ taken for ۴) is a valid date seventy years ahead."""
    from recognizers.dates import latest_year, make_date

    assert parse_jalali("1474/08/05") is None and parse_jalali("1374/08/05") is not None
    assert make_date(latest_year(), 1, 1) is not None and make_date(latest_year() + 1, 1, 1) is None
    assert make_date(1474, 8, 5, max_year=1499) is not None  # a caller may widen the window
