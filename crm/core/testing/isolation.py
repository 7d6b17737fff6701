"""Registry of factories the generic isolation test uses (STYLE T8).

A URL keyword argument such as ``introducer_id`` names the kind of object it
takes. Each app registers, next to its factories, how to make one such object
in a given firm; the isolation test then visits every route with ids of
another firm's objects and expects 404, without being edited for new views.
Where one keyword names different objects in different apps (``case_id`` is
an advice case on ``advice:`` routes and a support case on ``support:``
routes), an app registers ``"<namespace>:<kwarg>"``, which wins over the
plain name for that namespace's routes.
"""

import importlib
from collections.abc import Callable
from typing import Any

from django.apps import apps

IsolationFactory = Callable[[Any], Any]

REGISTRY: dict[str, IsolationFactory] = {}


def register(kwarg: str) -> Callable[[IsolationFactory], IsolationFactory]:
    """Register ``make(firm) -> object`` for URL keyword argument ``kwarg``."""

    def decorator(make: IsolationFactory) -> IsolationFactory:
        if kwarg in REGISTRY and REGISTRY[kwarg] is not make:
            msg = f"Two isolation factories for {kwarg!r}."
            raise ValueError(msg)
        REGISTRY[kwarg] = make
        return make

    return decorator


def factory_for(namespace: str, kwarg: str) -> IsolationFactory | None:
    """Return the factory for ``kwarg`` on a route of ``namespace``, if any."""
    return REGISTRY.get(f"{namespace}:{kwarg}") or REGISTRY.get(kwarg)


def load_registries() -> None:
    """Import every app's ``tests/factories.py``, which fill the test registries.

    They register isolation factories here and test logins in
    ``crm.core.testing.principals``.
    """
    for config in apps.get_app_configs():
        if config.name.startswith(("crm.", "tests.")):
            try:
                importlib.import_module(f"{config.name}.tests.factories")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.tests.factories":
                    raise
