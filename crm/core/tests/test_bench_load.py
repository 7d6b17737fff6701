"""The load test's figures: the web workers' CPU a request (issue 21 item 1)."""

import os
import subprocess
import sys
import time

from bench import load, report

WRK_OUT = """Running 20s test @ http://127.0.0.1:8000/cases/
  2 threads and 8 connections
  1200 requests in 20.00s, 30.00MB read
Requests/sec:     60.00
Transfer/sec:      1.50MB
P95_US 166000
TIMEOUTS 0
"""


def test_parse_turns_worker_cpu_into_requests_per_web_core():
    """1,200 requests for 12 s of worker CPU: 10 ms a request, 100 per core."""
    result = load._parse(WRK_OUT, "/cases/", 20, 8, worker_cpu_seconds=12.0).as_dict()
    assert result["requests_per_second"] == 60.0
    assert result["worker_cpu_ms"] == 10.0
    assert result["web_per_core"] == 100.0


def test_workers_cpu_counts_the_children_of_the_server():
    """A child that burns about 0.3 s of CPU is counted."""
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time\nt = time.process_time()\n"
            "while time.process_time() - t < 0.3: pass\ntime.sleep(30)",
        ]
    )
    try:
        deadline = time.monotonic() + 20
        used = 0.0
        while time.monotonic() < deadline and used < 0.3:
            time.sleep(0.1)
            used = load._workers_cpu_seconds(os.getpid())
        assert used >= 0.25
    finally:
        child.kill()
        child.wait()


def test_report_judges_the_web_core_figure_when_measured():
    """The budget is per core of a web node when the workers' CPU was read;
    older results keep the machine's rate over all its cores."""
    base = {
        "path": "/cases/",
        "workers": 4,
        "connections": 8,
        "seconds": 20,
        "requests_per_second": 60.0,
        "per_core": 30.0,
        "cores": 2,
        "p95_ms": 166.0,
        "non_2xx": 0,
        "timeouts": 0,
    }
    fast = report._throughput(
        {"throughput": {**base, "worker_cpu_ms": 6.0, "web_per_core": 166.7}}
    )[0]
    assert "6.0 ms of CPU a request" in fast
    assert "**167 requests/s per core** of a web node" in fast
    assert fast.endswith("pass.")
    slow = report._throughput(
        {"throughput": {**base, "worker_cpu_ms": 20.0, "web_per_core": 50.0}}
    )[0]
    assert slow.endswith("**under 150 per core**.")
    old = report._throughput({"throughput": base})[0]
    assert "of a web node" not in old
    assert old.endswith("**under 150 per core**.")


def test_report_lists_each_hot_page_against_the_budget():
    """Item 1's other hot pages: a row each, judged per core of a web node."""
    page = {
        "path": "/contacts/7/",
        "workers": 4,
        "connections": 8,
        "seconds": 10,
        "requests_per_second": 90.0,
        "per_core": 45.0,
        "cores": 2,
        "p95_ms": 120.0,
        "non_2xx": 0,
        "timeouts": 0,
        "worker_cpu_ms": 5.0,
        "web_per_core": 200.0,
    }
    slow = {**page, "path": "/cases/3/", "worker_cpu_ms": 10.0, "web_per_core": 100.0}
    lines = report._hot_pages(
        {
            "throughput_pages": [
                {"name": "contact_detail", **page},
                {"name": "case_detail", **slow, "non_2xx": 2},
            ]
        }
    )
    rows = [
        line for line in lines if line.startswith("| contact") or "case_detail" in line
    ]
    assert rows[0].endswith("| 5.0 | 200 | 120.0 | pass |")
    assert rows[1].endswith("| 10.0 | 100 | 120.0 | **under 150**, 2 errors |")
    assert report._hot_pages({}) == []
