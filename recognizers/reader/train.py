"""Hydra task: train the CRNN reader on corpus line crops, validate on held-out fonts.

    nameh-train-reader trainer.epochs=20 reader.width=32

Everything lands in the run folder (`outputs/reader/<time>/` unless `out=` is given):
`best.pt`, `last.pt`, `state.pt` (resume), `metrics.csv`, `report.json`.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from dataclasses import asdict
from pathlib import Path

import hydra
import numpy as np
import torch
from omegaconf import DictConfig, OmegaConf

from recognizers.augment import CropAugmenter
from recognizers.charset import DEFAULT_ALPHABET, Charset
from recognizers.checkpoint import load_checkpoint, save_checkpoint
from recognizers.metrics import cer
from recognizers.reader.data import LineCrops
from recognizers.reader.decode import GreedyDecoder
from recognizers.reader.model import CRNN
from recognizers.training import TrainSettings, fit, run_command

log = logging.getLogger(__name__)
CONF_DIR = str(Path(__file__).resolve().parents[2] / "conf")
VALUE_KINDS = ("date_value", "number_value", "attachment_value", "title_value")


def read_lines(
    model: CRNN, crops: LineCrops, charset: Charset, height: int, max_width: int, batch: int = 64
) -> list[str]:
    """Greedy readings (logical order) of every crop, no damage added."""
    decoder, texts = GreedyDecoder(charset), [""] * len(crops)
    for inputs, widths, _, _, chunk in crops.batches(np.arange(len(crops)), batch, height, max_width):
        logp, lengths = model(inputs, widths)
        logp = logp.numpy()
        for j, i in enumerate(chunk.tolist()):
            texts[i] = decoder(logp[: int(lengths[j]), j]).text
    return texts


def line_report(crops: LineCrops, predicted: list[str]) -> dict:
    """Per kind of line: crops, exact-match rate, CER; plus the worst examples."""
    by_kind: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for truth, pred, kind in zip(crops.texts, predicted, crops.kinds, strict=True):
        by_kind[kind].append((truth, pred))
    report = {
        kind: {"crops": len(pairs), "exact": float(np.mean([t == p for t, p in pairs])), "cer": cer(pairs)}
        for kind, pairs in sorted(by_kind.items())
    }
    wrong = [(t, p, k) for t, p, k in zip(crops.texts, predicted, crops.kinds, strict=True) if t != p]
    return {"kinds": report, "errors": wrong[:40]}


def carry_over(state: dict, alphabet: str, model: CRNN, charset: Charset) -> dict:
    """A parent checkpoint's weights for `model`, whose alphabet (`charset`) may differ.

    Everything but the output layer is taken as it is; each output row of the new alphabet comes
    from the parent's row of the same symbol, or of its canonical form (a marked digit ٤ starts
    as the parent's 4), or is left as initialised when the parent has neither.

    Example:
        >>> parent, child = CRNN(num_classes=3, height=40), CRNN(num_classes=4, height=40)
        >>> state = carry_over(parent.state_dict(), "01", child, Charset(alphabet="012"))
        >>> tuple(state["classify.weight"].shape)
        (4, 256)
    """
    if alphabet == charset.alphabet:
        return state
    state = dict(state)
    fresh = model.state_dict()
    rows = {c: i + 1 for i, c in enumerate(alphabet)}
    sources = {0: 0}  # new class -> parent class; 0 is the blank
    for i, symbol in enumerate(charset.alphabet, start=1):
        source = rows.get(symbol, rows.get(Charset.canonical(symbol)))
        if source is not None:
            sources[i] = source
    for name in ("classify.weight", "classify.bias"):
        new = fresh[name].clone()
        new[list(sources)] = state[name][list(sources.values())]
        state[name] = new
    log.info("output layer carried over for %d of %d symbols (parent alphabet of %d)",
             len(sources) - 1, len(charset.alphabet), len(alphabet))
    return state


def train_reader(cfg: DictConfig) -> dict:
    """Train and return the best epoch's metrics (the task function behind `nameh-train-reader`)."""
    out = Path(cfg.out)
    settings = TrainSettings(**{k: cfg.trainer[k] for k in asdict(TrainSettings())})
    torch.manual_seed(settings.seed)
    alphabet = cfg.reader.alphabet or DEFAULT_ALPHABET
    charset = Charset(alphabet=alphabet)
    height, max_width = int(cfg.reader.height), int(cfg.reader.max_width)
    train = LineCrops.load(cfg.data.train, charset, limit=cfg.data.limit, seed=settings.seed)
    val = LineCrops.load([cfg.data.val], charset, limit=cfg.data.val_limit, seed=settings.seed)
    model_args = {
        "num_classes": charset.num_classes,
        "height": height,
        "width": int(cfg.reader.width),
        "hidden": int(cfg.reader.hidden),
        "layers": int(cfg.reader.layers),
    }
    model = CRNN(**model_args)
    lineage = None
    if cfg.trainer.init_weights:
        init = load_checkpoint(cfg.trainer.init_weights, "reader")
        model.load_state_dict(carry_over(init["state_dict"], init["meta"]["alphabet"], model, charset))
        lineage = {"init_weights": str(cfg.trainer.init_weights), "parent_meta": init["meta"].get("train")}
    augmenter = CropAugmenter(**cfg.trainer.augment)
    per_epoch = int(cfg.trainer.samples_per_epoch) or len(train)
    steps = -(-per_epoch // settings.batch)
    weights = dict(cfg.trainer.kind_weights)
    ctc = torch.nn.CTCLoss(blank=0, zero_infinity=True)
    meta_base = {
        "alphabet": alphabet,
        "height": height,
        "max_width": max_width,
        "stride": CRNN.STRIDE,
        "order": "visual (left to right); Charset.to_logical gives reading order",
        "train": OmegaConf.to_container(cfg, resolve=True),
        "command": run_command("nameh-train-reader"),
        "train_lines": len(train),
        "lineage": lineage,
    }

    def batches(epoch: int):
        rng = np.random.default_rng(settings.seed * 1000 + epoch)
        indices = train.weighted_sample(per_epoch, weights, rng)
        return train.batches(indices, settings.batch, height, max_width, augmenter, rng)

    def loss_of(net, batch):
        inputs, widths, targets, target_lengths, _ = batch
        logp, lengths = net(inputs, widths)
        return ctc(logp.float(), targets, lengths, target_lengths)

    def evaluate(net):
        report = line_report(val, read_lines(net, val, charset, height, max_width))["kinds"]
        values = [report[k] for k in VALUE_KINDS if k in report]
        metrics = {f"{k.split('_')[0]}_exact": report[k]["exact"] for k in VALUE_KINDS if k in report}
        metrics.update({f"{k.split('_')[0]}_cer": report[k]["cer"] for k in VALUE_KINDS if k in report})
        metrics["score"] = float(np.mean([v["exact"] for v in values])) if values else 0.0
        return metrics

    def save(path, net, metrics):
        save_checkpoint(path, "reader", model_args, net.state_dict(), {**meta_base, "metrics": metrics})

    best = fit(model, settings, out, batches, steps, loss_of, evaluate, save)
    model.load_state_dict(load_checkpoint(out / "best.pt", "reader")["state_dict"])
    model.eval()
    with torch.no_grad():
        report = line_report(val, read_lines(model, val, charset, height, max_width))
    (out / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    log.info("best epoch %s: %s; written to %s", best.get("epoch"), report["kinds"], out)
    return best


@hydra.main(version_base=None, config_path=CONF_DIR, config_name="train_reader")
def main(cfg: DictConfig) -> None:
    train_reader(cfg)


if __name__ == "__main__":
    main()
