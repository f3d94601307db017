"""The field detector: an ultralytics YOLO model behind nameh's own interface.

`FieldDetector` finds the labels and values of the header fields on a page; `load_ultralytics`
is the only way nameh imports ultralytics (offline, see `detectors.offline`).
"""

from detectors.predictor import DetectorSettings, FieldDetector
from detectors.types import FIELD_CLASSES, Detection

__all__ = ["FIELD_CLASSES", "Detection", "DetectorSettings", "FieldDetector"]
