"""Write a detector's model card from its metadata and a benchmark report (no figure typed by hand)."""

from __future__ import annotations

from pathlib import Path

from detectors.evaluate import CROP_MARGIN


def write_card(weights: Path, report: dict, meta: dict) -> Path:
    """Write `<weights stem>.md` beside the weights; returns its path."""
    config = meta.get("config", {})
    trainer = config.get("trainer", {})
    data = config.get("data", {})
    lines = [
        f"# Model card: {weights.name}",
        "",
        "The nameh field detector: an ultralytics YOLO model built from "
        f"`{meta.get('model')}` and trained from scratch on this 2-core CPU (no pretrained weights).",
        "",
        "## Data",
        f"- training: `{data.get('train')}` (synthetic letters, training fonts)",
        f"- validation (held out, never trained on): `{data.get('val')}` (held-out fonts, full scan damage)",
        f"- input: the top {meta.get('roi_top')} of the page, letterboxed to {meta.get('imgsz')} px",
        f"- classes (stored in the weights): {', '.join(meta.get('names', []))}",
        *([f"- quantized (`python -m detectors.quantize`): {meta['quantized']['format']} from "
           f"`{meta['quantized']['from']}`, calibrated on {meta['quantized']['calibration_pages']} "
           f"training pages, {meta['quantized']['float_nodes']} nodes kept in float",
           ] if meta.get("quantized") else []),
        "",
        "## Training",
        f"- command: `{meta.get('command')}`",
        "- started from: " + ("random initialisation (from scratch)" if not meta.get("lineage") else
                              "earlier runs of this repository, oldest first: " + "; ".join(
                                  f"`{step['command']}` ({step['epochs']} epochs)"
                                  for step in meta["lineage"])),
        f"- epochs {trainer.get('epochs')}, batch {trainer.get('batch')} (nbs = batch), seed "
        f"{trainer.get('seed')}, flips off, augmentations: `{trainer.get('ultralytics')}`",
        "",
        "## Held-out results",
        f"command: `{report['command']}` on {report['pages']} pages of `{report['corpus']}`",
        "",
        "| class | boxes | recall@0.5 | precision | mean IoU "
        f"| ink inside (+{CROP_MARGIN:.0%} margin) | mAP50-95 |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    maps = report["ultralytics"]["per_class_map50_95"]

    def pct(v):
        return "-" if v is None else f"{100 * v:.2f} %"

    for name, c in report["classes"].items():
        iou = "-" if c["mean_iou"] is None else f"{c['mean_iou']:.3f}"
        lines.append(f"| {name} | {c['truth']} | {pct(c['recall'])} | {pct(c['precision'])} | {iou} "
                     f"| {pct(c['ink_inside'])} | {maps.get(name, 0):.3f} |")
    u, lat = report["ultralytics"], report["latency_ms"]
    lines += [
        "",
        f"mAP50 {u['map50']:.3f}, mAP50-95 {u['map50_95']:.3f} (ultralytics validator, same pages).",
        "",
        "Caveat: these held-out pages are also the training run's validation split, on which "
        "`best.pt` was chosen; a fresh corpus in the held-out fonts (another seed) gives the "
        "unbiased figure.",
        "",
        "## Size and speed",
        f"- weights: {report['weights_mb']:.1f} MB",
        f"- CPU latency per page (2 threads, full page in): batch 1 {lat['batch1']:.1f} ms, "
        f"batch 8 {lat['batch8']:.1f} ms",
        "",
    ]
    path = weights.with_suffix(".md")
    path.write_text("\n".join(lines))
    return path
