"""What the demo support cases say: titles, needs, notes and reasons that fit.

Close reasons fit the case's pathway and interaction notes fit their type,
so a Wellbeing case never closes on a debt relief order and a text message
never reads as a home visit (issue 14 item 9).
"""

CLOSE_REASONS: dict[str | None, tuple[str, ...]] = {
    "Housing Support": (
        "Settled in the new tenancy; support no longer needed.",
        "Moved out of the area; passed on to the local housing service.",
    ),
    "Debt Advice": (
        "Debt relief order approved; goals met.",
        "Payment plan agreed with every creditor; support no longer needed.",
    ),
    "Mentoring": (
        "Started the training course; goals met.",
        "Client asked to end the mentoring for now.",
    ),
    "Wellbeing": (
        "Goes to the local group each week; support no longer needed.",
        "Registered with a GP and the carer's assessment is done; goals met.",
        "Client asked to end support; knows how to get back in touch.",
    ),
    None: ("Client asked to end support for now.",),
}
REOPEN_REASONS: dict[str | None, str] = {
    "Housing Support": "Client got back in touch: a new eviction notice.",
    "Debt Advice": "Client got back in touch: new arrears letters from the council.",
    "Mentoring": "Client got back in touch: lost the job and wants help again.",
    "Wellbeing": "Client got back in touch: struggling again since the winter.",
    None: "Client got back in touch and asked for support again.",
}
# Per pathway: case titles (one per case); needs, outcomes and planned support
# (two of each picked per case); the service the pathway works with.
CONTENT = {
    "Housing Support": (
        (
            "Rent arrears and eviction risk",
            "Moving on from temporary housing",
            "Damp flat and a landlord who won't repair",
            "Sofa-surfing after leaving care",
        ),
        ("A safe, stable home", "Understand the tenancy", "Furniture for the flat"),
        ("Long-term tenancy secured", "Arrears cleared", "Repairs done"),
        ("Apply for a housing payment", "Viewing with housing officer", "Bid weekly"),
        "Bristol Housing Association",
    ),
    "Debt Advice": (
        (
            "Priority debts and bailiff letters",
            "Council tax and energy arrears",
            "Payday loans and an overdraft",
            "Benefit overpayment being clawed back",
        ),
        ("Know what is owed", "Keep the power on", "Stop the bailiff visits"),
        ("Affordable payment plan", "Debt relief order in place", "Benefits check"),
        ("Budget sheet together", "Call the energy supplier", "Gather the letters"),
        "Fishponds Law Centre",
    ),
    "Mentoring": (
        (
            "Back into work after prison",
            "Confidence and routine",
            "Leaving school with no plan",
            "Getting back to college",
        ),
        ("Help with a CV", "Someone to talk to each week", "A bank account and ID"),
        ("Starts a training course", "In paid work", "Volunteers once a week"),
        ("Weekly mentoring session", "Jobcentre visit together", "Apply for ID"),
        "Temple Quay Family Law",
    ),
    "Wellbeing": (
        (
            "Isolation after bereavement",
            "Low mood and missed GP appointments",
            "Caring for a parent alone",
            "Anxiety about leaving the house",
        ),
        ("Regular contact with people", "Help to attend appointments", "A break"),
        ("Joins a local group", "Registered with a GP", "Carer's assessment done"),
        ("Find a befriending group", "Go to the GP together", "Carer's referral"),
        "Citywide Food Bank",
    ),
}
LINK_NOTES = (
    "Rang to introduce the case and agree who does what.",
    "Sent the referral form with the client's consent.",
    "",
)
# Per interaction type: notes that fit it (a text message is not a home visit).
INTERACTION_NOTES = {
    "Home visit": (
        "Visited at home; talked through the week and the letters that came.",
        "Home visit: read the new letter through together at the kitchen table.",
    ),
    "Phone call": (
        "Phoned to check how the appointment went.",
        "Client rang upset about a letter; went through it on the phone.",
    ),
    "E-mail": (
        "E-mailed the list of documents to bring next time.",
        "Sent the form by e-mail with notes on what to fill in.",
    ),
    "Text message": (
        "Texted a reminder about Thursday.",
        "Text to confirm the time of the next visit.",
    ),
    "Office appointment": ("Met at the hub; filled in the form together.",),
}
OTHER_NOTES = ("Checked in on how things are going and agreed the next step.",)
REOPEN_NOTES = {
    "Home visit": "Visited after the reopening; went through the new letters.",
    "Phone call": "Rang after the reopening to agree what happens next.",
}
TASKS = (
    ("Chase the housing officer about the viewing", -6),
    ("Send the budget sheet to the client", -2),
    ("Call the GP surgery about the referral", 0),
    ("Book the next home visit", 0),
    ("Check the benefits claim has been received", 3),
    ("Review the planned support with the client", 10),
)
