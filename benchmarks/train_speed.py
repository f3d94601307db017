"""Training speed of the CRNN reader, float32 against bfloat16 autocast (`trainer.bf16`).

Times full training steps (forward, CTC loss, backward, AdamW) on random ink maps the size of a
batch of line crops, so the figure depends on the CPU alone, not on a corpus:

    python benchmarks/train_speed.py --json outputs/bench/train_speed.json

bfloat16 pays on CPUs with AMX or AVX-512 BF16 (Sapphire Rapids and later); elsewhere it can be
slower than float32, which is why `trainer.bf16` is off by default.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import write_json
from recognizers.charset import DEFAULT_ALPHABET, Charset
from recognizers.reader.model import CRNN
from recognizers.training import forward_precision

log = logging.getLogger(__name__)


def seconds_per_step(model: CRNN, bf16: bool, batch: int, width: int, steps: int, warmup: int = 2) -> float:
    """Mean wall time of one training step of `model` on `batch` random 40×`width` maps."""
    g = torch.Generator().manual_seed(0)
    x = torch.rand(batch, 1, 40, width, generator=g)
    widths = torch.full((batch,), width)
    target_length = max(1, width // 30)  # about one character per 30 columns at 40 px high
    targets = torch.randint(1, model.classify.out_features, (batch * target_length,), generator=g)
    target_lengths = torch.full((batch,), target_length)
    ctc = torch.nn.CTCLoss(zero_infinity=True)
    optimiser = torch.optim.AdamW(model.parameters())
    times = []
    for _ in range(warmup + steps):
        began = time.perf_counter()
        with forward_precision(bf16):  # as recognizers.training.fit runs it
            logp, lengths = model(x, widths)
        loss = ctc(logp.float(), targets, lengths, target_lengths)
        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        optimiser.step()
        times.append(time.perf_counter() - began)
    return sum(times[warmup:]) / steps


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="16x128,24x160,32x192",
                        help="reader sizes as conv-width x LSTM-hidden, comma separated")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--width", type=int, default=400, help="crop width in pixels (40 px high)")
    parser.add_argument("--steps", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    torch.set_num_threads(args.threads)
    classes = Charset(alphabet=DEFAULT_ALPHABET).num_classes
    rows = []
    for size in args.sizes.split(","):
        conv, hidden = (int(v) for v in size.split("x"))
        torch.manual_seed(0)
        model = CRNN(classes, height=40, width=conv, hidden=hidden)
        row = {"width": conv, "hidden": hidden,
               "params_m": round(sum(p.numel() for p in model.parameters()) / 1e6, 2)}
        for name, bf16 in (("float32", False), ("bfloat16", True)):
            row[f"{name}_s_per_step"] = round(
                seconds_per_step(model, bf16, args.batch, args.width, args.steps), 3)
        row["speedup"] = round(row["float32_s_per_step"] / row["bfloat16_s_per_step"], 2)
        log.info("reader %dx%d (%.2f M parameters): float32 %.3f s a step, bfloat16 %.3f s: %.2fx",
                 conv, hidden, row["params_m"], row["float32_s_per_step"], row["bfloat16_s_per_step"],
                 row["speedup"])
        rows.append(row)
    report = {"batch": args.batch, "crop": [40, args.width], "threads": args.threads, "sizes": rows}
    write_json(args.json, report)
    return report


if __name__ == "__main__":
    main()
