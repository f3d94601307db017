"""`nameh-train-detector`: train the YOLO field detector from scratch, offline, on CPU.

    nameh-train-detector                                    # conf/train_detector.yaml
    nameh-train-detector trainer.epochs=40 trainer.imgsz=960 detector.model=yolo26n.yaml
    nameh-train-detector trainer.resume=outputs/detector/RUN/train/weights/last.pt
    nameh-train-detector trainer.init_weights=detectors/weights/fields.pt trainer.epochs=20

The task generates (or reuses) a training corpus in the training fonts and a validation corpus
in the held-out fonts, cuts both to the region of interest, trains with every flip off, and
writes everything into its Hydra run folder; `weights/best.pt` there carries nameh's metadata
(class names, imgsz, roi_top, the data and command) so that loading never needs a list
elsewhere. Ship it with `nameh-ship-detector run=RUN`.
"""

from __future__ import annotations

import json
import logging
import shutil
import sys
import time
from pathlib import Path
from types import ModuleType

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig, OmegaConf

from detectors.dataset import build_split, write_data_yaml
from detectors.offline import load_ultralytics
from detectors.types import FIELD_CLASSES

log = logging.getLogger(__name__)
CONF_DIR = str(Path(__file__).resolve().parents[1] / "conf")


def _corpus(spec: DictConfig, corpus_factory) -> Path:
    """The corpus folder of a data spec, generated first if it does not exist."""
    path = Path(str(spec.path))
    if not (path / "yolo" / "images").is_dir():
        log.info("corpus %s missing: generating %d pages (fonts %s, seed %d)", path, spec.pages,
                 spec.fonts, spec.seed)
        corpus_factory(path, int(spec.pages), int(spec.seed), str(spec.fonts))
    return path


def generate_corpus(path: Path, pages: int, seed: int, fonts: str) -> None:
    """Default corpus factory: run the synthetic letter generator."""
    from data.synth.cli import generate_corpus as generate

    generate(path, pages, seed, f"synth/fonts={fonts}")


def start_from(ultralytics: ModuleType, model_name: str, init: Path):
    """A YOLO built from `model_name` that holds every weight of the checkpoint `init`, class
    head included, so that `train()` fine-tunes it rather than restarting part of it.

    `YOLO("yolo11n.yaml").load(init)` alone builds the YAML's 80 classes, whose final class
    convolutions do not fit the checkpoint's 8 and stay random; `train()` then rebuilds the model
    for the dataset's classes from that one, and every fine-tune before the seventh session began
    with its class head re-initialised ("Transferred 493/499 items"). Building the model with the
    checkpoint's class count first transfers all of it.

    Example:
        >>> shipped = Path("detectors/weights/fields.pt")
        >>> model = start_from(load_ultralytics(), "yolo11n.yaml", shipped)  # doctest: +SKIP
        >>> model.train(data="dataset/data.yaml", epochs=12)  # doctest: +SKIP

    Raises:
        FileNotFoundError: `init` is not a file (it is never fetched from a hub).
    """
    if not init.is_file():
        raise FileNotFoundError(f"trainer.init_weights not found: {init}")
    model = ultralytics.YOLO(model_name, task="detect").load(str(init))  # train() seeds from .model
    source, _ = ultralytics.nn.tasks.load_checkpoint(str(init))
    built = ultralytics.nn.tasks.DetectionModel(model.model.yaml, nc=len(source.names), verbose=False)
    built.load(source)
    built.names = dict(source.names)
    model.model = built
    return model


def train_detector(cfg: DictConfig, run_dir: Path, corpus_factory=generate_corpus) -> dict:
    """Train (or resume) the detector described by `cfg` inside `run_dir`; returns the summary."""
    t = cfg.trainer
    ultralytics = load_ultralytics(threads=int(t.threads))
    run_dir.mkdir(parents=True, exist_ok=True)
    if t.resume:
        model = ultralytics.YOLO(str(t.resume))
        model.train(resume=True)
        return _finish(cfg, run_dir, Path(model.trainer.save_dir))
    dataset = run_dir / "dataset"
    for split in ("train", "val"):
        corpus = _corpus(cfg.data[split], corpus_factory)
        n = build_split(corpus, dataset / split, float(cfg.detector.roi_top), int(t.imgsz),
                        cfg.data[split].get("limit"))
        log.info("%s: %d pages from %s", split, n, corpus)
    data_yaml = write_data_yaml(dataset)
    model_name = str(cfg.detector.model)
    if not model_name.endswith(".yaml"):  # a .pt name would make ultralytics download it
        raise ValueError(f"detector.model must be a model YAML (built from scratch), got {model_name}")
    if t.init_weights:  # continue from a detector trained here earlier (a local file, never a hub name)
        model = start_from(ultralytics, model_name, Path(str(t.init_weights)))
    else:
        model = ultralytics.YOLO(model_name, task="detect")
    args = OmegaConf.to_container(t.ultralytics, resolve=True)
    start = time.perf_counter()
    model.train(data=str(data_yaml), epochs=int(t.epochs), imgsz=int(t.imgsz), batch=int(t.batch),
                nbs=int(t.batch), workers=0, device="cpu", amp=False, plots=False,
                project=str(run_dir), name="train", exist_ok=True, seed=int(t.seed),
                fliplr=0.0, flipud=0.0, verbose=False, **args)
    log.info("training took %.0f s", time.perf_counter() - start)
    return _finish(cfg, run_dir, Path(model.trainer.save_dir))


def _lineage(init_weights) -> list[dict]:
    """The training runs a checkpoint descends from, oldest first."""
    if not init_weights:
        return []
    from detectors.predictor import read_metadata

    parent = read_metadata(Path(str(init_weights)))
    parent_config = parent.get("config", {})
    step = {"command": parent.get("command"), "epochs": parent_config.get("trainer", {}).get("epochs"),
            "data": parent_config.get("data")}
    return [*parent.get("lineage", []), step]


def _finish(cfg: DictConfig, run_dir: Path, save_dir: Path) -> dict:
    """Stamp nameh's metadata into best.pt and last.pt; summarise the run."""
    import torch

    meta = {
        "names": list(FIELD_CLASSES), "imgsz": int(cfg.trainer.imgsz),
        "roi_top": float(cfg.detector.roi_top), "model": str(cfg.detector.model),
        "config": OmegaConf.to_container(cfg, resolve=True),
        "command": " ".join(["nameh-train-detector", *sys.argv[1:]]),
        "init_weights": cfg.trainer.init_weights,
        "lineage": _lineage(cfg.trainer.init_weights),
    }
    for name in ("best.pt", "last.pt"):
        path = save_dir / "weights" / name
        if path.is_file():
            checkpoint = torch.load(path, map_location="cpu", weights_only=False)
            checkpoint["nameh"] = meta
            torch.save(checkpoint, path)
    summary = {"save_dir": str(save_dir), "best": str(save_dir / "weights" / "best.pt"), **{
        k: v for k, v in meta.items() if k != "config"}}
    results = save_dir / "results.csv"
    if results.is_file():
        shutil.copyfile(results, run_dir / "results.csv")
    (run_dir / "summary.json").write_text(json.dumps(summary, indent=1))
    return summary


@hydra.main(version_base="1.3", config_path=CONF_DIR, config_name="train_detector")
def main(cfg: DictConfig) -> None:
    summary = train_detector(cfg, Path(HydraConfig.get().runtime.output_dir))
    log.info("best weights: %s", summary["best"])


if __name__ == "__main__":
    main()
