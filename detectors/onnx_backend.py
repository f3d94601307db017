"""Run the detector's ONNX export with ONNX Runtime directly: letterbox, session, NMS.

ultralytics' own predictor wraps the same ONNX session in a general pipeline (source loading,
result objects, per-call set-up) that cost about 25 ms a page here, a fifth of the detector's
time. `OnnxYolo` does only what a YOLO detection export needs, the way ultralytics does it:
the same letterbox (aspect kept, padded with grey 114 to a multiple of the stride, centred),
RGB in [0, 1], and class-aware NMS on the `(4 + classes, anchors)` output. The model, its
stride, input size and metadata all come from the `.onnx` file.

Example:
    >>> model = OnnxYolo.load("detectors/weights/fields.onnx", threads=2)
    >>> rows = model([np.full((900, 1240, 3), 255, np.uint8)], conf=0.25, iou=0.5)
    >>> rows[0].shape                  # (boxes, 6): x0, y0, x1, y1, confidence, class
    (0, 6)
"""

from __future__ import annotations

import ast
import logging
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

log = logging.getLogger(__name__)

PAD_VALUE = 114  # ultralytics' letterbox grey
MAX_WH = 7680  # class offset for NMS in one call (as ultralytics)
MAX_NMS = 30000  # boxes entering NMS, highest confidence first
MAX_DET = 300


@dataclass(frozen=True)
class Letterbox:
    """Where a page went in the network's input: scale `gain`, then `left`/`top` padding."""

    gain: float
    left: int
    top: int

    def to_page(self, boxes: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
        """Input-pixel xyxy boxes back to page pixels, clipped to the page (`shape` = H, W)."""
        out = boxes.copy()
        out[:, [0, 2]] = ((out[:, [0, 2]] - self.left) / self.gain).clip(0, shape[1])
        out[:, [1, 3]] = ((out[:, [1, 3]] - self.top) / self.gain).clip(0, shape[0])
        return out


def letterbox(image: np.ndarray, imgsz: int, stride: int = 32) -> tuple[np.ndarray, Letterbox]:
    """Resize `image` so its long side is `imgsz` and pad it to a multiple of `stride`.

    Example:
        >>> img, box = letterbox(np.zeros((600, 1000, 3), np.uint8), 800)
        >>> img.shape, box
        ((480, 800, 3), Letterbox(gain=0.8, left=0, top=0))
    """
    h, w = image.shape[:2]
    gain = min(imgsz / h, imgsz / w)
    new_w, new_h = max(round(w * gain), 1), max(round(h * gain), 1)
    dw, dh = (imgsz - new_w) % stride / 2, (imgsz - new_h) % stride / 2
    if (new_w, new_h) != (w, h):
        image = cv2.resize(image, (new_w, new_h), interpolation=cv2.INTER_LINEAR)
    top, bottom = round(dh - 0.1), round(dh + 0.1)
    left, right = round(dw - 0.1), round(dw + 0.1)
    if top or bottom or left or right:
        image = cv2.copyMakeBorder(image, top, bottom, left, right, cv2.BORDER_CONSTANT,
                                   value=(PAD_VALUE, PAD_VALUE, PAD_VALUE))
    return image, Letterbox(gain, left, top)


def nms_rows(output: np.ndarray, conf: float, iou: float) -> np.ndarray:
    """One image's raw output `(4 + classes, anchors)` -> rows (x0, y0, x1, y1, conf, class).

    Each anchor keeps its best class; anchors under `conf` go; then NMS per class.
    """
    import torch
    from torchvision.ops import nms

    scores = output[4:]
    cls = scores.argmax(0)
    best = scores[cls, np.arange(scores.shape[1])]
    keep = best > conf
    if not keep.any():
        return np.zeros((0, 6), np.float32)
    xywh, best, cls = output[:4, keep].T, best[keep], cls[keep]
    order = np.argsort(-best)[:MAX_NMS]
    xywh, best, cls = xywh[order], best[order], cls[order]
    xyxy = np.concatenate([xywh[:, :2] - xywh[:, 2:] / 2, xywh[:, :2] + xywh[:, 2:] / 2], axis=1)
    offset = xyxy + cls[:, None].astype(np.float32) * MAX_WH
    kept = nms(torch.from_numpy(offset), torch.from_numpy(best), iou).numpy()[:MAX_DET]
    return np.concatenate([xyxy[kept], best[kept, None], cls[kept, None].astype(np.float32)],
                          axis=1).astype(np.float32)


@dataclass
class OnnxYolo:
    """A YOLO detection export in an ONNX Runtime session."""

    session: object
    input_name: str
    imgsz: int
    stride: int
    metadata: dict[str, str]  # the file's metadata properties (ultralytics' and nameh's)

    @classmethod
    def load(cls, path: str | Path, threads: int = 2, imgsz: int | None = None) -> OnnxYolo:
        """Open `path`; `imgsz` None takes the export's own size.

        Raises:
            FileNotFoundError: no such file.
            ValueError: the file is not a YOLO detection export (no class names or stride).
        """
        import onnxruntime as ort

        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"detector weights not found: {path}")
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # no busy-waiting between runs: in the pipeline the readers (torch) and the page decoder
        # share the two cores with this session, and spinning threads took their time
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        meta = session.get_modelmeta().custom_metadata_map
        if "names" not in meta or "stride" not in meta:
            raise ValueError(f"{path}: not a YOLO detection export (no names/stride metadata)")
        size = imgsz or max(ast.literal_eval(meta.get("imgsz", "[640, 640]")))
        return cls(session, session.get_inputs()[0].name, int(size), int(meta["stride"]), dict(meta))

    def prepare(self, image: np.ndarray, imgsz: int | None = None) -> tuple[np.ndarray, Letterbox]:
        """An RGB uint8 image -> the network's 1×3×H×W float input in [0, 1], and where it went
        (letterboxed to `imgsz`, or to the session's own size)."""
        boxed, place = letterbox(image, imgsz or self.imgsz, self.stride)
        return np.ascontiguousarray(boxed.transpose(2, 0, 1))[None].astype(np.float32) / 255.0, place

    def __call__(
        self, images: list[np.ndarray], conf: float, iou: float, imgsz: int | None = None
    ) -> list[np.ndarray]:
        """Rows (x0, y0, x1, y1, confidence, class) per RGB uint8 image, in its own pixels; the
        network sees each image at `imgsz` (None: the session's own size).

        Images are run one at a time: on this 2-core CPU a batch is no faster per image, and
        pages of different sizes would need padding to one shape.
        """
        out = []
        for image in images:
            blob, place = self.prepare(image, imgsz)
            raw = self.session.run(None, {self.input_name: blob})[0][0]
            rows = nms_rows(raw, conf, iou)
            if len(rows):
                rows[:, :4] = place.to_page(rows[:, :4], image.shape[:2])
            out.append(rows)
        return out
