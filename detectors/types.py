"""Typed results of the field detector (no ultralytics type leaves `detectors`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from data.synth.classes import YOLO_CLASSES as FIELD_CLASSES  # the corpus defines the classes

__all__ = ["FIELD_CLASSES", "Detection", "iou"]


def iou(a, b) -> float:
    """Intersection over union of two (x0, y0, x1, y1) boxes.

    Example:
        >>> iou((0, 0, 10, 10), (5, 0, 15, 10))
        0.3333333333333333
    """
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


@dataclass(frozen=True)
class Detection:
    """One box on a page, in pixels of the page as it was given.

    Example:
        >>> d = Detection("date_value", 0.91, (100.0, 50.0, 300.0, 80.0))
        >>> d.field, d.part, d.width
        ('date', 'value', 200.0)
    """

    label: str
    confidence: float
    box: tuple[float, float, float, float]  # x0, y0, x1, y1

    @property
    def field(self) -> str:
        return self.label.rsplit("_", 1)[0]

    @property
    def part(self) -> str:
        return self.label.rsplit("_", 1)[1]

    @property
    def width(self) -> float:
        return self.box[2] - self.box[0]

    @property
    def height(self) -> float:
        return self.box[3] - self.box[1]

    def crop_box(self, shape: tuple[int, ...], margin: float = 0.0) -> tuple[int, int, int, int]:
        """The pixel box `crop` cuts from a page of `shape`: the box grown by `margin` × its
        height on every side, within the page.

        Example:
            >>> Detection("date_value", 0.9, (100.0, 50.0, 300.0, 80.0)).crop_box((400, 600), 0.1)
            (97, 47, 303, 83)
        """
        grow = margin * self.height
        h, w = shape[:2]
        x0, y0 = max(0, int(self.box[0] - grow)), max(0, int(self.box[1] - grow))
        x1, y1 = min(w, int(np.ceil(self.box[2] + grow))), min(h, int(np.ceil(self.box[3] + grow)))
        return x0, y0, x1, y1

    def crop(self, page: np.ndarray, margin: float = 0.0) -> np.ndarray:
        """The page pixels under the box, grown by `margin` × box height on every side."""
        x0, y0, x1, y1 = self.crop_box(page.shape, margin)
        return page[y0:y1, x0:x1]

    def to_dict(self) -> dict[str, object]:
        return {"label": self.label, "confidence": round(self.confidence, 4),
                "box": [round(v, 1) for v in self.box]}
