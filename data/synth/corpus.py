"""Generate a labelled corpus: scans with YOLO boxes, glyph crops, line crops and truth rows.

Each page is made from its own random stream, `default_rng([seed, index])`, so the output does
not depend on how many worker processes share the work: same seed, same bytes.

Layout of the output folder:

    yolo/images/p000000.jpg   the scans (PNG for some); point nameh at this folder
    yolo/labels/p000000.txt   YOLO boxes of the eight field classes
    yolo/data.yaml            class names (train and val both name this set; the detector's
                              training task pairs a training set with a held-out one)
    glyphs/<class>/*.png      glyph and keyword crops; glyphs/classes.json maps folder -> label
    lines/*.png, lines.tsv    line crops and their text (logical order, ASCII digits)
    truth.csv                 one row per page, columns as nameh's metadata.csv
    manifest.json             the configuration, fonts and counts of the run

Example:
    >>> gen = CorpusGenerator(CorpusConfig(pages=1, fonts=["Vazirmatn-Regular.ttf"]))
    >>> record = gen.page(0)   # composes and degrades page 0 in memory
    >>> sorted(record.truth)[:3]
    ['attachment', 'date', 'date_gregorian']
"""

from __future__ import annotations

import csv
import json
import logging
import multiprocessing as mp
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import cv2
import numpy as np
from tqdm import tqdm

from data.synth.classes import GLYPH_CLASSES, GLYPH_LABELS, YOLO_CLASSES
from data.synth.content import ContentConfig, ContentMaker
from data.synth.degrade import DegradeConfig, Scan, degrade
from data.synth.fonts import FontLibrary
from data.synth.layout import Composition, LayoutConfig, LetterComposer, PageObject
from data.synth.vocabulary import Vocabulary
from recognizers.charset import Charset
from recognizers.images import is_blank

log = logging.getLogger(__name__)

TRUTH_COLUMNS = ("source", "page", "number", "date", "date_gregorian", "attachment", "title")
LINE_COLUMNS = ("path", "text", "printed", "kind", "source")


@dataclass
class CropConfig:
    """How glyph and line crops are cut (`conf/synth/crops/`)."""

    glyph_margin: tuple[float, float] = (0.04, 0.25)  # above and below, of the token-band height
    glyph_margin_x: tuple[float, float] = (0.0, 0.08)  # left and right: neighbours are close
    glyphs_per_class: int = 6  # per page, to keep classes balanced
    otherchar_per_page: int = 8
    line_margin: tuple[float, float] = (0.05, 0.3)  # of the line height, per side
    line_jitter: float = 0.08  # sd of each edge's shift, of the line height
    distractors_per_page: int = 3
    body_spans_per_page: int = 4
    body_span_tokens: tuple[int, int] = (1, 4)


@dataclass
class CorpusConfig:
    """Everything a generator run needs; `conf/synth.yaml` composes it."""

    pages: int = 10
    seed: int = 0
    fonts: list[str] = field(default_factory=list)
    font_dirs: list[str] = field(default_factory=lambda: ["/usr/share/fonts",
                                                          "/usr/local/share/fonts"])
    font_fallback: str | None = None  # draws the separators a face lacks (fonts.BORROWABLE_CHARS)
    prefix: str = "p"
    workers: int = 2
    layout: LayoutConfig = field(default_factory=LayoutConfig)
    content: ContentConfig = field(default_factory=ContentConfig)
    degrade: DegradeConfig = field(default_factory=DegradeConfig)
    crops: CropConfig = field(default_factory=CropConfig)


@dataclass
class PageRecord:
    """One generated page, in memory: scan, objects and truth."""

    name: str
    scan: Scan
    composition: Composition
    truth: dict[str, str]


@dataclass
class PageSummary:
    """What a worker reports after writing one page's files."""

    name: str
    image: str
    truth: dict[str, str]
    lines: list[dict[str, str]]
    glyphs: dict[str, int]
    fields: dict[str, int]


