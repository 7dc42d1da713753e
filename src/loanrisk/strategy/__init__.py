"""Cut-off strategy for application scorecards.

The functions here take scorecard POINTS by default (``higher_is_riskier=False``:
higher is safer, approve ``score >= cutoff``); pass ``higher_is_riskier=True`` for PDs.

.. versionadded:: 0.1.0

Examples
--------
>>> from loanrisk.strategy import choose_cutoff
>>> choose_cutoff([500, 550, 600, 650], [1, 0, 1, 0], target_approval_rate=0.5).cutoff
600.0
"""

from loanrisk.strategy._cutoff import CutoffResult, choose_cutoff, cutoff_table

__all__ = ["CutoffResult", "choose_cutoff", "cutoff_table"]
