"""Every config composes, and the YAML defaults are the dataclasses' defaults."""

from dataclasses import asdict
from pathlib import Path

import pytest
from omegaconf import OmegaConf

from data.synth.cli import corpus_config
from data.synth.content import ContentConfig
from data.synth.corpus import CropConfig
from data.synth.degrade import DegradeConfig
from data.synth.layout import LayoutConfig
from tests.conftest import CONF_DIR, synth_cfg

FONT_SETS = sorted(p.stem for p in (Path(CONF_DIR) / "synth" / "fonts").glob("*.yaml"))
LAYOUTS = sorted(p.stem for p in (Path(CONF_DIR) / "synth" / "layout").glob("*.yaml"))


@pytest.mark.parametrize("fonts", FONT_SETS)
def test_every_font_set_composes_and_loads(fonts):
    from data.synth.fonts import FontLibrary

    cfg = synth_cfg(f"synth/fonts={fonts}", "out=/tmp/unused")
    config = corpus_config(cfg)
    library = FontLibrary.find(config.fonts, config.font_dirs, config.font_fallback)
    assert len(library.faces) == len(config.fonts) >= 4


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_composes(layout):
    config = corpus_config(synth_cfg(f"synth/layout={layout}", "out=/tmp/unused"))
    assert config.layout.label_words["date"] and config.layout.width > 0


def test_the_varied_layout_differs_from_the_default_only_where_it_says():
    default = asdict(corpus_config(synth_cfg("out=/tmp/unused")).layout)
    varied = asdict(corpus_config(synth_cfg("synth/layout=varied", "out=/tmp/unused")).layout)
    changed = {k for k in default if default[k] != varied[k]}
    assert changed == {"label_words", "title_clearance"}
    assert set(varied["label_words"]["date"]) == {"تاریخ", "مورخ", "مورخه"}


def test_train_and_heldout_fonts_do_not_overlap():
    train = set(synth_cfg("synth/fonts=train").synth.fonts.names)
    heldout = set(synth_cfg("synth/fonts=heldout").synth.fonts.names)
    assert train and heldout and not train & heldout


@pytest.mark.parametrize(("group", "cls"), [("layout", LayoutConfig), ("content", ContentConfig),
                                            ("degrade", DegradeConfig), ("crops", CropConfig)])
def test_yaml_defaults_match_dataclass_defaults(group, cls):
    yaml = OmegaConf.to_container(synth_cfg().synth[group])
    code = {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(cls()).items()}
    assert yaml == code


def test_unknown_keys_are_refused():
    with pytest.raises(ValueError, match="unknown LayoutConfig keys"):
        corpus_config(synth_cfg("+synth.layout.colour=red", "out=/tmp/unused"))


def test_the_pipeline_config_and_its_settings_agree():
    """`conf/nameh.yaml` and `PipelineSettings` give the same defaults, and the detector card's
    ink-inside measure uses the crop margin the pipeline reads with."""
    from hydra import compose, initialize_config_dir

    from detectors.evaluate import CROP_MARGIN
    from pipeline.predictor import PipelineSettings

    with initialize_config_dir(config_dir=CONF_DIR, version_base="1.3"):
        cfg = compose(config_name="nameh", overrides=["input_dir=/tmp/unused"])
    code = asdict(PipelineSettings())
    shared = ["fusion", "crop_margin", "orient", "extend", "reach_label", "beside_label",
              "beside_min_confidence", "beside_confirm", "lone_min_confidence", "check_labels",
              "label_min_confidence", "second_choice", "retry_imgsz", "fill_fields"]
    yaml = OmegaConf.to_container(cfg)
    assert {k: list(v) if isinstance(v, tuple) else v for k, v in code.items() if k in shared} == {
        k: yaml[k] for k in shared}
    assert not any(yaml["reread"].values()) and not code["reread"]
    assert CROP_MARGIN == cfg.crop_margin


def test_lone_values_take_one_floor_or_one_per_field_from_the_command_line():
    """`lone_min_confidence=0` (the ablation) sets every field's floor; the config's own is per field."""
    from hydra import compose, initialize_config_dir

    from pipeline.run import lone_floors

    with initialize_config_dir(config_dir=CONF_DIR, version_base="1.3"):
        one = compose(config_name="nameh", overrides=["input_dir=/tmp/unused", "lone_min_confidence=0"])
        own = compose(config_name="nameh", overrides=["input_dir=/tmp/unused"])
    fields = ("number", "date", "attachment", "title")
    assert lone_floors(one.lone_min_confidence) == dict.fromkeys(fields, 0.0)
    assert lone_floors(own.lone_min_confidence)["title"] == 0.65


TASK_CONFIGS = sorted(p.stem for p in Path(CONF_DIR).glob("*.yaml"))
REQUIRED = {"nameh": ["input_dir=/tmp/unused"], "contact_sheets": ["corpus=/tmp/unused"],
            "harvest": ["corpus=/tmp/unused", "out=/tmp/unused"]}


@pytest.mark.parametrize("name", TASK_CONFIGS)
def test_every_task_config_composes(name):
    """Each command's config composes, and with its required values given none is left
    missing (`harvest` is the pipeline's config plus its own keys)."""
    from hydra import compose, initialize_config_dir

    with initialize_config_dir(config_dir=CONF_DIR, version_base="1.3"):
        cfg = compose(config_name=name, overrides=REQUIRED.get(name, []))
    assert cfg and not [key for key in cfg if OmegaConf.is_missing(cfg, key)]
    if name == "harvest":
        assert cfg.input_dir == "/tmp/unused/yolo/images" and cfg.fusion == "fused"
