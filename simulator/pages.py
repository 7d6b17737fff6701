"""The simulator's human-readable HTML pages (escaped by hand, no templates)."""

import json
from collections.abc import Iterable
from html import escape
from typing import Any

from simulator.store import Submission

STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1b1f24;background:#f6f7f9}
header{background:#1f3a5f;color:#fff;padding:14px 24px}
header h1{margin:0;font-size:20px} header p{margin:4px 0 0;opacity:.85}
main{padding:16px 24px} table{border-collapse:collapse;width:100%;background:#fff}
th,td{border:1px solid #d0d5dc;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#eef1f5} td:nth-child(-n+4){white-space:nowrap}
.muted{color:#5b6570} code,pre{font-size:13px}
pre{background:#fff;border:1px solid #d0d5dc;padding:12px;overflow:auto}
.tag{display:inline-block;background:#e4ecf7;border-radius:3px;padding:0 5px;margin:1px}
"""


def _page(title: str, body: str) -> bytes:
    html = (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
        "<header><h1>Concert Hub simulator</h1>"
        "<p>Stand-in for the network platform. Not the real Concert Hub.</p></header>"
        f"<main>{body}</main></body></html>"
    )
    return html.encode()


def _clients(submission: Submission) -> str:
    clients = submission.payload["kyc"]["clients"]
    return "<br>".join(
        escape(f"{c['first_name']} {c['last_name']} ({c['date_of_birth']})")
        for c in clients
    )


def _policies(submission: Submission) -> str:
    policies = submission.payload["mp"]["policies"]
    return "<br>".join(
        f"<span class='tag'>{escape(p['benefit_type'])}</span> "
        + escape(
            f"{p['provider']}: £{p['benefit_amount']}, "
            f"£{p['premium']['amount']} {p['premium']['frequency']}"
        )
        for p in policies
    )


def _faults(faults: dict[str, Any]) -> str:
    rates = faults["rates"]
    if not rates:
        return (
            "<p class='muted'>No global faults. Per request: the X-Simulate header.</p>"
        )
    listed = ", ".join(f"{escape(k)} {v:.0%}" for k, v in rates.items())
    return (
        f"<p>Global faults: {listed} (seed {escape(str(faults['seed']))}); "
        f"injected so far: {escape(json.dumps(faults['injected']))}.</p>"
    )


def _rows(submissions: Iterable[Submission]) -> str:
    return "".join(
        "<tr>"
        f"<td><a href='/submissions/{escape(s.id)}'>{escape(s.id)}</a></td>"
        f"<td>{escape(s.received_at.strftime('%Y-%m-%d %H:%M:%S'))} UTC</td>"
        f"<td>{escape(s.payload['case_reference'])}"
        + (
            "<br><span class='muted'>amends "
            f"{escape(s.payload['amends_submission_id'])}</span>"
            if s.payload.get("amends_submission_id")
            else ""
        )
        + "</td>"
        f"<td>{escape(s.payload['firm_id'])}<br>{escape(s.payload['adviser_uid'])}</td>"
        f"<td>{_clients(s)}</td><td>{_policies(s)}</td>"
        f"<td><code>{escape(s.idempotency_key)}</code>"
        f"<br><span class='muted'>{s.replays} replay(s)</span></td>"
        "</tr>"
        for s in submissions
    )


def index(submissions: list[Submission], faults: dict[str, Any]) -> bytes:
    """Return the page listing every received submission, newest first."""
    if submissions:
        table = (
            "<table><thead><tr><th scope='col'>Submission</th>"
            "<th scope='col'>Received</th>"
            "<th scope='col'>Case</th><th scope='col'>Firm / adviser</th>"
            "<th scope='col'>Clients (KYC)</th>"
            "<th scope='col'>Policies (M&amp;P)</th>"
            "<th scope='col'>Idempotency key</th></tr></thead>"
            f"<tbody>{_rows(submissions)}</tbody></table>"
        )
    else:
        table = "<p>No submissions received yet.</p>"
    body = f"<h2>Received submissions ({len(submissions)})</h2>{_faults(faults)}{table}"
    return _page("Concert Hub simulator", body)


def detail(submission: Submission) -> bytes:
    """Return the page showing one submission as received."""
    payload = json.dumps(submission.payload, indent=2, ensure_ascii=False)
    body = (
        "<p><a href='/'>All submissions</a></p>"
        f"<h2>Submission {escape(submission.id)}</h2>"
        f"<p>Received {escape(submission.received_at.isoformat())}, "
        f"idempotency key <code>{escape(submission.idempotency_key)}</code>, "
        f"{submission.replays} replay(s).</p><pre>{escape(payload)}</pre>"
    )
    return _page(f"Submission {submission.id}", body)


def not_found(submission_id: str) -> bytes:
    body = (
        f"<p>No submission {escape(submission_id)}. <a href='/'>All submissions</a></p>"
    )
    return _page("Not found", body)
