"""Fault injection: per request (``X-Simulate`` header) or by global rates.

Faults apply to ``POST /api/submissions`` only:

- ``timeout``: wait ``timeout_seconds``, then answer 504; nothing is stored.
- ``500`` / ``503``: a server error at once (503 with ``Retry-After``); nothing stored.
- ``429``: rate limited, with ``Retry-After``; nothing stored.
- ``validation``: a 422 rejection (code ``simulated_rejection``); nothing stored.
- ``lost``: stored as usual, then the connection is dropped without an answer.
- ``lost_timeout``: stored as usual, then the answer waits ``timeout_seconds``.
"""

import random
import threading
from dataclasses import dataclass, field
from typing import Any

from simulator.validation import Error

FAULTS = ("timeout", "500", "503", "429", "validation", "lost", "lost_timeout")
HEADER = "X-Simulate"
DEFAULT_TIMEOUT_SECONDS = 15.0
DEFAULT_RETRY_AFTER_SECONDS = 1


@dataclass
class Faults:
    """The global fault rates and the seeded random source, thread-safe."""

    rates: dict[str, float] = field(default_factory=dict)
    seed: int | None = None
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS
    retry_after_seconds: int = DEFAULT_RETRY_AFTER_SECONDS
    injected: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    rng: random.Random = field(default_factory=random.Random)

    def configure(self, data: Any) -> list[Error]:
        """Replace the settings with ``data`` (the ``POST /admin/faults`` body)."""
        errors = _parse_errors(data)
        if errors:
            return errors
        with self.lock:
            self.rates = {k: float(v) for k, v in data.get("rates", {}).items() if v}
            self.seed = data.get("seed")
            self.timeout_seconds = float(
                data.get("timeout_seconds", DEFAULT_TIMEOUT_SECONDS)
            )
            self.retry_after_seconds = int(
                data.get("retry_after_seconds", DEFAULT_RETRY_AFTER_SECONDS)
            )
            self.injected = {}
            self.rng = random.Random(self.seed)  # noqa: S311 - not for security
        return []

    def draw(self, requested: str | None) -> str | None:
        """Return the fault for one request: the header's, else a random one."""
        with self.lock:
            fault = requested
            if fault is None and self.rates:
                roll = self.rng.random()
                for name in FAULTS:
                    roll -= self.rates.get(name, 0.0)
                    if roll < 0:
                        fault = name
                        break
            if fault is not None:
                self.injected[fault] = self.injected.get(fault, 0) + 1
            return fault

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {
                "rates": dict(self.rates),
                "seed": self.seed,
                "timeout_seconds": self.timeout_seconds,
                "retry_after_seconds": self.retry_after_seconds,
                "injected": dict(self.injected),
            }


def _parse_errors(data: Any) -> list[Error]:
    if not isinstance(data, dict):
        return [Error("type", "", "Expected an object.")]
    errors: list[Error] = []
    allowed = {"rates", "seed", "timeout_seconds", "retry_after_seconds"}
    errors += [
        Error("unknown_field", f"/{k}", "Not allowed.")
        for k in data
        if k not in allowed
    ]
    rates = data.get("rates", {})
    if not isinstance(rates, dict):
        return [*errors, Error("type", "/rates", "Expected an object.")]
    for name, rate in rates.items():
        path = f"/rates/{name}"
        if name not in FAULTS:
            errors.append(Error("enum", path, f"Faults: {', '.join(FAULTS)}."))
        elif not _number(rate) or not 0 <= rate <= 1:
            errors.append(Error("out_of_range", path, "A rate from 0 to 1."))
    if not errors and sum(rates.values()) > 1:
        errors.append(
            Error("out_of_range", "/rates", "The rates add up to more than 1.")
        )
    seed = data.get("seed")
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
        errors.append(Error("type", "/seed", "Expected an integer."))
    timeout = data.get("timeout_seconds", 1)
    if not _number(timeout) or not 0 < timeout <= 300:
        errors.append(Error("out_of_range", "/timeout_seconds", "From 0 to 300."))
    retry_after = data.get("retry_after_seconds", 1)
    if not isinstance(retry_after, int) or not 0 <= retry_after <= 3600:
        errors.append(Error("out_of_range", "/retry_after_seconds", "From 0 to 3600."))
    return errors


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
