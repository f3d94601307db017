"""`TextReader`: value and subject crops in, `Reading`s (logical-order text + confidence) out.

Example:
    >>> reader = TextReader.load("recognizers/weights/reader.pt")  # doctest: +SKIP
    >>> reader([date_crop, title_crop], kinds=["date", "title"])        # doctest: +SKIP
    [Reading(text='1402/05/12', confidence=0.99, valid=True), Reading(text='درخواست ...', ...)]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import torch

from recognizers.charset import PERSIAN_LETTERS, Charset
from recognizers.checkpoint import CheckpointError, load_checkpoint
from recognizers.images import check_batch
from recognizers.reader.data import line_tensor, pad_batch
from recognizers.reader.decode import (
    DATE_SYMBOLS,
    ConstrainedDecoder,
    GreedyDecoder,
    Reading,
    is_date,
    is_letter_number,
)
from recognizers.reader.lexicon import Lexicon, LexiconCorrector
from recognizers.reader.model import CRNN
from recognizers.reader.onnx_reader import OnnxCRNN
from recognizers.stages import Timings, ready_model, run_stages

DECODERS = ("greedy", "constrained")
# Fields whose words the lexicon corrects: subjects and attachments (`۳ برگ`, `ندارد`) are words;
# numbers hold office codes and dates month names, which their own checks cover.
LEXICON_KINDS = ("title", "attachment")
NUMBER_SYMBOLS = "0123456789/-_" + PERSIAN_LETTERS


@dataclass
class TextReader:
    """The trained CRNN with its charset and decoders; build it with `TextReader.load(path)`."""

    model: CRNN | OnnxCRNN
    charset: Charset
    height: int
    max_width: int
    decoder: str = "constrained"
    batch: int = 32
    meta: dict = field(default_factory=dict)
    lexicon: LexiconCorrector | None = None
    times: Timings = field(default_factory=Timings)

    def __post_init__(self) -> None:
        if self.decoder not in DECODERS:
            raise ValueError(f"unknown decoder {self.decoder!r}; choose one of {DECODERS}")
        self.greedy = GreedyDecoder(self.charset)
        self.constrained = {
            "date": ConstrainedDecoder(self.charset, DATE_SYMBOLS, is_date),
            "number": ConstrainedDecoder(self.charset, NUMBER_SYMBOLS, is_letter_number),
        }

    @classmethod
    def load(
        cls,
        path: str | Path,
        alphabet: str | None = None,
        decoder: str = "constrained",
        batch: int = 32,
        threads: int | None = None,
        lexicon: str | Path | None = None,
        lexicon_margin: float = 6.0,
        lexicon_edits: int = 2,
        lexicon_spaces: bool = True,
        lexicon_counts: bool = True,
    ) -> TextReader:
        """Load a `reader` checkpoint (`.pt`) or its ONNX export (`.onnx`, run in ONNX Runtime);
        the alphabet and input height come from inside the file.

        Args:
            alphabet: when given (e.g. from a config), it must equal the checkpoint's.
            lexicon: a word list (`recognizers.reader.lexicon`) that subject and attachment readings are
                corrected against; None reads them as the network does.
            lexicon_margin, lexicon_edits, lexicon_spaces, lexicon_counts: see
                `LexiconCorrector` (`margin`, `max_edits`, `spaces`, `counts`).
        Raises:
            CheckpointError: not a reader checkpoint, or its alphabet differs from `alphabet`.
            LexiconError: `lexicon` names no readable word list.
        """
        if Path(path).suffix == ".onnx":  # an export made by recognizers.reader.onnx_reader
            model, ckpt = OnnxCRNN.load(path, threads)
        else:
            ckpt = load_checkpoint(path, "reader")
            model = ready_model(CRNN(**ckpt["model"]), ckpt["state_dict"], threads)
        meta = ckpt["meta"]
        if alphabet is not None and alphabet != meta["alphabet"]:
            extra = sorted(set(meta["alphabet"]) - set(alphabet))
            lacking = sorted(set(alphabet) - set(meta["alphabet"]))
            raise CheckpointError(
                f"{path}: its alphabet differs from the configured one (only in the checkpoint: "
                f"{extra}, only in the config: {lacking}, order differs: {not extra and not lacking})"
            )
        charset = Charset(alphabet=meta["alphabet"])
        corrector = (LexiconCorrector(charset, Lexicon.load(lexicon), lexicon_margin, lexicon_edits,
                                      spaces=lexicon_spaces, counts=lexicon_counts)
                     if lexicon is not None else None)
        return cls(model, charset, int(meta["height"]), int(meta["max_width"]), decoder, batch, meta,
                   corrector)

    def preprocess(self, crops: Sequence[np.ndarray]) -> list[np.ndarray]:
        """Checked crops -> ink maps at the model's height (raises ValueError on a bad crop)."""
        return [line_tensor(g, self.height, self.max_width) for g in check_batch(crops)]

    def inference(self, inputs: list[np.ndarray]) -> list[np.ndarray]:
        """Per crop, its T×C log-probabilities (batches of similar width)."""
        order = np.argsort([a.shape[1] for a in inputs], kind="stable")
        out: list[np.ndarray | None] = [None] * len(inputs)
        with torch.inference_mode():
            for start in range(0, len(order), self.batch):
                chunk = order[start : start + self.batch].tolist()
                x, widths = pad_batch([inputs[i] for i in chunk])
                if isinstance(self.model, OnnxCRNN):
                    logp, lengths = self.model(x.numpy(), widths.numpy())
                else:
                    logp, lengths = self.model(x, widths)
                    logp = logp.numpy()
                for j, i in enumerate(chunk):
                    out[i] = logp[: int(lengths[j]), j]
        return out  # type: ignore[return-value]

    def postprocess(self, logps: list[np.ndarray], kinds: Sequence[str | None]) -> list[Reading]:
        readings = []
        for logp, kind in zip(logps, kinds, strict=True):
            if self.decoder == "constrained" and kind in self.constrained:
                readings.append(self.constrained[kind](logp))
            elif self.lexicon is not None and kind in LEXICON_KINDS:
                reading = self.greedy(logp)
                text = self.lexicon.correct(reading.text, logp)
                if kind == "attachment":  # a count and a unit (`دو برگ`)
                    text = self.lexicon.counted(text, logp)
                readings.append(replace(reading, text=text))
            else:
                readings.append(self.greedy(logp))
        return readings

    def __call__(
        self, crops: Sequence[np.ndarray], kinds: Sequence[str | None] | None = None
    ) -> list[Reading]:
        """Read crops (grey or RGB uint8). `kinds` names each crop's field (`date`, `number`,
        `attachment`, `title` or None); dates and numbers get the constrained decoder."""
        kinds = list(kinds) if kinds is not None else [None] * len(crops)
        if len(kinds) != len(crops):
            raise ValueError(f"{len(crops)} crops but {len(kinds)} kinds")
        return run_stages(
            self.times,
            crops,
            self.preprocess,
            lambda inputs: self.inference(inputs) if inputs else [],
            lambda logps: self.postprocess(logps, kinds),
        )
