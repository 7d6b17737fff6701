"""Writes about advice cases. Import the module and call ``services.x``."""

from crm.advice.services.exports import case_export
from crm.advice.services.mortgage import MortgageData, mortgage_update
from crm.advice.services.remortgage import remortgage_open

__all__ = ["MortgageData", "case_export", "mortgage_update", "remortgage_open"]
