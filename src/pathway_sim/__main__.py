"""``python -m pathway_sim``: the same as the ``pathway-sim`` command."""

import sys

from pathway_sim.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
