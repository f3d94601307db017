"""Helpers every benchmark uses to write what it measured."""

from __future__ import annotations

import json
import resource
from pathlib import Path


def subset(corpus: Path, limit: int | None, folder: Path) -> Path:
    """The first `limit` pages (all when None) of a nameh-synth corpus as links in
    `folder/pages`, with their truth rows in `folder/truth.csv`; returns `folder/pages`."""
    images = sorted((corpus / "yolo" / "images").iterdir())[:limit]
    (folder / "pages").mkdir(parents=True)
    for path in images:
        (folder / "pages" / path.name).symlink_to(path.resolve())
    names = {p.name for p in images}
    lines = (corpus / "truth.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (folder / "truth.csv").write_text(
        lines[0] + "".join(row for row in lines[1:] if row.split(",", 1)[0] in names), encoding="utf-8"
    )
    return folder / "pages"


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def write_json(path: str | Path | None, report: dict) -> None:
    """Write `report` as UTF-8 JSON to `path` (nothing when `path` is None)."""
    if path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")


def save_figure(fig, path: str | Path) -> None:
    """Save a matplotlib figure (folders made) and close it."""
    import matplotlib.pyplot as plt

    fig.tight_layout()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=80)
    plt.close(fig)
