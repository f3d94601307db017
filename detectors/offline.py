"""Run ultralytics with no network at all.

ultralytics, left alone, fetches `Arial.ttf` when it checks a dataset (even with plots off),
checks PyPI for updates, sends usage events, and downloads any `*.pt` it is named but cannot find.
`load_ultralytics()` is the only door to it in nameh, and closes each of those before import:

- `YOLO_OFFLINE=1`: `is_online()` answers False, so nothing is checked or downloaded;
- `YOLO_AUTOINSTALL=False`: missing requirements are reported, never pip-installed;
- `YOLO_CONFIG_DIR`: settings and fonts live in nameh's own cache folder, where a local DejaVu
  font is copied in as `Arial.ttf` and `Arial.Unicode.ttf`, so `check_font` finds them first;
- settings `sync=False`: no usage events;
- threads: ultralytics sets torch to `cpu_count - 1` threads (one here) and `OMP_NUM_THREADS=1`;
  nameh sets both to `threads` (2 here was 1.7–2x faster);
- the training task builds models from `*.yaml` names and passes `amp=False` (the AMP check
  downloads weights); the predictor refuses a weights path that does not exist.

Example:
    >>> ultralytics = load_ultralytics()
    >>> ultralytics.utils.SETTINGS["sync"]
    False
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

log = logging.getLogger(__name__)

ULTRALYTICS_LOGGER = "ultralytics"  # ultralytics.utils.LOGGING_NAME
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
)


def default_config_dir() -> Path:
    """nameh's ultralytics folder: $NAMEH_CACHE or ~/.cache/nameh, then `ultralytics/`."""
    root = Path(os.environ.get("NAMEH_CACHE", Path.home() / ".cache" / "nameh"))
    return root / "ultralytics"


def _install_fonts(folder: Path) -> None:
    font = next((Path(p) for p in FONT_CANDIDATES if Path(p).is_file()), None)
    if font is None:
        raise FileNotFoundError(
            f"no DejaVu font found ({', '.join(FONT_CANDIDATES)}); install fonts-dejavu-core "
            "(make setup) so ultralytics does not try to download Arial"
        )
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("Arial.ttf", "Arial.Unicode.ttf"):
        target = folder / name
        if not target.exists():
            shutil.copyfile(font, target)


def _unpatch_pil_open() -> None:
    """Give PIL back its own `Image.open`.

    ultralytics replaces `PIL.Image.open` process-wide with a wrapper that, on any file PIL cannot
    identify, tries to pip-install `pi-heif` (network) and then fails with ModuleNotFoundError
    instead of PIL's UnidentifiedImageError; nameh reads scans itself and needs neither.
    """
    from PIL import Image
    from ultralytics.utils import patches

    original = getattr(patches, "_image_open", None)
    if original is not None and Image.open is getattr(patches, "image_open", None):
        Image.open = original


class _Held(logging.Filter):
    """Keeps the records ultralytics logs while it is imported instead of letting them out."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def filter(self, record: logging.LogRecord) -> bool:
        self.records.append(record)
        return False


@contextmanager
def _held_import_messages() -> Iterator[None]:
    """On its first import on a machine ultralytics prints, to stdout, that it created its settings
    file and where to read about it online; nameh's output (and a doctest's) stays clean, and the
    messages go to nameh's log at debug level. Its own logger keeps this filter across its set-up
    (`set_logging` replaces handlers and the level only)."""
    logger, held = logging.getLogger(ULTRALYTICS_LOGGER), _Held()
    logger.addFilter(held)
    try:
        yield
    finally:
        logger.removeFilter(held)
        for record in held.records:
            log.debug("ultralytics on import: %s", record.getMessage())


def load_ultralytics(config_dir: Path | None = None, threads: int = 2) -> ModuleType:
    """Import ultralytics configured to stay offline; returns the module."""
    config_dir = Path(config_dir) if config_dir else default_config_dir()
    os.environ["YOLO_OFFLINE"] = "1"
    os.environ["YOLO_AUTOINSTALL"] = "False"
    os.environ.setdefault("YOLO_CONFIG_DIR", str(config_dir))
    os.environ.setdefault("OMP_NUM_THREADS", str(threads))
    _install_fonts(config_dir)
    import torch

    with _held_import_messages():
        import ultralytics
        from ultralytics.utils import SETTINGS, USER_CONFIG_DIR, torch_utils

    if Path(USER_CONFIG_DIR) != config_dir:  # imported earlier with another folder: serve it too
        _install_fonts(Path(USER_CONFIG_DIR))
    if SETTINGS.get("sync", True):
        SETTINGS.update({"sync": False})
    torch_utils.NUM_THREADS = threads  # read by select_device() at every trainer/predictor start
    torch.set_num_threads(threads)
    _unpatch_pil_open()
    log.debug("ultralytics offline, config dir %s, %d threads", USER_CONFIG_DIR, threads)
    return ultralytics
