"""Behavioural signals an analyst checks before trusting a statement: one document, ``signals.json``.

Bounce attribution, window dressing, related-party and multi-hop round trips, the owner's own money
counted apart, loan stacking, ITC claimed beyond GSTR-2B, and OD/CC conduct: each a metric object
(formula, inputs with the record ids behind it) with ``flagged`` and the lines behind it, gathered from
the analyzers that compute them (:mod:`analytics.signals.build`).
"""
from analytics.signals.build import SIGNAL_NAMES, build_signals

__all__ = ["SIGNAL_NAMES", "build_signals"]
