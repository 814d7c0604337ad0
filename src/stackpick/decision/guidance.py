"""The rule book as text: every rule with its passages and weight, the conflicts, the articles.

What ``stackpick rules`` prints; ``article_lines`` lists each article with the rules that
draw on it (for a command that shows the guidance by article).
"""

from __future__ import annotations

from typing import Any

from .rules import SCHEME, Condition, Passage, Rule, RuleBook


def _condition(condition: Condition) -> str:
    return ", ".join(f"{key} in {list(values)}" for key, values in condition.items())


def passage_text(passage: Passage) -> str:
    """``004 first bullet, the microframework (outright, 3)``."""
    how = "outright, " if passage.outright else ""
    return f"{passage.article} {passage.where} ({how}{passage.points})"


def rule_lines(rule: Rule) -> list[str]:
    """A rule: its weight, framework and condition; its reason; its passages."""
    when = _condition(rule.when)
    if rule.when_any:
        when += " and any of " + " / ".join(_condition(c) for c in rule.when_any)
    return [
        f"{rule.id}: +{rule.weight} {rule.favours} when {when}",
        f"    {rule.reason}",
        "    rests on: " + "; ".join(passage_text(p) for p in rule.passages),
    ]


def book_lines(book: RuleBook) -> list[str]:
    """Every rule, the tie-break and every conflict note, after the weighing scheme."""
    lines = [f"Weights: {SCHEME}", ""]
    for rule in book.rules:
        lines += rule_lines(rule)
    tie = book.tie
    lines += ["", f"tie: {tie.favours}. {tie.reason} [guidance {', '.join(tie.sources)}]"]
    for conflict in book.conflicts:
        sides = "; ".join(
            f"{name} {', '.join(sorted({book.passages[p].article for p in ids}))}"
            for name, ids in (("flask", conflict.flask), ("django", conflict.django))
        )
        lines.append(f"conflict {conflict.id} ({conflict.topic}; {sides}): {conflict.resolution}")
    return lines


def article_lines(book: RuleBook) -> list[str]:
    """Each article with its title and the rules that draw on it."""
    lines = []
    for article in book.articles:
        rules = ", ".join(rule.id for rule in book.citing(article.id)) or "none"
        lines.append(f"{article.id}: {article.title}")
        lines.append(f"    rules: {rules}")
    return lines


def articles_json(book: RuleBook) -> list[dict[str, Any]]:
    """Each article as ``{"id", "title", "rules"}`` (``stackpick guidance --json``)."""
    return [
        {
            "id": article.id,
            "title": article.title,
            "rules": [rule.id for rule in book.citing(article.id)],
        }
        for article in book.articles
    ]
