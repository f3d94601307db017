"""`GlyphClassifier`: glyph or keyword crops in, (label, confidence) out, batched.

Example:
    >>> classifier = GlyphClassifier.load("recognizers/weights/glyphs.pt")  # doctest: +SKIP
    >>> crop = np.full((40, 30), 255, np.uint8); crop[8:32, 12:17] = 0  # a stroke: a "1"?
    >>> [p.label for p in classifier([crop])]                              # doctest: +SKIP
    ['1']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from recognizers.checkpoint import load_checkpoint
from recognizers.glyphs.data import crop_tensor
from recognizers.glyphs.model import GlyphResNet
from recognizers.images import check_batch
from recognizers.stages import Timings, ready_model, run_stages


@dataclass(frozen=True)
class GlyphPrediction:
    """One crop's class (`label`, e.g. `7`, `slash`, `Date`), its printed `symbol` and confidence."""

    label: str
    symbol: str
    confidence: float


@dataclass
class GlyphClassifier:
    """The trained glyph classifier; build it with `GlyphClassifier.load(path)`."""

    model: GlyphResNet
    classes: tuple[str, ...]
    symbols: tuple[str, ...]
    height: int
    width: int
    batch: int = 256
    meta: dict = field(default_factory=dict)
    times: Timings = field(default_factory=Timings)

    @classmethod
    def load(cls, path: str | Path, batch: int = 256, threads: int | None = None) -> GlyphClassifier:
        """Load a `glyphs` checkpoint; class names and input size come from inside it."""
        ckpt = load_checkpoint(path, "glyphs")
        meta = ckpt["meta"]
        model = ready_model(GlyphResNet(**ckpt["model"]), ckpt["state_dict"], threads)
        return cls(
            model,
            tuple(meta["classes"]),
            tuple(meta["symbols"]),
            int(meta["height"]),
            int(meta["width"]),
            batch,
            meta,
        )

    def preprocess(self, crops: Sequence[np.ndarray]) -> np.ndarray:
        """Checked crops -> N×1×H×W float32 ink maps (raises ValueError on a bad crop)."""
        greys = check_batch(crops)
        if not greys:
            return np.zeros((0, 1, self.height, self.width), np.float32)
        return np.stack([crop_tensor(g, self.height, self.width) for g in greys])

    def inference(self, inputs: np.ndarray) -> np.ndarray:
        """Class probabilities, N×C."""
        out = []
        with torch.inference_mode():
            for start in range(0, len(inputs), self.batch):
                logits = self.model(torch.from_numpy(inputs[start : start + self.batch]))
                out.append(torch.softmax(logits, dim=1).numpy())
        return np.concatenate(out) if out else np.zeros((0, len(self.classes)), np.float32)

    def postprocess(self, probs: np.ndarray) -> list[GlyphPrediction]:
        best = probs.argmax(axis=1) if len(probs) else np.zeros(0, np.int64)
        return [
            GlyphPrediction(self.classes[k], self.symbols[k], float(probs[i, k]))
            for i, k in enumerate(best.tolist())
        ]

    def __call__(self, crops: Sequence[np.ndarray]) -> list[GlyphPrediction]:
        """Classify crops (grey or RGB uint8 arrays); an empty list gives an empty list."""
        return run_stages(self.times, crops, self.preprocess, self.inference, self.postprocess)
