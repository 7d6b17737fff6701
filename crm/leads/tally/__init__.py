"""The lead tally: leads received per firm, day and month, by outcome and person.

Kept by the lead services (and the case service that converts a lead) in the
same transaction; read by the lead conversion report. The design is in
``crm.core.rollups``: grains ``m``/``d``, grouping sets everyone (``a``),
owner (``o``), introducer (``i``) and both (``x``). A lead counts in the
local day it was received, under its outcome: converted, not proceeding, or
neither yet (``""``).
"""
