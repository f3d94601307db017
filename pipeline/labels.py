"""Label boxes checked by the glyph classifier, which knows the field keywords as classes.

The detector names a label after the wrong field now and then (on bench200, 12 of 744 label
boxes: mostly شماره taken for تاریخ at low confidence), and the value beside it then goes to
the wrong field. The glyph classifier reads the keyword itself (`Date`, `dated`, `number`,
`attachment`, `title`); where it is sure of another field, the label is renamed, and where it is
sure the box holds no keyword at all (`Otherchar`), the box stops counting as a label.

Example:
    >>> from detectors.types import Detection
    >>> from recognizers.glyphs.predictor import GlyphPrediction
    >>> dets = [[Detection("date_label", 0.42, (10, 10, 60, 30))]]
    >>> sure = lambda crops: [GlyphPrediction("number", "number", 0.96) for _ in crops]
    >>> checked, notes = check_labels([np.zeros((40, 80), np.uint8)], dets, sure)
    >>> checked[0][0].label, notes[0][0]
    ('number_label', 'number_label (glyph classifier 0.96)')
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

import numpy as np

from detectors.types import Detection
from pipeline.pairing import lone_floor, merge_twins, nearest_label, pair_candidates, values_right_of_labels
from pipeline.refine import label_beside_value
from recognizers.glyphs.predictor import GlyphPrediction

# The glyph classifier's keyword classes and the field each one names.
KEYWORD_FIELDS = {"Date": "date", "dated": "date", "number": "number", "attachment": "attachment",
                  "title": "title"}
NOT_A_KEYWORD = "Otherchar"


def check_labels(
    pages: Sequence[np.ndarray],
    detections: Sequence[Sequence[Detection]],
    classify: Callable[[list[np.ndarray]], list[GlyphPrediction]],
    min_confidence: float = 0.9,
) -> tuple[list[list[Detection]], list[dict[int, str]]]:
    """Each page's detections with its label boxes checked (one classifier call for all pages).

    Returns the checked detections and, per page, what changed: detection index -> a note
    (`number_label (glyph classifier 0.96)` or `not a label (glyph classifier 0.97)`).
    """
    jobs, crops = [], []
    for i, (page, dets) in enumerate(zip(pages, detections, strict=True)):
        for k, det in enumerate(dets):
            crop = det.crop(page, 0.0) if det.part == "label" else None
            if crop is not None and min(crop.shape[:2]) >= 2:
                jobs.append((i, k))
                crops.append(crop)
    predictions = classify(crops) if crops else []
    checked = [list(dets) for dets in detections]
    notes: list[dict[int, str]] = [{} for _ in detections]
    dropped: set[tuple[int, int]] = set()
    for (i, k), pred in zip(jobs, predictions, strict=True):
        if pred.confidence < min_confidence:
            continue
        det, field = checked[i][k], KEYWORD_FIELDS.get(pred.label)
        why = f"(glyph classifier {pred.confidence:.2f})"
        if field is not None and field != det.field:
            checked[i][k] = replace(det, label=f"{field}_label")
            notes[i][k] = f"{field}_label {why}"
        elif pred.label == NOT_A_KEYWORD:
            dropped.add((i, k))
            notes[i][k] = f"not a label {why}"
    pages_out = [[d for k, d in enumerate(dets) if (i, k) not in dropped] for i, dets in enumerate(checked)]
    return pages_out, notes


def labels_beside_lone_values(
    pages: Sequence[np.ndarray],
    detections: Sequence[Sequence[Detection]],
    classify: Callable[[list[np.ndarray]], list[GlyphPrediction]],
    floors: Mapping[str, float],
    min_value_confidence: float = 0.25,
    min_confidence: float = 0.9,
) -> list[list[tuple[Detection, float]]]:
    """Per page, the labels found beside value boxes that have none on their line and are less
    sure than their field's lone floor (`floors`, by which pairing would drop them): where the
    word right of such a value (left of it, on a form that prints values right of their labels)
    reads to the glyph classifier as the value's own field's keyword, at least `min_confidence`
    sure (val2 p000011: a number value at 0.45 whose شماره the detector missed). Values under
    `min_value_confidence` are not looked at. Each label comes with the classifier's confidence;
    its box has confidence 0 (the detector did not find it).

    Example:
        >>> page = np.full((60, 400), 255, np.uint8)
        >>> page[20:40, 100:200] = 0; page[20:40, 230:290] = 0   # a value, then its label
        >>> dets = [[Detection("number_value", 0.45, (100, 20, 200, 40))]]
        >>> sure = lambda crops: [GlyphPrediction("number", "number", 0.96) for _ in crops]
        >>> found = labels_beside_lone_values([page], dets, sure, {"number": 0.55})
        >>> [(d.label, d.box, p) for d, p in found[0]]
        [('number_label', (230.0, 20.0, 290.0, 40.0), 0.96)]
    """
    jobs, crops = [], []
    for i, (page, dets) in enumerate(zip(pages, detections, strict=True)):
        labels = merge_twins([d for d in dets if d.part == "label"])
        paired = {f: b[0] for f, b in pair_candidates(dets).items()}
        rightwards = values_right_of_labels(paired, labels)
        for value in merge_twins([d for d in dets if d.part == "value"]):
            if (nearest_label(value, labels) is not None
                    or value.confidence >= lone_floor(floors, value.field)
                    or value.confidence < min_value_confidence):
                continue
            others = [d.box for d in dets if d is not value]
            box = label_beside_value(page, value.box, others, rightwards=rightwards)
            crop = None if box is None else Detection(f"{value.field}_label", 0.0, box).crop(page, 0.0)
            if crop is not None and min(crop.shape[:2]) >= 2:
                jobs.append((i, value.field, box))
                crops.append(crop)
    found: list[list[tuple[Detection, float]]] = [[] for _ in detections]
    for (i, name, box), pred in zip(jobs, classify(crops) if crops else [], strict=True):
        if pred.confidence >= min_confidence and KEYWORD_FIELDS.get(pred.label) == name:
            found[i].append((Detection(f"{name}_label", 0.0, box), pred.confidence))
    return found
