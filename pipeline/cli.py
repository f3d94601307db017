"""`nameh input_dir=PATH [output_dir=PATH] [overrides…]`: the command line of the pipeline.

Exit codes: 0 done (error rows included), 2 the input folder is missing or holds no scans.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import hydra
from omegaconf import DictConfig

from pipeline.io import InputDirError
from pipeline.run import run

log = logging.getLogger("nameh")
CONF_DIR = str(Path(__file__).resolve().parents[1] / "conf")


@hydra.main(version_base=None, config_path=CONF_DIR, config_name="nameh")
def main(cfg: DictConfig) -> None:
    try:
        run(cfg)
    except InputDirError as error:
        log.error("%s", error)
        sys.exit(2)


if __name__ == "__main__":
    main()
