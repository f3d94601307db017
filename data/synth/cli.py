"""`nameh-synth`: the Hydra entry point of the corpus generator.

    nameh-synth out=data/generated/train pages=1000 seed=1
    nameh-synth out=data/generated/heldout pages=200 seed=2 synth/fonts=heldout
    nameh-synth out=/tmp/clean pages=4 synth.degrade.clean=true

The task function `generate(cfg)` is separate from `main` so tests and other tasks (the
detector's and the readers' training) can call it with a composed config.
"""

from __future__ import annotations

import logging
from dataclasses import fields
from pathlib import Path

import hydra
from omegaconf import DictConfig, OmegaConf

from data.synth.content import ContentConfig
from data.synth.corpus import CorpusConfig, CorpusGenerator, CropConfig
from data.synth.degrade import DegradeConfig
from data.synth.layout import LayoutConfig

log = logging.getLogger(__name__)
CONF_DIR = str(Path(__file__).resolve().parents[2] / "conf")  # the repository's conf/


def _build(cls, node: DictConfig):
    """A config dataclass from a config node; unknown keys are an error naming them."""
    values = OmegaConf.to_container(node, resolve=True)
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ValueError(f"unknown {cls.__name__} keys: {unknown}; known: {sorted(known)}")
    return cls(**{k: tuple(v) if isinstance(v, list) and k not in ("fonts", "font_dirs") else v
                  for k, v in values.items()})


def corpus_config(cfg: DictConfig) -> CorpusConfig:
    """Translate a composed `conf/synth.yaml` into a `CorpusConfig`."""
    synth = cfg.synth
    return CorpusConfig(
        pages=int(cfg.pages), seed=int(cfg.seed), workers=int(cfg.workers), prefix=str(cfg.prefix),
        fonts=list(synth.fonts.names), font_dirs=list(synth.fonts.dirs),
        font_fallback=synth.fonts.get("fallback"),
        layout=_build(LayoutConfig, synth.layout), content=_build(ContentConfig, synth.content),
        degrade=_build(DegradeConfig, synth.degrade), crops=_build(CropConfig, synth.crops),
    )


def generate(cfg: DictConfig) -> dict[str, object]:
    """Generate the corpus described by `cfg` into `cfg.out`; returns the manifest."""
    if int(cfg.pages) < 1:
        raise ValueError(f"pages must be at least 1, got {cfg.pages}")
    out = Path(str(cfg.out))
    config = corpus_config(cfg)
    log.info("generating %d pages (seed %d, %d fonts) into %s", config.pages, config.seed,
             len(config.fonts), out)
    manifest = CorpusGenerator(config).write(out)
    log.info("%d pages in %.1f s (%.2f pages/s); %d line crops, %d glyph crops; fields %s",
             manifest["pages"], manifest["seconds"], manifest["pages_per_second"],
             manifest["line_crops"], sum(manifest["glyph_crops"].values()),
             manifest["field_boxes"])
    return manifest


def generate_corpus(out: str | Path, pages: int, seed: int, *overrides: str) -> dict[str, object]:
    """`generate` with `conf/synth.yaml` composed from Python, for tasks and benchmarks.

    Example:
        >>> generate_corpus("/tmp/c", 200, 4, "synth/fonts=heldout",
        ...                 "synth.degrade.dpi=[200,200]")   # doctest: +SKIP
    """
    from hydra import compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    overrides = (f"out={out}", f"pages={pages}", f"seed={seed}", *overrides)
    if GlobalHydra.instance().is_initialized():  # called from a nameh task (its corpus missing):
        cfg = compose(config_name="synth", overrides=list(overrides))  # same conf/, same Hydra
    else:
        with initialize_config_dir(config_dir=CONF_DIR, version_base="1.3"):
            cfg = compose(config_name="synth", overrides=list(overrides))
    return generate(cfg)


@hydra.main(version_base="1.3", config_path=CONF_DIR, config_name="synth")
def main(cfg: DictConfig) -> None:
    generate(cfg)


if __name__ == "__main__":
    main()
