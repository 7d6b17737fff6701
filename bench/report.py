"""Results: ``bench/results/<date>.json`` (one entry per database and scale) and
``RESULTS.md``.

The budget (issue 7): each page's p95 under 50 ms on PostgreSQL (100 ms on
SQLite), its queries within 1.5x of the hand-written SQL on PostgreSQL, a
constant query count, and at least 150 requests per second per core from
gunicorn on the Cases list. Issue 21 item 5: at a larger scale (5: 5,000,000
contacts in one firm) each page's p95 within 1.25x of its p95 at scale 1,
shown side by side.
"""

import json
from datetime import date
from pathlib import Path
from typing import Any

RESULTS_DIR = Path(__file__).resolve().parent / "results"
RESULTS_MD = Path(__file__).resolve().parent / "RESULTS.md"
P95_BUDGET_MS = {"postgresql": 50.0, "sqlite": 100.0}
SEARCH_BUDGET_MS = 50.0  # header search at 1M contacts, on either database
RAW_RATIO_BUDGET = 1.5
PER_CORE_BUDGET = 150.0
DELIVERIES_BUDGET = 200.0  # Concert Hub deliveries per second, two workers
DELIVERIES_KEPT = 0.8  # of that, with 250,000 finished rows present
BASE_SCALE = 1.0
SCALE_RATIO_BUDGET = 1.25  # p95 at a larger scale against the same page at scale 1


def entry_key(vendor: str, scale: float) -> str:
    """Return the results key of a run: the vendor at scale 1, with the scale else.

    Scale 1 keeps the plain vendor key older results files use, so a run at
    another scale sits beside it instead of overwriting it.
    """
    if float(scale) == BASE_SCALE:
        return vendor
    return f"{vendor} scale {float(scale):g}"


def verdict(vendor: str, op: dict[str, Any]) -> list[str]:
    """Return what ``op`` misses of the budget on ``vendor`` (empty: it passes)."""
    misses = []
    limit = P95_BUDGET_MS.get(vendor, 50.0)
    if op.get("name", "").startswith("search_"):
        limit = min(limit, SEARCH_BUDGET_MS)
    if op["p95_ms"] > limit:
        misses.append(f"p95 over {limit:.0f} ms")
    if vendor == "postgresql" and op["orm_raw_ratio"] > RAW_RATIO_BUDGET:
        misses.append(f"queries over {RAW_RATIO_BUDGET}x raw SQL")
    if op["queries_min"] != op["queries_max"]:
        misses.append("query count varies")
    return misses


def save(vendor: str, entry: dict[str, Any], *, directory: Path = RESULTS_DIR) -> Path:
    """Merge one database's results, at their scale, into today's JSON file.

    Return the file's path.
    """
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{date.today().isoformat()}.json"  # noqa: DTZ011 - a file name
    data: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {}
    data.setdefault("date", date.today().isoformat())  # noqa: DTZ011 - a file name
    key = entry_key(vendor, entry.get("scale", BASE_SCALE))
    data.setdefault("databases", {})[key] = entry
    path.write_text(json.dumps(data, indent=2) + "\n")
    return path


def latest(directory: Path = RESULTS_DIR) -> dict[str, Any]:
    """Return the newest results file's contents (empty when there is none)."""
    files = sorted(directory.glob("*.json"))
    return json.loads(files[-1].read_text()) if files else {}


def _row(vendor: str, op: dict[str, Any]) -> str:
    misses = verdict(vendor, op)
    queries = str(op["queries_min"])
    if op["queries_max"] != op["queries_min"]:
        queries += f"-{op['queries_max']}"
    cells = [
        op["label"],
        f"{op['p50_ms']:.1f}",
        f"{op['p95_ms']:.1f}",
        queries,
        f"{op['query_ms_p50']:.2f}",
        f"{op['raw_ms_p50']:.2f}",
        f"{op['orm_raw_ratio']:.1f}x",
        f"{op['request_query_ratio']:.1f}x",
        "pass" if not misses else "**" + "; ".join(misses) + "**",
    ]
    return "| " + " | ".join(cells) + " |"


