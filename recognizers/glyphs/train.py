"""Hydra task: train the glyph classifier on corpus glyph crops, validate on held-out fonts.

    nameh-train-glyphs trainer.epochs=12 glyphs.width=16 data.train=[data/generated/train]

Everything lands in the run folder (`outputs/glyphs/<time>/` unless `out=` is given):
`best.pt`, `last.pt`, `state.pt` (resume), `metrics.csv`, `report.json`.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict
from pathlib import Path

import hydra
import numpy as np
import torch
from omegaconf import DictConfig, OmegaConf

from data.synth.classes import GLYPH_CLASSES, GLYPH_LABELS
from recognizers.augment import CropAugmenter
from recognizers.checkpoint import load_checkpoint, save_checkpoint
from recognizers.glyphs.data import GlyphCrops
from recognizers.glyphs.model import GlyphResNet
from recognizers.training import TrainSettings, fit, run_command

log = logging.getLogger(__name__)
CONF_DIR = str(Path(__file__).resolve().parents[2] / "conf")


def predict_crops(
    model: torch.nn.Module, crops: GlyphCrops, height: int, width: int, batch: int = 256
) -> tuple[np.ndarray, np.ndarray]:
    """(true labels, predicted labels) over every crop, no damage added."""
    predicted = []
    for inputs, _ in crops.batches(np.arange(len(crops)), batch, height, width):
        predicted.append(model(inputs).argmax(1).numpy())
    return crops.labels, np.concatenate(predicted)


def glyph_report(truth: np.ndarray, predicted: np.ndarray, classes: tuple[str, ...]) -> dict:
    """Accuracy, per-class recall and the confusion matrix (rows truth, columns predicted)."""
    n = len(classes)
    matrix = np.bincount(truth * n + predicted, minlength=n * n).reshape(n, n)
    support = matrix.sum(1)
    per_class = {c: (float(matrix[i, i] / support[i]) if support[i] else None) for i, c in enumerate(classes)}
    return {
        "accuracy": float((truth == predicted).mean()),
        "crops": len(truth),
        "per_class": per_class,
        "support": dict(zip(classes, support.tolist(), strict=True)),
        "confusion": matrix.tolist(),
        "classes": list(classes),
    }


def train_glyphs(cfg: DictConfig) -> dict:
    """Train and return the best epoch's metrics (the task function behind `nameh-train-glyphs`)."""
    out = Path(cfg.out)
    settings = TrainSettings(**{k: cfg.trainer[k] for k in asdict(TrainSettings())})
    torch.manual_seed(settings.seed)
    classes = tuple(GLYPH_CLASSES)
    height, width = int(cfg.glyphs.height), int(cfg.glyphs.width_px)
    train = GlyphCrops.load(cfg.data.train, classes, cfg.data.limit_per_class, settings.seed)
    val = GlyphCrops.load([cfg.data.val], classes, cfg.data.val_limit_per_class, settings.seed)
    model_args = {
        "num_classes": len(classes),
        "width": int(cfg.glyphs.width),
        "blocks": tuple(cfg.glyphs.blocks),
    }
    model = GlyphResNet(**model_args)
    lineage = None
    if cfg.trainer.init_weights:
        init = load_checkpoint(cfg.trainer.init_weights, "glyphs")
        model.load_state_dict(init["state_dict"])
        lineage = {"init_weights": str(cfg.trainer.init_weights), "parent_meta": init["meta"].get("train")}
    augmenter = CropAugmenter(**cfg.trainer.augment)
    per_epoch = int(cfg.trainer.samples_per_epoch) or len(train)
    steps = -(-per_epoch // settings.batch)
    meta_base = {
        "classes": list(classes),
        "symbols": [GLYPH_LABELS.get(c, c) for c in classes],
        "height": height,
        "width": width,
        "train": OmegaConf.to_container(cfg, resolve=True),
        "command": run_command("nameh-train-glyphs"),
        "train_counts": dict(train.counts()),
        "lineage": lineage,
    }

    def batches(epoch: int):
        rng = np.random.default_rng(settings.seed * 1000 + epoch)
        indices = train.balanced_sample(per_epoch, rng, float(cfg.trainer.class_power))
        return train.batches(indices, settings.batch, height, width, augmenter, rng)

    def loss_of(net, batch):
        inputs, labels = batch
        return torch.nn.functional.cross_entropy(net(inputs).float(), labels, label_smoothing=0.05)

    def evaluate(net):
        report = glyph_report(*predict_crops(net, val, height, width), classes)
        worst = min(v for v in report["per_class"].values() if v is not None)
        return {"score": report["accuracy"], "val_accuracy": report["accuracy"], "val_worst_class": worst}

    def save(path, net, metrics):
        save_checkpoint(path, "glyphs", model_args, net.state_dict(), {**meta_base, "metrics": metrics})

    best = fit(model, settings, out, batches, steps, loss_of, evaluate, save)
    final = load_checkpoint(out / "best.pt", "glyphs")
    model.load_state_dict(final["state_dict"])
    model.eval()
    with torch.no_grad():
        report = glyph_report(*predict_crops(model, val, height, width), classes)
    (out / "report.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    log.info(
        "best epoch %s: held-out accuracy %.5f; written to %s", best.get("epoch"), report["accuracy"], out
    )
    return best


@hydra.main(version_base=None, config_path=CONF_DIR, config_name="train_glyphs")
def main(cfg: DictConfig) -> None:
    train_glyphs(cfg)


if __name__ == "__main__":
    main()
