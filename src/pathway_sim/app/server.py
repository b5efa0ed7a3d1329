"""``pathway-sim app``: start the Streamlit server for ``page.py`` on localhost.

Headless, with usage statistics off and no file watcher, so a workshop laptop sends
nothing anywhere; the presets directory and workers reach the page through its
environment (``page.RESULTS_ENV``, ``page.WORKERS_ENV``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pathway_sim.core.errors import UsageError
from pathway_sim.runs import layout

PAGE = Path(__file__).with_name("page.py")
DEFAULT_PORT = 8501
RESULTS_ENV = "PATHWAY_SIM_APP_RESULTS"


def command(port: int, address: str = "127.0.0.1") -> list[str]:
    """The ``streamlit run`` command line for the page."""
    return [
        sys.executable, "-m", "streamlit", "run", str(PAGE),
        "--server.headless", "true", "--server.address", address,
        "--server.port", str(port), "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none", "--global.developmentMode", "false",
        "--client.toolbarMode", "minimal",
    ]  # fmt: skip


def environment(results: Path | None) -> dict[str, str]:
    """This process's environment plus the presets directory, checked first."""
    env = dict(os.environ)
    if results is not None:
        if not (results.is_dir() and any(results.glob(f"*/{layout.COMPARISON}"))):
            raise UsageError(
                f"--results {results}: expected a directory written by "
                "pathway-sim precompute --out DIR (site folders with comparison.csv)"
            )
        env[RESULTS_ENV] = str(results.resolve())
    return env


def check_installed() -> None:
    """A clear message when the optional extra is missing."""
    try:
        import streamlit  # noqa: F401
    except ImportError:
        raise UsageError("the app needs Streamlit: pip install 'pathway-sim[app]'") from None


def serve(port: int = DEFAULT_PORT, results: Path | None = None) -> int:
    """Run the server until Ctrl-C; returns its exit code."""
    if not 1 <= port <= 65535:
        raise UsageError(f"--port: expected a port from 1 to 65535, got {port}")
    check_installed()
    env = environment(results)
    print(f"pathway-sim app: http://127.0.0.1:{port} (Ctrl-C stops it)", flush=True)
    try:
        return subprocess.call(command(port), env=env)
    except KeyboardInterrupt:
        return 0
