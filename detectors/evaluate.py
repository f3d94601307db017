"""Measure a detector on a generated corpus: recall, precision, IoU and ink coverage per class,
ultralytics' mAP on the same pages, and CPU latency.

Example:
    >>> report = evaluate_corpus(FieldDetector.load("detectors/weights/fields.pt"),
    ...                          Path("data/generated/heldout"))   # doctest: +SKIP
    >>> report["classes"]["date_value"]["recall"]                    # doctest: +SKIP
"""

from __future__ import annotations

import time
from pathlib import Path

import cv2
import numpy as np

from detectors.dataset import corpus_images, read_rgb
from detectors.predictor import FieldDetector
from detectors.types import FIELD_CLASSES, Detection, iou

CROP_MARGIN = 0.1  # of the box height, per side: what the pipeline adds before reading (`crop_margin`)


def truth_boxes(label_file: Path, shape) -> list[tuple[str, tuple[float, float, float, float]]]:
    h, w = shape[:2]
    out = []
    for line in label_file.read_text().splitlines():
        c, x, y, bw, bh = line.split()
        x, y, bw, bh = float(x) * w, float(y) * h, float(bw) * w, float(bh) * h
        out.append((FIELD_CLASSES[int(c)], (x - bw / 2, y - bh / 2, x + bw / 2, y + bh / 2)))
    return out


def match(truth, detections: list[Detection], threshold: float = 0.5):
    """Greedy one-to-one matching per class, by IoU; returns (pairs, unmatched detections)."""
    pairs, used = [], set()
    for label, box in truth:
        best, best_iou = None, threshold
        for k, d in enumerate(detections):
            if k in used or d.label != label:
                continue
            value = iou(box, d.box)
            if value >= best_iou:
                best, best_iou = k, value
        pairs.append((label, box, detections[best] if best is not None else None, best_iou))
        if best is not None:
            used.add(best)
    return pairs, [d for k, d in enumerate(detections) if k not in used]


def ink_inside(gray: np.ndarray, truth_box, detection: Detection | None) -> tuple[int, int]:
    """(ink pixels of the truth box, of those inside the detection box grown by CROP_MARGIN)."""
    x0, y0, x1, y1 = (round(v) for v in truth_box)
    region = gray[max(y0, 0):y1, max(x0, 0):x1]
    ink = region < 128
    total = int(ink.sum())
    if detection is None or total == 0:
        return total, 0
    grow = CROP_MARGIN * detection.height
    ys, xs = np.nonzero(ink)
    xs, ys = xs + max(x0, 0), ys + max(y0, 0)
    d = detection.box
    inside = (xs >= d[0] - grow) & (xs < d[2] + grow) & (ys >= d[1] - grow) & (ys < d[3] + grow)
    return total, int(inside.sum())


def evaluate_corpus(detector: FieldDetector, corpus: Path, limit: int | None = None,
                    batch: int = 8) -> dict:
    """Run the detector on the full pages of a generated corpus and score it against the truth."""
    images = corpus_images(corpus, limit)
    stats = {c: {"truth": 0, "found": 0, "false": 0, "iou": 0.0, "ink": 0, "ink_in": 0}
             for c in FIELD_CLASSES}
    seconds = 0.0
    for start in range(0, len(images), batch):
        paths = images[start:start + batch]
        pages = [read_rgb(p) for p in paths]
        t0 = time.perf_counter()
        results = detector(pages)
        seconds += time.perf_counter() - t0
        for path, page, detections in zip(paths, pages, results, strict=True):
            gray = cv2.cvtColor(page, cv2.COLOR_RGB2GRAY)
            truth = truth_boxes(corpus / "yolo" / "labels" / f"{path.stem}.txt", page.shape)
            pairs, extra = match(truth, detections)
            for label, box, det, value in pairs:
                s = stats[label]
                s["truth"] += 1
                total, inside = ink_inside(gray, box, det)
                s["ink"] += total
                s["ink_in"] += inside
                if det is not None:
                    s["found"] += 1
                    s["iou"] += value
            for d in extra:
                stats[d.label]["false"] += 1
    classes = {}
    for c, s in stats.items():
        found, truth = s["found"], s["truth"]
        classes[c] = {
            "truth": truth, "recall": found / truth if truth else None,
            "precision": found / (found + s["false"]) if found + s["false"] else None,
            "mean_iou": s["iou"] / found if found else None,
            "ink_inside": s["ink_in"] / s["ink"] if s["ink"] else None,
        }
    return {"pages": len(images), "classes": classes,
            "ms_per_page": 1000 * seconds / max(len(images), 1)}


def latency(detector: FieldDetector, pages: list[np.ndarray], batch: int, repeats: int = 3) -> float:
    """Median milliseconds per page over `repeats` runs of `pages` in batches of `batch`."""
    detector([pages[0]])  # warm-up
    runs = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for start in range(0, len(pages), batch):
            detector(pages[start:start + batch])
        runs.append((time.perf_counter() - t0) * 1000 / len(pages))
    return float(np.median(runs))
