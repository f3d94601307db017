"""Glyph crops from corpus folders (`<corpus>/glyphs/<class>/*.png`) as tensors for training.

Example:
    >>> crops = GlyphCrops.load(["data/generated/heldout"], GLYPH_CLASSES)   # doctest: +SKIP
    >>> len(crops), crops.counts()["slash"]                                 # doctest: +SKIP
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import torch

from recognizers.augment import CropAugmenter
from recognizers.images import ink_map, letterbox

log = logging.getLogger(__name__)


def crop_tensor(grey: np.ndarray, height: int, width: int) -> np.ndarray:
    """The classifier's input for one grey crop: a letterboxed ink map, 1×H×W float32."""
    return letterbox(ink_map(grey), height, width)[None]


@dataclass
class GlyphCrops:
    """Grey crops in memory with their class indices."""

    images: list[np.ndarray]
    labels: np.ndarray
    classes: tuple[str, ...]

    @classmethod
    def load(
        cls,
        corpora: Sequence[str | Path],
        classes: Sequence[str],
        limit_per_class: int | None = None,
        seed: int = 0,
    ) -> GlyphCrops:
        """Read every `glyphs/<class>/*.png` of the corpora (a random `limit_per_class` per class)."""
        rng = np.random.default_rng(seed)
        images, labels = [], []
        for index, name in enumerate(classes):
            paths = sorted(p for c in corpora for p in (Path(c) / "glyphs" / name).glob("*.png"))
            if limit_per_class and len(paths) > limit_per_class:
                paths = [paths[i] for i in sorted(rng.choice(len(paths), limit_per_class, replace=False))]
            for path in paths:
                image = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
                if image is None:
                    raise ValueError(f"unreadable glyph crop {path}")
                images.append(image)
                labels.append(index)
        if not images:
            raise FileNotFoundError(f"no glyph crops under {[str(c) for c in corpora]}")
        crops = cls(images, np.asarray(labels, np.int64), tuple(classes))
        log.info("glyph crops from %s: %s", [str(c) for c in corpora], dict(crops.counts()))
        return crops

    def __len__(self) -> int:
        return len(self.images)

    def counts(self) -> Counter:
        return Counter(self.classes[i] for i in self.labels.tolist())

    def balanced_sample(self, size: int, rng: np.random.Generator, power: float = 0.5) -> np.ndarray:
        """`size` indices drawn so that a class's share grows as count**power (rare classes up)."""
        counts = np.bincount(self.labels, minlength=len(self.classes)).astype(np.float64)
        weights = counts[self.labels] ** (power - 1.0)
        return rng.choice(len(self), size=size, replace=True, p=weights / weights.sum())

    def batches(
        self,
        indices: np.ndarray,
        batch: int,
        height: int,
        width: int,
        augmenter: CropAugmenter | None = None,
        rng: np.random.Generator | None = None,
    ) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        """(inputs N×1×H×W, labels N) batches over `indices`, damaged by `augmenter` when given."""
        for start in range(0, len(indices), batch):
            chunk = indices[start : start + batch]
            arrays = []
            for i in chunk.tolist():
                grey = self.images[i]
                if augmenter is not None and rng is not None:
                    grey = augmenter.apply(grey, rng)
                arrays.append(crop_tensor(grey, height, width))
            yield torch.from_numpy(np.stack(arrays)), torch.from_numpy(self.labels[chunk])
