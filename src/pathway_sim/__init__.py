"""pathway-sim: discrete-event simulation of perinatal care pathways for women who use drugs.

The notebook API (``run``, ``compare``, ``run_experiment``, ``run_sensitivity``,
``load_scenario``, ``load_experiment``, ``load_sensitivity``, ``PrecisionGoal``,
``RunOptions``) is
imported on first use, so that ``import pathway_sim`` stays light for worker processes.
"""

from importlib import import_module
from typing import Any

from pathway_sim.core.version import __version__

_API = {
    "run": "pathway_sim.api",
    "compare": "pathway_sim.api",
    "run_experiment": "pathway_sim.api",
    "run_sensitivity": "pathway_sim.api",
    "load_sensitivity": "pathway_sim.sensitivity.spec",
    "load_scenario": "pathway_sim.inputs.loading",
    "load_experiment": "pathway_sim.experiments.spec",
    "PrecisionGoal": "pathway_sim.runs.precision",
    "RunOptions": "pathway_sim.runs.options",
}
__all__ = [
    "PrecisionGoal",
    "RunOptions",
    "__version__",
    "compare",
    "load_experiment",
    "load_scenario",
    "load_sensitivity",
    "run",
    "run_experiment",
    "run_sensitivity",
]


def __getattr__(name: str) -> Any:
    if name in _API:
        return getattr(import_module(_API[name]), name)
    raise AttributeError(f"module 'pathway_sim' has no attribute {name!r}")
