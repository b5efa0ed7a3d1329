"""Regression smoothers: E[y | some parameters] estimated from the draws already run.

The expected value of partial perfect information about parameters ``p`` needs each
option's expected net benefit given ``p``; Strong, Oakley and Brennan (2014) estimate it
by regressing the draws' results on ``p`` alone, so no nested simulation is needed.

- One parameter: a penalised cubic regression spline (a P-spline: B-splines on equal
  segments with a second-difference penalty; Eilers and Marx 1996), its smoothing chosen
  by generalised cross-validation. A parameter with few distinct values (an integer)
  gets its mean at each value, which is E[y | p] exactly.
- Several parameters: Gaussian-process regression (squared-exponential covariance with
  a length-scale per parameter; Rasmussen and Williams 2006), the hyperparameters
  chosen by maximum marginal likelihood on the first ``HYPER_DRAWS`` draws, as Strong
  et al. do for larger groups.

A fit no better than noise is not used: where a group's means (an F test) or a Gaussian
process (a likelihood-ratio test against no signal) do not explain a response at the
``SIGNAL_LEVEL``, its fitted value is its mean, so noise does not pass for the value of
information (with a few hundred draws a flexible fit finds pattern in pure noise).

Both regress on ranks scaled to 0-1 rather than values: E[y | p] = E[y | rank of p] for
a continuous parameter, and skewed parameters spread evenly over the basis. Both are
linear smoothers, fitted values ``S y`` whose posterior covariance is ``sigma^2 S``;
``Smooth.posterior`` draws from it (responses correlated as their residuals are), which
gives the EVPPI its standard error.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import linalg, optimize
from scipy.interpolate import BSpline
from scipy.stats import chi2, f, rankdata

MAX_SEGMENTS = 20
DRAWS_PER_SEGMENT = 10
DISCRETE_LEVELS = 10
DRAWS_PER_LEVEL = 5
"""A parameter with at most ``DISCRETE_LEVELS`` distinct values, and at least
``DRAWS_PER_LEVEL`` draws a value on average, is smoothed by its means at each value."""
MIN_DRAWS = 30
"""Fewer draws than this cannot support a regression: no EVPPI is estimated."""
SMOOTHING = np.logspace(-4, 8, 49)
"""Spline penalties searched by generalised cross-validation."""
HYPER_DRAWS = 200
"""Draws the Gaussian process's hyperparameters are fitted on."""
SHORTEST_LENGTH = 0.1
"""Shortest Gaussian-process length-scale, on the 0-1 rank scale: wiggles narrower than a
tenth of a parameter's range cannot be told from noise with a few hundred draws."""
SIGNAL_LEVEL = 0.05
"""Significance level at which a fit must beat "no signal" to be used."""


@dataclass(frozen=True)
class Smooth:
    """Fitted values of ``m`` responses at ``n`` draws and what their posterior needs."""

    fitted: np.ndarray
    """n x m."""
    factors: np.ndarray
    """m x n x k: each response's ``B`` with ``B B' = S``."""
    residual_sd: np.ndarray
    residual_correlation: np.ndarray
    method: str

    def posterior(self, samples: int, rng: np.random.Generator) -> np.ndarray:
        """``samples`` x n x m draws of the fitted values from their posterior."""
        m, _, k = self.factors.shape
        root = _matrix_root(self.residual_correlation)
        z = rng.standard_normal((samples, k, m)) @ root.T
        spread = np.einsum("rnk,skr->snr", self.factors, z) * self.residual_sd
        return self.fitted[None] + spread


