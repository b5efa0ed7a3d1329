"""The scenario library that comes with the package: sites, interventions, verification
scenarios and example experiments, found by name from any directory.

The files are the repository's top-level ``scenarios/`` and ``experiments/`` folders,
reached through the package's ``library/`` links (a wheel holds copies of them), so
they keep their relative layout: an experiment's ``base: ../scenarios/base.yaml``
resolves inside the library as it does in a clone.
"""

from __future__ import annotations

import logging
import os
import shutil
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml

from pathway_sim.core.errors import UsageError
from pathway_sim.core.paths import within

log = logging.getLogger("pathway_sim")

Kind = Literal["scenario", "experiment"]
FOLDERS: dict[Kind, str] = {"scenario": "scenarios", "experiment": "experiments"}
REFERENCE_KEYS = ("extends", "base", "scenarios", "overlays")
"""Fields of scenario, experiment and sensitivity files that name other files."""


@dataclass(frozen=True)
class Entry:
    """One library file: its name (the file's stem), kind, group and description."""

    name: str
    kind: Kind
    group: str
    description: str
    path: Path

    @property
    def label(self) -> str:
        """What the file is, in words: its group, or for an experiment folder's files
        whether it is a sensitivity analysis (it names a ``method``), a probabilistic one
        (it names ``draws``) or an experiment."""
        if self.kind == "scenario":
            return self.group
        data = _read(self.path)
        return (
            "sensitivity"
            if "method" in data
            else "uncertainty"
            if "draws" in data
            else "experiment"
        )


def root() -> Path:
    """The library's folder: ``scenarios/`` and ``experiments/`` side by side."""
    return Path(str(resources.files("pathway_sim") / "library"))


def entries() -> list[Entry]:
    """Every library file, scenarios first, each folder in name order."""
    found = []
    for kind, folder in FOLDERS.items():
        base = root() / folder
        for path in sorted(base.rglob("*.yaml"), key=lambda p: p.relative_to(base).as_posix()):
            relative = path.relative_to(base)
            group = relative.parent.as_posix() if relative.parent.parts else folder
            found.append(Entry(path.stem, kind, group, _description(path), path))
    return found


def locate(name: str, kind: Kind) -> Path | None:
    """The library file called ``name`` (a stem such as ``base`` or ``kr5_hub``), if any."""
    matches = [e.path for e in entries() if e.kind == kind and e.name == name]
    return matches[0] if len(matches) == 1 else None


def resolve(text: str | Path, kind: Kind) -> Path:
    """A file that exists wins; else a library name; else a clear error. A directory is
    never a scenario, so one called ``base`` here does not hide the library's ``base``."""
    path = Path(text)
    if path.suffix in (".yaml", ".yml") or len(path.parts) > 1:
        return path
    if path.exists() and not path.is_dir():
        return path
    found = locate(str(text), kind)
    if found is None and path.exists():
        return path  # a directory: the reader says it is one
    if found is None:
        raise UsageError(
            f"{text}: no such file, nor a {kind} of that name in the library "
            "(pathway-sim scenarios lists them)"
        )
    if path.is_dir():
        _note_shadowed(str(text), kind)
    return found


@lru_cache(maxsize=64)
def _note_shadowed(text: str, kind: str) -> None:
    """Say once that a directory here was passed over for the library's file."""
    log.info("%s: is a directory here; using the library's %s of that name", text, kind)


def copy_out(name: str, destination: Path) -> list[Path]:
    """Copy library file ``name`` and every file it names (``extends``, an experiment's
    base and scenarios) into ``destination``, keeping their layout so the copy runs as
    it is. Refuses to overwrite; returns the files written, the named one first."""
    entry = next((e for e in entries() if e.name == name), None)
    if entry is None:
        raise UsageError(f"scenarios copy: {name!r} is not in the library (pathway-sim scenarios)")
    if destination.exists() and not destination.is_dir():
        raise UsageError(f"scenarios copy: {destination}: is a file; expected a directory")
    files = _with_references(entry.path)
    targets = [within(destination, destination / f.relative_to(root())) for f in files]
    existing = [t for t in targets if t.exists() or t.is_symlink()]  # a dangling link too
    if existing:
        raise UsageError(f"scenarios copy: {existing[0]} exists; choose another directory")
    for source, target in zip(files, targets):
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return targets


def _with_references(path: Path) -> list[Path]:
    """``path`` and, transitively, the library files it names, each once."""
    order, pending = [], [path]
    while pending:
        current = pending.pop(0)
        if current in order:
            continue
        order.append(current)
        data = _read(current)
        for key in REFERENCE_KEYS:
            value = data.get(key)
            names = value if isinstance(value, list) else [value] if isinstance(value, str) else []
            # lexically, not through the links, so each file keeps its place in the library
            pending.extend(Path(os.path.normpath(current.parent / n)) for n in names)
    return order


def _read(path: Path) -> dict:
    data = yaml.safe_load(path.read_text("utf-8"))
    return data if isinstance(data, dict) else {}


def _description(path: Path) -> str:
    text = _read(path).get("description", "")
    return " ".join(str(text).split())
