"""Growing short subject boxes along their line's ink (pipeline.refine)."""

import numpy as np
import pytest

from pipeline.refine import extend_along_line


def line_page() -> np.ndarray:
    """Words at x 100-180, 200-300 (gap 20 px: one word gap), a label at 330-380, text far left."""
    page = np.full((100, 600), 250, np.uint8)
    for x0, x1 in ((10, 40), (100, 180), (200, 300), (330, 380)):
        page[40:60, x0:x1] = 20
    return page


def test_grows_over_word_gaps_and_stops_at_a_wide_gap_and_at_the_label():
    label = (328.0, 38.0, 382.0, 62.0)
    box = extend_along_line(line_page(), (210.0, 38.0, 260.0, 62.0), [label], max_gap=1.5)
    # left: the 20 px word gap is crossed, the 60 px gap to x=40 (2.5 heights) is not;
    # right: the 30 px gap to the label is under 1.5 heights, but the label's box ends the growth
    assert box == (100.0, 38.0, 300.0, 62.0)


def test_without_the_label_box_the_gap_before_it_still_counts():
    box = extend_along_line(line_page(), (210.0, 38.0, 260.0, 62.0), max_gap=1.5)
    assert box == (100.0, 38.0, 380.0, 62.0)  # the label's ink joins: hence the stop at its box


def test_boxes_on_other_lines_do_not_stop_growth():
    other_line = (150.0, 70.0, 250.0, 95.0)
    box = extend_along_line(line_page(), (210.0, 38.0, 260.0, 62.0), [other_line], max_gap=1.5)
    assert box == (100.0, 38.0, 380.0, 62.0)


def test_a_box_never_shrinks_and_a_blank_page_changes_nothing():
    blank = np.full((100, 600), 250, np.uint8)
    assert extend_along_line(blank, (210.0, 38.0, 260.0, 62.0)) == (210.0, 38.0, 260.0, 62.0)
    page = np.full((100, 600), 250, np.uint8)
    page[40:60, 100:200] = 20
    loose = (50.0, 38.0, 320.0, 62.0)  # wider than its ink
    assert extend_along_line(page, loose) == loose


def test_unknown_field_to_extend_is_refused():
    from pipeline.predictor import PipelineSettings

    with pytest.raises(ValueError, match="extend: unknown fields"):
        PipelineSettings(extend=("subject",))


def test_nothing_left_of_the_label_gives_no_value():
    from pipeline.refine import value_beside_label

    page = np.full((60, 400), 250, np.uint8)
    page[20:40, 300:380] = 20  # the label alone
    assert value_beside_label(page, (298.0, 18.0, 382.0, 42.0)) is None


class _Detector:
    """Finds a date label only (the detector missed its value)."""

    def __call__(self, pages):
        from detectors.types import Detection

        return [[Detection("date_label", 0.9, (298.0, 18.0, 382.0, 42.0))] for _ in pages]


class _Reader:
    def __init__(self, text, confidence):
        self.text, self.confidence, self.kinds = text, confidence, []

    def __call__(self, crops, kinds):
        from recognizers.reader.decode import Reading

        self.kinds.extend(kinds)
        return [Reading(self.text, self.confidence, True) for _ in crops]


@pytest.mark.parametrize(("text", "confidence", "kept"), [
    ("1402/05/12", 0.9, True), ("1402/05/12", 0.3, False), ("1402/12/30", 0.9, False)])
def test_a_value_beside_a_lone_label_is_kept_only_when_sure_and_valid(text, confidence, kept):
    """1402/12/30 does not exist: a guess beside a label that fails its check is dropped."""
    from pipeline.predictor import DocumentPredictor, PipelineSettings

    page = np.full((60, 400, 3), 250, np.uint8)
    page[20:40, 300:380] = 20
    page[20:40, 150:260] = 20  # the value's ink, left of the label
    reader = _Reader(text, confidence)
    predictor = DocumentPredictor(_Detector(), reader, None, PipelineSettings(fusion="crnn_only"))
    fields = predictor([page])[0].fields
    assert reader.kinds == ["date"]
    assert ("date" in fields) == kept
    if kept:
        assert fields["date"].box_from == "beside label" and fields["date"].box[0] == 150.0


def test_a_subject_box_overlapping_its_label_is_cut_back_to_the_label():
    """The detector's subject box ran 13 px into `موضوع` (p000132 of bench200): the label stays out."""
    page = np.full((60, 600), 255, np.uint8)
    page[20:40, 100:250] = 0  # the subject
    page[20:40, 262:330] = 0  # the label, right of it
    label = (258.0, 18.0, 332.0, 42.0)
    grown = extend_along_line(page, (150.0, 18.0, 270.0, 42.0), [label])
    assert grown == (100.0, 18.0, 258.0, 42.0)
    # a twin of the box itself (the same words found twice) bounds nothing
    assert extend_along_line(page, (150.0, 18.0, 240.0, 42.0), [(148.0, 18.0, 242.0, 42.0)])[0] == 100.0
