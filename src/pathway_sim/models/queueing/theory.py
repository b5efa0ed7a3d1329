"""Textbook queueing results the engine is verified against."""

from __future__ import annotations


def erlang_c(staff: int, offered_load: float) -> float:
    """Probability that an arrival must wait in an M/M/c queue (Erlang C).

    ``offered_load`` is arrival rate times mean duration (in Erlangs); it must be
    below ``staff`` for the queue to be stable.
    """
    if offered_load >= staff:
        raise ValueError("unstable queue: offered load must be below the number of staff")
    term = 1.0
    total = 1.0
    for k in range(1, staff):
        term *= offered_load / k
        total += term
    top = term * offered_load / staff / (1 - offered_load / staff)
    return top / (total + top)


def mmc_wait(rate_per_day: float, mean_days: float, staff: int) -> float:
    """Mean wait in queue (days) of an M/M/c queue."""
    load = rate_per_day * mean_days
    return erlang_c(staff, load) * mean_days / (staff - load)


def mmc_utilisation(rate_per_day: float, mean_days: float, staff: int) -> float:
    """Long-run share of staff time busy in an M/M/c queue."""
    return rate_per_day * mean_days / staff
