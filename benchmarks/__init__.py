"""The performance harness (``make bench``): run ``python -m benchmarks.bench``."""
