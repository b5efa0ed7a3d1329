"""Net benefit over willingness to pay: cost-effectiveness acceptability curves (``ceac.csv``).

For an outcome (an extra baby with her mother at 12 months, an overdose averted) and a
willingness to pay ``wtp`` in GBP per unit, an option's net benefit in a draw,
relative to the base, is ``wtp x units gained per woman - extra cost per woman``
(the base's is 0). ``p_cost_effective`` is the share of draws in which the option has
the highest net benefit of all the options (ties shared); the acceptability frontier
(``on_frontier``) marks the option with the highest *expected* net benefit, the one a
decision maker who is neutral about risk would choose (Fenwick, Claxton and Sculpher
2001). Where inner-loop noise is more than ``decision.NOISE_LIMIT`` of an option's
between-draw variance of net benefit, its draws are noise-corrected first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pathway_sim.experiments.cost_effectiveness import COST_KPI, EFFECTS, Effect
from pathway_sim.uncertainty.decision import corrected
from pathway_sim.uncertainty.differences import DRAW, paired_replications

COLUMNS = [
    "scenario", "outcome", "willingness_to_pay_gbp", "p_cost_effective",
    "expected_net_benefit_gbp", "on_frontier", "noise_share", "probabilities_from",
]  # fmt: skip
"""``ceac.csv``: the contract's columns, then the noise share of the option's net benefit
and what its probabilities were read from (the base has no noise of its own)."""


@dataclass(frozen=True)
class Increments:
    """Each draw's extra cost and extra outcomes of each option against the base (GBP and
    units per woman; draws x options other than the base), with the noise (co)variances
    of those means from the inner replications (NaN with one replication)."""

    options: tuple[str, ...]
    """Every option, base first; the arrays' columns are ``options[1:]``."""
    cost: np.ndarray
    cost_noise: np.ndarray
    gains: dict[str, np.ndarray]
    """Outcome KPI -> units gained per woman."""
    gain_noise: dict[str, np.ndarray]
    covariance_noise: dict[str, np.ndarray]
    """Outcome KPI -> noise covariance of gain and cost."""

    def net_benefit(self, outcome: str, wtp: float) -> tuple[np.ndarray, np.ndarray]:
        """Net benefit against the base at ``wtp`` and its noise variance (draws x others)."""
        benefit = wtp * self.gains[outcome] - self.cost
        noise = (
            wtp**2 * self.gain_noise[outcome]
            + self.cost_noise
            - 2 * wtp * self.covariance_noise[outcome]
        )
        return benefit, noise


def increments(inner: pd.DataFrame, base: str) -> Increments | None:
    """The increments of every option (None without a cost KPI, e.g. a queue network)."""
    if COST_KPI not in inner.columns:
        return None
    paired = paired_replications(inner, base)
    effects = [e for e in EFFECTS if e.kpi in inner.columns]
    stats = {s: _draw_moments(p, effects) for s, p in paired.items()}
    others = list(paired)

    def stack(key: str) -> np.ndarray:
        return np.column_stack([stats[s][key] for s in others])

    return Increments(
        (base, *others),
        stack("cost"),
        stack("cost_noise"),
        {e.kpi: stack(f"{e.kpi}") for e in effects},
        {e.kpi: stack(f"{e.kpi}_noise") for e in effects},
        {e.kpi: stack(f"{e.kpi}_cov") for e in effects},
    )


def _draw_moments(paired: pd.DataFrame, effects: list[Effect]) -> dict[str, np.ndarray]:
    """Per draw: mean extra cost and gains, and the noise (co)variances of those means."""
    cost = paired[COST_KPI]
    grouped = cost.groupby(level=DRAW)
    count = grouped.count().to_numpy()
    out = {"cost": grouped.mean().to_numpy(), "cost_noise": grouped.var(ddof=1).to_numpy() / count}
    for e in effects:
        gain = paired[e.kpi] * e.per_woman
        frame = pd.DataFrame({"gain": gain, "cost": cost}).groupby(level=DRAW)
        out[e.kpi] = frame["gain"].mean().to_numpy()
        out[f"{e.kpi}_noise"] = frame["gain"].var(ddof=1).to_numpy() / count
        covariance = frame.cov(ddof=1).xs("gain", level=1)["cost"].to_numpy()
        out[f"{e.kpi}_cov"] = covariance / count
    return out


def best_shares(net_benefit: np.ndarray) -> np.ndarray:
    """For draws x options net benefits, each option's share of draws in which it is
    best; a tie shares the draw equally."""
    best = net_benefit == net_benefit.max(axis=1, keepdims=True)
    return (best / best.sum(axis=1, keepdims=True)).mean(axis=0)


def option_net_benefits(
    inc: Increments, outcome: str, wtp: float
) -> tuple[np.ndarray, list[float], list[str]]:
    """Draws x options net benefit (base column 0), each corrected for noise where it must
    be, with each option's noise share and what its draws are."""
    benefit, noise = inc.net_benefit(outcome, wtp)
    columns, shares, sources = [np.zeros(len(benefit))], [0.0], ["draws"]
    for j in range(benefit.shape[1]):
        values, share, source = corrected(benefit[:, j], noise[:, j])
        columns.append(values)
        shares.append(share)
        sources.append(source)
    return np.column_stack(columns), shares, sources


def ceac_table(inc: Increments | None, grid: dict[str, list[float]]) -> pd.DataFrame:
    """``ceac.csv``: every option at every willingness to pay of each outcome's grid."""
    if inc is None:
        return pd.DataFrame(columns=COLUMNS)
    names = {e.kpi: e.name for e in EFFECTS}
    rows = []
    for outcome, amounts in grid.items():
        if outcome not in inc.gains:
            continue
        for wtp in amounts:
            nb, shares, sources = option_net_benefits(inc, outcome, wtp)
            expected = nb.mean(axis=0)
            p_best = best_shares(nb)
            for j, option in enumerate(inc.options):
                rows.append(
                    [option, names[outcome], wtp, p_best[j], expected[j],
                     bool(expected[j] == expected.max()), shares[j], sources[j]]
                )  # fmt: skip
    return pd.DataFrame(rows, columns=COLUMNS)
