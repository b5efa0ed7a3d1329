"""``pathway-sim app``: serve ``page.py`` with Streamlit on localhost, in this process.

Headless, with usage statistics off and no file watcher, on 127.0.0.1 only, and with
Streamlit's one lookup on the internet closed: when a browser connects from a foreign
origin, Streamlit would fetch the machine's external address to compare it with the
origin (``net_util.get_external_ip``); a server that answers on 127.0.0.1 alone has no
external address to allow, so the lookup answers none and nothing is sent anywhere.

The server runs in the process that ``pathway-sim app`` started, so stopping that
process (Ctrl-C, or SIGTERM to its pid) stops the server; its pool of workers is
started before the server (so the workers are the main thread's children, tied to it)
and, with the runs' temporary files, closed when the server stops (``store.py``). The
presets directory reaches the page through the environment (``RESULTS_ENV``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from pathway_sim.core.errors import UsageError

PAGE = Path(__file__).with_name("page.py")
DEFAULT_PORT = 8501
RESULTS_ENV = "PATHWAY_SIM_APP_RESULTS"


def options(port: int, address: str = "127.0.0.1") -> list[str]:
    """Streamlit's options for the page."""
    return [
        "--server.headless", "true", "--server.address", address,
        "--server.port", str(port), "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none", "--global.developmentMode", "false",
        "--client.toolbarMode", "minimal",
    ]  # fmt: skip


def command(port: int, address: str = "127.0.0.1") -> list[str]:
    """A command line that serves the page as ``pathway-sim app`` does (for tests and
    scripts that start the server as a process of their own)."""
    return [sys.executable, "-m", "pathway_sim.app.server", *options(port, address)]


def check_results(results: Path) -> Path:
    """The presets directory, every preset read now: a bad one is refused here, not in
    the browser."""
    from pathway_sim.app import presets

    if not (results.is_dir() and any(results.glob("*/comparison.csv"))):
        raise UsageError(
            f"--results {results}: expected a directory written by "
            "pathway-sim precompute --out DIR (site folders with comparison.csv)"
        )
    presets.load(results)
    return results.resolve()


def check_installed() -> None:
    """A clear message when the optional extra is missing."""
    try:
        import streamlit  # noqa: F401
    except ImportError:
        raise UsageError("the app needs Streamlit: pip install 'pathway-sim[app]'") from None


def close_outbound_lookups() -> None:
    """Streamlit's lookup of the machine's external address, answered without the
    internet: this server has none (it answers on 127.0.0.1 only)."""
    from streamlit import net_util

    def no_external_address() -> None:
        return None

    net_util.get_external_ip = no_external_address


def launch(flags: list[str]) -> int:
    """Serve the page with Streamlit's ``flags`` until stopped; the workers start first
    and, with the runs' files, close after."""
    from streamlit.web import cli

    from pathway_sim.app import store

    close_outbound_lookups()
    store.server().workers.warm()
    try:
        cli.main.main(["run", str(PAGE), *flags], prog_name="streamlit", standalone_mode=False)
    finally:
        store.close_server()
    return 0


def serve(port: int = DEFAULT_PORT, results: Path | None = None) -> int:
    """Check the options, then serve until Ctrl-C or SIGTERM; returns the exit code."""
    if not 1 <= port <= 65535:
        raise UsageError(f"--port: expected a port from 1 to 65535, got {port}")
    check_installed()
    if results is not None:
        os.environ[RESULTS_ENV] = str(check_results(results))
    print(f"pathway-sim app: http://127.0.0.1:{port} (Ctrl-C stops it)", flush=True)
    return launch(options(port))


if __name__ == "__main__":
    sys.exit(launch(sys.argv[1:]))
