import re

import jdatetime
import numpy as np
import pytest

from data.synth.content import JALALI_MONTHS, ContentConfig, ContentMaker
from data.synth.vocabulary import Vocabulary


@pytest.fixture(scope="module")
def maker():
    return ContentMaker(Vocabulary.load(), ContentConfig())


def month_length(year: int, month: int) -> int:
    """Persian calendar month lengths, written out independently of the generator."""
    if month <= 6:
        return 31
    if month <= 11:
        return 30
    return 30 if jdatetime.date(year, 1, 1).isleap() else 29


@pytest.mark.parametrize(("jalali", "gregorian"), [
    ((1402, 1, 1), "2023-03-21"), ((1399, 12, 30), "2021-03-20"), ((1403, 12, 30), "2025-03-20"),
    ((1370, 1, 1), "1991-03-21"), ((1410, 6, 31), "2031-09-22"),
])
def test_known_jalali_to_gregorian(jalali, gregorian):
    assert jdatetime.date(*jalali).togregorian().isoformat() == gregorian


def test_leap_years_that_the_pipeline_must_know():
    assert jdatetime.date(1403, 1, 1).isleap() and jdatetime.date(1399, 1, 1).isleap()
    assert not jdatetime.date(1402, 1, 1).isleap() and not jdatetime.date(1400, 1, 1).isleap()


def test_generated_dates_are_valid_and_converted_right(maker):
    rng = np.random.default_rng(0)
    seen_formats = set()
    for _ in range(2000):
        value = maker.date(rng)
        y, m, d = map(int, value.truth.split("/"))
        assert 1370 <= y <= 1410 and 1 <= m <= 12 and 1 <= d <= month_length(y, m)
        assert re.fullmatch(r"\d{4}/\d{2}/\d{2}", value.truth)
        assert value.gregorian == jdatetime.date(y, m, d).togregorian().isoformat()
        # the printed text carries the same date
        if any(name in value.text for name in JALALI_MONTHS):
            assert JALALI_MONTHS[m - 1] in value.text and str(y) in value.text
            seen_formats.add("month_name")
        else:
            parts = [int(p) for p in re.split(r"[/.\-]", value.text)]
            assert d in parts and m in parts and (y in parts or y % 100 in parts)
            seen_formats.add(re.sub(r"\d", "n", value.text))
    assert "month_name" in seen_formats and len(seen_formats) >= 8


def test_every_leap_day_is_possible_and_no_invalid_one(maker):
    rng = np.random.default_rng(1)
    ends = {maker.jalali(rng) for _ in range(40000)}
    leap_days = {(d.year, d.month, d.day) for d in ends if d.month == 12 and d.day == 30}
    assert leap_days, "30 Esfand of leap years must be generated"
    assert all(jdatetime.date(y, 1, 1).isleap() for y, _, _ in leap_days)


def test_numbers_and_attachments_have_ascii_digits_in_truth(maker):
    rng = np.random.default_rng(2)
    for _ in range(500):
        for value in (maker.number(rng), maker.attachment(rng)):
            assert value.truth == value.text
            assert not re.search(r"[۰-۹٠-٩]", value.truth)


def test_subjects_have_one_to_eight_vocabulary_words(maker):
    rng = np.random.default_rng(3)
    vocab = set(maker.vocab.subject_words)
    lengths = set()
    for _ in range(300):
        words = maker.subject(rng).text.split(" ")
        lengths.add(len(words))
        assert all(w in vocab for w in words)
    assert min(lengths) == 1 and max(lengths) == 8
