"""What ``setup`` did: each step with its outcome and time (``--json`` prints it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

Outcome = Literal["ok", "skipped", "failed", "interrupted"]


@dataclass(frozen=True)
class StepResult:
    name: str
    command: str
    outcome: Outcome
    seconds: float
    detail: str

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "command": self.command,
            "outcome": self.outcome,
            "seconds": round(self.seconds, 3),
            "detail": self.detail,
        }


@dataclass
class SetupResult:
    """What ``setup`` did: each step with its time and outcome, and what to run next."""

    project: Path
    installer: str
    steps: list[StepResult] = field(default_factory=list)
    run: str = ""
    admin: str = ""
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and all(s.outcome in ("ok", "skipped") for s in self.steps)

    @property
    def seconds(self) -> float:
        return sum(s.seconds for s in self.steps)

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "path": str(self.project),
            "installer": self.installer,
            "seconds": round(self.seconds, 3),
            "steps": [s.to_json() for s in self.steps],
            "run": self.run,
            "admin": self.admin,
            "error": self.error,
        }
