"""Word lists for letter content, shipped as text files beside this module."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

_LISTS = (
    "subject_words", "organisations", "units", "provinces", "male_names", "female_names", "last_names",
    "positions", "body_sentences", "salutations", "closings",
)


def _read_list(name: str) -> tuple[str, ...]:
    text = resources.files("data.synth").joinpath("vocab", f"{name}.txt").read_text("utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip())


@dataclass(frozen=True)
class Vocabulary:
    """All word lists, loaded once per generator.

    Example:
        >>> vocab = Vocabulary.load()
        >>> "درخواست" in vocab.subject_words
        True
    """

    subject_words: tuple[str, ...]
    organisations: tuple[str, ...]
    units: tuple[str, ...]
    provinces: tuple[str, ...]
    male_names: tuple[str, ...]
    female_names: tuple[str, ...]
    last_names: tuple[str, ...]
    positions: tuple[str, ...]
    body_sentences: tuple[str, ...]
    salutations: tuple[str, ...]
    closings: tuple[str, ...]

    @classmethod
    def load(cls) -> Vocabulary:
        return cls(**{name: _read_list(name) for name in _LISTS})
