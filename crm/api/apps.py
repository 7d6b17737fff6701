from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The REST API, its tokens and their Settings page (K1-K2)."""

    name = "crm.api"
    label = "api"
    verbose_name = "API"

    def ready(self) -> None:
        from crm.api import principals as api_principals
        from crm.core import nav, principals
        from crm.core.permissions import Perm

        principals.register_resolver(api_principals.resolve_token, first=True)
        nav.register(
            nav.SETTINGS,
            nav.NavItem(
                "API tokens", "api_tokens:token_list", order=75, perm=Perm.MANAGE_FIRM
            ),
        )
