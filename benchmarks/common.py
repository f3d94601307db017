"""Helpers every benchmark uses to write what it measured."""

from __future__ import annotations

import json
from pathlib import Path


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
