"""What both reader predictors share: timed preprocess → inference → postprocess, model loading.

Example:
    >>> times = Timings()
    >>> run_stages(times, [1, 2], lambda x: x, lambda x: x, lambda x: [v * 2 for v in x])
    [2, 4]
    >>> times.crops
    2
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass

import torch


@dataclass
class Timings:
    """Seconds spent per stage since the predictor was made, and crops seen."""

    preprocess: float = 0.0
    inference: float = 0.0
    postprocess: float = 0.0
    crops: int = 0


def run_stages(
    times: Timings, crops, preprocess: Callable, inference: Callable, postprocess: Callable
) -> list:
    """Run the three stages on `crops`, adding each one's time to `times`."""
    t0 = time.perf_counter()
    inputs = preprocess(crops)
    t1 = time.perf_counter()
    raw = inference(inputs)
    t2 = time.perf_counter()
    results = postprocess(raw)
    times.preprocess += t1 - t0
    times.inference += t2 - t1
    times.postprocess += time.perf_counter() - t2
    times.crops += len(results)
    return results


# oneDNN (torch's CPU convolutions) keeps a compiled primitive per input shape, 1,024 of them by
# default. Crops come in every width, so that cache grew a reading process by 0.9 GB over 2,400
# crops here; 64 entries held it at 1.0 GB with the same speed (measured with one process reading
# 2,400 value crops). Read by oneDNN when it makes its first primitive, so set before any
# convolution runs; a value already in the environment wins.
ONEDNN_CACHE_ENV = "ONEDNN_PRIMITIVE_CACHE_CAPACITY"
ONEDNN_CACHE_CAPACITY = 64


def limit_onednn_cache() -> None:
    """Cap oneDNN's per-shape primitive cache (see ONEDNN_CACHE_CAPACITY) unless the user set it."""
    os.environ.setdefault(ONEDNN_CACHE_ENV, str(ONEDNN_CACHE_CAPACITY))


def ready_model(model: torch.nn.Module, state_dict: dict, threads: int | None) -> torch.nn.Module:
    """Load weights, switch to eval mode, set torch's thread count when given, and cap oneDNN's
    shape cache (`limit_onednn_cache`)."""
    limit_onednn_cache()
    model.load_state_dict(state_dict)
    model.eval()
    if threads:
        torch.set_num_threads(threads)
    return model
