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
        self._cache: dict[tuple, np.random.Generator] = {}

    def get(self, name: str, *keys: int) -> np.random.Generator:
        """The generator for purpose ``name`` (optionally for one entity, by its index)."""
        ident = (name, *keys)
        rng = self._cache.get(ident)
        if rng is None:
            spawn_key = (self.replication, stable_key(name), *keys)
            sequence = np.random.SeedSequence(self._entropy, spawn_key=spawn_key)
            rng = np.random.Generator(np.random.PCG64(sequence))
            self._cache[ident] = rng
        return rng
