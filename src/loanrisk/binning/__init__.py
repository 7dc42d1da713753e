"""Binning and Weight of Evidence: optimal bins per feature on optbinning.

``WoE = ln(%good / %bad)``: a higher WoE means lower risk.
"""

from loanrisk.binning._bins import FeatureBins
from loanrisk.binning._woe import WoEBinner

__all__ = ["FeatureBins", "WoEBinner"]
