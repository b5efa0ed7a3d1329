"""The installed package's version, recorded in every output's provenance."""

from importlib import metadata

try:
    __version__ = metadata.version("pathway-sim")
except metadata.PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"
