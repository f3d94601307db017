import pytest

from recognizers.charset import ARABIC_DIGITS, ASCII_DIGITS, PERSIAN_DIGITS, Charset


@pytest.mark.parametrize("digits", [ASCII_DIGITS, PERSIAN_DIGITS, ARABIC_DIGITS])
def test_every_digit_script_maps_to_its_value(digits):
    assert [Charset.digit_value(c) for c in digits] == list(range(10))
    assert Charset.to_digit_script(digits, "ascii") == ASCII_DIGITS


def test_arabic_indic_456_are_distinct_codepoints_but_same_values():
    assert "٤٥٦" != "۴۵۶"
    assert Charset().normalise("٤٥٦") == Charset().normalise("۴۵۶") == "456"


def test_normalise_maps_arabic_letter_forms_to_persian():
    assert Charset().normalise("علي كريمى") == "علی کریمی"
    assert Charset("persian").normalise("1402/5/12") == "۱۴۰۲/۵/۱۲"


def test_unknown_digit_script_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown digit script"):
        Charset("roman")


@pytest.mark.parametrize(("logical", "visual"), [
    ("۱۲۳۴/ص/۱۴۰۲", ["۱", "۴", "۰", "۲", "/", "ص", "/", "۱", "۲", "۳", "۴"]),
    ("۲۳/د/۴۵۶۷", ["۴", "۵", "۶", "۷", "/", "د", "/", "۲", "۳"]),
    ("14505/ق/م/ب/1402", [*list("1402"), "/", "ب", "/", "م", "/", "ق", "/", *list("14505")]),
    ("۸۷/۵۴۳۲۱", list("۸۷/۵۴۳۲۱")),  # one left-to-right number: separators between digits join it
    ("تاریخ:", [":", "تاریخ"]),
    ("آیین‌نامه", ["آیین‌نامه"]),  # ZWNJ stays inside its word
])
def test_visual_runs_follow_the_bidi_algorithm(logical, visual):
    assert Charset.visual_runs(logical) == visual
