"""The income tally: sums of income lines per firm, period, people and flags.

Kept by the income services in the same transaction as the change they sum
(``services``), read by the Income page and the income reports
(``selectors``); the design of summary rows is in ``crm.core.rollups``.

A line counts in a date range when it was expected or received inside it:
with ``lo`` and ``hi`` the earlier and later of its two days (the expected
day alone while not received), when ``hi >= from`` and ``lo <= to``. Each
line is therefore kept twice, under its ``lo`` day (``end`` ``l``) and its
``hi`` day (``end`` ``h``, also for all time), and for a range that does not
run backwards the lines in it are those keyed by ``hi`` from ``from`` on
less those keyed by ``lo`` after ``to`` (the second set lies inside the
first): two reads of the periods from a date onward, whatever the number of
lines. ``flags`` keeps what decides the figures (a clawback, received,
written off), and the sums beside the count are the amount, the amount
received and the two shares of it, per grouping set ``o`` (per owner),
``i`` (per introducer) and ``x`` (per owner and introducer).
"""
