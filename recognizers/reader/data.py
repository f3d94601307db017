"""Line crops from corpus folders (`<corpus>/lines.tsv` + `lines/*.png`) for the CRNN.

Targets are class indices in *visual* order (left to right as the network scans the crop);
batches group crops of similar width so little of a batch is padding.
"""

from __future__ import annotations

import csv
import logging
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import torch

from recognizers.augment import CropAugmenter
from recognizers.charset import Charset
from recognizers.images import fit_height, ink_map

log = logging.getLogger(__name__)


def line_tensor(grey: np.ndarray, height: int, max_width: int) -> np.ndarray:
    """The reader's input for one grey crop: an ink map resized to `height`, H×W float32."""
    return fit_height(ink_map(grey), height, max_width)


def pad_batch(arrays: Sequence[np.ndarray]) -> tuple[torch.Tensor, torch.Tensor]:
    """Stack H×Wi maps into N×1×H×max(W) (zero padding on the right) and the widths."""
    widths = [a.shape[1] for a in arrays]
    out = np.zeros((len(arrays), 1, arrays[0].shape[0], max(widths)), np.float32)
    for i, a in enumerate(arrays):
        out[i, 0, :, : a.shape[1]] = a
    return torch.from_numpy(out), torch.tensor(widths, dtype=torch.int64)


@dataclass
class LineCrops:
    """Grey line crops in memory with their logical text, kind and encoded visual target."""

    images: list[np.ndarray]
    texts: list[str]
    kinds: list[str]
    targets: list[list[int]]

    @classmethod
    def load(
        cls,
        corpora: Sequence[str | Path],
        charset: Charset,
        kinds: Sequence[str] | None = None,
        limit: int | None = None,
        seed: int = 0,
    ) -> LineCrops:
        """Read the corpora's `lines.tsv` rows (of `kinds`, all when None; a random `limit`)."""
        rows = []
        for corpus in corpora:
            index = Path(corpus) / "lines.tsv"
            if not index.is_file():
                raise FileNotFoundError(f"no lines.tsv in {corpus}: make it with nameh-synth")
            with open(index, encoding="utf-8", newline="") as f:
                for row in csv.DictReader(f, delimiter="\t"):
                    if kinds is None or row["kind"] in kinds:
                        rows.append((Path(corpus) / row["path"], row["text"], row["kind"],
                                     row.get("printed") or row["text"]))
        if limit and len(rows) > limit:
            pick = np.random.default_rng(seed).choice(len(rows), limit, replace=False)
            rows = [rows[i] for i in sorted(pick.tolist())]
        images, texts, kinds_out, targets = [], [], [], []
        for path, text, kind, printed in rows:
            image = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
            if image is None:
                raise ValueError(f"unreadable line crop {path}")
            images.append(image)
            texts.append(charset.canonical(text))
            kinds_out.append(kind)
            # the visual order of what is printed: with Arabic-Indic digits a '-' between numbers
            # is a bidi neutral (it joins European digits), so `printed` and `text` can differ
            targets.append(charset.encode(charset.to_visual(printed)))
        if not images:
            raise FileNotFoundError(f"no line crops in {[str(c) for c in corpora]}")
        log.info("line crops from %s: %s", [str(c) for c in corpora], dict(Counter(kinds_out)))
        return cls(images, texts, kinds_out, targets)

    def __len__(self) -> int:
        return len(self.images)

    def weighted_sample(
        self, size: int, weights: Mapping[str, float], rng: np.random.Generator
    ) -> np.ndarray:
        """`size` indices drawn with replacement, each crop weighted by its kind."""
        w = np.array([float(weights.get(k, 1.0)) for k in self.kinds])
        return rng.choice(len(self), size=size, replace=True, p=w / w.sum())

    def batches(
        self,
        indices: np.ndarray,
        batch: int,
        height: int,
        max_width: int,
        augmenter: CropAugmenter | None = None,
        rng: np.random.Generator | None = None,
    ) -> Iterator[tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor, np.ndarray]]:
        """(inputs, widths, flat targets, target lengths, indices) batches of similar widths;
        batch order is shuffled when `rng` is given."""
        aspect = np.array([self.images[i].shape[1] / self.images[i].shape[0] for i in indices])
        ordered = np.asarray(indices)[np.argsort(aspect, kind="stable")]
        chunks = [ordered[s : s + batch] for s in range(0, len(ordered), batch)]
        if rng is not None:
            rng.shuffle(chunks)
        for chunk in chunks:
            arrays = []
            for i in chunk.tolist():
                grey = self.images[i]
                if augmenter is not None and rng is not None:
                    grey = augmenter.apply(grey, rng)
                arrays.append(line_tensor(grey, height, max_width))
            inputs, widths = pad_batch(arrays)
            targets = [self.targets[i] for i in chunk.tolist()]
            flat = torch.tensor([k for t in targets for k in t], dtype=torch.int64)
            lengths = torch.tensor([len(t) for t in targets], dtype=torch.int64)
            yield inputs, widths, flat, lengths, chunk
