"""Distributions of uncertain inputs: each reads the register's low-high as it says."""

import math

import numpy as np
import pytest

from pathway_sim.core.marginals import (
    RANGE_IS,
    Z95,
    Marginal,
    beta_shapes,
    marginal_problem,
    pert_shapes,
)


def test_pert_has_the_textbook_mean_and_stays_within_its_bounds():
    low, mode, high = 1.0, 2.0, 5.0
    frozen = Marginal("pert", low, mode, high).frozen()
    assert frozen.mean() == pytest.approx((low + 4 * mode + high) / 6)
    assert frozen.ppf(0.0) == pytest.approx(low) and frozen.ppf(1.0) == pytest.approx(high)
    a, b = pert_shapes(low, mode, high)
    assert (a - 1) / (a + b - 2) * (high - low) + low == pytest.approx(mode)  # beta's mode


def test_lognormal_reads_low_high_as_a_95_percent_interval():
    """A published ratio and its 95% CI: the CI's ends are the 2.5% and 97.5% quantiles."""
    low, high = 1.37, 2.26
    median = math.sqrt(low * high)
    frozen = Marginal("lognormal", low, median, high).frozen()
    assert frozen.ppf([0.025, 0.5, 0.975]) == pytest.approx([low, median, high])


def test_beta_has_the_base_value_as_mean_and_a_quarter_interval_as_sd():
    low, mean, high = 0.30, 0.40, 0.52
    frozen = Marginal("beta", low, mean, high).frozen()
    assert frozen.mean() == pytest.approx(mean)
    assert frozen.std() == pytest.approx((high - low) / (2 * Z95))
    assert beta_shapes(0.5, 0.1) == pytest.approx((12.0, 12.0))


def test_uniform_ignores_the_base_value():
    frozen = Marginal("uniform", 2.0, 2.5, 4.0).frozen()
    assert frozen.mean() == pytest.approx(3.0)


@pytest.mark.parametrize("kind", list(RANGE_IS))
def test_quantile_inverts_the_distribution_function(kind):
    m = Marginal(kind, 0.2, 0.3, 0.6)
    u = np.linspace(0.01, 0.99, 25)
    assert m.frozen().cdf(m.quantile(u)) == pytest.approx(u)


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (("gamma", 1.0, 2.0, 3.0), "is not one of"),
        (("pert", 3.0, 2.0, 1.0), "low < high"),
        (("pert", 1.0, 4.0, 3.0), "outside"),
        (("lognormal", 0.0, 1.0, 3.0), "lognormal needs 0 < low"),
        (("lognormal", 1.0, 1.0, 3.0), "lognormal needs 0 < low < base value"),
        (("beta", 0.2, 0.5, 1.0), "beta needs"),
        (("beta", 0.001, 0.002, 0.9), "too wide"),
        (("pert", 1.0, math.inf, 3.0), "finite"),
    ],
)
def test_a_distribution_that_cannot_be_drawn_is_refused_in_words(args, problem):
    assert problem in marginal_problem(*args)
    with pytest.raises(ValueError, match=problem):
        Marginal(*args)


def test_a_sourced_ratio_keeps_its_published_median():
    """Thumath et al.: aOR 1.55 (1.01-2.39); the lognormal's median is the estimate."""
    frozen = Marginal("lognormal", 1.01, 1.55, 2.39).frozen()
    assert frozen.median() == pytest.approx(1.55)
    assert frozen.ppf(0.975) == pytest.approx(1.55 * (2.39 / 1.01) ** 0.5, rel=1e-9)
