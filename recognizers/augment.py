"""Training-time damage for crops: what scans and a loose detector box do to a crop.

The corpus pages are already degraded as whole scans; this adds per-crop variety on top, so each
epoch sees a crop differently: stroke weight, small rotation and slant, horizontal stretch (faces
set condensed or wide), a smooth local warp (letter shapes no training face draws), resolution
loss, blur, noise, contrast, JPEG, and margins that are too tight or too loose. Never a flip:
mirrored Persian is not Persian.

Example:
    >>> rng = np.random.default_rng(0)
    >>> crop = np.full((30, 60), 255, np.uint8); crop[10:20, 10:50] = 0
    >>> CropAugmenter().apply(crop, rng).dtype
    dtype('uint8')
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np


@dataclass
class CropAugmenter:
    """Probabilities and ranges of each kind of damage (0 turns one off)."""

    p_stroke: float = 0.3  # erode or dilate the ink by one pixel
    p_affine: float = 0.5  # rotation (degrees) and slant (shear)
    rotation: float = 2.5
    shear: float = 0.15
    p_stretch: float = 0.0  # scale the width alone by a factor in [1/stretch, stretch]
    stretch: float = 1.25
    p_warp: float = 0.0  # smooth random displacement of up to `warp` x the height: new letter shapes
    warp: float = 0.04
    p_resample: float = 0.3  # down- then up-sample: low-resolution scans
    min_scale: float = 0.4
    p_blur: float = 0.25
    p_noise: float = 0.3
    p_contrast: float = 0.5
    p_jpeg: float = 0.25
    p_margin: float = 0.5  # crop or pad the edges by a fraction of the height
    margin: float = 0.12

    def apply(self, grey: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """A damaged copy of one grey uint8 crop (ink dark on light paper)."""
        img = grey
        if rng.random() < self.p_margin:
            img = _margins(img, self.margin, rng)
        if rng.random() < self.p_stroke:
            kernel = np.ones((2, 2), np.uint8)
            img = cv2.erode(img, kernel) if rng.random() < 0.5 else cv2.dilate(img, kernel)
        if rng.random() < self.p_affine:
            img = _affine(
                img, rng.uniform(-self.rotation, self.rotation), rng.uniform(-self.shear, self.shear)
            )
        if self.p_stretch > 0 and rng.random() < self.p_stretch:  # off: the stream as before
            h, w = img.shape
            factor = float(np.exp(rng.uniform(-np.log(self.stretch), np.log(self.stretch))))
            img = cv2.resize(img, (max(2, round(w * factor)), h), interpolation=cv2.INTER_LINEAR)
        if self.p_warp > 0 and rng.random() < self.p_warp:  # off: the stream as before
            img = _warp(img, rng.uniform(0.3, 1.0) * self.warp, rng)
        if rng.random() < self.p_resample:
            h, w = img.shape
            s = rng.uniform(self.min_scale, 0.9)
            small = cv2.resize(
                img, (max(2, round(w * s)), max(2, round(h * s))), interpolation=cv2.INTER_AREA
            )
            img = cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)
        if rng.random() < self.p_blur:
            img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.4, 1.2))
        if rng.random() < self.p_contrast:
            paper, ink = rng.uniform(170, 255), rng.uniform(0, 120)
            img = (ink + img.astype(np.float32) * (paper - ink) / 255.0).clip(0, 255).astype(np.uint8)
        if rng.random() < self.p_noise:
            noise = rng.normal(0, rng.uniform(3, 18), img.shape)
            img = (img.astype(np.float32) + noise).clip(0, 255).astype(np.uint8)
        if rng.random() < self.p_jpeg:
            ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(25, 80))])
            if ok:
                img = cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE)
        return img


def _margins(img: np.ndarray, fraction: float, rng: np.random.Generator) -> np.ndarray:
    """Move each edge in or out by up to `fraction` of the height (pads with the paper level)."""
    h, w = img.shape
    paper = int(np.percentile(img, 90))
    moves = np.round(rng.uniform(-fraction, fraction, 4) * h).astype(int)  # left, top, right, bottom
    pad = np.maximum(moves, 0)
    img = cv2.copyMakeBorder(img, pad[1], pad[3], pad[0], pad[2], cv2.BORDER_CONSTANT, value=paper)
    cut = np.maximum(-moves, 0)
    h, w = img.shape
    x0, y0 = min(cut[0], w // 4), min(cut[1], h // 4)
    x1, y1 = w - min(cut[2], w // 4), h - min(cut[3], h // 4)
    return img[y0:y1, x0:x1]


def _warp(img: np.ndarray, amplitude: float, rng: np.random.Generator) -> np.ndarray:
    """Move every pixel by a smooth random field (control points half a height apart, each moved
    up to `amplitude` x the height): strokes bend and thicken locally as in another face."""
    h, w = img.shape
    step = max(4.0, h / 2)
    grid = (max(2, round(h / step) + 1), max(2, round(w / step) + 1))  # rows, columns
    paper = int(np.percentile(img, 90))
    shift = rng.uniform(-1, 1, (2, *grid)).astype(np.float32) * amplitude * h
    dx = cv2.resize(shift[0], (w, h), interpolation=cv2.INTER_CUBIC)
    dy = cv2.resize(shift[1], (w, h), interpolation=cv2.INTER_CUBIC)
    xs, ys = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    return cv2.remap(img, xs + dx, ys + dy, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                     borderValue=paper)


def _affine(img: np.ndarray, degrees: float, shear: float) -> np.ndarray:
    h, w = img.shape
    paper = int(np.percentile(img, 90))
    rot = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    rot[0, 1] += shear
    rot[0, 2] -= shear * h / 2
    return cv2.warpAffine(
        img, rot, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=paper
    )
