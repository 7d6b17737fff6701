"""The Django settings point at the simulator only in development."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CODE = (
    "import json, sys\n"
    "import config.settings.base as s\n"
    "values = [s.CONCERT_HUB_URL, s.OUTBOUND_ALLOWED_PRIVATE_HOSTS]\n"
    "sys.stdout.write(json.dumps(values))\n"
)


def load(**variables):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "CONCERT_HUB_URL", "OUTBOUND_ALLOWED_PRIVATE_HOSTS"}
    }
    env.update(SECRET_KEY="x" * 50, **variables)
    result = subprocess.run(
        [sys.executable, "-c", CODE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({"DEBUG": "1"}, ["http://127.0.0.1:8765", ["127.0.0.1:8765"]]),
        ({"DEBUG": "false"}, ["", []]),
        (
            {
                "DEBUG": "false",
                "CONCERT_HUB_URL": "http://hub.internal:9000",
                "OUTBOUND_ALLOWED_PRIVATE_HOSTS": "hub.internal:9000",
            },
            ["http://hub.internal:9000", ["hub.internal:9000"]],
        ),
    ],
)
def test_concert_hub_settings(variables, expected):
    assert load(**variables) == expected
