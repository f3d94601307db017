"""The epoch loop both readers train with: resumable, checkpointing every epoch, logging metrics.

A run folder gets `state.pt` (model, optimiser, schedule, epoch: what `resume` continues from),
`last.pt` and `best.pt` (self-describing checkpoints, see `recognizers.checkpoint`) and
`metrics.csv` (one row per epoch). With `ema` > 0 the weights evaluated and saved are an
exponential moving average of the trained ones (decay `ema` per step), which smooths the
epoch-to-epoch swings a small validation set otherwise picks between. With `bf16` the forward
pass runs under CPU autocast in bfloat16 (the weights, optimiser and loss stay float32): on a CPU
with AMX or AVX-512 BF16 it trains the reader about 1.75x faster (seventeenth session).
"""

from __future__ import annotations

import csv
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn

log = logging.getLogger(__name__)


@dataclass
class TrainSettings:
    """What every reader's trainer config holds (`conf/trainer/*.yaml`)."""

    epochs: int = 10
    batch: int = 64
    lr: float = 2e-3
    weight_decay: float = 1e-4
    threads: int = 2
    seed: int = 0
    resume: bool = True
    ema: float = 0.0  # decay of the weights' moving average per step; 0 evaluates the raw weights
    bf16: bool = False  # forward pass under CPU autocast in bfloat16 (loss and weights float32)


def forward_precision(bf16: bool):
    """The context a training step's forward pass runs in: CPU autocast in bfloat16 when `bf16`,
    else a no-op (float32). Weights, optimiser and the loss (taken on `.float()` outputs) stay
    float32 either way.

    Example:
        >>> with forward_precision(True):
        ...     torch.nn.Linear(2, 1)(torch.ones(1, 2)).dtype
        torch.bfloat16
    """
    return torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16)


def fit(
    model: nn.Module,
    settings: TrainSettings,
    out: Path,
    batches: Callable[[int], Iterable[tuple]],
    steps_per_epoch: int,
    loss_of: Callable[[nn.Module, tuple], torch.Tensor],
    evaluate: Callable[[nn.Module], dict[str, float]],
    save: Callable[[Path, nn.Module, dict], None],
) -> dict[str, float]:
    """Train `model` for `settings.epochs`; the best epoch is the one with the highest `score`.

    Args:
        batches: epoch number -> the epoch's training batches (`steps_per_epoch` of them).
        loss_of: (model, batch) -> scalar loss (run under bfloat16 autocast when
            `settings.bf16`: compute the loss itself on `.float()` outputs).
        evaluate: model (in eval mode) -> metrics with a `score` (higher is better).
        save: (path, model, metrics) -> writes a self-describing checkpoint.
    Returns:
        The best epoch's metrics.
    """
    torch.set_num_threads(settings.threads)
    out.mkdir(parents=True, exist_ok=True)
    optimiser = torch.optim.AdamW(model.parameters(), lr=settings.lr, weight_decay=settings.weight_decay)
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimiser, max_lr=settings.lr, pct_start=0.15, total_steps=max(1, settings.epochs * steps_per_epoch)
    )
    averaged = _moving_average(model, settings.ema)
    judged = averaged.module if averaged is not None else model  # what is evaluated and saved
    start, best = 0, {"score": float("-inf")}
    state_path = out / "state.pt"
    if settings.resume and state_path.is_file():
        state = torch.load(state_path, map_location="cpu", weights_only=False)
        model.load_state_dict(state["model"])
        if averaged is not None:
            if "averaged" not in state:
                raise ValueError(f"{state_path} was written without ema: resume it with trainer.ema=0")
            averaged.load_state_dict(state["averaged"])
        optimiser.load_state_dict(state["optimiser"])
        schedule.load_state_dict(state["schedule"])
        start, best = state["epoch"], state["best"]
        log.info("resuming %s after epoch %d (best score %.5f)", out, start, best["score"])
    for epoch in range(start, settings.epochs):
        model.train()
        began, total, steps = time.perf_counter(), 0.0, 0
        for batch in batches(epoch):
            with forward_precision(settings.bf16):
                loss = loss_of(model, batch)
            optimiser.zero_grad(set_to_none=True)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            optimiser.step()
            if schedule.last_epoch + 1 < schedule.total_steps:
                schedule.step()
            if averaged is not None:
                averaged.update_parameters(model)
            total, steps = total + loss.item(), steps + 1
        train_seconds = time.perf_counter() - began
        judged.eval()
        with torch.no_grad():
            metrics = evaluate(judged)
        metrics = {
            "epoch": epoch + 1,
            "loss": total / max(1, steps),
            "train_s": round(train_seconds, 1),
            **metrics,
        }
        log.info(
            "epoch %d/%d %s",
            epoch + 1,
            settings.epochs,
            " ".join(f"{k}={v:.5g}" if isinstance(v, float) else f"{k}={v}" for k, v in metrics.items()),
        )
        _append_csv(out / "metrics.csv", metrics)
        save(out / "last.pt", judged, metrics)
        if metrics["score"] > best["score"]:
            best = metrics
            save(out / "best.pt", judged, metrics)
        torch.save(
            {
                "model": model.state_dict(),
                **({"averaged": averaged.state_dict()} if averaged is not None else {}),
                "optimiser": optimiser.state_dict(),
                "schedule": schedule.state_dict(),
                "epoch": epoch + 1,
                "best": best,
            },
            state_path.with_suffix(".tmp"),
        )
        state_path.with_suffix(".tmp").replace(state_path)
    return best


def _moving_average(model: nn.Module, decay: float) -> AveragedModel | None:
    """An exponential moving average of `model`'s weights and buffers (None when `decay` is 0)."""
    if decay == 0:
        return None
    if not 0 < decay < 1:
        raise ValueError(f"trainer.ema must be 0 (off) or in (0, 1), got {decay}")
    return AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(decay), use_buffers=True)


def run_command(tool: str) -> str | None:
    """The command line of the running Hydra task (None when called outside `@hydra.main`)."""
    from hydra.core.hydra_config import HydraConfig

    if not HydraConfig.initialized():
        return None
    return " ".join([tool, *HydraConfig.get().overrides.task])


def _append_csv(path: Path, row: dict) -> None:
    new = not path.is_file()
    with open(path, "a", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, list(row))
        if new:
            writer.writeheader()
        writer.writerow(row)
