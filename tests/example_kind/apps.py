"""A throwaway case kind, installed by the test settings only.

It is the worked example of docs/architecture.md ("How to add a case kind"):
an app registers its kind, history entries and page sections in ``ready()``
and adds no migration to ``crm.cases``. Its tests prove that.
"""

from django.apps import AppConfig


class ExampleKindConfig(AppConfig):
    """Grant applications: a kind of case no real firm has."""

    name = "tests.example_kind"
    label = "example_kind"
    verbose_name = "Example kind (tests only)"

    def ready(self) -> None:
        from tests.example_kind import registry

        registry.register()
