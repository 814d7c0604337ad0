"""The record of completed steps, ``.venv/.stackpick-setup.json``: a run after a failure
starts again at the failed step."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .plan import LASTING_STEPS

STATE_FILE = ".stackpick-setup.json"


@dataclass
class State:
    """Completed steps (name to key) and whether the last run completed them all."""

    done: dict[str, str] = field(default_factory=dict)
    complete: bool = False

    def fresh_run(self) -> State:
        """After a complete run, only the lasting steps stay done; after a failure, all."""
        if not self.complete:
            return State(dict(self.done), False)
        return State({k: v for k, v in self.done.items() if k in LASTING_STEPS}, False)


def load_state(venv: Path) -> State:
    try:
        data = json.loads((venv / STATE_FILE).read_text(encoding="utf-8"))
        done = {str(k): str(v) for k, v in data["done"].items()}
        return State(done, bool(data.get("complete", False)))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return State()


def save_state(venv: Path, state: State) -> None:
    if not venv.is_dir():
        return
    path = venv / STATE_FILE
    temporary = path.with_suffix(".tmp")
    temporary.write_text(
        json.dumps({"done": state.done, "complete": state.complete}, indent=1), encoding="utf-8"
    )
    temporary.replace(path)
