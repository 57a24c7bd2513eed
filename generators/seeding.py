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


class Stream(random.Random):
    """``random.Random`` with the integer draws the generators make by the ten thousand, in one call each.

    ``randrange``, ``randint`` and ``choice`` of ``random.Random`` go through two or three Python calls to
    ``_randbelow``, which draws ``getrandbits(n.bit_length())`` until the result is below ``n``. These do
    exactly that inline for plain ``int`` arguments, so every value and the state afterwards are the same
    (a test holds them to it); anything else (a step, a float, an empty range) is handed to ``random.Random``.
    """

    def randrange(self, start, stop=None, step=1):
        """As :meth:`random.Random.randrange`, the same draws, faster for ``int`` bounds without a step."""
        if stop is None:
            low, n = 0, start
        else:
            low, n = start, stop - start
        if start.__class__ is not int or stop.__class__ not in (int, type(None)) or step != 1 or n <= 0:
            return super().randrange(start, stop, step)
        getrandbits, k = self.getrandbits, n.bit_length()
        r = getrandbits(k)
        while r >= n:
            r = getrandbits(k)
        return low + r

    def randint(self, a, b):
        """As :meth:`random.Random.randint`, the same draws, faster for ``int`` bounds."""
        if a.__class__ is not int or b.__class__ is not int or b < a:
            return super().randint(a, b)
        n = b - a + 1
        getrandbits, k = self.getrandbits, n.bit_length()
        r = getrandbits(k)
        while r >= n:
            r = getrandbits(k)
        return a + r

    def choice(self, seq):
        """As :meth:`random.Random.choice`, the same draws, one call fewer."""
        n = len(seq)
        if not n:
            raise IndexError("Cannot choose from an empty sequence")
        getrandbits, k = self.getrandbits, n.bit_length()
        r = getrandbits(k)
        while r >= n:
            r = getrandbits(k)
        return seq[r]


def random_for(seed: int, stream: str) -> Stream:
    """Return a :class:`Stream` (a ``random.Random``) for one named stream of one customer.

    Scalar draws in Python loops are several times faster here than on numpy;
    a string seed is hashed with SHA-512 by ``random``, so it is stable across
    processes and platforms.
    """
    return Stream(f"{seed}:{stream}")
