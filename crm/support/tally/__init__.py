"""The score tally: the latest outcome scores per firm, period, scale and pathway.

Kept by the outcome services (``crm.support.services.outcomes``) and the
support case service that changes a case's pathway, in the same transaction
as the change (``services``); read by the funder report (``selectors``). The
design is in ``crm.core.rollups``: grains ``a``/``m``/``d`` of the day a set
was recorded. Only a series' latest set (``ScoreSet.is_latest``) counts, so
each case counts once per scale and scorer, under its pathway (0: none),
with its latest average and its baseline kept as sums beside the count.
"""
