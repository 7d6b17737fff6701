"""Quote sourcing, our "Solution Builder" (SPEC G2).

A quote source is anything with ``quote(request) -> list[Quote]``
(:class:`QuoteSource`). The built-in :class:`RateTableSource` prices from the
rate tables shipped in ``data/rates.json``; a panel service or a network's
quoting API would be another source. :func:`quote_all` asks every source and
sorts the answers by premium.
"""

import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from crm.protection.choices import BenefitType, CoverBasis

RATES_FILE = Path(__file__).parent / "data" / "rates.json"
PENNY = Decimal("0.01")
BASE_TERM = 20
PER = Decimal(1000)

# What the rate tables price; the other benefit types are entered by hand.
QUOTABLE = (
    BenefitType.LIFE,
    BenefitType.CRITICAL_ILLNESS,
    BenefitType.INCOME_PROTECTION,
    BenefitType.FAMILY_INCOME_BENEFIT,
)
# Decreasing cover follows a repayment mortgage: life and critical illness only.
DECREASING_TYPES = frozenset({BenefitType.LIFE, BenefitType.CRITICAL_ILLNESS})


@dataclass(frozen=True)
class QuoteRequest:
    """One life to price: their age and smoking, and the cover wanted."""

    age: int
    smoker: bool
    benefit_type: str
    amount: Decimal
    term_years: int
    cover_basis: str = CoverBasis.LEVEL


@dataclass(frozen=True)
class Quote:
    """One provider's price for a request, a monthly premium."""

    source: str
    provider_code: str
    provider: str
    product: str
    benefit_type: str
    amount: Decimal
    term_years: int
    cover_basis: str
    premium: Decimal

    @property
    def reference(self) -> str:
        """Return the quote's id, which Select posts back."""
        return f"{self.source}:{self.provider_code}"

    @property
    def benefit_label(self) -> str:
        """Return the benefit type's label."""
        return str(BenefitType(self.benefit_type).label)

    @property
    def basis_label(self) -> str:
        """Return the cover basis's label."""
        return str(CoverBasis(self.cover_basis).label)


class QuoteSource(Protocol):
    """Something that prices a request across one or more providers."""

    key: str

    def quote(self, request: QuoteRequest) -> list[Quote]: ...


@cache
def load_rates(path: Path = RATES_FILE) -> dict[str, Any]:
    """Return the rate tables, with every number a ``Decimal``."""
    with path.open(encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f, parse_float=Decimal)
    for provider in data["providers"]:
        for name in ("smoker_factor", "decreasing_factor", "term_step"):
            provider[name] = Decimal(provider[name])
        for name in ("policy_fee", "minimum_premium"):
            provider[name] = Decimal(provider[name])
        provider["rates"] = {
            kind: [Decimal(r) for r in rates]
            for kind, rates in provider["rates"].items()
        }
    return data


def _band(bands: list[list[int]], age: int) -> int | None:
    for index, (low, high) in enumerate(bands):
        if low <= age <= high:
            return index
    return None


def price(provider: dict[str, Any], band: int, request: QuoteRequest) -> Decimal:
    """Return one provider's monthly premium for ``request`` at age ``band``."""
    rate: Decimal = provider["rates"][request.benefit_type][band]
    premium: Decimal = request.amount / PER * rate
    if request.smoker:
        premium *= provider["smoker_factor"]
    premium *= 1 + provider["term_step"] * (request.term_years - BASE_TERM)
    if request.cover_basis == CoverBasis.DECREASING:
        premium *= provider["decreasing_factor"]
    premium += provider["policy_fee"]
    minimum: Decimal = provider["minimum_premium"]
    premium = max(premium, minimum)
    return premium.quantize(PENNY, rounding=ROUND_HALF_UP)


class RateTableSource:
    """The built-in source: prices from the rate tables shipped with Casework."""

    key = "rates"

    def __init__(self, path: Path = RATES_FILE) -> None:
        self.path = path

    def quote(self, request: QuoteRequest) -> list[Quote]:
        """Return a quote from every provider that offers this cover."""
        data = load_rates(self.path)
        band = _band(data["age_bands"], request.age)
        if band is None:
            return []
        basis = request.cover_basis
        if request.benefit_type not in DECREASING_TYPES:
            basis = CoverBasis.LEVEL
        request = QuoteRequest(
            age=request.age,
            smoker=request.smoker,
            benefit_type=request.benefit_type,
            amount=request.amount,
            term_years=request.term_years,
            cover_basis=basis,
        )
        quotes = []
        for provider in data["providers"]:
            if request.benefit_type not in provider["rates"]:
                continue
            expiry = provider["max_expiry_age"][request.benefit_type]
            if request.age + request.term_years > expiry:
                continue
            quotes.append(
                Quote(
                    source=self.key,
                    provider_code=provider["code"],
                    provider=provider["name"],
                    product=provider["products"][request.benefit_type],
                    benefit_type=request.benefit_type,
                    amount=request.amount,
                    term_years=request.term_years,
                    cover_basis=basis,
                    premium=price(provider, band, request),
                )
            )
        return quotes


def sources() -> list[QuoteSource]:
    """Return the quote sources to ask (the built-in rate tables today)."""
    return [RateTableSource()]


def quote_all(request: QuoteRequest) -> list[Quote]:
    """Return every source's quotes for ``request``, cheapest first."""
    found = [q for source in sources() for q in source.quote(request)]
    return sorted(found, key=lambda q: (q.premium, q.provider))
