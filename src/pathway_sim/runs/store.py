"""Finished replications kept one file each, so a run killed at any point can resume.

``DIR/replications/`` holds ``identity.json`` (what was being run: the resolved
scenario without its replication count, the seed, whether the event log was
kept, the package version) and one ``rep-NNNNN.pkl`` per finished replication,
each written whole or not at all. Pickle keeps every value, floats included,
exactly as the replication returned it, so a resumed run writes the same bytes.
"""

from __future__ import annotations

import json
import logging
import pickle
from pathlib import Path
from typing import Any

from pathway_sim.core.errors import UsageError
from pathway_sim.core.version import __version__
from pathway_sim.models import Scenario
from pathway_sim.models.results import ReplicationResult
from pathway_sim.runs.outputs import TEMPORARY_SUFFIX, atomic_write, write_json

log = logging.getLogger("pathway_sim")

STORE_DIR = "replications"


def identity(scenario: Scenario, event_log: bool) -> dict[str, Any]:
    """What must match for stored replications to be reused.

    The replication count is left out, so a resumed run may ask for more (or
    fewer) replications than were stored.
    """
    resolved = scenario.model_dump(mode="json", exclude={"extends"})
    seed = resolved["run"].pop("seed")
    resolved["run"].pop("replications")
    return {
        "pathway_sim_version": __version__,
        "seed": seed,
        "event_log": event_log,
        "scenario": resolved,
    }


class ReplicationStore:
    """The finished replications of one run directory."""

    def __init__(self, out: Path) -> None:
        self.directory = out / STORE_DIR

    def open(self, wanted: dict[str, Any], resume: bool) -> dict[int, ReplicationResult]:
        """Prepare the store for the run ``wanted`` describes; return what can be reused.

        With ``resume``, stored replications of the same run are reused and any
        other run's are refused (``UsageError``). Without it the run starts afresh,
        discarding what was stored, and says so.
        """
        stored = self._identity()
        for leftover in self.directory.glob(f".*{TEMPORARY_SUFFIX}"):  # a killed write
            leftover.unlink()
        if resume and stored is not None and stored != wanted:
            raise UsageError(
                f"--resume: {self.directory} holds replications of a different run "
                f"({'; '.join(differences(stored, wanted))}); use another --out directory, "
                "or run without --resume to start afresh"
            )
        if resume and stored is not None:
            return self._load()
        finished = len(self._files())
        if finished:
            log.info(
                "starting afresh: discarding %d finished replications in %s (--resume reuses them)",
                finished,
                self.directory,
            )
        self._clear()
        write_json(self.directory / "identity.json", wanted)
        return {}

    def save(self, result: ReplicationResult) -> None:
        atomic_write(
            self._path(result.replication),
            lambda handle: pickle.dump(result, handle, protocol=pickle.HIGHEST_PROTOCOL),
            binary=True,
        )

    def _path(self, index: int) -> Path:
        return self.directory / f"rep-{index:05d}.pkl"

    def _files(self) -> list[Path]:
        return sorted(self.directory.glob("rep-*.pkl")) if self.directory.is_dir() else []

    def _identity(self) -> dict[str, Any] | None:
        path = self.directory / "identity.json"
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None

    def _load(self) -> dict[int, ReplicationResult]:
        results = {}
        for path in self._files():
            with open(path, "rb") as handle:
                result = pickle.load(handle)
            results[result.replication] = result
        return results

    def _clear(self) -> None:
        for path in self._files():
            path.unlink()


def differences(stored: Any, wanted: Any, path: str = "") -> list[str]:
    """Where two identities differ, as ``dotted.path: stored X, now Y`` lines."""
    if isinstance(stored, dict) and isinstance(wanted, dict):
        return [
            line
            for key in [*stored, *(k for k in wanted if k not in stored)]
            for line in differences(
                stored.get(key), wanted.get(key), f"{path}.{key}" if path else key
            )
        ]
    if stored == wanted:
        return []
    return [f"{path}: stored {stored!r}, now {wanted!r}"]
