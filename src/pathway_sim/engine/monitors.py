"""Statistics collectors: time-weighted levels and tallies of observations.

Both can be reset (the warm-up) and a level is closed at the end of the run so
the last interval counts.
"""

from __future__ import annotations

import numpy as np


class Level:
    """A quantity that holds between changes (staff busy, contacts waiting).

    Its mean is the time-weighted average since the last reset.
    """

    __slots__ = ("_area", "_since", "_start", "value")

    def __init__(self, value: float = 0.0, now: float = 0.0) -> None:
        self.value = value
        self._since = now
        self._area = 0.0
        self._start = now

    def change(self, now: float, delta: float) -> None:
        self._area += self.value * (now - self._since)
        self._since = now
        self.value += delta

    def reset(self, now: float) -> None:
        """Forget the history; keep the current value."""
        self._area = 0.0
        self._since = now
        self._start = now

    def area(self, now: float) -> float:
        """The integral of the level from the last reset to ``now`` (closing the open interval)."""
        return self._area + self.value * (now - self._since)

    def mean(self, now: float) -> float:
        span = now - self._start
        return self.area(now) / span if span > 0 else float("nan")


class Tally:
    """Observations such as waits, each counted once."""

    __slots__ = ("values",)

    def __init__(self) -> None:
        self.values: list[float] = []

    def record(self, value: float) -> None:
        self.values.append(value)

    def reset(self) -> None:
        self.values.clear()

    def __len__(self) -> int:
        return len(self.values)

    def mean(self) -> float:
        return float(np.mean(self.values)) if self.values else float("nan")

    def quantile(self, q: float) -> float:
        return float(np.quantile(self.values, q)) if self.values else float("nan")
