"""Parameters worked out from others: recomputed in every draw, never drawn themselves.

A register row whose distribution is ``computed`` is a function of other rows of its
group (its ``note`` says which, in words). Drawing it independently would break the
relation its default was built on, so each draw recomputes it from the drawn values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Computation:
    """A value computed from ``sources`` (register names) by ``rule``, elementwise (the
    values may be numbers or arrays of draws)."""

    sources: tuple[str, ...]
    rule: Callable[..., Any]
    words: str

    def __call__(self, values: Mapping[str, Any]) -> Any:
        return self.rule(*(values[s] for s in self.sources))


def _midpoint(a: Any, b: Any) -> Any:
    return (a + b) / 2


COMPUTATIONS: dict[str, Computation] = {
    "harms.overdose_per_100k_days_early_postpartum": Computation(
        (
            "harms.overdose_per_100k_days_pregnant",
            "harms.overdose_per_100k_days_late_postpartum",
        ),
        _midpoint,
        "the midpoint of the third-trimester and 7-12 month rates (Schiff et al. 2018)",
    ),
}
"""Every computed register row and how it is worked out."""
