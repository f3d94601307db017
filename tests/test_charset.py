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


# --- the readers' alphabet and reading order ------------------------------------------------
from recognizers.charset import BLANK, DEFAULT_ALPHABET, CharsetError  # noqa: E402


@pytest.mark.parametrize(("logical", "visual"), [
    ("۱۲۳۴/ص/۱۴۰۲", "۱۴۰۲/ص/۱۲۳۴"),
    ("۲۳/د/۴۵۶۷", "۴۵۶۷/د/۲۳"),
    ("۳ برگ", "گرب ۳"),
    ("14505/ق/م/ب/1402", "1402/ب/م/ق/14505"),
    ("87/54321", "87/54321"),
    ("9876-12", "9876-12"),
    ("12_34", "34_12"),            # '_' is a neutral: between numbers it reads right to left
    ("12 مهر 1402", "1402 رهم 12"),
    ("آیین‌نامه مالی", "یلام همان‌نییآ"),
])
def test_visual_order_and_back(logical, visual):
    assert Charset.to_visual(logical) == visual
    assert Charset.to_logical(visual) == logical


def test_encode_decode_round_trip_in_any_digit_script():
    cs = Charset()
    for text in ("۱۲۳۴/ص/۱۴۰۲", "١٢٣٤/ص/١٤٠٢", "1234/ص/1402"):
        assert Charset.canonical(cs.decode(cs.encode(text))) == "1234/ص/1402"
    # only the Arabic-Indic digits drawn unlike the Persian ones keep a class of their own
    assert cs.decode(cs.encode("١٢٣٤/٥٦")) == "123٤/٥٦"
    assert cs.decode(cs.encode("۱۲۳۴/۵۶")) == "1234/56"
    assert Charset(alphabet="0123456789/").decode(Charset(alphabet="0123456789/").encode("٤٥٦")) == "456"
    assert BLANK == 0 and BLANK not in cs.encode(DEFAULT_ALPHABET)
    assert cs.num_classes == len(DEFAULT_ALPHABET) + 1


def test_encode_normalises_arabic_letter_forms():
    cs = Charset()
    assert cs.encode("علي") == cs.encode("علی")
    assert cs.encode("ك") == cs.encode("ک")


def test_encoding_error_names_every_missing_character():
    with pytest.raises(CharsetError, match=r"'A' \(U\+0041\).*'Z' \(U\+005A\)") as caught:
        Charset().encode("ZAZ ۱۲")
    assert caught.value.missing == ["A", "Z"]


def test_an_alphabet_must_be_canonical_and_unique():
    with pytest.raises(ValueError, match="canonical"):
        Charset(alphabet="۱۲")
    with pytest.raises(ValueError, match="repeats"):
        Charset(alphabet="1123")


@pytest.mark.parametrize("logical", ["١٣٨-٥٠١", "٢٣/د/٤٥٦٧", "١٢_٣٤", "٤٥-٦/ص/١٤٠٢", "٣ برگ", "٦٥٧٧٩-٥٦٥"])
def test_arabic_indic_reading_order_round_trip(logical):
    # what the reader sees: the visual order, with only ٤ ٥ ٦ telling the script
    cs = Charset()
    seen = cs.symbols(Charset.to_visual(logical))
    assert Charset.canonical(Charset.to_logical(seen)) == Charset.canonical(logical)


def test_dash_between_numbers_orders_by_digit_script():
    # the same ink, two scripts: "138-501" in Persian digits is printed as it reads; in
    # Arabic-Indic digits the parts swap places
    assert Charset.to_visual("۱۳۸-۵۰۱") == "۱۳۸-۵۰۱"
    assert Charset.to_visual("١٣٨-٥٠١") == "٥٠١-١٣٨"
    assert Charset.as_arabic_digits("501-138") == "138-501"
    assert Charset.as_arabic_digits("12/ص/1402") == "12/ص/1402"
    assert Charset().digit_script_seen("٥01") == "arabic"
    assert Charset().digit_script_seen("501") == "persian"
    assert Charset().digit_script_seen("1023") is None
