"""Quantize the detector's ONNX export to 8 bits (weights and activations) for faster CPU inference.

    python -m detectors.quantize detectors/weights/fields.onnx detectors/weights/fields.int8.onnx \\
        --corpus data/generated/train6 --pages 40

Static post-training quantization with ONNX Runtime (QDQ format, per-channel int8 weights, uint8
activations), calibrated on training pages run through the detector's own preprocessing (region
of interest, letterbox). Two choices, each measured on bench200 (held-out fonts) while
building this:

- `reduce_range=True` (7-bit weights): this CPU has AVX2 but no VNNI, where ONNX Runtime's
  u8×s8 kernels sum pairs of products in int16 and saturate; with full-range weights value
  recall fell to 12-27 % (on most pages nothing was found at all).
- The attention block (C2PSA) keeps its MatMul/Softmax/activation ops in float, and the Detect
  head every op but its hidden convolutions: the output convolutions (box distributions and
  class scores, the convs with no activation after them), the DFL and the decoding arithmetic.
  With both quantized (7-bit weights) value recall fell 2-4 points and mean IoU from about 0.87
  to 0.75; with both in float recall and IoU matched the float model's. Which of the two
  matters more was not separated.

The quantized file keeps every metadata property of its source (class names, stride, nameh's
metadata) and adds `quantized` to nameh's, so it loads like any other export.

Example:
    >>> quantize_detector("detectors/weights/fields.onnx", "/tmp/fields.int8.onnx",
    ...                   pages=[page1, page2])                                   # doctest: +SKIP
    PosixPath('/tmp/fields.int8.onnx')
"""

from __future__ import annotations

import argparse
import json
import logging
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import onnx
from onnxruntime.quantization import (
    CalibrationDataReader,
    CalibrationMethod,
    QuantFormat,
    QuantType,
    quantize_static,
)
from onnxruntime.quantization.shape_inference import quant_pre_process

from detectors.dataset import corpus_images, read_rgb
from detectors.predictor import FieldDetector, onnx_metadata

log = logging.getLogger(__name__)

ACTIVATIONS = {"Sigmoid", "Relu", "LeakyRelu", "HardSwish", "HardSigmoid"}


def float_nodes(model) -> list[str]:
    """Names of the nodes `quantize_detector` leaves in float (see the module docstring).

    The Detect head is the module holding the DFL nodes; the attention block is every module
    holding an `/attn/` node (module = the first path component of ultralytics' node names).
    """
    def module(name: str) -> str:
        return name.split("/")[1] if name.startswith("/") and name.count("/") > 1 else ""

    heads = {module(n.name) for n in model.graph.node if "/dfl/" in n.name}
    attention = {module(n.name) for n in model.graph.node if "/attn/" in n.name}
    if not heads:
        raise ValueError("not a YOLO detection export: no DFL nodes in the graph")
    consumers: dict[str, list[str]] = {}
    for node in model.graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node.op_type)
    keep = []
    for node in model.graph.node:
        where = module(node.name)
        if where in attention and node.op_type != "Conv":
            keep.append(node.name)
        elif where in heads:
            activated = any(op in ACTIVATIONS for out in node.output for op in consumers.get(out, []))
            if node.op_type != "Conv" or "/dfl/" in node.name or not activated:
                keep.append(node.name)
    return keep


class CalibrationPages(CalibrationDataReader):
    """ONNX Runtime calibration reader: each page as the detector's network input."""

    def __init__(self, detector: FieldDetector, pages: Sequence[np.ndarray], input_name: str) -> None:
        self.detector, self.pages, self.input_name = detector, iter(pages), input_name

    def get_next(self) -> dict[str, np.ndarray] | None:
        page = next(self.pages, None)
        if page is None:
            return None
        roi = self.detector.preprocess([page])[0]
        return {self.input_name: self.detector.model.prepare(roi)[0]}


def quantize_detector(source: str | Path, target: str | Path, pages: Sequence[np.ndarray]) -> Path:
    """Write an int8 copy of the ONNX detector `source` to `target`, calibrated on `pages`.

    Raises:
        ValueError: `source` is not an ONNX export, or no calibration pages were given.
    """
    source, target = Path(source), Path(target)
    if source.suffix != ".onnx":
        raise ValueError(f"{source}: quantize the ONNX export (detectors.export), not a checkpoint")
    if not pages:
        raise ValueError("no calibration pages")
    detector = FieldDetector.load(source)
    reader = CalibrationPages(detector, pages, detector.model.input_name)
    with tempfile.TemporaryDirectory() as tmp:
        prepared = Path(tmp) / "prepared.onnx"
        # shapes are dynamic (batch, height, width): only ONNX's own shape inference applies
        quant_pre_process(str(source), str(prepared), skip_symbolic_shape=True)
        keep = float_nodes(onnx.load(str(prepared)))
        quantize_static(str(prepared), str(Path(tmp) / "int8.onnx"), reader,
                        quant_format=QuantFormat.QDQ, per_channel=True, reduce_range=True,
                        activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
                        calibrate_method=CalibrationMethod.MinMax, nodes_to_exclude=keep)
        model = onnx.load(str(Path(tmp) / "int8.onnx"))
    original = dict(detector.model.metadata)  # every property of the source, as its session read it
    meta = onnx_metadata(original, source)
    meta["quantized"] = {"from": str(source), "calibration_pages": len(pages), "format": "QDQ int8",
                         "reduce_range": True, "float_nodes": len(keep)}
    original["nameh"] = json.dumps(meta, ensure_ascii=False, default=str)
    del model.metadata_props[:]
    for key, value in original.items():
        prop = model.metadata_props.add()
        prop.key, prop.value = key, value
    target.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(model, str(target))
    log.info("quantized %s -> %s (%d calibration pages, %d nodes kept in float)",
             source, target, len(pages), len(keep))
    return target


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", help="the detector's ONNX export")
    parser.add_argument("target", help="where the int8 model goes")
    parser.add_argument("--corpus", required=True, help="a nameh-synth corpus in training fonts")
    parser.add_argument("--pages", type=int, default=40, help="calibration pages (default 40)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    paths = corpus_images(Path(args.corpus), args.pages)
    if not paths:
        raise SystemExit(f"no page images in {args.corpus}")
    return quantize_detector(args.source, args.target, [read_rgb(p) for p in paths])


if __name__ == "__main__":
    main()
