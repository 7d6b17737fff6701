"""Pricing from the rate tables, checked against hand-worked examples (G2)."""

from decimal import Decimal

from crm.protection.quotes import QuoteRequest, RateTableSource, load_rates, quote_all


def _by_provider(request: QuoteRequest) -> dict[str, Decimal]:
    return {q.provider_code: q.premium for q in RateTableSource().quote(request)}


def test_rate_tables_have_six_providers_and_four_cover_types():
    """The shipped tables price at least six providers and the four cover types."""
    providers = load_rates()["providers"]
    assert len(providers) >= 6
    kinds = {kind for p in providers for kind in p["rates"]}
    assert kinds == {
        "life",
        "critical_illness",
        "income_protection",
        "family_income_benefit",
    }


def test_level_life_for_a_non_smoker():
    """Aviva, 35, £250,000 level life over 25 years.

    250 x 0.08 = 20.00; x (1 + 0.015 x 5) = 21.50; + £0.50 fee = £22.00.
    """
    request = QuoteRequest(
        age=35,
        smoker=False,
        benefit_type="life",
        amount=Decimal(250000),
        term_years=25,
    )
    assert _by_provider(request)["aviva"] == Decimal("22.00")


def test_decreasing_critical_illness_for_a_smoker():
    """Legal & General, 45, smoker, £100,000 decreasing CI over 15 years.

    100 x 0.72 = 72; x 2.05 = 147.60; x (1 - 0.016 x 5) = 135.792;
    x 0.60 decreasing = 81.4752; no fee: £81.48.
    """
    request = QuoteRequest(
        age=45,
        smoker=True,
        benefit_type="critical_illness",
        amount=Decimal(100000),
        term_years=15,
        cover_basis="decreasing",
    )
    assert _by_provider(request)["legal_general"] == Decimal("81.48")


def test_small_cover_pays_the_minimum_premium():
    """Vitality, 25, £10,000 over 10 years: 0.4482 a month, so the £7 minimum."""
    request = QuoteRequest(
        age=25, smoker=False, benefit_type="life", amount=Decimal(10000), term_years=10
    )
    assert _by_provider(request)["vitality"] == Decimal("7.00")


def test_income_protection_is_always_level():
    """Decreasing applies to life and CI only; income protection is priced level.

    Royal London, 30, £2,000 a month over 20 years: 2 x 23.71 = £47.42.
    """
    request = QuoteRequest(
        age=30,
        smoker=False,
        benefit_type="income_protection",
        amount=Decimal(2000),
        term_years=20,
        cover_basis="decreasing",
    )
    quotes = {q.provider_code: q for q in RateTableSource().quote(request)}
    assert quotes["royal_london"].premium == Decimal("47.42")
    assert quotes["royal_london"].cover_basis == "level"


def test_providers_without_the_cover_or_past_the_expiry_age_do_not_quote():
    """Family income benefit has four providers; CI past 75 has none."""
    fib = QuoteRequest(
        age=40,
        smoker=False,
        benefit_type="family_income_benefit",
        amount=Decimal(30000),
        term_years=20,
    )
    assert set(_by_provider(fib)) == {"aviva", "legal_general", "royal_london", "lv"}
    late = QuoteRequest(
        age=60,
        smoker=False,
        benefit_type="critical_illness",
        amount=Decimal(50000),
        term_years=20,
    )
    assert _by_provider(late) == {}
    too_young = QuoteRequest(
        age=17, smoker=False, benefit_type="life", amount=Decimal(1), term_years=5
    )
    assert _by_provider(too_young) == {}


def test_quote_all_is_cheapest_first():
    """Every source's quotes come back sorted by premium."""
    request = QuoteRequest(
        age=35, smoker=False, benefit_type="life", amount=Decimal(250000), term_years=25
    )
    premiums = [q.premium for q in quote_all(request)]
    assert len(premiums) == 6
    assert premiums == sorted(premiums)
