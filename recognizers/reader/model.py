"""The CRNN: a convolutional feature extractor, a BiLSTM over the columns, CTC classes per column.

Input N×1×H×W ink maps of any width W (padded to the batch's widest); output T×N×C log-probs with
T = W // 4 (one step per 4 pixel columns) plus each sample's valid length.

Example:
    >>> import torch
    >>> net = CRNN(num_classes=60, height=40)
    >>> logp, lengths = net(torch.zeros(2, 1, 40, 160), torch.tensor([160, 100]))
    >>> tuple(logp.shape), lengths.tolist()
    ((40, 2, 60), [40, 25])
"""

from __future__ import annotations

import torch
from torch import nn


def _conv(cin: int, cout: int) -> list[nn.Module]:
    return [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True)]


class CRNN(nn.Module):
    """Conv stack (width w: w, 2w, 4w, 4w, 8w, 8w channels) -> BiLSTM (hidden, layers) -> classes."""

    STRIDE = 4  # pixel columns per output step

    def __init__(
        self,
        num_classes: int,
        height: int = 40,
        width: int = 32,
        hidden: int = 128,
        layers: int = 2,
        dropout: float = 0.2,
    ) -> None:
        super().__init__()
        if height % 8:
            raise ValueError(f"height must be a multiple of 8, got {height}")
        w = width
        self.cnn = nn.Sequential(
            *_conv(1, w),
            nn.MaxPool2d(2, 2),  # H/2, W/2
            *_conv(w, 2 * w),
            nn.MaxPool2d(2, 2),  # H/4, W/4
            *_conv(2 * w, 4 * w),
            *_conv(4 * w, 4 * w),
            nn.MaxPool2d((2, 1), (2, 1)),  # H/8
            *_conv(4 * w, 8 * w),
            *_conv(8 * w, 8 * w),
            nn.Dropout2d(dropout / 2),
        )
        features = 8 * w * (height // 8)
        self.project = nn.Sequential(
            nn.Linear(features, 2 * hidden), nn.ReLU(inplace=True), nn.Dropout(dropout)
        )
        self.rnn = nn.LSTM(
            2 * hidden, hidden, num_layers=layers, bidirectional=True, dropout=dropout if layers > 1 else 0.0
        )
        self.classify = nn.Linear(2 * hidden, num_classes)

    @classmethod
    def output_lengths(cls, widths: torch.Tensor, steps: int) -> torch.Tensor:
        """Each sample's valid output steps for input `widths` when the batch gives `steps`."""
        return torch.clamp(widths // cls.STRIDE, min=1, max=steps)

    def columns(self, x: torch.Tensor) -> torch.Tensor:
        """N×1×H×W maps -> T×N×(2·hidden) column features, the LSTM's input."""
        f = self.cnn(x)  # N×C×h×T
        n, c, h, t = f.shape
        return self.project(f.permute(3, 0, 1, 2).reshape(t, n, c * h))  # T×N×(C·h) projected

    def classes(self, out: torch.Tensor) -> torch.Tensor:
        """LSTM outputs -> log-probabilities over the classes."""
        return torch.log_softmax(self.classify(out), dim=2)

    def forward(self, x: torch.Tensor, widths: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        f = self.columns(x)
        t = f.shape[0]
        lengths = self.output_lengths(widths, t)
        packed = nn.utils.rnn.pack_padded_sequence(f, lengths.cpu(), enforce_sorted=False)
        out, _ = self.rnn(packed)
        out, _ = nn.utils.rnn.pad_packed_sequence(out, total_length=t)
        return self.classes(out), lengths
