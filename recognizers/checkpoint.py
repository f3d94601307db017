"""Self-describing checkpoints for the readers: weights plus everything needed to use them.

A checkpoint is a plain dict (loadable with `torch.load(weights_only=True)`):
`format`, `kind` (`glyphs` or `reader`), `model` (the constructor's keyword arguments),
`state_dict`, `meta` (class names or alphabet, input size, training config, metrics, lineage).

Example:
    >>> import torch, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "m.pt")
    >>> save_checkpoint(path, "glyphs", {"width": 8}, torch.nn.Linear(2, 2).state_dict(), {"a": 1})
    >>> load_checkpoint(path, "glyphs")["meta"]
    {'a': 1}
"""

from __future__ import annotations

from pathlib import Path

FORMAT = "nameh-recognizer/1"


class CheckpointError(ValueError):
    """A checkpoint that is missing, of another kind, or inconsistent with what is asked."""


def save_checkpoint(path: str | Path, kind: str, model: dict, state_dict: dict, meta: dict) -> None:
    """Write a checkpoint atomically (a cut-off write never leaves a broken file behind)."""
    import torch

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    torch.save(
        {
            "format": FORMAT,
            "kind": kind,
            "model": dict(model),
            "state_dict": {k: v.detach().cpu() for k, v in state_dict.items()},
            "meta": dict(meta),
        },
        tmp,
    )
    tmp.replace(path)


def load_checkpoint(path: str | Path, kind: str) -> dict:
    """Read a checkpoint written by `save_checkpoint` and check it is of `kind`."""
    import torch

    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"no checkpoint at {path}")
    try:
        ckpt = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:  # torch raises many types for a damaged or foreign file
        raise CheckpointError(f"{path} is not a readable checkpoint: {error}") from error
    if not isinstance(ckpt, dict) or ckpt.get("format") != FORMAT:
        raise CheckpointError(f"{path} is not a nameh recognizer checkpoint ({FORMAT})")
    if ckpt.get("kind") != kind:
        raise CheckpointError(f"{path} holds a {ckpt.get('kind')!r} model, expected {kind!r}")
    return ckpt
