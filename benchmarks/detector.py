"""Benchmark the field detector on held-out pages; optionally ship it with its model card.

    python benchmarks/detector.py --weights detectors/weights/fields.pt \
        --corpus data/generated/heldout --json outputs/bench/detector.json
    python benchmarks/detector.py --weights outputs/detector/run1/train/weights/best.pt \
        --corpus data/generated/heldout --ship detectors/weights/fields.pt
    python benchmarks/detector.py --weights detectors/weights/fields.int8.onnx \
        --corpus data/generated/heldout --card

Prints, per class, recall/precision at IoU >= 0.5, mean IoU and the share of the truth box's
ink inside the predicted box after the pipeline's crop margin; ultralytics' mAP50 and mAP50-95
on the same pages (region of interest, as trained); CPU latency per page at batch 1 and 8; the
size of the weights. With --ship, copies the weights, writes the model card beside them and
exports the ONNX file; with --card, writes the card beside --weights (for the int8 export the
pipeline runs, made by `detectors.quantize`).
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import tempfile
from pathlib import Path

import cv2

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import write_json
from detectors.card import write_card
from detectors.dataset import build_split, corpus_images, read_rgb, write_data_yaml
from detectors.evaluate import evaluate_corpus, latency
from detectors.export import export_onnx
from detectors.offline import load_ultralytics
from detectors.predictor import FieldDetector, read_metadata

log = logging.getLogger("benchmarks.detector")


def ultralytics_map(weights: Path, corpus: Path, imgsz: int, roi_top: float, limit: int | None):
    """mAP50, mAP50-95 and per-class mAP50-95 from ultralytics' validator on the ROI pages."""
    ultralytics = load_ultralytics()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        build_split(corpus, root / "val", roi_top, imgsz, limit)
        (root / "train").mkdir()
        shutil.copytree(root / "val" / "images", root / "train" / "images")
        metrics = ultralytics.YOLO(str(weights)).val(
            data=str(write_data_yaml(root)), imgsz=imgsz, batch=8, device="cpu", plots=False,
            verbose=False, workers=0, project=str(root / "runs"))
        names = metrics.names
        per_class = {names[int(c)]: float(m) for c, m in zip(metrics.box.ap_class_index,
                                                               metrics.box.maps[metrics.box.ap_class_index],
                                                               strict=True)}
        return {"map50": float(metrics.box.map50), "map50_95": float(metrics.box.map),
                "per_class_map50_95": per_class}


def run(args, detector: FieldDetector, meta: dict) -> dict:
    weights = Path(args.weights)
    report = evaluate_corpus(detector, Path(args.corpus), args.limit)
    report["ultralytics"] = ultralytics_map(weights, Path(args.corpus), detector.imgsz,
                                            detector.roi_top, args.limit)
    pages = [read_rgb(p) for p in corpus_images(Path(args.corpus), 16)]
    report["latency_ms"] = {"batch1": latency(detector, pages, 1), "batch8": latency(detector, pages, 8)}
    report["weights_mb"] = weights.stat().st_size / 2**20
    report["imgsz"], report["roi_top"] = detector.imgsz, detector.roi_top
    report["corpus"] = str(args.corpus)
    report["command"] = " ".join(["python", *sys.argv])
    report["trained_with"] = meta.get("command"), meta.get("model")
    return report


def show(report: dict) -> None:
    print(f"held-out pages: {report['pages']}  imgsz {report['imgsz']}  roi_top {report['roi_top']}")
    header = ("class", "truth", "recall", "prec", "IoU", "ink in", "mAP50-95")
    print("{:18s} {:>5s} {:>7s} {:>7s} {:>6s} {:>7s} {:>8s}".format(*header))
    maps = report["ultralytics"]["per_class_map50_95"]
    for name, c in report["classes"].items():
        def f(v, pct=True):
            return "   -" if v is None else (f"{100 * v:6.2f}%" if pct else f"{v:6.3f}")
        print(f"{name:18s} {c['truth']:5d} {f(c['recall'])} {f(c['precision'])} "
              f"{f(c['mean_iou'], False)} {f(c['ink_inside'])} {maps.get(name, 0):8.3f}")
    u = report["ultralytics"]
    print(f"mAP50 {u['map50']:.3f}  mAP50-95 {u['map50_95']:.3f}")
    lat = report["latency_ms"]
    print(f"CPU latency per page: batch 1 {lat['batch1']:.1f} ms, batch 8 {lat['batch8']:.1f} ms "
          "(full pages in, region of interest and letterbox included)")
    print(f"weights: {report['weights_mb']:.1f} MB")


def overlay(detector: FieldDetector, corpus: Path, out: Path, pages: int = 6) -> None:
    """Detections (thick, coloured per class, with confidence) over the top of held-out pages."""
    from data.synth.contact_sheet import CLASS_COLOURS

    tiles = []
    for path in corpus_images(corpus, pages):
        page = read_rgb(path)
        for d in detector([page])[0]:
            colour = CLASS_COLOURS[detector.names.index(d.label)]
            x0, y0, x1, y1 = (int(v) for v in d.box)
            cv2.rectangle(page, (x0, y0), (x1, y1), colour, 3)
            cv2.putText(page, f"{d.label} {d.confidence:.2f}", (x0, max(y0 - 6, 12)),
                        cv2.FONT_HERSHEY_SIMPLEX, 0.9, colour, 2)
        top = page[: int(page.shape[0] * 0.45)]
        scale = 900 / top.shape[1]
        tiles.append(cv2.resize(top, (900, int(top.shape[0] * scale)), interpolation=cv2.INTER_AREA))
    height = max(t.shape[0] for t in tiles)
    tiles = [cv2.copyMakeBorder(t, 0, height - t.shape[0] + 6, 0, 6, cv2.BORDER_CONSTANT,
                                value=(255, 255, 255)) for t in tiles]
    rows = [cv2.hconcat(tiles[i:i + 2]) for i in range(0, len(tiles), 2)]
    out.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(out), cv2.cvtColor(cv2.vconcat(rows), cv2.COLOR_RGB2BGR))


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights", default="detectors/weights/fields.pt")
    parser.add_argument("--corpus", default="data/generated/heldout")
    parser.add_argument("--limit", type=int, default=None, help="pages to use (default: all)")
    parser.add_argument("--json", help="also write the figures here")
    parser.add_argument("--ship", help="copy the weights here and write the model card beside them")
    parser.add_argument("--overlay", help="draw detections on 6 held-out pages into this PNG")
    parser.add_argument("--card", action="store_true",
                        help="write the model card beside --weights (e.g. a quantized export)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    detector = FieldDetector.load(Path(args.weights))
    meta = read_metadata(Path(args.weights))
    report = run(args, detector, meta)
    show(report)
    if args.json:
        write_json(args.json, report)
    if args.overlay:
        overlay(detector, Path(args.corpus), Path(args.overlay))
        print(f"overlay: {args.overlay}")
    if args.card:
        print(f"model card {write_card(Path(args.weights), report, meta)}")
    if args.ship:
        target = Path(args.ship)
        target.parent.mkdir(parents=True, exist_ok=True)
        if Path(args.weights).resolve() != target.resolve():
            shutil.copyfile(args.weights, target)
        card = write_card(target, report, meta)
        onnx = export_onnx(target, target.with_suffix(".onnx"))  # what the pipeline runs
        print(f"shipped {target} and {onnx} with model card {card}")
    return report


if __name__ == "__main__":
    main()
