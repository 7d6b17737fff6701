"""The submission contract: formats, enumerations and the demo network IDs.

``docs/concert-hub/*.schema.json`` describe the same contract for readers;
a test checks that the schemas and these constants agree.
"""

import re

SCHEMA_VERSION = "1"

FIRM_ID = re.compile(r"F\d{6}\Z")
ADVISER_UID = re.compile(r"A\d{6}\Z")
SUBMISSION_ID = re.compile(r"CH-\d{6,}\Z")
CASE_REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9/_.-]{0,39}\Z")
CLIENT_REF = re.compile(r"[A-Za-z0-9_-]{1,20}\Z")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
POSTCODE = re.compile(r"[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\Z", re.IGNORECASE)
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+\Z")
PHONE = re.compile(r"\+?[0-9][0-9 ()-]{6,19}\Z")
MONEY = re.compile(r"\d{1,10}(\.\d{1,2})?\Z")

FORMATS: dict[str, re.Pattern[str]] = {
    "firm-id": FIRM_ID,
    "adviser-uid": ADVISER_UID,
    "submission-id": SUBMISSION_ID,
    "case-reference": CASE_REFERENCE,
    "client-ref": CLIENT_REF,
    "date": DATE,
    "uk-postcode": POSTCODE,
    "email": EMAIL,
    "phone": PHONE,
    "money": MONEY,
}

# Benefit types the partner accepts, and the ones it knows but refuses.
BENEFIT_TYPES = (
    "life",
    "critical_illness",
    "life_and_critical_illness",
    "income_protection",
    "family_income_benefit",
)
REFUSED_BENEFIT_TYPES = ("asu", "business_protection", "pmi")
COVER_BASES = ("level", "decreasing", "increasing")
PREMIUM_FREQUENCIES = ("monthly", "annual")
EMPLOYMENT_STATUSES = (
    "employed",
    "self_employed",
    "company_director",
    "retired",
    "unemployed",
    "student",
    "homemaker",
)

MAX_CLIENTS = 2
MAX_POLICIES = 10
MAX_TERM_YEARS = 50
MAX_AGE_YEARS = 100

# Valid demo network IDs, present at start-up (more via POST /admin/firms and
# POST /admin/advisers, or the --firm/--adviser command-line options).
DEMO_FIRMS: dict[str, str] = {
    "F100001": "Harbour Mortgages",
    "F100002": "Rival Advice Ltd",
    "F100003": "Bridge Support Trust",
}
DEMO_ADVISERS: dict[str, tuple[str, str]] = {
    # uid: (firm_id, name)
    "A200001": ("F100001", "Alex Adviser"),
    "A200002": ("F100001", "Sam Adviser"),
    "A200003": ("F100002", "Robin Adviser"),
}

# Stable error codes (docs/concert-hub/README.md lists their meaning).
ERROR_CODES = (
    "invalid_json",
    "idempotency_key_required",
    "idempotency_key_conflict",
    "required",
    "unknown_field",
    "type",
    "format",
    "enum",
    "unsupported_benefit_type",
    "min_length",
    "max_length",
    "min_items",
    "max_items",
    "out_of_range",
    "unknown_reference",
    "duplicate",
    "unknown_firm",
    "unknown_adviser",
    "adviser_not_in_firm",
    "unknown_submission",
    "schema_version",
    "simulated_rejection",
    "rate_limited",
    "internal_error",
    "not_found",
    "method_not_allowed",
)
