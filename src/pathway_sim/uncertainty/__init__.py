"""Probabilistic sensitivity analysis and value of information.

How sure is a verdict once the model's inputs are themselves uncertain, and which
missing evidence would most change the decision? An uncertainty file (``spec``) names
the scenarios and which parameters vary; ``sample`` draws parameter sets from the
register's distributions and applies one to a scenario; ``differences``, ``decision``,
``ceac`` and ``voi`` turn the simulated draws into probabilities of each verdict,
cost-effectiveness acceptability curves and the expected value of (partial) perfect
information. docs/uncertainty.md gives the method and its limits.
"""
