"""Units of the simulation clock: it runs in days; gestation and schedules speak in weeks,
rates and follow-up in years."""

DAYS_PER_WEEK = 7.0
DAYS_PER_YEAR = 365.0
"""A year of 365 days: rates per year and follow-up to 12 months use the calendar year."""
