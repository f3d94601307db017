"""The glyph classifier network: a ResNet of torchvision's family, slimmed for 40×80 crops.

torchvision's ResNet-18 has 11.2 M parameters (45 MB as fp32) for 224-px RGB photos. Glyph crops
are small and one-channel, so this keeps ResNet-18's layout (`BasicBlock`, [2, 2, 2, 2] blocks,
widths w, 2w, 4w, 8w) with a 3×3 stride-2 stem and no max-pool, at a configurable base width.

Example:
    >>> import torch
    >>> net = GlyphResNet(num_classes=19, width=16)
    >>> net(torch.zeros(2, 1, 40, 80)).shape
    torch.Size([2, 19])
"""

from __future__ import annotations

import torch
from torch import nn
from torchvision.models.resnet import BasicBlock


class GlyphResNet(nn.Module):
    """ResNet-18 layout at `width` base channels; input N×1×H×W ink maps, output logits."""

    def __init__(self, num_classes: int, width: int = 16, blocks: tuple[int, ...] = (2, 2, 2, 2)) -> None:
        super().__init__()
        self.stem = nn.Sequential(
            nn.Conv2d(1, width, 3, stride=2, padding=1, bias=False),
            nn.BatchNorm2d(width),
            nn.ReLU(inplace=True),
        )
        layers, channels = [], width
        for i, count in enumerate(blocks):
            out, stride = width * 2**i, 1 if i == 0 else 2
            for j in range(count):
                down = None
                if j == 0 and (stride != 1 or channels != out):
                    down = nn.Sequential(
                        nn.Conv2d(channels, out, 1, stride=stride, bias=False), nn.BatchNorm2d(out)
                    )
                layers.append(BasicBlock(channels, out, stride if j == 0 else 1, down))
                channels = out
        self.layers = nn.Sequential(*layers)
        self.head = nn.Sequential(
            nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.2), nn.Linear(channels, num_classes)
        )
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.layers(self.stem(x)))
