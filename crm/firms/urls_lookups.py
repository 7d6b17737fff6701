"""Settings pages for the firm's reference lists (filled in by the lookups work)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
