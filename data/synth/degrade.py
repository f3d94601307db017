"""Turn composed ink into a scan: paper, toner, stamps, stains, holes, geometry and noise.

Geometry (scan resolution, rotation, slight perspective) is one homography; `Scan.matrix` maps
300-dpi page coordinates to the scan, so every recorded object can follow its ink.

Example:
    >>> import numpy as np
    >>> ink = np.zeros((350, 248), np.uint8); ink[100:120, 50:150] = 255
    >>> scan = degrade(ink, np.zeros_like(ink), DegradeConfig(), np.random.default_rng(0))
    >>> scan.image.dtype, scan.image.shape[0] <= 350
    (dtype('uint8'), True)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from data.synth.content import choose_weighted


@dataclass
class DegradeConfig:
    """Scan damage and how often it happens (`conf/synth/degrade/`). `clean=true` keeps only
    the geometry of a 300-dpi straight scan: useful for tests and for looking at layouts."""

    clean: bool = False
    dpi: tuple[float, float] = (150.0, 300.0)
    rotation_sigma: float = 0.8  # degrees
    rotation_max: float = 2.5
    perspective: float = 0.004  # corner jitter, fraction of the page width
    blur_p: float = 0.5
    blur_sigma: tuple[float, float] = (0.3, 1.2)
    noise_p: float = 0.6
    noise_sigma: tuple[float, float] = (2.0, 12.0)
    fade_p: float = 0.25
    fade_strength: tuple[float, float] = (0.55, 0.85)
    toner_p: float = 0.3
    fax_p: float = 0.08
    lighting_p: float = 0.5
    stain_p: float = 0.2
    punch_p: float = 0.15
    gray_p: float = 0.5
    blue_ink_p: float = 0.1
    jpeg_quality: tuple[int, int] = (35, 95)
    png_p: float = 0.1
    stamp_colours: dict[str, float] = field(default_factory=lambda: {
        "blue": 0.6, "violet": 0.25, "red": 0.15})


_STAMP_RGB = {"blue": (40, 70, 170), "violet": (110, 50, 150), "red": (185, 40, 45)}


@dataclass
class Scan:
    """A degraded page: `image` (H, W, 3) RGB or (H, W) gray, and how it was made."""

    image: np.ndarray
    matrix: np.ndarray  # 3x3, page (300 dpi) -> scan pixels
    dpi: float
    encoding: str  # "jpeg" or "png"
    jpeg_quality: int
    meta: dict[str, object]

    def transform(self, points: np.ndarray) -> np.ndarray:
        """Map (N, 2) page points into scan pixels."""
        if len(points) == 0:
            return points
        mapped = cv2.perspectiveTransform(points.reshape(-1, 1, 2).astype(np.float32), self.matrix)
        return mapped.reshape(-1, 2)

    def box(self, points: np.ndarray) -> tuple[float, float, float, float] | None:
        """Axis-aligned box (x0, y0, x1, y1) of page points in the scan, clipped; None if gone."""
        mapped = self.transform(points)
        h, w = self.image.shape[:2]
        x0, y0 = np.clip(mapped.min(0), 0, [w, h])
        x1, y1 = np.clip(mapped.max(0) + 1, 0, [w, h])
        if x1 - x0 < 1 or y1 - y0 < 1:
            return None
        return float(x0), float(y0), float(x1), float(y1)


def _geometry(cfg: DegradeConfig, rng: np.random.Generator, size: tuple[int, int]):
    """Scale factor and the homography of the page after scaling (rotation + perspective)."""
    w, h = size
    if cfg.clean:
        return 1.0, np.eye(3)
    dpi = float(rng.uniform(*cfg.dpi))
    scale = dpi / 300.0
    sw, sh = w * scale, h * scale
    angle = float(np.clip(rng.normal(0, cfg.rotation_sigma), -cfg.rotation_max, cfg.rotation_max))
    rot = cv2.getRotationMatrix2D((sw / 2, sh / 2), angle, 1.0)
    src = np.float32([[0, 0], [sw, 0], [sw, sh], [0, sh]])
    dst = cv2.transform(src.reshape(-1, 1, 2), rot).reshape(-1, 2)
    dst += rng.normal(0, cfg.perspective * sw, dst.shape)
    return scale, cv2.getPerspectiveTransform(src, dst.astype(np.float32))


def _low_frequency(rng: np.random.Generator, shape: tuple[int, int], cells: int = 8) -> np.ndarray:
    """A smooth random field in [0, 1] of the given shape."""
    coarse = rng.random((cells, max(2, int(cells * shape[1] / shape[0]))), dtype=np.float32)
    return cv2.resize(coarse, (shape[1], shape[0]), interpolation=cv2.INTER_CUBIC).clip(0, 1)


def degrade(text_ink: np.ndarray, stamp_ink: np.ndarray, cfg: DegradeConfig,
            rng: np.random.Generator) -> Scan:
    """Print, stamp and scan a page whose ink layers are given at 300 dpi."""
    h, w = text_ink.shape
    scale, warp = _geometry(cfg, rng, (w, h))
    out_w, out_h = round(w * scale), round(h * scale)
    meta: dict[str, object] = {"dpi": round(300 * scale, 1)}

    def to_scan(layer: np.ndarray) -> np.ndarray:
        if scale != 1.0:
            layer = cv2.resize(layer, (out_w, out_h), interpolation=cv2.INTER_AREA)
        if not np.allclose(warp, np.eye(3)):
            layer = cv2.warpPerspective(layer, warp, (out_w, out_h), flags=cv2.INTER_LINEAR)
        return layer.astype(np.float32) * (1.0 / 255.0)

    text = to_scan(text_ink)
    stamp = to_scan(stamp_ink) if stamp_ink.any() else None
    shape = (out_h, out_w)

    def p(prob: float) -> bool:
        return not cfg.clean and bool(rng.random() < prob)

    gray = p(cfg.gray_p)
    fax = p(cfg.fax_p)
    channels = 1 if (gray or fax) else 3
    # paper and ink colours
    paper_rgb = np.float32([255, 255, 255])
    if not cfg.clean:
        paper_rgb = np.float32([rng.uniform(232, 255), rng.uniform(228, 255),
                                rng.uniform(215, 252)])
    ink_rgb = np.float32([rng.uniform(0, 50)] * 3) if not cfg.clean else np.float32([0, 0, 0])
    if p(cfg.blue_ink_p):
        ink_rgb = np.float32([20, 30, rng.uniform(90, 150)])
    # toner: strength, fading, patchiness
    alpha = text
    if p(cfg.fade_p):
        strength = float(rng.uniform(*cfg.fade_strength))
        alpha *= np.float32(strength)
        meta["faded"] = round(strength, 2)
    if p(cfg.toner_p):
        alpha *= 0.55 + 0.45 * _low_frequency(rng, shape, int(rng.integers(6, 20)))
        meta["toner"] = True
    image = _composite(alpha, paper_rgb, ink_rgb, channels)
    if stamp is not None:
        colour = np.float32(_STAMP_RGB[choose_weighted(rng, cfg.stamp_colours)])
        stamp *= np.float32(rng.uniform(0.45, 0.9))
        _blend(image, stamp, colour)
    if p(cfg.stain_p):
        _stains(image, rng)
        meta["stains"] = True
    if p(cfg.punch_p):
        _punch_holes(image, rng, scale)
        meta["punch_holes"] = True
    if p(cfg.lighting_p):
        light = _lighting(rng, shape)
        image *= light[..., None] if image.ndim == 3 else light
        meta["lighting"] = True
    if p(cfg.blur_p):
        sigma = float(rng.uniform(*cfg.blur_sigma)) * scale
        image = cv2.GaussianBlur(image, (0, 0), max(sigma, 0.3))
        meta["blur"] = round(sigma, 2)
    if p(cfg.noise_p):
        sigma = float(rng.uniform(*cfg.noise_sigma))
        noise = rng.standard_normal(image.shape, dtype=np.float32)
        noise *= np.float32(sigma)
        image += noise
        meta["noise"] = round(sigma, 1)
    if fax:
        threshold = float(rng.uniform(110, 170))
        image = np.where(image > threshold, np.float32(255), np.float32(0))
        meta["fax"] = True
    image = np.clip(image, 0, 255, out=image).astype(np.uint8)
    png = cfg.clean or p(cfg.png_p)
    quality = 100 if png else int(rng.integers(cfg.jpeg_quality[0], cfg.jpeg_quality[1] + 1))
    matrix = warp @ np.diag([scale, scale, 1.0])
    return Scan(image, matrix, 300 * scale, "png" if png else "jpeg", quality, meta)


def _composite(alpha: np.ndarray, paper: np.ndarray, ink: np.ndarray, channels: int) -> np.ndarray:
    """paper·(1 − alpha) + ink·alpha, in one or three channels."""
    if channels == 1:
        p, i = _luma(paper), _luma(ink)
        return alpha * np.float32(i - p) + np.float32(p)
    image = np.empty((*alpha.shape, 3), np.float32)
    for c in range(3):
        np.multiply(alpha, np.float32(ink[c] - paper[c]), out=image[..., c])
        image[..., c] += paper[c]
    return image


def _blend(image: np.ndarray, alpha: np.ndarray, colour: np.ndarray) -> None:
    """Lay `colour` over `image` with coverage `alpha`, in place."""
    if image.ndim == 2:
        image += alpha * (np.float32(_luma(colour)) - image)
        return
    for c in range(3):
        image[..., c] += alpha * (colour[c] - image[..., c])


def _luma(rgb: np.ndarray) -> float:
    return float(0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2])


def _stains(image: np.ndarray, rng: np.random.Generator) -> None:
    """Coffee stains: soft ellipses that take blue away first (drawn small, then enlarged)."""
    h, w = image.shape[:2]
    small_w, small_h = max(8, w // 8), max(8, h // 8)
    layer = np.zeros((small_h, small_w), np.float32)
    for _ in range(int(rng.integers(1, 4))):
        centre = (int(rng.integers(0, small_w)), int(rng.integers(0, small_h)))
        axes = (int(rng.uniform(0.03, 0.12) * small_w), int(rng.uniform(0.03, 0.12) * small_w))
        cv2.ellipse(layer, centre, axes, float(rng.uniform(0, 180)), 0, 360,
                    float(rng.uniform(0.08, 0.3)), -1)
    layer = cv2.GaussianBlur(layer, (0, 0), 0.01 * small_w)
    layer = cv2.resize(layer, (w, h), interpolation=cv2.INTER_LINEAR)
    if image.ndim == 2:
        image *= 1.0 - layer * np.float32(0.45)
        return
    for c, tint in enumerate((0.25, 0.45, 0.8)):  # blue goes first
        image[..., c] *= 1.0 - layer * np.float32(tint)


def _punch_holes(image: np.ndarray, rng: np.random.Generator, scale: float) -> None:
    h, w = image.shape[:2]
    x = int(rng.uniform(45, 70) * scale) if rng.random() < 0.5 else w - int(rng.uniform(45, 70) * scale)
    radius = int(35 * scale)
    shade = float(rng.uniform(20, 90))
    colour = shade if image.ndim == 2 else (shade, shade, shade)
    for dy in (-470, 470):  # holes 80 mm apart
        cv2.circle(image, (x, h // 2 + int(dy * scale)), radius, colour, -1, cv2.LINE_AA)


def _lighting(rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    h, w = shape
    low = float(rng.uniform(0.72, 0.95))
    ys, xs = np.mgrid[0:h:8, 0:w:8].astype(np.float32)
    if rng.random() < 0.5:  # a linear ramp in a random direction
        angle = rng.uniform(0, 2 * np.pi)
        ramp = np.cos(angle) * xs / w + np.sin(angle) * ys / h
    else:  # a radial fall-off from a random point
        cx, cy = rng.uniform(0, w), rng.uniform(0, h)
        ramp = 1.0 - np.hypot((xs - cx) / w, (ys - cy) / h)
    ramp = (ramp - ramp.min()) / max(float(np.ptp(ramp)), 1e-6)
    field_ = low + (1.0 - low) * ramp
    return cv2.resize(field_, (w, h), interpolation=cv2.INTER_LINEAR).astype(np.float32)

