"""The expected value of perfect and of partial perfect information.

With net benefits ``NB`` (draws x options), choosing now the option best on average
forgoes, in each draw, what the best option in that draw would have given: the EVPI
is the mean of that loss, ``E[max NB] - max E[NB]``, the most that removing every
uncertainty could be worth per woman. The EVPPI of parameters ``p`` is the same
with each option's net benefit replaced by its expectation given ``p``,
``E_p[max E[NB | p]] - max E[NB]``, the most that learning ``p`` exactly could be
worth; ``smoothers`` estimates ``E[NB | p]`` from the draws (Strong, Oakley and
Brennan 2014). Per woman in GBP; ``population`` scales to the site's cohorts.
"""

from __future__ import annotations

import numpy as np


def opportunity_loss(net_benefit: np.ndarray) -> np.ndarray:
    """Per draw, what choosing the option best on average forgoes against the draw's best."""
    chosen = int(np.argmax(net_benefit.mean(axis=0)))
    return net_benefit.max(axis=1) - net_benefit[:, chosen]


def evpi(net_benefit: np.ndarray) -> tuple[float, float]:
    """The EVPI per woman of draws x options net benefits, and its Monte Carlo standard
    error (the loss's sd over the square root of the draws)."""
    loss = opportunity_loss(net_benefit)
    return float(loss.mean()), float(loss.std(ddof=1) / np.sqrt(len(loss)))


def evppi(expected_net_benefit: np.ndarray) -> np.ndarray:
    """The EVPPI from each option's expected net benefit given the parameters, at each
    draw (``... x draws x options``; leading axes, e.g. posterior samples, are kept)."""
    per_draw_best = expected_net_benefit.max(axis=-1).mean(axis=-1)
    best_on_average = expected_net_benefit.mean(axis=-2).max(axis=-1)
    return per_draw_best - best_on_average


def evppi_with_error(fitted: np.ndarray, sampled: np.ndarray) -> tuple[float, float]:
    """The EVPPI from fitted expected net benefits (draws x options) and its standard
    error from both its sources: the regression (the sd over ``sampled``, draws from the
    fit's posterior, samples x draws x options) and the Monte Carlo error of averaging
    over a finite number of draws (as for the EVPI)."""
    value, monte_carlo = evpi(fitted)
    regression = float(evppi(sampled).std(ddof=1))
    return value, float(np.hypot(monte_carlo, regression))


def population(women_per_year: float, horizon_years: int, discount_rate: float) -> float:
    """Women a site sees over ``horizon_years`` of cohorts, each year's discounted to now:
    what a per-woman value of information is multiplied by for the site."""
    return women_per_year * sum((1 + discount_rate) ** -t for t in range(horizon_years))
