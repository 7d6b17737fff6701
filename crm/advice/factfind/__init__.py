"""Fact Find per client and Demands & Needs per case (SPEC F1, F2).

``models`` holds the tables, ``forms`` the section forms, ``services`` every
write (each recording an event through ``crm.core.events.record``),
``selectors`` the reads and ``views`` the htmx section endpoints on the case
page. What a section must contain is ``crm.advice.completeness``.
"""
