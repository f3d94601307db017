"""Line crops cut as the pipeline cuts them, with their true text: data for the reader.

The synthetic corpus cuts its line crops around each value's printed text. The pipeline reads
what its own boxes hold: a detector box and a margin, grown along its line or towards its label,
with the dotted leader line the value is written on, a piece of the label or a neighbour's tail
(val2 p000055: a number box grown over its leader's dots, read as Persian zeros `۰`, `50` as
`5000`). `harvest` runs the pipeline's stages before reading (`DocumentPredictor.locate`,
`value_jobs`) on a generated corpus and keeps each value crop whose box holds the whole of the
field's true box, with the corpus's text for it, as a line-crop corpus (`lines.tsv` + `lines/`,
the format `recognizers.reader.data.LineCrops` and `benchmarks/recognizers.py` read). A box that
cuts the text off is not kept: its crop labelled with the whole value would teach the reader to
make up what it cannot see.

    nameh-harvest corpus=data/generated/val300 out=data/generated/harvest_val300 [limit=50 …]

Example:
    >>> covers((10, 10, 110, 30), (14, 12, 100, 28))   # the whole value inside the crop
    True
    >>> covers((30, 10, 110, 30), (14, 12, 100, 28))   # its first 16 px cut off
    False
"""

from __future__ import annotations

import csv
import json
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import hydra
from omegaconf import DictConfig, OmegaConf
from tqdm import tqdm

from detectors.dataset import corpus_images, read_rgb
from detectors.evaluate import truth_boxes
from pipeline.cli import CONF_DIR
from pipeline.predictor import DocumentPredictor, as_loaded
from pipeline.run import build_predictor
from recognizers.images import as_grey

log = logging.getLogger(__name__)
LINE_COLUMNS = ("path", "text", "printed", "kind", "source", "box_from")

Box = tuple[float, float, float, float]


def covers(crop: Box, truth: Box, slack: float = 0.15) -> bool:
    """Whether a crop box holds the whole of a true text box: its sides at most `slack` × the
    true box's height inside the true box's sides (a true box has a little paper around its ink)."""
    tol = slack * (truth[3] - truth[1])
    return (crop[0] <= truth[0] + tol and crop[2] >= truth[2] - tol
            and crop[1] <= truth[1] + tol and crop[3] >= truth[3] - tol)


def corpus_texts(corpus: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """(source, kind) -> (text, printed) of a corpus's value line crops (`lines.tsv`); a kind
    printed twice on a page is left out (which of the two a box holds is not known)."""
    index = corpus / "lines.tsv"
    if not index.is_file():
        raise FileNotFoundError(f"no lines.tsv in {corpus}: harvest reads a corpus made by nameh-synth")
    seen: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    with open(index, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if row["kind"].endswith("_value"):
                seen[(row["source"], row["kind"])].append((row["text"], row.get("printed") or row["text"]))
    return {key: rows[0] for key, rows in seen.items() if len(rows) == 1}


@dataclass
class HarvestReport:
    """Per field: crops kept, crops whose box cut the value off, boxes where the page has no
    such value; and the pages read."""

    pages: int = 0
    kept: Counter = field(default_factory=Counter)
    cut: Counter = field(default_factory=Counter)
    absent: Counter = field(default_factory=Counter)

    def to_dict(self) -> dict:
        return {"pages": self.pages, "kept": dict(self.kept), "cut": dict(self.cut),
                "absent": dict(self.absent)}


def harvest(
    predictor: DocumentPredictor,
    corpus: str | Path,
    out: str | Path,
    limit: int | None = None,
    batch: int = 8,
    slack: float = 0.15,
    progress: bool = False,
) -> HarvestReport:
    """Cut the value crops the pipeline would read on `corpus`'s pages into a line-crop corpus
    in `out` (see the module docstring); returns what was kept and what was not."""
    corpus, out = Path(corpus), Path(out)
    texts = corpus_texts(corpus)
    images = corpus_images(corpus, limit)
    (out / "lines").mkdir(parents=True, exist_ok=True)
    report = HarvestReport()
    margin = predictor.settings.crop_margin
    with open(out / "lines.tsv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, LINE_COLUMNS, delimiter="\t")
        writer.writeheader()
        for start in tqdm(range(0, len(images), batch), disable=not progress, unit="batch"):
            paths = images[start:start + batch]
            pages = [read_rgb(p) for p in paths]
            found = predictor.locate(pages)
            jobs, _ = predictor.value_jobs(found.upright, found.checked)
            page_truth = [truth_boxes(corpus / "yolo" / "labels" / f"{p.stem}.txt", page.shape)
                          for p, page in zip(paths, pages, strict=True)]
            for i, name, det, crop, origin in jobs:
                source, kind = paths[i].name, f"{name}_value"
                truth = [box for label, box in page_truth[i] if label == kind]
                if (source, kind) not in texts or len(truth) != 1:
                    report.absent[name] += 1
                    continue
                grown = det.crop_box(found.upright[i].shape, margin)
                box = as_loaded(grown, found.level[i], found.turns[i], found.frames[i], pages[i].shape)
                if not covers(box, truth[0], slack):
                    report.cut[name] += 1
                    continue
                text, printed = texts[(source, kind)]
                path = f"lines/{paths[i].stem}_{name}.png"
                cv2.imwrite(str(out / path), as_grey(crop))
                writer.writerow({"path": path, "text": text, "printed": printed, "kind": kind,
                                 "source": source, "box_from": origin})
                report.kept[name] += 1
            report.pages += len(paths)
    (out / "harvest.json").write_text(json.dumps({"corpus": str(corpus), **report.to_dict()}, indent=1))
    log.info("harvested %s: %s", out, report.to_dict())
    return report


@hydra.main(version_base=None, config_path=CONF_DIR, config_name="harvest")
def main(cfg: DictConfig) -> None:
    log.info("config:\n%s", OmegaConf.to_yaml(cfg))
    harvest(build_predictor(cfg), cfg.corpus, cfg.out, limit=cfg.limit, batch=cfg.batch,
            slack=cfg.cover_slack, progress=cfg.progress)


if __name__ == "__main__":
    main()
