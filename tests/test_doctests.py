"""Every docstring example in the packages runs and shows what it says."""

import doctest
import importlib
import pkgutil

import pytest

PACKAGES = ("pipeline", "recognizers", "detectors", "data.synth", "benchmarks")


def _modules():
    for name in PACKAGES:
        package = importlib.import_module(name)
        yield name
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{name}."):
            yield info.name


@pytest.mark.parametrize("module", sorted(set(_modules())))
def test_docstring_examples(module):
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {module} failed"
