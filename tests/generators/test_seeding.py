"""generators.seeding.Stream draws exactly what random.Random draws, call for call, state for state."""
from __future__ import annotations

import random
import warnings

import pytest

from generators.seeding import Stream, random_for

BOUNDS = [1, 2, 3, 7, 8, 9, 40, 60, 255, 256, 257, 300, 999, 10 ** 6, 2 ** 31, 10 ** 12, 10 ** 15, 2 ** 70 + 3]


def _calls(rng: random.Random, plan: random.Random) -> list:
    """A few thousand mixed draws whose kinds and bounds ``plan`` picks (the same for both streams)."""
    out = []
    for _ in range(3000):
        kind, n = plan.randrange(6), BOUNDS[plan.randrange(len(BOUNDS))]
        low = plan.choice((0, 1, -5, 10 ** 7))
        if kind == 0:
            out.append(rng.randrange(n))
        elif kind == 1:
            out.append(rng.randrange(low, low + n))
        elif kind == 2:
            out.append(rng.randint(low, low + n - 1))
        elif kind == 3:
            out.append(rng.choice(range(n)) if n < 10 ** 6 else rng.choice("abcdefg"))
        elif kind == 4:
            out.append(rng.choice(tuple(range(min(n, 50)))))
        else:
            out.append(rng.random())
    return out


@pytest.mark.parametrize("seed", ["7:bank.retail", "12345:bank.ids", "0:x"])
def test_stream_draws_what_random_draws(seed):
    plain, fast = random.Random(seed), Stream(seed)
    assert _calls(fast, random.Random(1)) == _calls(plain, random.Random(1))
    assert fast.getstate() == plain.getstate()


def test_random_for_is_a_seeded_stream():
    assert isinstance(random_for(7, "a"), Stream)
    assert random_for(7, "a").getstate() == random.Random("7:a").getstate()


def test_what_stream_does_not_speed_up_behaves_as_random():
    """Steps, non-int bounds, bools and empty ranges go to random.Random, errors and all."""
    plain, fast = random.Random(3), Stream(3)
    assert [fast.randrange(0, 100, 7) for _ in range(50)] == [plain.randrange(0, 100, 7) for _ in range(50)]
    assert [fast.randint(False, True) for _ in range(50)] == [plain.randint(False, True) for _ in range(50)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        for bad in (5.0, 2.5):
            outcomes = []
            for rng in (fast, plain):
                try:
                    outcomes.append(rng.randrange(bad))
                except (TypeError, ValueError) as exc:
                    outcomes.append(type(exc))
            assert outcomes[0] == outcomes[1]
    for call, error in ((lambda r: r.randrange(0), ValueError), (lambda r: r.randrange(5, 5), ValueError),
                        (lambda r: r.randint(3, 2), ValueError), (lambda r: r.choice([]), IndexError)):
        for rng in (fast, plain):
            with pytest.raises(error):
                call(rng)
    assert fast.getstate() == plain.getstate()