HEADER = (
    "| operation | p50 ms | p95 ms | queries | queries ms (p50) | raw SQL ms (p50) "
    "| ORM / raw | request / queries | budget |\n"
    "|---|---:|---:|---:|---:|---:|---:|---:|---|"
)


def _hot_pages(entry: dict[str, Any]) -> list[str]:
    """The other hot pages under the same load, one row each (issue 21 item 1)."""
    pages = entry.get("throughput_pages")
    if not pages:
        return []
    lines = [
        "The hot pages under the same load (gunicorn, `wrk`, each for "
        f"{pages[0]['seconds']} s), budget {PER_CORE_BUDGET:.0f} requests/s per core "
        "of a web node:",
        "",
        "| page | requests/s | workers' CPU ms a request | per web core | p95 ms "
        "| budget |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for page in pages:
        errors = page["non_2xx"] + page.get("timeouts", 0)
        ok = page["web_per_core"] >= PER_CORE_BUDGET and not errors
        lines.append(
            f"| {page['name']} (`{page['path']}`) | {page['requests_per_second']:.0f} "
            f"| {page['worker_cpu_ms']:.1f} | {page['web_per_core']:.0f} "
            f"| {page['p95_ms']:.1f} | "
            + ("pass" if ok else f"**under {PER_CORE_BUDGET:.0f}**")
            + (f", {errors} errors" if errors else "")
            + " |"
        )
    return [*lines, ""]


def _throughput(entry: dict[str, Any]) -> list[str]:
    load = entry.get("throughput")
    if not load:
        return [
            f"Throughput: not measured ({entry.get('throughput_skipped', 'skipped')})."
        ]
    errors = load["non_2xx"] + load.get("timeouts", 0)
    # A core of a web node: the workers' own CPU a request, when measured
    # (older results have only the machine's rate over all its cores).
    web = load.get("web_per_core") or 0.0
    ok = (web or load["per_core"]) >= PER_CORE_BUDGET and not errors
    cpu = (
        f"; the workers used {load['worker_cpu_ms']:.1f} ms of CPU a request, "
        f"so **{web:.0f} requests/s per core** of a web node"
        if web
        else ""
    )
    return [
        f"Throughput on `{load['path']}`: gunicorn, {load['workers']} workers, `wrk` "
        f"with {load['connections']} connections for {load['seconds']} s: "
        f"**{load['requests_per_second']:.0f} requests/s** "
        f"({load['per_core']:.0f} per core on {load['cores']} cores shared with "
        f"`wrk` and the database), p95 {load['p95_ms']:.1f} ms, {errors} errors "
        f"or timeouts{cpu}: "
        + ("pass" if ok else f"**under {PER_CORE_BUDGET:.0f} per core**")
        + "."
    ]


def render(
    data: dict[str, Any],
    notes: str = "",
    baselines: dict[str, tuple[str, dict[str, Any]]] | None = None,
) -> str:
    """Return RESULTS.md for one results file.

    ``baselines`` maps a vendor to (date, scale-1 entry) from an earlier file,
    for a larger-scale run whose file has no scale-1 run to stand beside.
    """
    lines = [
        "# Benchmark results",
        "",
        f"Run {data.get('date', '?')} by `make bench`; raw figures in "
        f"`bench/results/{data.get('date', '?')}.json`. How to read and re-run: "
        "see the README (Benchmarks).",
        "",
    ]
    for key, entry in data.get("databases", {}).items():
        vendor = entry.get("vendor", key)
        counts = ", ".join(f"{k} {v:,}" for k, v in entry.get("counts", {}).items())
        lines += [
            f"## {vendor} (scale {entry.get('scale')}: {counts})",
            "",
            f"{entry.get('requests')} requests per operation through the WSGI handler "
            f"(no network); budget p95 < {P95_BUDGET_MS.get(vendor, 50):.0f} ms "
            f"(search < {SEARCH_BUDGET_MS:.0f} ms)"
            + (
                f", queries <= {RAW_RATIO_BUDGET}x raw SQL"
                if vendor == "postgresql"
                else ""
            )
            + ", constant query count.",
            "",
            HEADER,
            *(_row(vendor, op) for op in entry.get("operations", [])),
            "",
            *_throughput(entry),
            "",
            *_hot_pages(entry),
        ]
    lines += _scales(data, baselines or {})
    lines += _deliveries(data)
    lines += _replica(data)
    if notes:
        lines += [notes.strip(), ""]
    return "\n".join(lines)


def _scales(
    data: dict[str, Any], baselines: dict[str, tuple[str, dict[str, Any]]]
) -> list[str]:
    """Each larger-scale run's p95 beside scale 1's, page by page (issue 21 item 5)."""
    runs = data.get("databases", {})
    lines: list[str] = []
    for key, entry in runs.items():
        vendor = entry.get("vendor", key)
        scale = float(entry.get("scale", BASE_SCALE))
        if scale <= BASE_SCALE:
            continue
        if _is_base(runs.get(vendor)):
            base, since = runs[vendor], ""
        elif vendor in baselines:
            when, base = baselines[vendor]
            since = f" (scale 1 from the run of {when})"
        else:
            continue
        lines += _scale_table(vendor, base, entry, since)
    return lines


def _scale_table(
    vendor: str, base: dict[str, Any], large: dict[str, Any], since: str
) -> list[str]:
    scale = f"{float(large['scale']):g}"
    by_name = {op["name"]: op for op in base.get("operations", [])}
    rows = []
    passed = compared = 0
    for op in large.get("operations", []):
        small = by_name.get(op["name"])
        if small is None:
            rows.append(
                f"| {op['label']} | - | {op['p95_ms']:.1f} | - | - / "
                f"{op['queries_max']} | - / {op['query_ms_p50']:.2f} | not run at 1 |"
            )
            continue
        ratio = op["p95_ms"] / small["p95_ms"] if small["p95_ms"] else float("inf")
        ok = ratio <= SCALE_RATIO_BUDGET
        compared += 1
        passed += ok
        rows.append(
            f"| {op['label']} | {small['p95_ms']:.1f} | {op['p95_ms']:.1f} | "
            f"{ratio:.2f}x | {small['queries_max']} / {op['queries_max']} | "
            f"{small['query_ms_p50']:.2f} / {op['query_ms_p50']:.2f} | "
            + ("pass" if ok else f"**over {SCALE_RATIO_BUDGET}x**")
            + " |"
        )

    def counts(entry: dict[str, Any]) -> str:
        return ", ".join(f"{k} {v:,}" for k, v in entry.get("counts", {}).items())

    return [
        f"## {vendor}: scale {scale} beside scale 1",
        "",
        f"Each page's p95 at scale {scale} ({counts(large)}) against scale 1 "
        f"({counts(base)}){since}; budget: at most {SCALE_RATIO_BUDGET}x. "
        f"{passed} of {compared} pages within it.",
        "",
        f"| operation | p95 ms (1) | p95 ms ({scale}) | ratio | queries (1 / {scale}) "
        f"| queries ms p50 (1 / {scale}) | budget |",
        "|---|---:|---:|---:|---:|---:|---|",
        *rows,
        "",
    ]


def baselines_for(
    data: dict[str, Any], directory: Path = RESULTS_DIR
) -> dict[str, tuple[str, dict[str, Any]]]:
    """Return, per vendor, the newest scale-1 entry of an earlier results file.

    Only for vendors whose larger-scale run in ``data`` has no scale-1 run
    beside it (the two were timed on different days).
    """
    runs = data.get("databases", {})
    wanted = {
        entry.get("vendor", key)
        for key, entry in runs.items()
        if float(entry.get("scale", BASE_SCALE)) > BASE_SCALE
    } - {vendor for vendor in runs if _is_base(runs[vendor])}
    found: dict[str, tuple[str, dict[str, Any]]] = {}
    for path in sorted(directory.glob("*.json"), reverse=True):
        if not wanted - set(found):
            break
        if path.stem >= str(data.get("date", "")):
            continue
        older = json.loads(path.read_text()).get("databases", {})
        for vendor in wanted - set(found):
            if _is_base(older.get(vendor)):
                found[vendor] = (path.stem, older[vendor])
    return found


def _is_base(entry: dict[str, Any] | None) -> bool:
    """Return whether ``entry`` is a run at scale 1 (older files keyed quick runs
    at 0.01 by the vendor alone too)."""
    return entry is not None and float(entry.get("scale", 0)) == BASE_SCALE


def _deliveries(data: dict[str, Any]) -> list[str]:
    """Concert Hub deliveries per second (``manage.py bench_deliveries``)."""
    found = data.get("deliveries", {})
    if not found:
        return []
    lines = [
        "## Concert Hub deliveries",
        "",
        "Queued submissions delivered through the outbox workers to the simulator "
        f"(budget: {DELIVERIES_BUDGET:.0f}/s with two workers, and at least "
        f"{DELIVERIES_KEPT:.0%} of that with 250,000 finished rows present).",
        "",
        "| database | messages | workers | per second | with finished rows | budget |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for vendor, run in found.items():
        kept = run["per_second_with_finished"] / max(run["per_second"], 0.001)
        ok = run["per_second"] >= DELIVERIES_BUDGET and kept >= DELIVERIES_KEPT
        lines.append(
            f"| {vendor} | {run['messages']:,} | {run['workers']} | "
            f"{run['per_second']:.0f} | {run['per_second_with_finished']:.0f} "
            f"({run['finished_rows']:,} rows, {kept:.0%}) | "
            + ("pass" if ok else "**under budget**")
            + " |"
        )
    cpu_rows = [
        f"| {vendor} | {cpu['workers']} | {cpu['simulator']} | {cpu['database']} "
        f"| {cpu['total']} | {2000 / max(cpu['total'], 0.001):.0f} |"
        for vendor, run in found.items()
        if (cpu := run.get("cpu_ms_per_delivery"))
    ]
    if cpu_rows:
        lines += [
            "",
            "CPU milliseconds one delivery costs, summed over the processes that "
            "did the work (unlike the rate, this holds when other work shares "
            "the machine); the last column is the rate two fully used cores "
            "would allow.",
            "",
            "| database | workers | simulator | database server | total "
            "| per second on 2 cores |",
            "|---|---:|---:|---:|---:|---:|",
            *cpu_rows,
        ]
    return [*lines, ""]


def _replica(data: dict[str, Any]) -> list[str]:
    """List-page throughput with and without the replica (``bench_replica``)."""
    found = data.get("replica")
    if not found:
        return []
    counts = ", ".join(f"{k} {v:,}" for k, v in found.get("counts", {}).items())
    lines = [
        "## Read replica and PgBouncer",
        "",
        f"`{found['path']}` loaded by `wrk` through gunicorn on a primary and its "
        "streaming standby on this machine (`make bench-replica`, "
        f"`scripts/replica.sh`; {counts}). Both servers share the same cores, so "
        "this shows the routing and its cost, not the gain of a second machine.",
        "",
        "| set-up | requests/s | p95 ms | errors | standby transactions |",
        "|---|---:|---:|---:|---:|",
    ]
    for run in found["runs"]:
        errors = run["non_2xx"] + run.get("timeouts", 0)
        lines.append(
            f"| {run['setup']} | {run['requests_per_second']:.0f} | "
            f"{run['p95_ms']:.1f} | {errors} | {run['standby_transactions']:,} |"
        )
    return [*lines, ""]


def write_markdown(data: dict[str, Any], notes_file: Path | None = None) -> Path:
    """Write RESULTS.md from ``data``, appending the notes file if there is one."""
    notes = notes_file.read_text() if notes_file and notes_file.exists() else ""
    RESULTS_MD.write_text(render(data, notes, baselines_for(data)))
    return RESULTS_MD
