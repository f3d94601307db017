"""The nameh task: a folder of scans in, `metadata.csv` + `detections.jsonl` out.

`run(cfg)` is the task behind the `nameh` command (see `pipeline.cli`), callable from tests.
Pages are decoded in a background thread while the models work on the previous batch, and the
next batch is located (detector) while one is read (`pipeline.batches`, `overlap`); models load
once; rows are written as pages finish.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from omegaconf import DictConfig
from tqdm import tqdm

from detectors.predictor import DetectorSettings, FieldDetector
from pipeline.batches import BatchReader, LoadedPage
from pipeline.io import InputError, list_inputs, open_pages
from pipeline.overlay import save_overlay
from pipeline.predictor import DocumentPredictor, PipelineSettings
from pipeline.types import FIELDS, PageResult
from pipeline.writer import ResultWriter
from recognizers.glyphs.digits import DigitReader
from recognizers.glyphs.predictor import GlyphClassifier
from recognizers.reader.predictor import TextReader

log = logging.getLogger(__name__)


@dataclass
class Summary:
    """What a run did."""

    pages: int = 0
    statuses: Counter = field(default_factory=Counter)
    fields_found: Counter = field(default_factory=Counter)
    skipped_files: list[str] = field(default_factory=list)
    resumed: int = 0
    seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)
    csv: str = ""

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


def lone_floors(value: object) -> dict[str, float]:
    """`lone_min_confidence` from the config: a floor per field, or one number for every field
    (`lone_min_confidence=0` keeps every lone value).

    Example:
        >>> lone_floors(0.5)["title"], lone_floors({"title": 0.65})
        (0.5, {'title': 0.65})
    """
    if isinstance(value, (int, float)):
        return dict.fromkeys(FIELDS, float(value))
    return {str(k): float(v) for k, v in dict(value).items()}


def build_predictor(cfg: DictConfig) -> DocumentPredictor:
    """The document predictor from a `nameh` config (models load here, once)."""
    d = cfg.detector
    detector = FieldDetector.load(
        d.weights,
        DetectorSettings(
            imgsz=d.imgsz,
            conf=d.conf,
            iou=d.iou,
            device=cfg.device,
            roi_top=d.roi_top,
            batch=d.batch,
            threads=cfg.threads,
        ),
    )
    reader = TextReader.load(
        cfg.reader.weights,
        alphabet=cfg.reader.alphabet,  # null: the checkpoint's own
        decoder=cfg.reader.decoder,
        batch=cfg.reader.batch,
        threads=cfg.threads,
        lexicon=cfg.reader.lexicon,  # null: subjects and attachments as the network reads them
        lexicon_margin=cfg.reader.lexicon_margin,
        lexicon_edits=cfg.reader.lexicon_edits,
        lexicon_spaces=cfg.reader.lexicon_spaces,
        lexicon_counts=cfg.reader.lexicon_counts,
    )
    digits = None
    # the glyph classifier also reads label keywords (check_labels, fill_fields, beside_confirm)
    if cfg.fusion != "crnn_only" or cfg.check_labels or cfg.fill_fields or cfg.beside_confirm:
        digits = DigitReader(
            GlyphClassifier.load(cfg.glyphs.weights, batch=cfg.glyphs.batch, threads=cfg.threads)
        )
    return DocumentPredictor(
        detector,
        reader,
        digits,
        PipelineSettings(fusion=cfg.fusion, crop_margin=cfg.crop_margin, orient=cfg.orient,
                         crop_letter=cfg.crop_letter,
                         deskew_min_angle=cfg.deskew_min_angle, deskew_max_angle=cfg.deskew_max_angle,
                         extend=tuple(cfg.extend), extend_gap=dict(cfg.extend_gap),
                         reach_label=tuple(cfg.reach_label), beside_label=tuple(cfg.beside_label),
                         reread={k: tuple(v) for k, v in cfg.reread.items()},
                         beside_min_confidence=cfg.beside_min_confidence,
                         beside_confirm=cfg.beside_confirm,
                         lone_min_confidence=lone_floors(cfg.lone_min_confidence),
                         check_labels=cfg.check_labels, label_min_confidence=cfg.label_min_confidence,
                         lone_keyword_min=cfg.lone_keyword_min,
                         second_choice=cfg.second_choice, retry_imgsz=cfg.retry_imgsz,
                         fill_fields=tuple(cfg.fill_fields)),
    )


def load_pages(
    files: list[Path], root: Path, skip: set[tuple[str, int]], pdf_dpi: int, max_pixels: int
) -> Iterator[LoadedPage]:
    """Every page of every file, or one error page for a file that cannot be read."""
    for path in files:
        source = path.relative_to(root).as_posix()
        number = 0
        try:
            for number, image in open_pages(path, pdf_dpi, max_pixels):
                if (source, number) not in skip:
                    yield LoadedPage(source, number, image)
        except InputError as error:
            if (source, number + 1) not in skip:
                yield LoadedPage(source, number + 1, error=f"{type(error).__name__}: {error}")
        except Exception as error:  # anything else a decoder throws: the batch must go on
            log.exception("reading %s", source)
            if (source, number + 1) not in skip:
                yield LoadedPage(source, number + 1, error=f"{type(error).__name__}: {error}")


def _prefetch(items: Iterator[LoadedPage], size: int) -> Iterator[LoadedPage]:
    """Run `items` in a background thread, `size` pages ahead."""
    box: queue.Queue = queue.Queue(maxsize=max(1, size))
    end = object()

    def work() -> None:
        try:
            for item in items:
                box.put(item)
        finally:
            box.put(end)

    threading.Thread(target=work, name="nameh-loader", daemon=True).start()
    while (item := box.get()) is not end:
        yield item


def run(cfg: DictConfig, predictor: DocumentPredictor | None = None) -> Summary:
    """Process `cfg.input_dir` into `cfg.output_dir` (default: the Hydra run folder).

    Raises:
        InputDirError: the input folder is missing or holds no scans (the CLI exits with 2).
    """
    root = Path(cfg.input_dir)
    files, skipped = list_inputs(root)
    out = Path(cfg.output_dir)
    summary = Summary(skipped_files=[p.relative_to(root).as_posix() for p in skipped])
    for name in summary.skipped_files:
        log.warning("skipped (not an image or PDF): %s", name)
    predictor = predictor or build_predictor(cfg)
    start = time.perf_counter()
    waiting = 0.0
    with ResultWriter(out, resume=cfg.resume) as writer:
        summary.resumed = len(writer.done)
        pages = _prefetch(
            load_pages(files, root, set(writer.done), cfg.pdf_dpi, cfg.max_pixels), cfg.prefetch
        )
        bar = tqdm(desc="pages", unit="page", disable=not cfg.progress, mininterval=1.0)
        batch: list[LoadedPage] = []
        in_flight: dict[tuple[str, int], np.ndarray] = {}  # page images kept for their overlays

        def write(results: list[PageResult]) -> None:
            for result in results:
                _finish(result, writer, summary, bar)
                image = in_flight.pop((result.source, result.page), None)
                if image is not None:
                    save_overlay(image, result, out / "overlays")

        with BatchReader(predictor, overlap=cfg.overlap) as reader:
            while True:
                t = time.perf_counter()
                page = next(pages, None)
                waiting += time.perf_counter() - t
                if page is None:
                    break
                if page.error:
                    write([PageResult(page.source, page.page, status="error", error=page.error)])
                    continue
                batch.append(page)
                if cfg.save_overlays:
                    in_flight[page.source, page.page] = page.image
                if len(batch) >= cfg.detector.batch:
                    write(reader.submit(batch))
                    batch.clear()
            if batch:
                write(reader.submit(batch))
            write(reader.drain())
        bar.close()
    summary.seconds = time.perf_counter() - start
    summary.csv = str(writer.csv_path)
    summary.stage_seconds = {
        "wait_for_pages": round(waiting, 2),
        **{k: round(v, 2) for k, v in predictor.times.items()},
    }
    _log_summary(summary)
    return summary


def _finish(result: PageResult, writer: ResultWriter, summary: Summary, bar) -> None:
    writer.write(result)
    summary.pages += 1
    summary.statuses[result.status] += 1
    summary.fields_found.update(k for k, f in result.fields.items() if f.valid)
    bar.update(1)
    if result.status == "error":
        log.warning("%s page %d: %s", result.source, result.page, result.error)


def _log_summary(s: Summary) -> None:
    log.info(
        "%d pages in %.1f s (%.2f pages/s); status %s; fields read %s%s",
        s.pages,
        s.seconds,
        s.pages_per_second,
        dict(s.statuses),
        dict(s.fields_found),
        f"; {s.resumed} pages already done (resume)" if s.resumed else "",
    )
    log.info("time per stage (s): %s", s.stage_seconds)
    if s.skipped_files:
        log.info("%d files skipped (not images or PDFs)", len(s.skipped_files))
    log.info("CSV: %s", s.csv)
