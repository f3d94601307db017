"""Turn generated corpora into the detector's training set: region of interest, resized.

The detector sees the top `roi_top` of a page scaled to `imgsz` on its long side; training
images are cut and scaled the same way once, up front, so each epoch decodes small JPEGs
instead of full scans.

Example:
    >>> build_split(Path("data/generated/train"), Path("/tmp/ds/train"), roi_top=0.6,
    ...             imgsz=800, limit=8)   # doctest: +SKIP
"""

from __future__ import annotations

import logging
from pathlib import Path

import cv2

from detectors.types import FIELD_CLASSES

log = logging.getLogger(__name__)
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png")


def corpus_images(corpus: Path, limit: int | None = None) -> list[Path]:
    """The scans of a generated corpus (`corpus/yolo/images`), sorted, at most `limit`."""
    images = sorted(p for p in (corpus / "yolo" / "images").iterdir()
                    if p.suffix.lower() in IMAGE_SUFFIXES)[:limit]
    if not images:
        raise FileNotFoundError(f"no images under {corpus / 'yolo' / 'images'}")
    return images


def read_rgb(path: Path):
    """A scan as an RGB uint8 array (what `FieldDetector` takes)."""
    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if image is None:
        raise ValueError(f"cannot read {path}")
    return cv2.cvtColor(image, cv2.COLOR_BGR2RGB)


def roi_labels(lines: list[str], roi_top: float) -> list[str]:
    """YOLO label lines of a page re-expressed in its top `roi_top` (boxes cut at the edge).

    Example:
        >>> roi_labels(["1 0.5 0.25 0.2 0.1"], 0.5)
        ['1 0.500000 0.500000 0.200000 0.200000']
    """
    out = []
    for line in lines:
        c, x, y, w, h = line.split()
        x, y, w, h = float(x), float(y), float(w), float(h)
        y0, y1 = (y - h / 2) / roi_top, min((y + h / 2) / roi_top, 1.0)
        if y0 >= 1.0 or y1 - y0 <= 0:
            continue
        out.append(f"{c} {x:.6f} {(y0 + y1) / 2:.6f} {w:.6f} {y1 - y0:.6f}")
    return out


def build_split(corpus: Path, out: Path, roi_top: float, imgsz: int, limit: int | None = None) -> int:
    """Write `out/images` and `out/labels` from `corpus/yolo`; returns the number of pages."""
    images = corpus_images(corpus, limit)
    (out / "images").mkdir(parents=True, exist_ok=True)
    (out / "labels").mkdir(parents=True, exist_ok=True)
    for path in images:
        image = cv2.imread(str(path), cv2.IMREAD_COLOR)
        if image is None:
            raise ValueError(f"cannot read {path}")
        rows = round(image.shape[0] * roi_top)
        roi = image[:rows]
        scale = imgsz / max(roi.shape[:2])
        if scale < 1:
            roi = cv2.resize(roi, (round(roi.shape[1] * scale), round(roi.shape[0] * scale)),
                             interpolation=cv2.INTER_AREA)
        cv2.imwrite(str(out / "images" / f"{path.stem}.jpg"), roi, [cv2.IMWRITE_JPEG_QUALITY, 95])
        labels = (corpus / "yolo" / "labels" / f"{path.stem}.txt").read_text().splitlines()
        kept = roi_labels(labels, roi_top)
        (out / "labels" / f"{path.stem}.txt").write_text("\n".join(kept) + ("\n" if kept else ""))
    return len(images)


def write_data_yaml(root: Path) -> Path:
    """data.yaml naming `train/` and `val/` under `root` and the eight field classes."""
    names = "\n".join(f"  {i}: {n}" for i, n in enumerate(FIELD_CLASSES))
    path = root / "data.yaml"
    path.write_text(f"path: {root.resolve()}\ntrain: train/images\nval: val/images\nnames:\n{names}\n")
    return path
