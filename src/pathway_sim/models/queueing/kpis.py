"""The KPIs of the verification networks (``network.py``)."""

from __future__ import annotations

from pathway_sim.models.kpis import KPI

QUEUE_KPIS: tuple[KPI, ...] = (
    KPI(
        "throughput_per_day",
        "OP",
        "Throughput",
        "Completed visits per measured day.",
        "per day",
        "higher",
    ),
    KPI(
        "time_in_system_mean_days",
        "OP",
        "Time in system",
        "Mean days from arrival to leaving.",
        "days",
        "lower",
    ),
    KPI(
        "wait_mean_days",
        "OP",
        "Wait in queue",
        "Sum over services of the mean wait for staff.",
        "days",
        "lower",
    ),
    KPI(
        "utilisation_mean",
        "OP",
        "Utilisation",
        "Mean staff utilisation over services.",
        "proportion",
        "neither",
    ),
)
