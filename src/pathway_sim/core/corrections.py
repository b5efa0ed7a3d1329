"""Multiple-comparison corrections a comparison's intervals may use.

A module of its own, without numpy or scipy, so that the command line can list
them in its help without importing the statistics.
"""

CORRECTIONS = ("none", "bonferroni")
