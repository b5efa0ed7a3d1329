"""One run at a time in a results directory: an advisory lock file holding the pid.

Two runs writing one directory would mix replications of two seeds, and a later
``--resume`` would take the mixture for a whole run. ``DIR/.pathway-sim.lock`` is
created exclusively and holds the holder's pid; a second run finds it and is
refused (exit 2, naming the file and the pid). A lock whose pid no longer runs
(the holder was killed) is stale and taken over. The lock is advisory: it only
keeps out other pathway-sim runs on the same machine. A process that holds it may
take it again (a command that runs several steps into one directory).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pathway_sim.core.errors import UsageError

log = logging.getLogger("pathway_sim")

LOCK_NAME = ".pathway-sim.lock"
_held: dict[Path, int] = {}
"""Directories this process holds the lock of, with how many times it took each."""


def pid_alive(pid: int) -> bool:
    """Whether a process with this pid exists (one of another user's counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OverflowError:
        return False
    return True


def holder(path: Path) -> int | None:
    """The pid written in a lock file, or None if it holds none (torn or tampered)."""
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    pid = int(text) if text.isdigit() and len(text) < 12 else 0
    return pid if pid > 0 else None  # 0 would mean "my process group" to os.kill


def _create(path: Path) -> bool:
    """Create the lock file holding our pid; False if it already exists."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return False
    except OSError as exc:
        raise UsageError(f"{path.parent}: cannot write there ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(f"{os.getpid()}\n")
    except OSError as exc:  # a full disk: no empty lock file left behind to puzzle the next run
        path.unlink(missing_ok=True)
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    return True


def acquire(out: Path) -> Path:
    """Take the lock of ``out`` (created if need be), or refuse with ``UsageError``."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"--out {out}: cannot create the directory ({exc.strerror})") from None
    key = out.resolve()
    if key in _held:
        _held[key] += 1
        return key / LOCK_NAME
    path = key / LOCK_NAME
    for _ in range(3):
        if _create(path):
            _held[key] = 1
            return path
        pid = holder(path)
        if pid is not None and pid != os.getpid() and pid_alive(pid):
            raise UsageError(
                f"{out}: in use by another pathway-sim run (pid {pid}, lock file {path}); "
                "wait for it to finish or use another --out (delete the lock file only if "
                "that process is not pathway-sim)"
            )
        log.info(
            "taking over the stale lock %s (%s)",
            path,
            "it names no process" if pid is None else f"pid {pid} no longer runs",
        )
        path.unlink(missing_ok=True)
    raise UsageError(f"{out}: could not take the lock {path}; another run keeps taking it")


def release(out: Path) -> None:
    """Give the lock back (the file is removed when the last hold ends)."""
    key = out.resolve()
    _held[key] -= 1
    if _held[key] == 0:
        del _held[key]
        path = key / LOCK_NAME
        if holder(path) == os.getpid():
            path.unlink(missing_ok=True)


@contextmanager
def locked(out: Path | None) -> Iterator[None]:
    """``with locked(out):`` hold the lock of ``out`` (nothing if ``out`` is None)."""
    if out is None:
        yield
        return
    acquire(out)
    try:
        yield
    finally:
        release(out)
