"""The decision over its whole answer space: how far one answer moves it, how often it is clear.

Run from the repository with the venv that has stackpick installed:

    python benchmarks/decision_swings.py [--json benchmarks/decision_swings.json]

Every combination of the decision answers (``framework = auto``) is validated against the
bundled templates and decided, as ``recommend`` does.  The script prints, side by side:

* for each question, the largest swing of Django's lead (Django's score minus Flask's)
  that changing that one answer makes, with an answer set where it happens
  (``stackpick.decision.swings``);
* how many results the margin calls clear and close, how many are ties, and how many
  turn on a single changed answer (the "clear" word must never meet one);
* how long the whole sweep took.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Mapping

from stackpick.answers.questions import QUESTIONS, Value
from stackpick.app import Inputs, open_session
from stackpick.decision import explain
from stackpick.decision.decide import Decision
from stackpick.decision.flips import FlipFinder
from stackpick.decision.rules import load_rules
from stackpick.decision.swings import answer_sets, decision_values, largest_swings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    started = time.perf_counter()
    with open_session(Inputs()) as session:
        limits = session.limits()
    finder = FlipFinder(load_rules(), limits)
    values = decision_values(QUESTIONS)

    def decided(answers: Mapping[str, Value]) -> Decision | None:
        result = finder.decided(answers)
        return None if result is None else result[1]

    swings = largest_swings(values, decided)
    words = {"clear": 0, "close": 0}
    ties = turning = clear_but_turning = total = 0
    for answers in answer_sets(values):
        result = finder.decided(answers)
        if result is None:
            continue
        total += 1
        singles = finder.singles(result[0])
        word = explain.margin(result[1], singles).word
        words[word] += 1
        ties += result[1].tie
        turning += bool(singles)
        clear_but_turning += word == "clear" and bool(singles)
    seconds = time.perf_counter() - started

    combinations = 1
    for options in values.values():
        combinations *= len(options)
    print(f"answer sets: {total} valid of {combinations} combinations")
    print("largest swing of Django's lead by one answer (points), where it happens:")
    for swing in sorted(swings.values(), key=lambda s: -s.points):
        changed = ", ".join(f"{k}={v}" for k, v in swing.changes.items())
        rest = ", ".join(f"{k}={v}" for k, v in swing.before.items() if k not in swing.changes)
        print(f"  {swing.key:<17} {swing.points:>3}  {changed}  (from {rest})")
    share = 100 * words["clear"] / total
    print(f"margins: clear {words['clear']} ({share:.0f}%), close {words['close']}, ties {ties}")
    print(f"turn on a single changed answer: {turning}; of them called clear: {clear_but_turning}")
    print(f"time: {seconds:.1f} s for the whole sweep")
    if args.json:
        data = {
            "answer_sets": total,
            "swings": {s.key: s.points for s in swings.values()},
            "margins": words,
            "ties": ties,
            "single_answer_turns": turning,
            "clear_but_turning": clear_but_turning,
            "seconds": round(seconds, 2),
        }
        with open(args.json, "w", encoding="utf-8") as file:
            json.dump(data, file, indent=2)


if __name__ == "__main__":
    main()
