"""Project lint rules that ruff and mypy do not cover (STYLE B10).

Run: .venv/bin/python scripts/lint.py  (exit 1 on any finding)
"""

import re
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIRS = ("crm", "config", "simulator")
HTTP_CLIENT = Path("crm/core/outbound.py")

OBJECTS = re.compile(r"\b[A-Z]\w*\.objects\b")
HTTP_IMPORT = re.compile(
    r"^\s*(import|from)\s+"
    r"(httpx|httpcore|requests|urllib3|aiohttp|http\.client|urllib\.request)\b"
)
PRINT = re.compile(r"(^|[^\w.])print\(")
FSTRING_IN_GETTEXT = re.compile(r"\b(_|gettext|gettext_lazy|ngettext)\(\s*f[\"']")
EVENT_ROW = re.compile(
    r"(?<!class )\b(CaseEvent|LeadEvent|ContactEvent|AuditEvent)"
    r"(\(|\.objects\.(create|bulk_create|get_or_create|update_or_create)\()"
)
# Event rows are written only by the pipeline and the writers apps register.
EVENT_WRITERS = {
    Path("crm/core/events/pipeline.py"),
    Path("crm/cases/registry.py"),
    Path("crm/leads/registry.py"),
    Path("crm/contacts/registry.py"),
}
TYPE_IGNORE = re.compile(r"#\s*type:\s*ignore(?P<code>\[[\w\-, ]+\])?(?P<rest>.*)$")


def python_files() -> Iterator[Path]:
    for folder in SOURCE_DIRS:
        base = ROOT / folder
        if base.exists():
            yield from sorted(base.rglob("*.py"))


def is_view_layer(rel: Path) -> bool:
    return (
        rel.name in {"views.py", "api.py"}
        or "views" in rel.parts[:-1]
        or "templatetags" in rel.parts
    )


def is_test(rel: Path) -> bool:
    return "tests" in rel.parts or "testing" in rel.parts


def may_write_events(rel: Path) -> bool:
    return rel in EVENT_WRITERS or is_test(rel) or rel.parts[0] == "bench"


def check(path: Path) -> Iterator[str]:
    rel = path.relative_to(ROOT)
    if "migrations" in rel.parts:
        return
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        where = f"{rel}:{number}"
        code = line.split("#", 1)[0]
        if is_view_layer(rel) and OBJECTS.search(code):
            yield f"{where}: no Model.objects in views or API; use a selector"
        if not is_test(rel) and rel != HTTP_CLIENT and HTTP_IMPORT.search(line):
            yield f"{where}: HTTP clients only in {HTTP_CLIENT}"
        if not may_write_events(rel) and EVENT_ROW.search(code):
            yield f"{where}: write events through crm.core.events.record"
        if PRINT.search(code):
            yield f"{where}: no print(); use logging or the command's stdout"
        if FSTRING_IN_GETTEXT.search(code):
            yield f"{where}: no f-string inside a translation call"
        match = TYPE_IGNORE.search(line)
        if match and (not match["code"] or "#" not in match["rest"]):
            yield f"{where}: write '# type: ignore[code]  # why'"


def main() -> int:
    findings = [finding for path in python_files() for finding in check(path)]
    for finding in findings:
        sys.stderr.write(finding + "\n")
    sys.stderr.write(f"lint: {len(findings)} finding(s)\n")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
