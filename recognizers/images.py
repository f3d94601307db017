"""Crop checks and the crop preprocessing both readers share.

Crops arrive as numpy arrays (RGB or grey, uint8) cut from a page; the models see float32 *ink*
maps (ink 1, paper 0) so that padding with zeros is padding with paper.

Example:
    >>> crop = np.full((20, 30, 3), 255, np.uint8); crop[5:15, 10:20] = 0
    >>> letterbox(ink_map(as_grey(crop)), 40, 80).shape
    (40, 80)
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np


def as_grey(crop: object) -> np.ndarray:
    """A checked grey uint8 copy of one crop (H×W, H×W×1, H×W×3 RGB or H×W×4 RGBA).

    Raises:
        ValueError: not a numpy array, not uint8, empty, or of a shape that is not an image.
    """
    if not isinstance(crop, np.ndarray):
        raise ValueError(f"a crop must be a numpy array, got {type(crop).__name__}")
    if crop.dtype != np.uint8:
        raise ValueError(f"a crop must be uint8 (0-255), got dtype {crop.dtype}")
    if crop.ndim == 3 and crop.shape[2] in (1, 3, 4):
        crop = crop[:, :, 0] if crop.shape[2] == 1 else cv2.cvtColor(crop[:, :, :3], cv2.COLOR_RGB2GRAY)
    elif crop.ndim != 2:
        raise ValueError(f"a crop must be H×W or H×W×{{1,3,4}}, got shape {crop.shape}")
    if crop.shape[0] < 2 or crop.shape[1] < 2:
        raise ValueError(f"a crop must be at least 2×2 pixels, got shape {crop.shape}")
    return np.ascontiguousarray(crop)


def check_batch(crops: Sequence[object]) -> list[np.ndarray]:
    """`as_grey` on every crop of a list, naming the index of a bad one."""
    if isinstance(crops, np.ndarray):
        raise ValueError("pass a list of crops, not one array")
    out = []
    for i, crop in enumerate(crops):
        try:
            out.append(as_grey(crop))
        except ValueError as error:
            raise ValueError(f"crop {i}: {error}") from None
    return out


BLANK_CONTRAST = 8.0  # grey levels between a crop's paper and its darkest ink below which it is blank


def _ink_levels(grey: np.ndarray) -> tuple[np.ndarray, float, float]:
    ink = 255.0 - grey.astype(np.float32)
    low, high = np.percentile(ink, (5, 99.5))
    return ink, float(low), float(high)


def is_blank(grey: np.ndarray) -> bool:
    """True when a grey crop holds no ink to speak of (its darkest 0.5 % within `BLANK_CONTRAST`
    grey levels of its paper): a glyph faded away on the scan, nothing any reader could name.

    Example:
        >>> paper = np.full((20, 10), 250, np.uint8)
        >>> is_blank(paper), is_blank(np.where(np.eye(20, 10) > 0, 90, 250).astype(np.uint8))
        (True, False)
    """
    _, low, high = _ink_levels(grey)
    return high - low < BLANK_CONTRAST


def ink_map(grey: np.ndarray) -> np.ndarray:
    """Float32 ink (1) on paper (0), contrast stretched between the crop's paper and ink levels,
    so faded and dark scans look alike; a blank crop (`is_blank`) stays blank instead of
    amplifying noise."""
    ink, low, high = _ink_levels(grey)
    if high - low < BLANK_CONTRAST:
        return np.zeros_like(ink)
    return np.clip((ink - low) / (high - low), 0.0, 1.0)


def letterbox(ink: np.ndarray, height: int, width: int) -> np.ndarray:
    """Resize keeping the aspect ratio to fit `height`×`width`, centred on zero padding."""
    h, w = ink.shape
    scale = min(height / h, width / w)
    nh, nw = max(1, round(h * scale)), max(1, round(w * scale))
    resized = cv2.resize(ink, (nw, nh), interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
    out = np.zeros((height, width), np.float32)
    y, x = (height - nh) // 2, (width - nw) // 2
    out[y : y + nh, x : x + nw] = resized
    return out


def fit_height(ink: np.ndarray, height: int, max_width: int, min_width: int = 8) -> np.ndarray:
    """Resize to `height` keeping the aspect ratio; wider than `max_width` is squeezed to it."""
    h, w = ink.shape
    nw = int(np.clip(round(w * height / h), min_width, max_width))
    scale = height / h
    return cv2.resize(ink, (nw, height), interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