class CorpusGenerator:
    """Makes pages from a `CorpusConfig`; `write(out)` writes a whole corpus.

    Example:
        >>> cfg = CorpusConfig(pages=2, fonts=["Vazirmatn-Regular.ttf"], workers=1)
        >>> CorpusGenerator(cfg).write("/tmp/nameh-doctest-corpus")["pages"]
        2
    """

    def __init__(self, config: CorpusConfig) -> None:
        self.config = config
        self.fonts = FontLibrary.find(config.fonts, config.font_dirs, config.font_fallback)
        self.composer = LetterComposer(config.layout, self.fonts,
                                       ContentMaker(Vocabulary.load(), config.content))
        self.charset = Charset("ascii")

    def name(self, index: int) -> str:
        return f"{self.config.prefix}{index:06d}"

    def page(self, index: int) -> PageRecord:
        """Compose and degrade page `index` (deterministic for the run's seed)."""
        rng = np.random.default_rng([self.config.seed, index])
        composition = self.composer.compose(rng)
        scan = degrade(composition.text_ink, composition.stamp_ink, self.config.degrade, rng)
        return PageRecord(self.name(index), scan, composition, dict(composition.truth))

    # --- writing ------------------------------------------------------------------------------
    def write_page(self, index: int, out: Path) -> PageSummary:
        """Generate page `index` and write its image, labels and crops under `out`."""
        record = self.page(index)
        rng = np.random.default_rng([self.config.seed, index, 1])  # crops: a separate stream
        scan = record.scan
        ext = ".png" if scan.encoding == "png" else ".jpg"
        image_name = record.name + ext
        encoded = _encode(scan, ext)
        (out / "yolo" / "images" / image_name).write_bytes(encoded)
        decoded = cv2.imdecode(np.frombuffer(encoded, np.uint8), cv2.IMREAD_GRAYSCALE)
        fields = self._write_labels(record, out / "yolo" / "labels" / f"{record.name}.txt")
        glyphs = self._write_glyphs(record, decoded, rng, out / "glyphs")
        lines = self._write_lines(record, decoded, rng, out / "lines", image_name)
        truth = {"source": image_name, "page": "1", **record.truth}
        return PageSummary(record.name, image_name, truth, lines, glyphs, fields)

    def _write_labels(self, record: PageRecord, path: Path) -> dict[str, int]:
        h, w = record.scan.image.shape[:2]
        rows, counts = [], Counter()
        for obj in record.composition.objects:
            if obj.kind != "field":
                continue
            box = record.scan.box(obj.hull)
            if box is None:
                continue
            x0, y0, x1, y1 = box
            rows.append(f"{YOLO_CLASSES.index(obj.name)} {(x0 + x1) / 2 / w:.6f} "
                        f"{(y0 + y1) / 2 / h:.6f} {(x1 - x0) / w:.6f} {(y1 - y0) / h:.6f}")
            counts[obj.name] += 1
        path.write_text("\n".join(rows) + ("\n" if rows else ""), encoding="utf-8")
        return dict(counts)

    def _write_glyphs(self, record: PageRecord, image: np.ndarray, rng: np.random.Generator,
                      folder: Path) -> dict[str, int]:
        cfg = self.config.crops
        by_class: dict[str, list[PageObject]] = {}
        tokens = {(o.line, o.order): o.hull for o in record.composition.objects if o.kind == "token"}
        for obj in record.composition.objects:
            if obj.kind == "glyph":
                by_class.setdefault(obj.name, []).append(obj)
        counts: dict[str, int] = {}
        for name in sorted(by_class):
            objs = by_class[name]
            limit = cfg.otherchar_per_page if name == "Otherchar" else cfg.glyphs_per_class
            picks = rng.permutation(len(objs))[:limit]
            written = 0
            for k in sorted(picks.tolist()):
                box = _in_band(record.scan.box(objs[k].hull),
                               record.scan.box(tokens.get((objs[k].line, objs[k].order), objs[k].hull)))
                crop = (_cut(image, box, cfg.glyph_margin, 0.0, rng, cfg.glyph_margin_x)
                        if box else None)
                if crop is None or is_blank(crop):  # faded off the scan: no class to learn or test
                    continue
                _write_png(folder / name / f"{record.name}_{k:04d}.png", crop)
                written += 1
            counts[name] = written
        return counts

    def _write_lines(self, record: PageRecord, image: np.ndarray, rng: np.random.Generator,
                     folder: Path, source: str) -> list[dict[str, str]]:
        cfg = self.config.crops
        objects = record.composition.objects
        picks: list[tuple[str, str, np.ndarray]] = []  # kind, printed text, hull
        for obj in objects:
            if obj.kind == "field" and obj.name.endswith("_value"):
                picks.append((obj.name, obj.text, obj.hull))
        distractors = [o for o in objects if o.kind == "token" and o.name in ("body", "distractor_number")
                       and any(Charset.digit_value(c) is not None for c in o.text)]
        for k in rng.permutation(len(distractors))[:cfg.distractors_per_page].tolist():
            picks.append(("distractor", distractors[k].text, distractors[k].hull))
        body_lines: dict[int, list[PageObject]] = {}
        for obj in objects:
            if obj.kind == "token" and obj.name == "body":
                body_lines.setdefault(obj.line, []).append(obj)
        line_ids = sorted(body_lines)
        for _ in range(cfg.body_spans_per_page if line_ids else 0):
            tokens = sorted(body_lines[line_ids[int(rng.integers(len(line_ids)))]],
                            key=lambda o: o.order)
            n = int(rng.integers(cfg.body_span_tokens[0], cfg.body_span_tokens[1] + 1))
            start = int(rng.integers(0, max(1, len(tokens) - n + 1)))
            span = tokens[start:start + n]
            picks.append(("body", " ".join(o.text for o in span),
                          np.concatenate([o.hull for o in span])))
        rows = []
        for i, (kind, printed, hull) in enumerate(picks):
            box = record.scan.box(hull)
            crop = _cut(image, box, cfg.line_margin, cfg.line_jitter, rng) if box else None
            if crop is None:
                continue
            name = f"{record.name}_{i:02d}.png"
            _write_png(folder / name, crop)
            rows.append({"path": f"lines/{name}", "text": self.charset.normalise(printed),
                         "printed": printed, "kind": kind, "source": source})
        return rows

    def write(self, out: str | Path) -> dict[str, object]:
        """Write the whole corpus to `out` and return the manifest (also written there)."""
        out = Path(out)
        for sub in ("yolo/images", "yolo/labels", "lines", *(f"glyphs/{c}" for c in GLYPH_CLASSES)):
            (out / sub).mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        summaries = list(tqdm(self._map(out), total=self.config.pages, desc="pages", unit="page",
                              mininterval=2.0))
        seconds = time.perf_counter() - start
        self._write_indexes(out, summaries)
        glyphs, fields = Counter(), Counter()
        for s in summaries:
            glyphs.update(s.glyphs)
            fields.update(s.fields)
        manifest = {
            "pages": len(summaries), "seed": self.config.seed, "seconds": round(seconds, 2),
            "pages_per_second": round(len(summaries) / seconds, 3) if seconds else None,
            "fonts": [f.name for f in self.fonts.faces], "classes": list(YOLO_CLASSES),
            "field_boxes": dict(sorted(fields.items())), "glyph_crops": dict(sorted(glyphs.items())),
            "line_crops": sum(len(s.lines) for s in summaries),
            # the worker count changes nothing in the output, so it is not recorded
            "config": {k: v for k, v in asdict(self.config).items() if k != "workers"},
        }
        timing = {k: manifest.pop(k) for k in ("seconds", "pages_per_second")}
        (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1),
                                           encoding="utf-8")
        return {**manifest, **timing}

    def _map(self, out: Path):
        indices = range(self.config.pages)
        if self.config.workers <= 1 or self.config.pages < 4:
            return (self.write_page(i, out) for i in indices)
        # spawn, not fork: a forked child inherits OpenCV's and OpenMP's thread pools half-alive
        # and can hang; a spawned worker builds its own generator from the (picklable) config.
        pool = mp.get_context("spawn").Pool(self.config.workers, initializer=_init_worker,
                                            initargs=(self.config, out))
        return _pool_iter(pool, indices)

    def _write_indexes(self, out: Path, summaries: list[PageSummary]) -> None:
        with open(out / "truth.csv", "w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, TRUTH_COLUMNS)
            writer.writeheader()
            writer.writerows(s.truth for s in summaries)
        with open(out / "lines.tsv", "w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, LINE_COLUMNS, delimiter="\t", quoting=csv.QUOTE_MINIMAL)
            writer.writeheader()
            for s in summaries:
                writer.writerows(s.lines)
        (out / "glyphs" / "classes.json").write_text(json.dumps(
            {c: GLYPH_LABELS.get(c, c) for c in GLYPH_CLASSES}, ensure_ascii=False, indent=1),
            encoding="utf-8")
        names = "\n".join(f"  {i}: {n}" for i, n in enumerate(YOLO_CLASSES))
        (out / "yolo" / "data.yaml").write_text(
            f"# nameh synthetic letters; seed {self.config.seed}\npath: .\ntrain: images\n"
            f"val: images\nnames:\n{names}\n", encoding="utf-8")


# --- worker processes ------------------------------------------------------------------------
# Each worker process holds its own generator here (fonts cannot be pickled); set by the
# initializer, read by `_work`, never touched in the parent process.
_WORKER: dict[str, object] = {}


def _init_worker(config: CorpusConfig, out: Path) -> None:
    cv2.setNumThreads(1)
    _WORKER["generator"], _WORKER["out"] = CorpusGenerator(config), out


def _work(index: int) -> PageSummary:
    return _WORKER["generator"].write_page(index, _WORKER["out"])  # type: ignore[union-attr]


def _pool_iter(pool, indices):
    with pool:
        yield from pool.imap(_work, indices, chunksize=2)


# --- image helpers ------------------------------------------------------------------------------
def _encode(scan: Scan, ext: str) -> bytes:
    image = scan.image
    if image.ndim == 3:
        image = cv2.cvtColor(image, cv2.COLOR_RGB2BGR)
    params = [cv2.IMWRITE_JPEG_QUALITY, scan.jpeg_quality] if ext == ".jpg" else []
    ok, buffer = cv2.imencode(ext, image, params)
    if not ok:
        raise RuntimeError(f"could not encode a {ext} image")
    return buffer.tobytes()


def _in_band(box, band):
    """The glyph's columns over its token's rows: where a glyph sits in the line stays visible
    (`_` below, `-` in the middle; Persian zero is a dot at mid-height, not on the baseline)."""
    if box is None or band is None:
        return box
    return (box[0], min(box[1], band[1]), box[2], max(box[3], band[3]))


def _cut(image: np.ndarray, box, margin: tuple[float, float], jitter: float,
         rng: np.random.Generator, margin_x: tuple[float, float] | None = None) -> np.ndarray | None:
    """Crop `box` with a random margin per side and jittered edges (fractions of its height);
    `margin_x`, when given, is the margin of the left and right sides."""
    x0, y0, x1, y1 = box
    h = y1 - y0
    edges = np.array([x0, y0, x1, y1], dtype=np.float64)
    grow = rng.uniform(*margin, size=4) * h + rng.normal(0, jitter, size=4) * h
    if margin_x is not None:
        grow[[0, 2]] = rng.uniform(*margin_x, size=2) * h
    edges += grow * np.array([-1, -1, 1, 1])
    ih, iw = image.shape[:2]
    x0, y0 = int(max(0, np.floor(edges[0]))), int(max(0, np.floor(edges[1])))
    x1, y1 = int(min(iw, np.ceil(edges[2]))), int(min(ih, np.ceil(edges[3])))
    if x1 - x0 < 2 or y1 - y0 < 2:
        return None
    return image[y0:y1, x0:x1]


def _write_png(path: Path, image: np.ndarray) -> None:
    ok, buffer = cv2.imencode(".png", image)
    if not ok:
        raise RuntimeError(f"could not encode {path}")
    path.write_bytes(buffer.tobytes())

