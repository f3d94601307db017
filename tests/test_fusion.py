"""Pairing labels with values, and fusing the two readings of a value."""

import pytest

from detectors.types import Detection
from pipeline.fusion import fuse
from pipeline.pairing import pair_fields
from recognizers.glyphs.digits import GlyphReading
from recognizers.reader.decode import Reading


def glyphs(text, conf=0.8):
    return GlyphReading(text, conf, ())


def test_agreement_raises_confidence():
    r = fuse("date", Reading("1402/5/12", 0.9, True), glyphs("1402/05/12"))
    assert (r.text, r.source, r.valid, r.gregorian) == ("1402/05/12", "agree", True, "2023-08-03")
    assert r.confidence > 0.9


def test_a_reading_that_fails_its_check_loses():
    r = fuse("date", Reading("1402/12/30", 0.95, False), glyphs("1402/12/20"))
    assert (r.text, r.source, r.valid) == ("1402/12/20", "glyphs", True) and r.confidence < 0.8


def test_a_dotted_leader_read_as_zeros_is_no_number():
    r = fuse("number", Reading("مپن", 0.6, False), glyphs("0" * 44))
    assert r.valid is False


def test_disagreement_keeps_the_crnn_at_lower_confidence():
    r = fuse("number", Reading("1234/ص/1402", 0.9), glyphs("1234/؟/1403"))
    assert (r.text, r.source) == ("1234/ص/1402", "crnn") and r.confidence < 0.9


def test_letters_in_numbers_match_the_glyph_readers_unknowns():
    r = fuse("number", Reading("1234/ص/1402", 0.9), glyphs("1234/؟/1402"))
    assert r.source == "agree"


@pytest.mark.parametrize(("text", "valid"), [
    ("ندارد", True), ("12 برگ", True), ("یک نسخه", True), ("3", True),
    ("53211", False), ("1396/05/02", False), ("", False)])
def test_an_attachment_is_words_or_a_short_count(text, valid):
    """bench: a number or a date read from a neighbouring line is no attachment."""
    assert fuse("attachment", Reading(text, 0.9), None).valid is valid


@pytest.mark.parametrize(("field", "read", "text"), [
    ("title", "موضوع، استان سپرده تکمیل فسخ", "استان سپرده تکمیل فسخ"),  # bench200 p000086
    ("title", "موضوع قرارداد خرید", "موضوع قرارداد خرید"),  # no colon: the subject's own word
    ("number", "شماره: 1234/ص/1402", "1234/ص/1402"),
    ("date", "مورخه : 1402/05/12", "1402/05/12")])
def test_a_value_box_that_took_in_its_label_loses_the_label(field, read, text):
    r = fuse(field, Reading(read, 0.9), None)
    assert r.text == text and r.valid


@pytest.mark.parametrize(("read", "held", "text"), [
    ("موضوع اسناد تحلیل", True, "اسناد تحلیل"),    # val3 p000032: the box holds `موضوع` and no colon
    ("موضوع اسناد تحلیل", False, "موضوع اسناد تحلیل"),  # a label beside the box: the subject's own word
    ("موضوعات اسناد", True, "موضوعات اسناد"),       # a word that only begins like the label
    ("موضوع: اسناد", True, "اسناد")])
def test_a_box_that_holds_its_label_loses_the_label_word_without_a_colon(read, held, text):
    assert fuse("title", Reading(read, 0.9), None, label_held=held).text == text


def test_both_invalid_is_invalid():
    r = fuse("date", Reading("99", 0.4, False), glyphs("9/9"))
    assert r.valid is False


@pytest.mark.parametrize(
    ("mode", "text", "source"), [("crnn_only", "1402/05/12", "crnn"), ("glyph_only", "1402/05/13", "glyphs")]
)
def test_single_reader_modes(mode, text, source):
    r = fuse("date", Reading("1402/05/12", 0.9, True), glyphs("1402/05/13"), mode)
    assert (r.text, r.source) == (text, source)


def test_words_come_from_the_crnn_and_unknown_modes_fail():
    assert fuse("title", Reading("درخواست وام", 0.7), None).text == "درخواست وام"
    with pytest.raises(ValueError, match="unknown fusion"):
        fuse("date", Reading("1402/05/12", 0.9, True), None, "vote")


def test_the_label_on_the_line_names_the_value():
    dets = [
        Detection("date_label", 0.9, (900, 100, 960, 130)),
        Detection("number_value", 0.6, (700, 102, 880, 128)),  # a date, misnamed
        Detection("number_label", 0.9, (900, 150, 960, 180)),
        Detection("number_value", 0.8, (700, 152, 880, 178)),
        Detection("title_value", 0.7, (100, 400, 600, 430)),  # no label on its line
        Detection("title_value", 0.5, (100, 500, 600, 530)),
    ]
    fields = pair_fields(dets)
    assert fields["date"].box == (700, 102, 880, 128) and fields["number"].box == (700, 152, 880, 178)
    assert fields["title"].confidence == 0.7


def test_twin_labels_of_two_fields_on_one_word_keep_the_surer_one():
    """Seen on held-out pages: شماره detected as number_label 0.85 and date_label 0.29, the weak
    twin a pixel nearer to the value; the number was lost to the date line's field."""
    dets = [
        Detection("number_value", 0.64, (243, 202, 477, 247)),
        Detection("date_value", 0.82, (246, 202, 483, 246)),  # the same number, twice
        Detection("number_label", 0.85, (514.4, 207, 602, 247)),
        Detection("date_label", 0.29, (513.6, 208, 603, 247)),
        Detection("date_value", 0.86, (280, 330, 492, 367)),
        Detection("date_label", 0.95, (526, 335, 603, 376)),
    ]
    fields = pair_fields(dets)
    assert fields["number"].box == (246, 202, 483, 246)
    assert fields["date"].box == (280, 330, 492, 367)


def test_a_value_beside_its_label_beats_a_surer_one_without_and_unsure_lone_values_go():
    """bench200 p000075: the subject beside موضوع (0.25) lost to the recipient line above (0.41)."""
    dets = [
        Detection("title_label", 0.75, (1373, 487, 1425, 505)),
        Detection("title_value", 0.25, (1321, 488, 1358, 502)),
        Detection("title_value", 0.41, (844, 440, 1329, 472)),
        Detection("number_value", 0.45, (700, 152, 880, 178)),  # no label on its line, unsure
        Detection("date_value", 0.6, (700, 200, 880, 228)),  # no label on its line, sure
    ]
    assert pair_fields(dets)["title"].box == (1321, 488, 1358, 502)
    assert set(pair_fields(dets, lone_min_confidence=0.5)) == {"title", "date"}
    assert set(pair_fields(dets)) == {"title", "number", "date"}


def test_lone_values_have_a_floor_per_field():
    """val300 p000101: a recipient line with no label beside it (0.60) read as the subject; a
    lone date that sure is still kept."""
    dets = [Detection("title_value", 0.60, (1151, 593, 1489, 616)),
            Detection("date_value", 0.60, (700, 200, 880, 228))]
    floors = {"number": 0.55, "date": 0.5, "attachment": 0.5, "title": 0.65}
    assert set(pair_fields(dets, lone_min_confidence=floors)) == {"date"}
    assert set(pair_fields(dets, lone_min_confidence=0.5)) == {"title", "date"}
