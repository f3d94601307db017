"""The shared epoch loop (recognizers.training.fit): moving average of the weights and resume."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from recognizers.training import TrainSettings, fit

STEPS = 4


def _batches(epoch: int):
    g = torch.Generator().manual_seed(epoch)
    return [(torch.randn(8, 3, generator=g), torch.randn(8, 1, generator=g)) for _ in range(STEPS)]


def _loss(net, batch):
    x, y = batch
    return nn.functional.mse_loss(net(x), y)


class Interrupted(Exception):
    pass


def _cut_after_first_epoch(epoch: int):
    if epoch > 0:
        raise Interrupted  # the session ends
    return _batches(epoch)


def _run(out, epochs, ema, record=None, batches=_batches):
    torch.manual_seed(0)
    model = nn.Linear(3, 1)
    saved = {}

    def save(path, net, metrics):
        saved[path.name] = {k: v.clone() for k, v in net.state_dict().items()}
        torch.save(saved[path.name], path)

    def evaluate(net):
        return {"score": -float(net.weight.abs().sum())}

    settings = TrainSettings(epochs=epochs, batch=8, lr=0.05, ema=ema)
    if record is not None:  # the raw weights after every optimiser step
        hook = model.register_forward_pre_hook(lambda m, a: record.append(m.weight.detach().clone())
                                               if m.training else None)
    fit(model, settings, out, batches, STEPS, _loss, evaluate, save)
    if record is not None:
        hook.remove()
    return model, saved


def test_ema_saves_the_moving_average_of_the_trained_weights(tmp_path):
    seen = []
    model, saved = _run(tmp_path / "ema", 1, 0.5, record=seen)
    # seen[i] is the weight before step i; the average takes the weights after each step
    after = [*seen[1:], model.weight.detach()]
    expected = after[0]
    for w in after[1:]:
        expected = 0.5 * expected + 0.5 * w
    assert torch.allclose(saved["last.pt"]["weight"], expected, atol=1e-6)
    assert not torch.allclose(saved["last.pt"]["weight"], model.weight.detach())


def test_without_ema_the_raw_weights_are_saved(tmp_path):
    model, saved = _run(tmp_path / "raw", 1, 0.0)
    assert torch.equal(saved["last.pt"]["weight"], model.weight.detach())


def test_an_ema_run_resumes_with_its_average(tmp_path):
    _, once = _run(tmp_path / "a", 2, 0.5)
    with pytest.raises(Interrupted):
        _run(tmp_path / "b", 2, 0.5, batches=_cut_after_first_epoch)
    _, resumed = _run(tmp_path / "b", 2, 0.5)  # continues after epoch 1
    assert torch.allclose(resumed["last.pt"]["weight"], once["last.pt"]["weight"], atol=1e-6)


def test_resuming_a_raw_run_with_ema_is_refused(tmp_path):
    with pytest.raises(Interrupted):
        _run(tmp_path, 2, 0.0, batches=_cut_after_first_epoch)
    with pytest.raises(ValueError, match="without ema"):
        _run(tmp_path, 2, 0.5)


def test_ema_outside_its_range_is_refused(tmp_path):
    with pytest.raises(ValueError, match=r"trainer\.ema"):
        _run(tmp_path, 1, 1.5)


@pytest.mark.parametrize("bf16", [False, True])
def test_bf16_runs_the_forward_pass_in_bfloat16_and_keeps_float32_weights(tmp_path, bf16):
    torch.manual_seed(0)
    model = nn.Linear(3, 1)
    seen = []

    def loss(net, batch):
        x, y = batch
        out = net(x)
        seen.append(out.dtype)
        return nn.functional.mse_loss(out.float(), y)

    settings = TrainSettings(epochs=1, batch=8, lr=0.05, bf16=bf16)
    before = model.weight.detach().clone()
    fit(model, settings, tmp_path, _batches, STEPS, loss, lambda net: {"score": 0.0}, lambda *a: None)
    assert set(seen) == {torch.bfloat16 if bf16 else torch.float32}
    assert model.weight.dtype == torch.float32 and not torch.equal(model.weight.detach(), before)
