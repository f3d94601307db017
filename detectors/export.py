"""Export the detector to ONNX for inference with ONNX Runtime (about 3× faster than torch here).

    python -m detectors.export detectors/weights/fields.pt detectors/weights/fields.onnx

ultralytics writes the ONNX (dynamic batch and size, simplified); nameh's metadata (class names,
imgsz, roi_top, training lineage) is stamped into it as the `nameh` metadata property, so the
`.onnx` is as self-describing as the `.pt` and `FieldDetector.load` takes either.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path

from detectors.offline import load_ultralytics
from detectors.predictor import read_metadata


def export_onnx(weights: str | Path, target: str | Path) -> Path:
    """Write `target` (.onnx) from a detector checkpoint; returns its path."""
    import onnx

    weights, target = Path(weights), Path(target)
    meta = read_metadata(weights)
    ultralytics = load_ultralytics()
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / weights.name  # ultralytics writes the export beside its input
        shutil.copyfile(weights, copy)
        exported = ultralytics.YOLO(str(copy)).export(format="onnx", imgsz=int(meta.get("imgsz", 640)),
                                                       dynamic=True, simplify=True, device="cpu")
        model = onnx.load(exported)
    prop = model.metadata_props.add()
    prop.key, prop.value = "nameh", json.dumps(meta, ensure_ascii=False, default=str)
    target.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(model, target)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("weights")
    parser.add_argument("target")
    args = parser.parse_args()
    export_onnx(args.weights, args.target)


if __name__ == "__main__":
    main()
