"""Presets: the library's single levers and whole system compared with each site's base
at workshop size, precomputed so a presenter never waits for the standard cases.

``precompute`` writes one ``compare`` output directory per site under ``out``;
``load`` reads their ``comparison.csv`` back, which is all the app shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pathway_sim import api
from pathway_sim.app import levers
from pathway_sim.core.errors import UsageError
from pathway_sim.inputs.loading import overlay_file
from pathway_sim.runs import layout
from pathway_sim.runs.reader import read_comparison

WORKSHOP_REPS = 10


@dataclass(frozen=True)
class Preset:
    """One precomputed lever in one site: its comparison rows (base first) and labels."""

    site: str
    lever: str
    label: str
    table: pd.DataFrame
    key_requirements: tuple[str, ...]

    @property
    def title(self) -> str:
        return f"{self.site}: {self.label}"


def precompute(
    out: Path,
    reps: int = WORKSHOP_REPS,
    sites: Sequence[str] | None = None,
    lever_names: Sequence[str] | None = None,
    workers: int | None = None,
) -> list[Path]:
    """Run every chosen lever (default: all, whole system included) against every chosen
    site (default: all) with ``reps`` replications; one directory per site."""
    chosen_sites = list(sites or levers.sites())
    chosen = [levers.lever(n) for n in lever_names] if lever_names else list(levers.levers())
    bases = [levers.site_scenario(site) for site in chosen_sites]  # all checked first
    written = []
    for site, base in zip(chosen_sites, bases):
        others = [overlay_file(base, lv.path) for lv in chosen]
        comparison = api.compare(base, *others, reps=reps, out=out / site, workers=workers)
        written.append(comparison.out or out / site)
    return written


def load(root: Path) -> list[Preset]:
    """Every preset under ``root`` (as ``precompute`` wrote it); a clear error if none."""
    if not root.is_dir():
        raise UsageError(f"--results {root}: no such directory (write it with precompute)")
    found = []
    for site in sorted(p.parent for p in root.glob(f"*/{layout.COMPARISON}")):
        table = read_comparison(site)
        base = table["scenario"].iloc[0]
        for name in dict.fromkeys(table["scenario"]):
            if name == base:
                continue
            rows = table[table["scenario"].isin([base, name])].reset_index(drop=True)
            lever = _known(name)
            label = lever.label if lever else name
            requirements = lever.key_requirements if lever else ()
            found.append(Preset(site.name, name, label, rows, requirements))
    if not found:
        raise UsageError(
            f"--results {root}: no comparison.csv in its site folders "
            "(write them with pathway-sim precompute --out DIR)"
        )
    return found


def _known(name: str) -> levers.Lever | None:
    try:
        return levers.lever(name)
    except UsageError:
        return None
