"""Batches of loaded pages through a `DocumentPredictor`, the next batch located while one is read.

Locating a batch (framing, detection, the label check: `DocumentPredictor.locate`) is mostly
ONNX Runtime, which lets go of Python's interpreter lock while it runs; reading it
(`DocumentPredictor.finish`: the CTC decoders, the word list, the fusion) is mostly Python. With
`overlap`, a worker thread locates batch k + 1 while the caller's thread reads batch k, so the
Python work no longer waits for the detector's cores to be free. A batch that fails anywhere is
read again page by page, so only the failing page becomes an error row.

Example:
    >>> with BatchReader(predictor) as reader:                      # doctest: +SKIP
    ...     done = reader.submit(batch_1)   # [] : batch_1 is being located
    ...     done = reader.submit(batch_2)   # batch_1's results; batch_2 is being located
    ...     done = reader.drain()           # batch_2's results
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from pipeline.predictor import DocumentPredictor, PageReading
from pipeline.types import FIELDS, PageResult

log = logging.getLogger(__name__)


@dataclass
class LoadedPage:
    """A page off the disk: its image, or the error that stopped it."""

    source: str
    page: int
    image: np.ndarray | None = None
    error: str = ""


def page_status(reading: PageReading) -> str:
    """`ok` (every field read and valid), `partial`, or `no_fields`."""
    if not reading.detections:
        return "no_fields"
    good = [f for f in FIELDS if f in reading.fields and reading.fields[f].valid]
    return "ok" if len(good) == len(FIELDS) else "partial"


class BatchReader:
    """Reads batches of pages in the order given; with `overlap`, one batch ahead is located in
    a worker thread. `submit` returns the results of the batch before (or, without overlap, of
    the batch itself); `drain` returns what is still in flight."""

    def __init__(self, predictor: DocumentPredictor, overlap: bool = True) -> None:
        self.predictor = predictor
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="nameh-locate") if overlap else None
        self.pending: tuple[list[LoadedPage], Future] | None = None

    def __enter__(self) -> BatchReader:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def submit(self, batch: list[LoadedPage]) -> list[PageResult]:
        """Start on `batch` (pages with images); the results finished meanwhile."""
        batch = list(batch)
        if self.pool is None:
            return self._results(batch, None)
        started = self.pool.submit(self.predictor.locate, [p.image for p in batch])
        done = self.drain()
        self.pending = (batch, started)
        return done

    def drain(self) -> list[PageResult]:
        """The results of the batch still in flight, if any."""
        if self.pending is None:
            return []
        batch, located = self.pending
        self.pending = None
        return self._results(batch, located)

    def _results(self, batch: list[LoadedPage], located: Future | None) -> list[PageResult]:
        """A batch read whole; if that fails anywhere, page by page, so only a failing page errs."""
        images = [p.image for p in batch]
        try:
            at = located.result() if located is not None else self.predictor.locate(images)
            readings = self.predictor.finish(images, at)
        except Exception as error:
            if len(batch) > 1:
                return [r for p in batch for r in self._results([p], None)]
            page = batch[0]
            log.exception("page %s:%d failed", page.source, page.page)
            message = f"{type(error).__name__}: {error}"
            return [PageResult(page.source, page.page, status="error", error=message)]
        return [
            PageResult(p.source, p.page, r.fields, page_status(r), "", r.detections, r.rotation, r.skew,
                       r.region)
            for p, r in zip(batch, readings, strict=True)
        ]

