"""The wording of the consents a member records on a client's behalf (SPEC M4).

Each wording has a version; a consent record keeps the version the client
agreed to, so a later change of wording does not rewrite what they saw.
Bump the version whenever the text changes. (Credit consent is given by the
client in the portal, which keeps its own wording and version.)
"""

MARKETING_VERSION = "marketing-2026-01"
MARKETING_TEXT = (
    "I agree to receive news and offers from the firm by e-mail, phone and "
    "post. I can withdraw this at any time."
)
