"""Pairs the detector's label and value boxes into one value box per field.

The detector sometimes names a value box after the wrong field (a number and a date look alike);
the label on the same line settles it: a value takes the field of the nearest label on its line
(to its right in right-to-left text, or to its left when the layout puts it there), and keeps its
own class only when no label is on its line. Per field, a value beside its label beats one
without, then the most confident wins; a value without a label may be required to be sure.

The detector suppresses overlapping boxes within a class only, so one word can come back as two
labels of different fields (`number_label` 0.85 and `date_label` 0.29 on the same شماره); such
twins are merged first, across classes, keeping the more confident box.

Example:
    >>> from detectors.types import Detection
    >>> dets = [Detection("date_label", 0.9, (900, 100, 960, 130)),
    ...         Detection("number_value", 0.6, (700, 102, 880, 128))]   # a date value, misnamed
    >>> {f: d.box for f, d in pair_fields(dets).items()}
    {'date': (700, 102, 880, 128)}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from detectors.types import Detection, iou

MAX_GAP = 8.0  # a label further away than this many line heights is not the value's
TWIN_IOU = 0.6  # boxes of one part (label or value) overlapping this much are one box


def merge_twins(boxes: Sequence[Detection], threshold: float = TWIN_IOU) -> list[Detection]:
    """Overlapping boxes of different classes reduced to the most confident one.

    Example:
        >>> twins = [Detection("date_label", 0.29, (514, 208, 603, 247)),
        ...          Detection("number_label", 0.85, (514, 207, 602, 247))]
        >>> [d.label for d in merge_twins(twins)]
        ['number_label']
    """
    kept: list[Detection] = []
    for box in sorted(boxes, key=lambda d: -d.confidence):
        if all(iou(box.box, k.box) < threshold for k in kept):
            kept.append(box)
    return kept


def _same_line(a: Detection, b: Detection) -> bool:
    overlap = min(a.box[3], b.box[3]) - max(a.box[1], b.box[1])
    return overlap > 0.5 * min(a.height, b.height)


def _gap(value: Detection, label: Detection) -> float:
    """Horizontal distance between the boxes (0 when they overlap)."""
    return max(0.0, label.box[0] - value.box[2], value.box[0] - label.box[2])


def nearest_label(value: Detection, labels: Sequence[Detection]) -> Detection | None:
    """The label nearest `value` on its line (the surer one on a tie), or None."""
    near = [(_gap(value, lab), -lab.confidence, lab) for lab in labels if _same_line(value, lab)]
    near = [n for n in near if n[0] <= MAX_GAP * max(value.height, n[2].height)]
    return min(near, key=lambda n: n[:2])[2] if near else None


def values_right_of_labels(paired: dict[str, Detection], labels: Sequence[Detection]) -> bool:
    """Whether most of a page's paired values sit right of their labels: a form that prints its
    values there, against the right-to-left rule (value left of its label). False without evidence.

    Example:
        >>> labels = [Detection("number_label", 0.9, (100, 10, 160, 30))]
        >>> values_right_of_labels({"number": Detection("number_value", 0.9, (170, 10, 260, 30))}, labels)
        True
    """
    votes = []
    for det in paired.values():
        label = nearest_label(det, labels)
        if label is not None:
            votes.append(det.box[0] + det.box[2] > label.box[0] + label.box[2])
    return 2 * sum(votes) > len(votes)


def pair_candidates(
    detections: Sequence[Detection], lone_min_confidence: float | Mapping[str, float] = 0.0
) -> dict[str, list[Detection]]:
    """Every field's value boxes, best first (what `pair_fields` ranks by). `lone_min_confidence`:
    one floor for every field, or one per field (a field not named has none).

    Example:
        >>> dets = [Detection("number_label", 0.9, (900, 100, 960, 130)),
        ...         Detection("number_value", 0.6, (700, 102, 880, 128)),
        ...         Detection("number_value", 0.8, (700, 200, 880, 228))]   # no label on its line
        >>> [d.confidence for d in pair_candidates(dets)["number"]]
        [0.6, 0.8]
    """
    labels = merge_twins([d for d in detections if d.part == "label"])
    ranked: dict[str, list[tuple[bool, float, Detection]]] = {}
    for value in merge_twins([d for d in detections if d.part == "value"]):
        label = nearest_label(value, labels)
        if label is None and value.confidence < lone_floor(lone_min_confidence, value.field):
            continue
        name = label.field if label is not None else value.field
        ranked.setdefault(name, []).append((label is not None, value.confidence, value))
    return {name: [r[2] for r in sorted(ranks, key=lambda r: r[:2], reverse=True)]
            for name, ranks in ranked.items()}


def lone_floor(lone_min_confidence: float | Mapping[str, float], field: str) -> float:
    """The confidence a value box of `field` with no label on its line needs.

    Example:
        >>> lone_floor({"title": 0.65}, "title"), lone_floor({"title": 0.65}, "date"), lone_floor(0.5, "date")
        (0.65, 0.0, 0.5)
    """
    if isinstance(lone_min_confidence, Mapping):
        return float(lone_min_confidence.get(field, 0.0))
    return float(lone_min_confidence)


def pair_fields(
    detections: Sequence[Detection], lone_min_confidence: float | Mapping[str, float] = 0.0
) -> dict[str, Detection]:
    """One value box per field found.

    A value with a label on its line beats one without; among equals the surer wins. A value
    with no label on its line is kept only at `lone_min_confidence` or above (on bench200 every
    lone value below 0.5 was a wrong one: a recipient line taken for the subject, a stray date).

    Example:
        >>> dets = [Detection("title_label", 0.8, (900, 300, 960, 320)),
        ...         Detection("title_value", 0.25, (700, 300, 880, 320)),   # beside the label
        ...         Detection("title_value", 0.41, (500, 250, 880, 275))]   # the line above
        >>> pair_fields(dets)["title"].box
        (700, 300, 880, 320)
    """
    return {name: boxes[0] for name, boxes in pair_candidates(detections, lone_min_confidence).items()}


def unpaired_labels(detections: Sequence[Detection], paired: dict[str, Detection]) -> list[Detection]:
    """The most confident label of each field that `pair_fields` gave no value.

    Example:
        >>> dets = [Detection("number_label", 0.9, (900, 100, 960, 130))]
        >>> [d.label for d in unpaired_labels(dets, pair_fields(dets))]
        ['number_label']
    """
    best: dict[str, Detection] = {}
    for label in merge_twins([d for d in detections if d.part == "label"]):  # surest first
        if label.field not in paired and label.field not in best:
            best[label.field] = label
    return list(best.values())


def holds_its_label(value: Detection, field: str, labels: Sequence[Detection]) -> bool:
    """Whether `value`'s box holds its field's label, as far as the boxes tell: no `field` label
    lies on its line with more than half its width outside the box (a label word read at the
    value's start is then the label, not the value's own first word).

    Example:
        >>> value = Detection("title_value", 0.7, (100, 10, 400, 30))
        >>> beside = Detection("title_label", 0.9, (420, 10, 480, 30))
        >>> inside = Detection("title_label", 0.6, (340, 10, 400, 30))
        >>> holds_its_label(value, "title", []), holds_its_label(value, "title", [inside])
        (True, True)
        >>> holds_its_label(value, "title", [beside])
        False
    """
    for label in labels:
        if label.field != field or not _same_line(value, label):
            continue
        held = max(0.0, min(value.box[2], label.box[2]) - max(value.box[0], label.box[0]))
        if held < 0.5 * (label.box[2] - label.box[0]):
            return False
    return True
