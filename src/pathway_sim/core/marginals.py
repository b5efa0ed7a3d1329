"""How an uncertain input is drawn: a named distribution over a register row's range.

Probabilistic sensitivity analysis draws each uncertain parameter from one of these,
built from three numbers the register already holds: ``low``, ``high`` and the
base value (``mode``). What ``low``-``high`` means depends on the distribution:

- ``pert``: Beta-PERT with the base value as mode and shape weight 4 (Malcolm et al.
  1959; Vose 2008): every draw lies within ``low``-``high``, which are bounds. The
  default for a bounded judgement.
- ``uniform``: every value in the bounds equally likely (the base value is not favoured).
- ``lognormal``: median the base value, log-scale sd ``ln(high / low) / (2 x 1.96)``:
  ``low``-``high`` is a published 95% confidence interval of a ratio, so 5% of draws
  fall outside it.
- ``beta``: mean the base value, sd ``(high - low) / (2 x 1.96)`` (method of moments,
  Briggs, Claxton and Sculpher 2006): a 95% interval of a probability.

scipy is imported only when a distribution is built, so that validating the register
stays light.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    from scipy.stats._distn_infrastructure import rv_continuous_frozen

Z95 = 1.959963984540054
"""The standard normal quantile at 0.975: a 95% interval is the mean +/- Z95 sd."""
PERT_WEIGHT = 4.0
"""Weight of the mode in Beta-PERT (the classic value)."""
RANGE_IS: dict[str, str] = {
    "pert": "bounds",
    "uniform": "bounds",
    "lognormal": "95% interval",
    "beta": "95% interval",
}
"""Each distribution's name and what ``low``-``high`` is for it."""


@dataclass(frozen=True)
class Marginal:
    """One uncertain input's distribution: its name, range and base value (``mode``)."""

    distribution: str
    low: float
    mode: float
    high: float

    def __post_init__(self) -> None:
        problem = marginal_problem(self.distribution, self.low, self.mode, self.high)
        if problem:
            raise ValueError(problem)

    def frozen(self) -> rv_continuous_frozen:
        """The distribution as a frozen ``scipy.stats`` object."""
        from scipy import stats

        low, mode, high = self.low, self.mode, self.high
        if self.distribution == "pert":
            a, b = pert_shapes(low, mode, high)
            return stats.beta(a, b, loc=low, scale=high - low)
        if self.distribution == "uniform":
            return stats.uniform(loc=low, scale=high - low)
        if self.distribution == "lognormal":
            return stats.lognorm(s=math.log(high / low) / (2 * Z95), scale=mode)
        a, b = beta_shapes(mode, (high - low) / (2 * Z95))
        return stats.beta(a, b)

    def quantile(self, u: np.ndarray) -> np.ndarray:
        """The values at quantiles ``u`` (each in 0-1): how a design's uniforms become draws."""
        return self.frozen().ppf(u)


def pert_shapes(low: float, mode: float, high: float) -> tuple[float, float]:
    """The beta shapes of a PERT over ``low``-``high`` with its mode at ``mode``."""
    width = high - low
    return (
        1 + PERT_WEIGHT * (mode - low) / width,
        1 + PERT_WEIGHT * (high - mode) / width,
    )


def beta_shapes(mean: float, sd: float) -> tuple[float, float]:
    """The beta shapes with this mean and standard deviation (method of moments)."""
    concentration = mean * (1 - mean) / sd**2 - 1
    return mean * concentration, (1 - mean) * concentration


def marginal_problem(distribution: str, low: float, mode: float, high: float) -> str | None:
    """What stops ``distribution`` being drawn over ``low``-``high`` around ``mode``, if
    anything, in words fit for an error message."""
    if distribution not in RANGE_IS:
        return f"distribution {distribution!r} is not one of {', '.join(RANGE_IS)}"
    if not all(math.isfinite(v) for v in (low, mode, high)) or not low < high:
        return f"{distribution} needs finite numbers with low < high, got {low:g}-{high:g}"
    if not low <= mode <= high:
        return f"the base value {mode:g} lies outside {low:g}-{high:g}"
    if distribution == "lognormal" and not 0 < low < mode < high:
        return f"lognormal needs 0 < low < base value < high, got {low:g} < {mode:g} < {high:g}"
    if distribution == "beta":
        if not 0 < low < mode < high < 1:
            return f"beta needs 0 < low < base value < high < 1, got {low:g} < {mode:g} < {high:g}"
        if (high - low) / (2 * Z95) >= math.sqrt(mode * (1 - mode)):
            return f"beta: a 95% interval {low:g}-{high:g} is too wide for a mean of {mode:g}"
    return None
