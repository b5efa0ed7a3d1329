"""Time to the app's first estimate (2 paired replications) and to 30, for one lever in
one site, on a warm server (modules imported, the server's pool of workers started).

    .venv/bin/python -m scripts.app_timing [WORKERS]

Warms up on another site, then times text reminders in the northern city twice: with
the site's base still to run, and with the base already cached by the first.
"""

from __future__ import annotations

import os
import sys

from pathway_sim.app import jobs, levers
from pathway_sim.app.jobs import Workers


def timed(site: str, lever: str, reps: int, workers: Workers) -> jobs.Job:
    base, whatif = levers.build(levers.WhatIf(site, [lever], {}, {}, reps, lever))
    job = jobs.Job(base, whatif, workers).start()
    assert job.wait(600) and job.state == jobs.DONE, job.error
    return job


def main() -> None:
    workers = Workers(int(sys.argv[1]) if len(sys.argv) > 1 else 2)
    workers.warm()
    timed("london_borough", "kr2_shared_records", 2, workers)  # warm-up
    print(f"load average before: {os.getloadavg()}")
    for case in ("base to run", "base cached"):
        job = timed("northern_city", "kr8_text_reminders", 30, workers)
        print(f"{case}: first estimate {job.first_estimate_seconds:.1f} s, 30 paired "
              f"replications {job.wall_seconds:.1f} s ({workers.size} workers)")  # fmt: skip
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
