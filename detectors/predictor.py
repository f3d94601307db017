"""`FieldDetector`: pages in, typed field boxes out, with ultralytics kept inside.

The detector looks only at the top `roi_top` of a page (the header and subject lines live
there: on 1,000 generated pages every field box ends above 45 % of the height); this keeps the
text large at a small `imgsz`. Boxes come back in pixels of the page as given.

Example:
    >>> detector = FieldDetector.load("detectors/weights/fields.pt")
    >>> page = np.full((3508, 2480, 3), 255, np.uint8)
    >>> detector([page])[0]      # a blank page has no fields
    []
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from detectors.offline import load_ultralytics
from detectors.onnx_backend import OnnxYolo
from detectors.types import Detection

log = logging.getLogger(__name__)


@dataclass
class DetectorSettings:
    """Inference settings; `None` takes the value stored in the weights (`nameh` metadata)."""

    imgsz: int | None = None
    conf: float = 0.25
    iou: float = 0.5
    device: str = "cpu"
    roi_top: float | None = None
    batch: int = 8
    threads: int = 2


@dataclass
class StageTimes:
    """Seconds spent per stage since the detector was made."""

    preprocess: float = 0.0
    inference: float = 0.0
    postprocess: float = 0.0
    pages: int = 0


def read_metadata(weights: Path) -> dict[str, object]:
    """nameh's metadata stored in a detector's weights (class names, imgsz, roi_top, …): a `.pt`
    checkpoint or an ONNX export made by `detectors.export.export_onnx`."""
    if Path(weights).suffix == ".onnx":
        import onnx

        model = onnx.load(str(weights), load_external_data=False)
        return onnx_metadata({p.key: p.value for p in model.metadata_props}, weights)
    load_ultralytics()  # unpickling imports ultralytics: make sure it is the offline one
    import torch

    return checkpoint_metadata(torch.load(weights, map_location="cpu", weights_only=False))


def onnx_metadata(properties: dict[str, str], weights: Path) -> dict[str, object]:
    """nameh's metadata from an ONNX file's metadata properties (stamped by `export_onnx`)."""
    if "nameh" not in properties:
        raise ValueError(f"{weights}: an ONNX file without nameh metadata (export it with "
                         "detectors.export.export_onnx)")
    return json.loads(properties["nameh"])


def checkpoint_metadata(checkpoint: dict) -> dict[str, object]:
    """nameh's metadata of a loaded checkpoint; class names from the model when not stamped."""
    meta = dict(checkpoint.get("nameh", {}))
    model = checkpoint.get("ema") or checkpoint.get("model")
    if "names" not in meta and model is not None:
        names = model.names
        meta["names"] = [names[i] for i in sorted(names)] if isinstance(names, dict) else list(names)
    return meta