def smooth(x: np.ndarray, y: np.ndarray) -> Smooth:
    """E[each column of ``y`` | the columns of ``x``] (draws x parameters)."""
    x = np.asarray(x, float).reshape(len(x), -1)
    y = np.asarray(y, float).reshape(len(y), -1)
    if x.shape[1] > 1:
        return gp_smooth(x, y)
    levels = len(np.unique(x[:, 0]))
    if levels <= min(DISCRETE_LEVELS, len(x) // DRAWS_PER_LEVEL):
        return means_smooth(x[:, 0], y)
    return spline_smooth(x[:, 0], y)


def ranks(x: np.ndarray) -> np.ndarray:
    """Values as ranks scaled into (0, 1) (ties share their mean rank)."""
    return (rankdata(x) - 0.5) / len(x)


def means_smooth(x: np.ndarray, y: np.ndarray) -> Smooth:
    """Each response's mean at each distinct value of ``x``."""
    levels, which = np.unique(x, return_inverse=True)
    indicator = np.zeros((len(x), len(levels)))
    indicator[np.arange(len(x)), which] = 1.0
    counts = indicator.sum(axis=0)
    fitted = indicator @ ((indicator.T @ y) / counts[:, None])
    dof = max(len(x) - len(levels), 1)
    between = ((fitted - y.mean(axis=0)) ** 2).sum(axis=0) / max(len(levels) - 1, 1)
    within = ((y - fitted) ** 2).sum(axis=0) / dof
    with np.errstate(invalid="ignore", divide="ignore"):
        signal = f.sf(between / within, len(levels) - 1, dof) < SIGNAL_LEVEL
    fitted = np.where(signal, fitted, y.mean(axis=0))
    factors = (indicator / np.sqrt(counts))[None] * signal[:, None, None]
    return _smooth(y, fitted, factors, dof, "means")


def spline_smooth(x: np.ndarray, y: np.ndarray) -> Smooth:
    """A P-spline on the ranks of ``x``, one penalty per response by GCV."""
    n = len(x)
    segments = int(min(MAX_SEGMENTS, max(3, n // DRAWS_PER_SEGMENT)))
    directions, stiffness = _demmler_reinsch(_bspline_basis(ranks(x), segments))
    z = directions.T @ y
    kept = _cross_validated_shrinkage(y, z, stiffness)
    fitted = directions @ (kept.T * z)
    factors = directions[None] * np.sqrt(kept)[:, None, :]
    return _smooth(y, fitted, factors, n - kept.sum(axis=1), "spline")


def _demmler_reinsch(basis: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Orthonormal directions of the basis's span in which the second-difference penalty
    is diagonal, and its weight on each: the fit at penalty ``lam`` shrinks the data's
    component along direction ``k`` by ``1 / (1 + lam * stiffness[k])``."""
    difference = np.diff(np.eye(basis.shape[1]), n=2, axis=0)
    q, r = np.linalg.qr(basis)
    r_inv = linalg.solve_triangular(r, np.eye(r.shape[0]))
    stiffness, rotation = np.linalg.eigh(r_inv.T @ difference.T @ difference @ r_inv)
    return q @ rotation, np.clip(stiffness, 0, None)


def _cross_validated_shrinkage(y: np.ndarray, z: np.ndarray, stiffness: np.ndarray) -> np.ndarray:
    """Each response's shrinkage along each direction (responses x directions) at the
    penalty of ``SMOOTHING`` with the least generalised cross-validation score."""
    n = len(y)
    shrink = 1.0 / (1.0 + SMOOTHING[:, None] * stiffness[None])
    outside = (y**2).sum(axis=0) - (z**2).sum(axis=0)
    rss = outside[None] + (((1 - shrink)[:, :, None] * z[None]) ** 2).sum(axis=1)
    edf = shrink.sum(axis=1)
    best = np.argmin(n * np.clip(rss, 0, None) / (n - edf[:, None]) ** 2, axis=0)
    return shrink[best]


def _bspline_basis(u: np.ndarray, segments: int) -> np.ndarray:
    """Cubic B-splines on ``segments`` equal segments of 0-1, evaluated at ``u``."""
    step = 1.0 / segments
    knots = np.linspace(-3 * step, 1 + 3 * step, segments + 7)
    return BSpline.design_matrix(u, knots, 3).toarray()


def gp_smooth(x: np.ndarray, y: np.ndarray) -> Smooth:
    """Gaussian-process regression of each response on the ranks of every column of ``x``."""
    u = np.column_stack([ranks(c) for c in x.T])
    fitted = np.empty_like(y)
    factors = np.empty((y.shape[1], len(u), len(u)))
    dof = np.empty(y.shape[1])
    for j, column in enumerate(y.T):
        fitted[:, j], factors[j], dof[j] = _gp_response(u, column)
    return _smooth(y, fitted, factors, dof, "gaussian process")


def _gp_response(u: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """One response's fitted values, posterior factor (in the response's units over its
    residual sd) and residual degrees of freedom."""
    centre, scale = y.mean(), y.std()
    if scale == 0:
        return np.full(len(y), centre), np.zeros((len(y), len(y))), float(len(y))
    standard = (y - centre) / scale
    lengths, signal, noise = _gp_hyperparameters(u[:HYPER_DRAWS], standard[:HYPER_DRAWS])
    if signal == 0:
        return np.full(len(y), centre), np.zeros((len(y), len(y))), float(len(y) - 1)
    eigenvalues, vectors = np.linalg.eigh(signal * _kernel(u, lengths))
    shrink = np.clip(eigenvalues, 0, None) / (np.clip(eigenvalues, 0, None) + noise)
    fitted = centre + scale * (vectors @ (shrink * (vectors.T @ standard)))
    return fitted, vectors * np.sqrt(shrink), float(len(y) - shrink.sum())


def _kernel(u: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    scaled = u / lengths
    squared = (scaled**2).sum(axis=1)
    distance = np.clip(squared[:, None] + squared[None] - 2 * scaled @ scaled.T, 0, None)
    return np.exp(-distance)


def _gp_hyperparameters(u: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float, float]:
    """Length-scales, signal and noise variance maximising the marginal likelihood of
    ``y`` (standardised), searched on the log scale within broad bounds; signal 0 when
    the best fit does not beat white noise (variance 1) by a likelihood-ratio test."""
    p = u.shape[1]
    squared = (u[:, None, :] - u[None, :, :]) ** 2
    start = np.array([np.log(0.5)] * p + [np.log(0.5), np.log(0.5)])
    bounds = [(np.log(SHORTEST_LENGTH), np.log(50.0))] * p + [(np.log(1e-4), np.log(10.0))] * 2
    best = optimize.minimize(
        _negative_log_likelihood, start, args=(squared, y), jac=True,
        method="L-BFGS-B", bounds=bounds,
    )  # fmt: skip
    theta = best.x
    no_signal = 0.5 * float(y @ y)  # the likelihood with noise variance 1 and no signal
    if 2 * (no_signal - best.fun) < chi2.ppf(1 - SIGNAL_LEVEL, p + 1):
        return np.exp(theta[:p]), 0.0, 1.0
    return np.exp(theta[:p]), float(np.exp(theta[p])), float(np.exp(theta[p + 1]))


def _negative_log_likelihood(
    theta: np.ndarray, squared: np.ndarray, y: np.ndarray
) -> tuple[float, np.ndarray]:
    """The Gaussian process's negative log marginal likelihood (up to a constant) and its
    gradient in ``theta`` = log length-scales, log signal variance, log noise variance
    (Rasmussen and Williams 2006, eq. 5.9)."""
    p = squared.shape[2]
    lengths, signal, noise = np.exp(theta[:p]), np.exp(theta[p]), np.exp(theta[p + 1])
    scaled = squared / lengths**2
    kernel = signal * np.exp(-scaled.sum(axis=2))
    try:
        factor = linalg.cho_factor(kernel + noise * np.eye(len(y)), lower=True)
    except linalg.LinAlgError:
        return 1e10, np.zeros_like(theta)
    alpha = linalg.cho_solve(factor, y)
    inner = np.outer(alpha, alpha) - linalg.cho_solve(factor, np.eye(len(y)))
    gradient = np.empty_like(theta)
    gradient[:p] = -0.5 * np.einsum("ij,ij,ijd->d", inner, kernel, 2 * scaled)
    gradient[p] = -0.5 * (inner * kernel).sum()
    gradient[p + 1] = -0.5 * noise * np.trace(inner)
    value = 0.5 * y @ alpha + np.log(np.diag(factor[0])).sum()
    return float(value), gradient


def _smooth(
    y: np.ndarray, fitted: np.ndarray, factors: np.ndarray, dof: np.ndarray | float, method: str
) -> Smooth:
    """A ``Smooth`` with the residuals' sd (on their degrees of freedom) and correlation."""
    residuals = y - fitted
    sd = np.sqrt((residuals**2).sum(axis=0) / np.maximum(dof, 1.0))
    with np.errstate(invalid="ignore", divide="ignore"):
        correlation = np.atleast_2d(np.corrcoef(residuals, rowvar=False))
    correlation = np.nan_to_num(correlation)
    np.fill_diagonal(correlation, 1.0)
    return Smooth(fitted, factors, sd, correlation, method)


def _matrix_root(matrix: np.ndarray) -> np.ndarray:
    """``L`` with ``L L' = matrix`` for a (possibly singular) correlation matrix."""
    values, vectors = np.linalg.eigh(matrix)
    return vectors * np.sqrt(np.clip(values, 0, None))
