"""Paths inside a directory: nothing read, written or deleted through a link that leaves it.

A results directory, or a folder a file is copied into, may come from someone else and
hold a symbolic link (``figures -> /home/someone``): followed, it would make a command
read or overwrite files elsewhere. ``within`` resolves a path (every link followed) and
refuses it unless it stays inside its directory.
"""

from __future__ import annotations

from pathlib import Path

from pathway_sim.core.errors import UsageError


def leaves(root: Path, path: Path) -> bool:
    """Whether ``path``, once every link on its way is followed, lies outside ``root``."""
    top, resolved = root.resolve(), path.resolve()
    return resolved != top and top not in resolved.parents


def within(root: Path, path: Path, doing: str = "write") -> Path:
    """``path``, checked to lie inside ``root`` once resolved, so that a read, write or
    delete never leaves it (``UsageError`` naming the link otherwise)."""
    if leaves(root, path):
        link = _link_on_the_way(root, path)
        if link is None:
            raise UsageError(f"{path}: outside {root}; refusing to {doing} there")
        raise UsageError(
            f"{link}: a symbolic link out of {root} (to {link.resolve()}); "
            f"refusing to {doing} through it"
        )
    return path


def _link_on_the_way(root: Path, path: Path) -> Path | None:
    """The first symbolic link from ``root`` down to ``path``, if there is one."""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return None
    current = root
    for part in parts:
        current = current / part
        if current.is_symlink():
            return current
    return None
