"""Generators run with Python's cycle collector paused.

Generating a busy customer makes a few hundred thousand dicts, lists, tuples and strings and no reference
cycles that outlive it, so every pass of the collector over them, and over everything else the process
holds (in a full pipeline run, the modules of pandas and scikit-learn), is pure overhead: about a fifth of
the generate step in such a process (measured: 0.54 s against 0.41 s). Whatever cyclic garbage there is
goes at the collector's next pass, once the generator has returned.
"""
from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def without_cycle_collection(function: Callable[P, R]) -> Callable[P, R]:
    """``function`` run with the cycle collector paused, unless something up the stack paused it already."""
    @functools.wraps(function)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        if not gc.isenabled():
            return function(*args, **kwargs)
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            gc.enable()
    return paused
