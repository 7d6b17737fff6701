"""The bench report at two scales: kept apart, shown side by side (issue 21 item 5)."""

import json

from bench import report


def _op(name, p95, *, queries=7, query_ms=5.0):
    return {
        "name": name,
        "label": name.replace("_", " ").capitalize(),
        "p50_ms": p95 - 3.0,
        "p95_ms": p95,
        "queries_min": queries,
        "queries_max": queries,
        "query_ms_p50": query_ms,
        "raw_ms_p50": query_ms,
        "orm_raw_ratio": 1.0,
        "request_query_ratio": 2.0,
    }


def _entry(scale, *ops, contacts=1_000_000):
    return {
        "vendor": "postgresql",
        "scale": scale,
        "requests": 50,
        "counts": {"contacts": contacts},
        "operations": list(ops),
        "throughput_skipped": "off",
    }


SCALE_1 = _entry(1.0, _op("cases_open", 40.0), _op("income", 180.0, query_ms=150.0))
SCALE_5 = _entry(
    5.0,
    _op("cases_open", 44.0),
    _op("income", 800.0, query_ms=760.0),
    _op("new_page", 20.0),
    contacts=5_000_000,
)


def test_entry_key_is_the_vendor_at_scale_1_and_names_other_scales():
    """Scale 1 keeps the key older files use; other scales carry theirs."""
    assert report.entry_key("postgresql", 1.0) == "postgresql"
    assert report.entry_key("postgresql", 1) == "postgresql"
    assert report.entry_key("postgresql", 5.0) == "postgresql scale 5"
    assert report.entry_key("sqlite", 0.01) == "sqlite scale 0.01"


def test_a_scale_5_run_is_saved_beside_the_scale_1_run(tmp_path):
    """Saving a scale-5 run the same day leaves the scale-1 entry in place."""
    report.save("postgresql", SCALE_1, directory=tmp_path)
    path = report.save("postgresql", SCALE_5, directory=tmp_path)
    runs = json.loads(path.read_text())["databases"]
    assert set(runs) == {"postgresql", "postgresql scale 5"}
    assert runs["postgresql"]["scale"] == 1.0
    assert runs["postgresql scale 5"]["counts"]["contacts"] == 5_000_000


def test_side_by_side_table_gives_each_page_its_ratio_and_verdict():
    """Each page at scale 5 stands beside scale 1 with p95 ratio and verdict."""
    data = {
        "date": "2026-12-06",
        "databases": {"postgresql": SCALE_1, "postgresql scale 5": SCALE_5},
    }
    markdown = report.render(data)
    assert "## postgresql (scale 1.0: contacts 1,000,000)" in markdown
    assert "## postgresql (scale 5.0: contacts 5,000,000)" in markdown
    table = markdown.split("## postgresql: scale 5 beside scale 1")[1]
    assert "budget: at most 1.25x. 1 of 2 pages within it." in table
    assert "| Cases open | 40.0 | 44.0 | 1.10x | 7 / 7 | 5.00 / 5.00 | pass |" in table
    assert (
        "| Income | 180.0 | 800.0 | 4.44x | 7 / 7 | 150.00 / 760.00 "
        "| **over 1.25x** |" in table
    )
    assert "| New page | - | 20.0 | - | - / 7 | - / 5.00 | not run at 1 |" in table


def test_no_side_by_side_table_without_a_larger_scale():
    """A scale-1 run alone, or beside a quick run at 0.01, gets no comparison."""
    quick = _entry(0.01, _op("cases_open", 10.0), contacts=10_000)
    data = {
        "date": "2026-12-06",
        "databases": {"postgresql": SCALE_1, "postgresql scale 0.01": quick},
    }
    assert "beside scale 1" not in report.render(data)


def test_scale_1_from_an_earlier_file_stands_in_when_today_has_none(tmp_path):
    """A scale-5 run timed a day after scale 1 is compared with that day's run;
    an older file's quick run (then keyed by the vendor alone) is passed over."""
    quick = _entry(0.01, _op("cases_open", 10.0), contacts=10_000)
    files = {
        "2026-12-04": {"databases": {"postgresql": SCALE_1}},
        "2026-12-05": {"databases": {"postgresql": quick}},
    }
    for name, data in files.items():
        (tmp_path / f"{name}.json").write_text(json.dumps({"date": name, **data}))
    today = {"date": "2026-12-06", "databases": {"postgresql scale 5": SCALE_5}}
    baselines = report.baselines_for(today, directory=tmp_path)
    assert baselines == {"postgresql": ("2026-12-04", SCALE_1)}
    markdown = report.render(today, baselines=baselines)
    assert "(scale 1 from the run of 2026-12-04)" in markdown
    assert "| Cases open | 40.0 | 44.0 | 1.10x |" in markdown


def test_no_earlier_file_is_read_when_today_has_both_scales(tmp_path):
    """With both runs in today's file there is nothing to look up."""
    (tmp_path / "2026-12-04.json").write_text(
        json.dumps({"date": "2026-12-04", "databases": {"postgresql": SCALE_1}})
    )
    today = {
        "date": "2026-12-06",
        "databases": {"postgresql": SCALE_1, "postgresql scale 5": SCALE_5},
    }
    assert report.baselines_for(today, directory=tmp_path) == {}
