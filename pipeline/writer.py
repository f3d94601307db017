"""`ResultWriter`: `metadata.csv` and `detections.jsonl`, a row per finished page.

Each row is flushed as soon as its page is done, so an interrupted run leaves valid files. With
`resume`, pages already in the CSV are skipped (a half-written last line is cut off first);
without it, a run starts the files afresh, so re-running never duplicates rows.

Example:
    >>> import tempfile
    >>> from pipeline.types import PageResult
    >>> out = Path(tempfile.mkdtemp())
    >>> with ResultWriter(out) as w:
    ...     w.write(PageResult("a.jpg", 1, status="no_fields"))
    >>> ResultWriter.done_pages(out / "metadata.csv")
    {('a.jpg', 1)}
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from pipeline.types import CSV_COLUMNS, PageResult


class ResultWriter:
    """Writes finished pages to `out/metadata.csv` and `out/detections.jsonl`."""

    def __init__(self, out: str | Path, resume: bool = False) -> None:
        self.out = Path(out)
        self.out.mkdir(parents=True, exist_ok=True)
        self.csv_path, self.jsonl_path = self.out / "metadata.csv", self.out / "detections.jsonl"
        self.done: set[tuple[str, int]] = set()
        if resume:
            for path in (self.csv_path, self.jsonl_path):
                _cut_partial_line(path)
            self.done = self.done_pages(self.csv_path)
        mode = "a" if resume else "w"
        new = not resume or not self.csv_path.is_file() or self.csv_path.stat().st_size == 0
        self._csv_file = open(self.csv_path, mode, newline="", encoding="utf-8")
        self._jsonl_file = open(self.jsonl_path, mode, encoding="utf-8")
        self._csv = csv.DictWriter(self._csv_file, CSV_COLUMNS)
        if new:
            self._csv.writeheader()
            self._csv_file.flush()

    @staticmethod
    def done_pages(csv_path: Path) -> set[tuple[str, int]]:
        """(source, page) of every row already in a metadata.csv."""
        if not csv_path.is_file():
            return set()
        with open(csv_path, newline="", encoding="utf-8") as f:
            return {(r["source"], int(r["page"])) for r in csv.DictReader(f) if r.get("page", "").isdigit()}

    def write(self, page: PageResult) -> None:
        """Append one page to both files and flush them."""
        self._jsonl_file.write(json.dumps(page.trace(), ensure_ascii=False) + "\n")
        self._jsonl_file.flush()
        self._csv.writerow(page.row())
        self._csv_file.flush()
        self.done.add((page.source, page.page))

    def close(self) -> None:
        self._csv_file.close()
        self._jsonl_file.close()

    def __enter__(self) -> ResultWriter:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()


def _cut_partial_line(path: Path) -> None:
    """Drop an unfinished last line (a run killed in the middle of a write)."""
    if not path.is_file() or path.stat().st_size == 0:
        return
    data = path.read_bytes()
    if not data.endswith(b"\n"):
        path.write_bytes(data[: data.rfind(b"\n") + 1])
