"""Label boxes checked by the glyph classifier's keyword classes (pipeline.labels)."""

import numpy as np

from detectors.types import Detection
from pipeline.labels import check_labels
from pipeline.pairing import pair_fields
from recognizers.glyphs.predictor import GlyphPrediction


class _Classifier:
    """Answers per crop width: the test draws each label box a different width."""

    def __init__(self, answers):
        self.answers, self.seen = answers, 0

    def __call__(self, crops):
        self.seen += len(crops)
        return [GlyphPrediction(*self.answers[c.shape[1]]) for c in crops]


def test_labels_are_renamed_or_dropped_only_when_the_classifier_is_sure():
    page = np.full((200, 400), 255, np.uint8)
    dets = [
        Detection("date_label", 0.42, (300, 10, 350, 30)),  # width 50: really شماره
        Detection("number_value", 0.9, (100, 10, 280, 30)),  # values are not checked
        Detection("attachment_label", 0.5, (300, 60, 340, 80)),  # width 40: no keyword
        Detection("title_label", 0.6, (300, 110, 330, 130)),  # width 30: unsure
        Detection("date_label", 0.9, (300, 160, 360, 180)),  # width 60: agrees
    ]
    classifier = _Classifier({50: ("number", "number", 0.97), 40: ("Otherchar", "?", 0.95),
                              30: ("Date", "Date", 0.6), 60: ("dated", "dated", 0.99)})
    (checked,), (notes,) = check_labels([page], [dets], classifier)
    assert classifier.seen == 4
    assert [d.label for d in checked] == ["number_label", "number_value", "title_label", "date_label"]
    assert notes == {0: "number_label (glyph classifier 0.97)", 2: "not a label (glyph classifier 0.95)"}
    # the value beside the renamed label is the number now
    assert pair_fields(checked)["number"].box == (100, 10, 280, 30)
    assert "date" not in pair_fields(checked)


def test_no_labels_no_classifier_call():
    classifier = _Classifier({})
    checked, notes = check_labels([np.zeros((10, 10), np.uint8)], [[]], classifier)
    assert checked == [[]] and notes == [{}] and classifier.seen == 0


def _value_and_word_page() -> np.ndarray:
    page = np.full((60, 400), 255, np.uint8)
    page[20:40, 100:200] = 0  # the value
    page[20:40, 230:290] = 0  # a word right of it, where its label would be (width 60)
    return page


def test_a_lone_value_under_its_floor_gets_the_label_its_neighbour_reads_as():
    """val2 p000011: a number value at 0.45 (floor 0.55) whose label شماره the detector missed."""
    from pipeline.labels import labels_beside_lone_values

    dets = [Detection("number_value", 0.45, (100, 20, 200, 40))]
    floors = {"number": 0.55}
    assert "number" not in pair_fields(dets, floors)
    sure = _Classifier({60: ("number", "number", 0.97)})
    ((label, confidence),), = labels_beside_lone_values([_value_and_word_page()], [dets], sure, floors)
    assert (label.label, label.box, confidence) == ("number_label", (230.0, 20.0, 290.0, 40.0), 0.97)
    assert pair_fields([*dets, label], floors)["number"].box == (100, 20, 200, 40)


def test_no_label_is_added_for_another_keyword_an_unsure_read_or_a_value_that_needs_none():
    from pipeline.labels import labels_beside_lone_values

    page, floors = _value_and_word_page(), {"number": 0.55, "title": 0.65}
    for answer in [("Date", "Date", 0.99), ("Otherchar", "?", 0.99), ("number", "number", 0.8)]:
        dets = [Detection("number_value", 0.45, (100, 20, 200, 40))]
        assert labels_beside_lone_values([page], [dets], _Classifier({60: answer}), floors) == [[]]
    # sure enough alone, too unsure to look at, or already beside a label: the classifier is not asked
    never = _Classifier({})
    for dets in ([Detection("number_value", 0.6, (100, 20, 200, 40))],
                 [Detection("number_value", 0.2, (100, 20, 200, 40))],
                 [Detection("number_value", 0.45, (100, 20, 200, 40)),
                  Detection("number_label", 0.9, (230, 20, 290, 40))]):
        assert labels_beside_lone_values([page], [dets], never, floors) == [[]] and never.seen == 0
