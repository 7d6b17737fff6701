"""The case tally: counts of cases per firm, period, kind, stage and person.

Kept by the case services in the same transaction as the change they count
(``services``), read by the reports (``selectors``); the design is in
``crm.core.rollups``. Facts counted:

- ``o`` open now: open cases by the day they were opened, their stage and
  the kind's detail (the support concern level), per owner (``by`` ``o``)
  and per owner and introducer (``x``); also kept for all time.
- ``n`` opened and ``c`` closed: every case by the day it was opened, and
  every closed case by the day it closed, per kind, for everyone (``a``),
  per owner (``o``), per introducer (``i``) and per owner and introducer
  (``x``).
"""
