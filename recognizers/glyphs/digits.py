"""`DigitReader`: reads a date or number crop glyph by glyph with the glyph classifier.

An independent second reading for the CRNN's: the crop is split into glyphs by connected
components (a glyph's parts and dots, which overlap it horizontally, are merged into it), each
glyph is classified, and the left-to-right sequence is turned into reading order. Letters, which
the classifier only knows as `Otherchar`, become `؟` (one per letter run).

Example:
    >>> reader = DigitReader(GlyphClassifier.load("recognizers/weights/glyphs.pt"))  # doctest: +SKIP
    >>> reader([number_crop])[0].text                                   # doctest: +SKIP
    '1234/؟/1402'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from recognizers.charset import Charset
from recognizers.glyphs.predictor import GlyphClassifier
from recognizers.images import check_batch

UNKNOWN_LETTER = "؟"  # strong right-to-left, so reading order treats it as a letter
SYMBOLS = {"slash": "/", "dash": "-", "underscore": "_"}
SEPARATORS = frozenset(SYMBOLS.values())


@dataclass(frozen=True)
class GlyphReading:
    """A crop read glyph by glyph: `text` in reading order, the least sure glyph's confidence,
    and the glyph boxes (x0, y0, x1, y1) left to right."""

    text: str
    confidence: float
    boxes: tuple[tuple[int, int, int, int], ...]


def split_glyphs(
    grey: np.ndarray, min_area: float = 0.002, overlap: float = 0.5
) -> list[tuple[int, int, int, int]]:
    """Glyph boxes of a grey crop, left to right.

    Components smaller than `min_area`·H² are specks; a component overlapping a glyph
    horizontally by more than `overlap` of the narrower one's width joins it.

    Example:
        >>> crop = np.full((30, 60), 255, np.uint8)
        >>> crop[5:25, 5:9] = 0; crop[5:25, 30:34] = 0; crop[2:4, 31:33] = 0   # 2 strokes, 1 dot
        >>> split_glyphs(crop)
        [(5, 5, 9, 25), (30, 2, 34, 25)]
    """
    h = grey.shape[0]
    blurred = cv2.GaussianBlur(grey, (3, 3), 0)
    _, binary = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    if np.percentile(grey, 99) - np.percentile(grey, 1) < 30:  # no contrast: nothing written
        return []
    count, _, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    boxes = [
        [int(x), int(y), int(x + w), int(y + hh)]
        for x, y, w, hh, area in stats[1:count]
        if area >= max(2.0, min_area * h * h)
    ]
    # ink touching the whole height of the crop is a border or a neighbour's stroke, not a glyph
    boxes = [b for b in boxes if not (b[1] == 0 and b[3] == h and b[2] - b[0] < 0.1 * h)]
    boxes.sort(key=lambda b: (b[0], b[2]))
    groups: list[list[int]] = []
    for box in boxes:
        for group in groups:
            inter = min(group[2], box[2]) - max(group[0], box[0])
            if inter > overlap * min(group[2] - group[0], box[2] - box[0]):
                group[:] = [
                    min(group[0], box[0]),
                    min(group[1], box[1]),
                    max(group[2], box[2]),
                    max(group[3], box[3]),
                ]
                break
        else:
            groups.append(list(box))
    groups.sort(key=lambda b: b[0])
    return [tuple(g) for g in groups]  # type: ignore[misc]


def letters_as_unknown(text: str) -> str:
    """A text as the digit reader can know it: canonical, spaces out, each letter run one `؟`.

    Example:
        >>> letters_as_unknown("۱۲۳۴/الف/۱۴۰۲")
        '1234/؟/1402'
    """
    runs = Charset.split_runs(Charset.canonical(text).replace(" ", ""))
    return "".join(UNKNOWN_LETTER if Charset.is_rtl_char(r[0]) else r for r in runs)


def tidy(visual: str) -> str:
    """A value never starts or ends with a separator, nor holds two in a row: such glyphs are
    ink from the crop's edges (a label's colon, a frame, a neighbour), so they go.

    Example:
        >>> tidy("/1382/09//14-")
        '1382/09/14'
    """
    out: list[str] = []
    for char in visual:
        if char in SEPARATORS and (not out or out[-1] in SEPARATORS):
            continue
        out.append(char)
    while out and out[-1] in SEPARATORS:
        out.pop()
    return "".join(out)


class DigitReader:
    """Splits crops into glyphs and reads them with a `GlyphClassifier`."""

    def __init__(self, classifier: GlyphClassifier, margin: float = 0.12) -> None:
        self.classifier = classifier
        self.margin = margin

    def _cut(self, grey: np.ndarray, box: tuple[int, int, int, int], band: tuple[int, int]) -> np.ndarray:
        """The glyph's columns over the rows of all the crop's glyphs (as the training crops are
        cut: where a glyph sits in the line tells `_` from `-`), with margins."""
        x0, _, x1, _ = box
        y0, y1 = band
        pad = max(1, round(self.margin * (y1 - y0)))
        padx = max(1, round(0.04 * (y1 - y0)))
        h, w = grey.shape
        return grey[max(0, y0 - pad) : min(h, y1 + pad), max(0, x0 - padx) : min(w, x1 + padx)]

    def __call__(self, crops: Sequence[np.ndarray]) -> list[GlyphReading]:
        """Read each crop (grey or RGB uint8); an empty list gives an empty list."""
        greys = check_batch(crops)
        boxes = [split_glyphs(g) for g in greys]
        pieces = [
            self._cut(g, b, (min(c[1] for c in bs), max(c[3] for c in bs)))
            for g, bs in zip(greys, boxes, strict=True)
            for b in bs
        ]
        pieces = [p if min(p.shape) >= 2 else np.pad(p, 1, constant_values=255) for p in pieces]
        predictions = iter(self.classifier(pieces))
        readings = []
        for bs in boxes:
            chars, confidence = [], 1.0
            for _ in bs:
                p = next(predictions)
                confidence = min(confidence, p.confidence)
                char = p.label if p.label.isdigit() else SYMBOLS.get(p.label, UNKNOWN_LETTER)
                if not (char == UNKNOWN_LETTER and chars and chars[-1] == UNKNOWN_LETTER):
                    chars.append(char)
            text = Charset.to_logical(tidy("".join(chars)))
            readings.append(GlyphReading(text, confidence if bs else 0.0, tuple(bs)))
        return readings
