"""Write the API's OpenAPI schema to ``docs/api/openapi.json`` (the snapshot).

``make test`` fails when the committed snapshot differs from the schema the
code generates; run this command after changing the API and commit the file.
"""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from crm.api.main import api

# crm/api/management/commands/ -> the repository root.
SNAPSHOT = Path(__file__).resolve().parents[4] / "docs" / "api" / "openapi.json"


def schema_text() -> str:
    """Return the generated schema as the snapshot's text (sorted, indented)."""
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = "Write the API's OpenAPI schema to docs/api/openapi.json."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Fail if the snapshot differs instead of writing it.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        text = schema_text()
        if options["check"]:
            current = SNAPSHOT.read_text() if SNAPSHOT.exists() else ""
            if current != text:
                self.stderr.write(
                    "docs/api/openapi.json is out of date: run "
                    "`manage.py openapi_snapshot` and commit it."
                )
                raise SystemExit(1)
            return
        SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
        SNAPSHOT.write_text(text)
        self.stdout.write(f"Wrote {SNAPSHOT}.")
