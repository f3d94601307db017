"""The baseline a user would build today: Tesseract 5 `fas` on the full page, then regular
expressions for the four labels on its text lines. Writes a `metadata.csv` like nameh's.

    python benchmarks/tesseract_baseline.py --input data/generated/test/yolo/images --out outputs/tess --psm 6

Tuned as a careful user would: one OpenMP thread per process (`OMP_THREAD_LIMIT=1`; OpenMP
threads make it slower here), one process per core.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import resource
import subprocess
import sys
import time
from multiprocessing import get_context
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.io import list_inputs
from pipeline.types import CSV_COLUMNS
from recognizers.charset import Charset
from recognizers.dates import parse_jalali

LABELS = {"date": "تاریخ", "number": "شماره", "attachment": "پیوست", "title": "موضوع"}
# label, optional colon, then the value up to the next label word or the end of the line
_NEXT = "|".join(LABELS.values())
PATTERNS = {f: re.compile(rf"{word}\s*[:：]?\s*(.+?)\s*(?=(?:{_NEXT})|$)") for f, word in LABELS.items()}
_DATE = re.compile(r"\d{1,4}\s*[/\-.]\s*\d{1,2}\s*[/\-.]\s*\d{1,4}")
_NUMBER = re.compile(r"[0-9][0-9\u0600-\u06FF/\-_]*[0-9\u0600-\u06FF]|[0-9]+")


def ocr(path: Path, psm: int) -> str:
    """Tesseract's text of a page (fas, one thread)."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    result = subprocess.run(
        ["tesseract", str(path), "stdout", "-l", "fas", "--psm", str(psm)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr.strip()[-300:])
    return result.stdout


def extract_fields(text: str) -> dict[str, str]:
    """The first match of each label on the OCR text's lines, normalised like nameh's CSV."""
    found: dict[str, str] = {}
    for line in Charset.canonical(text).splitlines():
        for field, pattern in PATTERNS.items():
            if field in found:
                continue
            match = pattern.search(line)
            if not match:
                continue
            value = match.group(1).strip(" :.،")
            if field == "date":
                m = _DATE.search(value)
                date = parse_jalali(m.group(0).replace(" ", "")) if m else None
                if date:
                    found[field] = date.iso
            elif field == "number":
                token = next((t for t in value.split() if any(c.isdigit() for c in t)), "")
                m = _NUMBER.search(token)
                if m:
                    found[field] = m.group(0)
            elif value:
                found[field] = value
    return found


def _child_peak_mb() -> float:
    """Peak RSS (MB) of the largest finished child of this process: a tesseract run."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _row(job: tuple[Path, Path, int]) -> tuple[dict[str, str], float]:
    """A page's CSV row, and the peak RSS of the tesseract processes this worker ran so far."""
    path, root, psm = job
    row = {c: "" for c in CSV_COLUMNS}
    row.update(source=path.relative_to(root).as_posix(), page="1")
    try:
        fields = extract_fields(ocr(path, psm))
    except Exception as error:  # the baseline must not stop a benchmark either
        row.update(status="error", error=str(error))
        return row, _child_peak_mb()
    row.update(fields)
    if "date" in fields:
        date = parse_jalali(fields["date"])
        row["date_gregorian"] = date.gregorian if date else ""
    row["status"] = "ok" if len(fields) == 4 else ("partial" if fields else "no_fields")
    return row, _child_peak_mb()


def run_baseline(input_dir: Path, out: Path, psm: int, processes: int = 2) -> dict[str, float]:
    """OCR every image of `input_dir` into `out/metadata.csv`; returns pages, pages/s and the
    peak RSS of one tesseract process (`processes` of them run at once)."""
    files, _ = list_inputs(input_dir)
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    with get_context("spawn").Pool(processes) as pool:
        results = pool.map(_row, [(p, input_dir, psm) for p in files], chunksize=1)
    rows = [row for row, _ in results]
    seconds = time.perf_counter() - start
    with open(out / "metadata.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return {
        "pages": len(rows),
        "seconds": round(seconds, 2),
        "pages_per_second": round(len(rows) / seconds, 3),
        "processes": processes,
        "peak_rss_mb_per_process": round(max((mb for _, mb in results), default=0.0), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--psm", type=int, default=6)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    speed = run_baseline(Path(args.input), Path(args.out), args.psm, args.processes)
    print(f"tesseract --psm {args.psm}: {speed}")


if __name__ == "__main__":
    main()
