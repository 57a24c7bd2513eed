"""Deterministic seeding: one stable seed per customer, one named random stream per concern.

Everything random in the generators (and in the mess injector) starts here, so
the same customer id always produces the same bytes. Streams are keyed by name,
so adding draws to one source never shifts the numbers another source sees.
"""
from __future__ import annotations

import hashlib
import random

import numpy as np


def stable_seed(customer_id: str) -> int:
    """Return a 64-bit seed from SHA-256 of the customer id.

    Python's ``hash()`` is salted per process, so it must never seed anything
    that is expected to be reproducible.
    """
    return int.from_bytes(hashlib.sha256(customer_id.encode("utf-8")).digest()[:8], "big")


def stream_key(name: str) -> int:
    """Return a stable 32-bit integer for a stream name (used as the second seed word)."""
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:4], "big")


def rng_for(seed: int, stream: str) -> np.random.Generator:
    """Return a numpy Generator for one named stream of one customer.

    Use it for bulk draws (arrays of amounts, times); the pair (seed, stream)
    fully determines the sequence.
    """
    return np.random.default_rng([seed, stream_key(stream)])


def random_for(seed: int, stream: str) -> random.Random:
    """Return a ``random.Random`` for one named stream of one customer.

    Scalar draws in Python loops are several times faster here than on numpy;
    a string seed is hashed with SHA-512 by ``random``, so it is stable across
    processes and platforms.
    """
    return random.Random(f"{seed}:{stream}")
