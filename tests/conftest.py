"""Shared fixtures: small corpora generated once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest
from hydra import compose, initialize_config_dir

CONF_DIR = str(Path(__file__).resolve().parents[1] / "conf")


def synth_cfg(*overrides: str):
    """Compose conf/synth.yaml with overrides, as `nameh-synth` would."""
    with initialize_config_dir(config_dir=CONF_DIR, version_base="1.3"):
        return compose(config_name="synth", overrides=list(overrides))


@pytest.fixture(scope="session")
def small_corpus(tmp_path_factory) -> Path:
    """16 fully degraded pages with the training fonts (default configuration)."""
    from data.synth.cli import generate

    out = tmp_path_factory.mktemp("corpus")
    generate(synth_cfg(f"out={out}", "pages=16", "seed=7", "workers=2"))
    return out


# Geometry of a real scan (resolution, rotation, perspective) with no photometric damage, and a
# header without dotted leaders, frames or a nearby document ID, so ink can be checked exactly.
GEOMETRY_ONLY = [
    "synth.degrade.blur_p=0", "synth.degrade.noise_p=0", "synth.degrade.fade_p=0",
    "synth.degrade.toner_p=0", "synth.degrade.fax_p=0", "synth.degrade.lighting_p=0",
    "synth.degrade.stain_p=0", "synth.degrade.punch_p=0", "synth.degrade.png_p=1",
    "synth.degrade.rotation_sigma=1.5",
    "synth.layout.national_id_p=0",
    "synth.layout.header_styles={inline:1.0,slots:1.0}",
]


@pytest.fixture(scope="session")
def geometry_corpus(tmp_path_factory) -> Path:
    from data.synth.cli import generate

    out = tmp_path_factory.mktemp("geometry")
    generate(synth_cfg(f"out={out}", "pages=8", "seed=3", "workers=2", *GEOMETRY_ONLY))
    return out
