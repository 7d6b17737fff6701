"""The policy tally: placed policies and their annual premiums per firm,
period, person, provider and status.

Kept by the policy services in the same transaction as the change they
count (``services``), read by the premiums report (``selectors``); the
design is in ``crm.core.rollups``. Only placed policies (submitted or on
risk) are counted, by the local day they were added, at three grains, for
everyone (``by`` ``a``), per owner of the case (``o``), per introducer
(``i``) and per owner and introducer (``x``). Beside the count ``n`` each
row keeps ``annual``, the sum of the annual premiums (a monthly premium
twelve times, none as nothing), and ``priced``, how many of the policies
have a premium (a report shows no sum where none has).
"""
