"""The New Case wizard (SPEC E1-E9): step forms, draft and preference services, views.

Each step's form is bound to the values the member typed, which the draft
keeps as strings; Create Case binds every step again, so ids are checked
against the firm at the moment the case is written.
"""
