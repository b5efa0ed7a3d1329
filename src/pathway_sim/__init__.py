"""pathway-sim: discrete-event simulation of perinatal care pathways for women who use drugs."""

from importlib import metadata

try:
    __version__ = metadata.version("pathway-sim")
except metadata.PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"
