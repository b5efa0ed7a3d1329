"""Named random streams from one root seed.

Replication ``i`` of root seed ``s`` is ``SeedSequence(s, spawn_key=(i,))``, the
same child that ``SeedSequence(s).spawn(n)[i]`` gives. Inside a replication each
purpose draws from its own stream, keyed by a stable hash of its name (and, for
per-woman streams, her index), so adding a purpose never shifts another's numbers
and two scenarios run with the same seed share their random numbers.
"""

from __future__ import annotations

import hashlib

import numpy as np


def stable_key(name: str) -> int:
    """A 64-bit key for ``name`` that is the same on every machine and Python run."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "little")


class Streams:
    """The random streams of one replication, created on first use and then reused."""

    def __init__(self, seed: int, replication: int) -> None:
        self.seed = seed
        self.replication = replication
        self._entropy = np.random.SeedSequence(seed).entropy
        self._keys: dict[str, int] = {}
        self._cache: dict[tuple, np.random.Generator] = {}

    def get(self, name: str, *keys: int) -> np.random.Generator:
        """The generator for purpose ``name`` (optionally for one entity, by its index),
        seeded by ``SeedSequence(entropy, spawn_key=(replication, stable_key(name), *keys))``."""
        ident = (name, *keys)
        rng = self._cache.get(ident)
        if rng is None:
            spawn_key = (self.replication, self._key(name), *keys)
            sequence = np.random.SeedSequence(self._entropy, spawn_key=spawn_key)
            rng = np.random.Generator(np.random.PCG64(sequence))
            self._cache[ident] = rng
        return rng

    def _key(self, name: str) -> int:
        """``stable_key(name)``, hashed once per name (a replication has thousands of streams
        but a few dozen names)."""
        key = self._keys.get(name)
        if key is None:
            key = self._keys[name] = stable_key(name)
        return key


class Uniforms:
    """Uniform [0, 1) draws from one generator, taken a few at a time but drawn in blocks.

    A numpy call costs far more than the draw it makes, and a per-woman stream read a
    few numbers per contact makes tens of thousands of such calls a replication. A
    generator's doubles come in the same order however many are asked for at once
    (``random(5)`` twice gives ``random(10)``), so ``take(n)`` returns exactly what
    ``rng.random(n).tolist()`` would have: the numbers are unchanged as long as the
    stream is read only through this object.
    """

    __slots__ = ("_block", "_buffer", "_next", "_rng")

    def __init__(self, rng: np.random.Generator, block: int = 64) -> None:
        self._rng = rng
        self._block = block
        self._buffer: list[float] = []
        self._next = 0

    def take(self, n: int) -> list[float]:
        """The next ``n`` draws, as Python floats (cheaper to compare than numpy scalars)."""
        start = self._next
        if start + n > len(self._buffer):
            self._buffer = self._buffer[start:] + self._rng.random(max(self._block, n)).tolist()
            start = 0
        self._next = start + n
        return self._buffer[start : start + n]

    def one(self) -> float:
        """The next draw, as ``float(rng.random())`` would have given it."""
        if self._next == len(self._buffer):
            self._buffer = self._rng.random(self._block).tolist()
            self._next = 0
        draw = self._buffer[self._next]
        self._next += 1
        return draw
