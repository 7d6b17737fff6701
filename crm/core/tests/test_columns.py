"""A column reference's direct identity equals Django's generic one."""

import pytest
from django.db.models import F
from django.db.models.expressions import Col, Expression

from crm.cases.models import Case
from crm.contacts.models import Contact
from crm.core import columns


def _generic(col: Col) -> object:
    return vars(Expression)["identity"].func(col)


def _selected_columns() -> list[Col]:
    """Return the Cols of a few real queries: joins, annotations, aliases."""
    found = []
    for qs in (
        Contact.objects.all().order_by("last_name", "id"),
        Case.objects.select_related("owner", "introducer").order_by("-created_at"),
        Case.objects.annotate(who=F("owner__first_name")).order_by("who"),
    ):
        compiler = qs.query.get_compiler("default")
        compiler.setup_query()
        found += [expr for expr, _, _ in compiler.select if isinstance(expr, Col)]
    return found


@pytest.mark.django_db
def test_column_identity_is_djangos():
    """Every selected column of real queries hashes and compares as Django's own."""
    cols = _selected_columns()
    assert len(cols) > 80
    for col in cols:
        assert col.identity == _generic(col)
        assert hash(col) == hash(_generic(col))
    # Relabelled copies and every way of passing the arguments.
    col = cols[0]
    made = [
        Col(col.alias, col.target),
        Col(col.alias, col.target, col.output_field),
        Col(alias=col.alias, target=col.target),
        Col(col.alias, target=col.target, output_field=col.output_field),
        Col(None, col.target),  # type: ignore[arg-type]  # Django builds these for unaliased columns
        col.relabeled_clone({col.alias: "T9"}),
    ]
    for other in made:
        assert other.identity == _generic(other)
    assert made[0] == made[2] == col
    assert made[4] != col
    assert made[5] != col


def test_column_identity_is_installed_and_leaves_subclasses_to_django():
    """Col has the direct identity; a subclass of Col still gets Django's."""
    assert vars(Col)["identity"].func is columns._col_identity

    class Wider(Col):
        pass

    target = Contact._meta.get_field("last_name")
    wider = Wider("T1", target)
    assert wider.identity == _generic(wider)
    assert wider.identity[0] is Wider


@pytest.mark.django_db
def test_column_converters_are_djangos():
    """Every selected column gets the converters Django's own method gives."""
    from django.db import connection

    cols = _selected_columns()
    assert any(col.target is col.output_field for col in cols)
    for col in cols:
        assert col.get_db_converters(connection) == columns._django_converters(
            col, connection
        )
    target = Contact._meta.get_field("created_at")
    other = Case._meta.get_field("created_at")
    mixed = Col("T1", target, other)
    assert mixed.get_db_converters(connection) == columns._django_converters(
        mixed, connection
    )
    assert Col.get_db_converters is columns._col_converters
