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