@dataclass
class FieldDetector:
    """Finds the header fields' labels and values on pages.

    Build with `FieldDetector.load(weights, settings)`; call with a list of pages (RGB or gray
    uint8 arrays); get per page a list of `Detection`s sorted top to bottom. An `.onnx` export
    runs in ONNX Runtime through `OnnxYolo` (ultralytics is not imported at all); a `.pt`
    checkpoint runs through ultralytics' predictor, kept offline by `load_ultralytics`.
    """

    model: OnnxYolo | object
    names: list[str]
    imgsz: int
    roi_top: float
    settings: DetectorSettings
    times: StageTimes = field(default_factory=StageTimes)

    @classmethod
    def load(cls, weights: str | Path, settings: DetectorSettings | None = None) -> FieldDetector:
        settings = settings or DetectorSettings()
        weights = Path(weights)
        if not weights.is_file():  # never let ultralytics try to download a missing name
            raise FileNotFoundError(f"detector weights not found: {weights}")
        if weights.suffix == ".onnx":
            if settings.device != "cpu":
                raise ValueError(f"the ONNX detector runs on the CPU only (device={settings.device!r}"
                                 "): name the .pt checkpoint to run on another device")
            model = OnnxYolo.load(weights, threads=settings.threads)
            meta = onnx_metadata(model.metadata, weights)  # read with the session: one load
        else:
            ultralytics = load_ultralytics(threads=settings.threads)
            model = ultralytics.YOLO(str(weights), task="detect")
            meta = checkpoint_metadata(model.ckpt)  # the checkpoint ultralytics just read
        imgsz = int(settings.imgsz or meta.get("imgsz") or 640)
        if isinstance(model, OnnxYolo):
            model.imgsz = imgsz
        names = list(meta["names"])
        roi_top = float(settings.roi_top if settings.roi_top is not None else meta.get("roi_top", 1.0))
        if not 0.1 <= roi_top <= 1.0:
            raise ValueError(f"roi_top must lie in [0.1, 1], got {roi_top}")
        return cls(model, names, imgsz, roi_top, settings)

    # --- the three stages -----------------------------------------------------------------
    @staticmethod
    def _check(pages: Sequence[np.ndarray]) -> None:
        if isinstance(pages, np.ndarray):
            raise ValueError("pass a list of pages, not one array")
        for i, page in enumerate(pages):
            if not isinstance(page, np.ndarray):
                raise ValueError(f"page {i}: expected a numpy array, got {type(page).__name__}")
            if page.dtype != np.uint8:
                raise ValueError(f"page {i}: expected dtype uint8, got {page.dtype}")
            if page.ndim not in (2, 3) or (page.ndim == 3 and page.shape[2] not in (1, 3)):
                raise ValueError(f"page {i}: expected (H, W) or (H, W, 3), got shape {page.shape}")
            if min(page.shape[:2]) < 16:
                raise ValueError(f"page {i}: too small ({page.shape[1]}x{page.shape[0]} px)")

    def preprocess(self, pages: Sequence[np.ndarray]) -> list[np.ndarray]:
        """The region of interest of each page, as 3-channel RGB."""
        out = []
        for page in pages:
            if page.ndim == 2 or page.shape[2] == 1:
                page = np.repeat(page.reshape(page.shape[0], page.shape[1], 1), 3, axis=2)
            rows = max(16, round(page.shape[0] * self.roi_top))
            out.append(page[:rows])
        return out

    def inference(self, images: list[np.ndarray], imgsz: int | None = None) -> list[np.ndarray]:
        """Raw rows (x0, y0, x1, y1, confidence, class) per image, in ROI pixels."""
        s, imgsz = self.settings, imgsz or self.imgsz
        if isinstance(self.model, OnnxYolo):
            return self.model(images, conf=s.conf, iou=s.iou, imgsz=imgsz)
        bgr = [np.ascontiguousarray(im[:, :, ::-1]) for im in images]  # ultralytics' numpy order
        results = self.model.predict(bgr, imgsz=imgsz, conf=s.conf, iou=s.iou,
                                     device=s.device, batch=s.batch, verbose=False)
        return [r.boxes.data.cpu().numpy() if r.boxes is not None else np.zeros((0, 6))
                for r in results]

    def postprocess(self, raw: list[np.ndarray]) -> list[list[Detection]]:
        pages = []
        for rows in raw:
            detections = [Detection(self.names[int(c)], float(p), (float(x0), float(y0), float(x1),
                                                                   float(y1)))
                          for x0, y0, x1, y1, p, c in rows]
            pages.append(sorted(detections, key=lambda d: (d.box[1], -d.box[2])))
        return pages

    def __call__(self, pages: Sequence[np.ndarray], imgsz: int | None = None) -> list[list[Detection]]:
        """Detections per page; `imgsz` overrides the network's input size for this call (a
        second look at small print)."""
        self._check(pages)
        if len(pages) == 0:
            return []
        t0 = time.perf_counter()
        images = self.preprocess(pages)
        t1 = time.perf_counter()
        raw = self.inference(images, imgsz)
        t2 = time.perf_counter()
        out = self.postprocess(raw)
        t3 = time.perf_counter()
        self.times.preprocess += t1 - t0
        self.times.inference += t2 - t1
        self.times.postprocess += t3 - t2
        self.times.pages += len(pages)
        return out
