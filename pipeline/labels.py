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

from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np

from detectors.types import Detection
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
