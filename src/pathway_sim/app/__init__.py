"""The workshop what-if app (Streamlit): pick a site and levers, run them against the
site's base on common random numbers, watch the Theory of Change outcomes move.

``levers`` reads the scenario library, ``jobs`` runs replications in the background,
``results`` turns them into the report's tables and files, ``presets`` precomputes the
library, ``page`` is the Streamlit script and ``server`` starts it.
"""
