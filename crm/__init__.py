"""Casework: a multi-tenant case-management CRM."""

# Keep equal to [project] version in pyproject.toml (a test checks).
__version__ = "0.1.0"
