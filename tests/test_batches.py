"""BatchReader: batches read in order, the next one located while one is read, failures per page."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from pipeline.batches import BatchReader, LoadedPage
from pipeline.predictor import PageReading

WAIT = 5.0  # seconds a fake stage waits for the other thread before the test gives up on it


class RecordingPredictor:
    """Records which thread located and read which batch; a page whose image is all zeros fails
    in `locate`, one whose image is all 7s fails in `finish`. With `expect_overlap`, reading a
    batch before the `last` waits until the next batch's location has begun (or WAIT seconds)."""

    def __init__(self, expect_overlap: bool = False, last: int = 3) -> None:
        self.events: list[tuple[str, int, str]] = []
        self.lock = threading.Lock()
        self.located = threading.Condition(self.lock)
        self.expect_overlap, self.last = expect_overlap, last

    def _log(self, stage: str, pages) -> int:
        batch = int(pages[0][0, 0])
        with self.lock:
            self.events.append((stage, batch, threading.current_thread().name))
            self.located.notify_all()
        return batch

    def locate(self, pages):
        batch = self._log("locate", pages)
        if any(p.max() == 0 for p in pages):
            raise RuntimeError("detector failed")
        return batch

    def finish(self, pages, batch):
        self._log("finish", pages)
        if self.expect_overlap and batch < self.last:
            with self.lock:
                self.located.wait_for(lambda: ("locate", batch + 1, "next") in self._seen(), WAIT)
        if any(p.max() == 7 and p.min() == 7 for p in pages):
            raise RuntimeError("reader failed")
        self._log("done", pages)
        return [PageReading({}, [{"batch": batch}], 0) for _ in pages]

    def _seen(self) -> set[tuple[str, int, str]]:
        return {(s, b, "next" if t.startswith("nameh-locate") else "main") for s, b, t in self.events}


def pages_of(batch: int, n: int = 3, fill: int | None = None) -> list[LoadedPage]:
    out = []
    for i in range(n):
        image = np.full((8, 8), 100 if fill is None else fill, np.uint8)
        image[0, 0] = batch if fill is None else fill
        out.append(LoadedPage(f"b{batch}.pdf", i + 1, image))
    return out


@pytest.mark.parametrize("overlap", [True, False])
def test_batches_come_back_whole_and_in_order(overlap):
    predictor = RecordingPredictor()
    results = []
    with BatchReader(predictor, overlap=overlap) as reader:
        for b in (1, 2, 3):
            results += reader.submit(pages_of(b))
        results += reader.drain()
    assert [(r.source, r.page) for r in results] == [(f"b{b}.pdf", i) for b in (1, 2, 3) for i in (1, 2, 3)]
    assert all(r.status == "partial" and r.detections[0]["batch"] == int(r.source[1]) for r in results)


def test_the_next_batch_is_located_while_one_is_read():
    predictor = RecordingPredictor(expect_overlap=True)
    with BatchReader(predictor, overlap=True) as reader:
        first = reader.submit(pages_of(1))
        second = reader.submit(pages_of(2))
        reader.submit(pages_of(3))
        reader.drain()
    assert first == [] and len(second) == 3
    seen = predictor._seen()
    assert {("locate", b, "next") for b in (1, 2, 3)} <= seen  # located in the worker thread
    assert {("finish", b, "main") for b in (1, 2, 3)} <= seen  # read in the caller's thread
    order = [(s, b) for s, b, _ in predictor.events]
    assert order.index(("locate", 2)) < order.index(("done", 1))  # begun before batch 1 was read
    assert order.index(("locate", 3)) < order.index(("done", 2))


@pytest.mark.parametrize("overlap", [True, False])
@pytest.mark.parametrize("fill, message", [(0, "RuntimeError: detector failed"),
                                           (7, "RuntimeError: reader failed")])
def test_a_failing_page_errs_alone_and_the_batches_go_on(overlap, fill, message):
    bad = pages_of(2, n=1, fill=fill)[0]
    bad.source, bad.page = "bad.png", 1
    batch = [*pages_of(2, n=2), bad]
    with BatchReader(RecordingPredictor(), overlap=overlap) as reader:
        results = reader.submit(pages_of(1)) + reader.submit(batch) + reader.submit(pages_of(3))
        results += reader.drain()
    assert len(results) == 9
    errors = [r for r in results if r.status == "error"]
    assert [(r.source, r.error) for r in errors] == [("bad.png", message)]
