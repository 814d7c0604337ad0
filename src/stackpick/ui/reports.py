"""The human-readable reports of ``questions``, ``recommend``, ``new`` and
``update``: each returns the text that ``cli.py`` prints (``--json`` prints the results'
own ``to_json()`` instead)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from .fit import fitted

if TYPE_CHECKING:
    from ..answers.questions import Question
    from ..answers.validate import Answers
    from ..decision.decide import Decision
    from ..decision.flips import Flip
    from ..new import Created
    from ..update import Updated


def questions_text(listed: Sequence[Question]) -> str:
    """Each question with its choices (or type), default and help."""
    lines = []
    for q in listed:
        choices = " | ".join(q.choices) if q.choices else q.type.value
        if q.default is None:
            default = "derived from project_name" if q.key == "project_slug" else "the template's"
        else:
            default = str(q.default)
        lines.append(f"{q.key} ({q.kind.value}): {choices}; default {default}\n    {q.help}")
    return fitted("\n".join(lines))


def reason_lines(decision: Decision, limit: int | None = None) -> list[str]:
    """The rules that fired, strongest first, each with its guidance sources."""
    from ..decision import explain

    lines = []
    for rule in decision.fired[:limit]:
        sources = ", ".join(rule.sources)
        points = explain.counted(decision, rule)
        lines.append(f"  {points} {rule.favours:<6} {rule.reason} [{rule.id}; guidance {sources}]")
    return lines


def recommendation_text(
    decision: Decision, answers: Answers, flips: Sequence[Flip], styled: bool
) -> str:
    """``recommend``: summary, scores (bars when ``styled``), margin, reasons, flips, notes."""
    from ..decision import explain

    lines = [click.style(decision.summary(), bold=True), ""]
    lines.append("\n".join(f"  {line}" for line in explain.score_lines(decision, styled)))
    lines.append(f"  {explain.margin_line(decision, flips)}")
    if decision.fired:
        lines.append("\nReasons, strongest first:")
        lines.append("\n".join(reason_lines(decision)))
    lines.append(f"\n{explain.flips_heading(decision)}")
    lines.append("\n".join(explain.flip_lines(flips)))
    lines.extend(f"note: {note}" for note in answers.notes)
    lines.extend(sources_lines(decision))
    return fitted("\n".join(lines))


def sources_lines(decision: Decision) -> list[str]:
    """``Sources:`` with the title of each guidance article the reasons cite, by number."""
    from ..app import rule_book

    cited = sorted({source for rule in decision.fired for source in rule.sources})
    if not cited:
        return []
    book = rule_book()
    lines = ["\nSources ('stackpick guidance' shows the rules drawn from each):"]
    lines.extend(f"  {article}  {book.title(article)}" for article in cited)
    return lines


def created_text(result: Created, flips: Sequence[Flip], set_up: bool = False) -> str:
    """``new``: the decision in short, the notes, then what was created and what to run next
    (nothing when ``set_up``: ``setup`` follows and says how to run)."""
    from ..decision import explain

    lines = [click.style(result.decision.summary(), bold=True)]
    lines.append("\n".join(reason_lines(result.decision, limit=3)))
    lines.append(f"  {explain.margin_line(result.decision, flips)}")
    lines.append(f"{explain.flips_heading(result.decision)}")
    lines.append("\n".join(explain.flip_lines(flips[:3])))
    if len(flips) > 3:
        lines.append(f"  and {len(flips) - 3} more ('stackpick recommend' lists them all)")
    lines.extend(f"note: {note}" for note in result.notes)
    if result.dry_run:
        lines.append(f"\nWould create {result.path} with {len(result.files)} files:")
        lines.append("\n".join(f"  {f}" for f in result.files))
        return fitted("\n".join(lines))
    lines.append(click.style(f"\nCreated {result.path} ({len(result.files)} files).", fg="green"))
    steps = [] if set_up else next_steps(result)
    if steps:
        lines.append("\nNext:")
        lines.append("\n".join(f"  {step}" for step in steps))
    return fitted("\n".join(lines))


def next_steps(result: Created) -> list[str]:
    """``stackpick setup``, then how to run, for a project ``setup`` can set up (the same shape
    for every framework); the template's own ``next_steps`` for one it cannot."""
    from ..errors import StackpickError
    from ..setup.plan import read_project
    from ..setup.report import next_commands

    try:
        spec = read_project(result.path)
    except StackpickError:
        spec = None
    if spec is not None and spec.run:
        return next_commands(spec, ahead=True)
    if not result.next_steps:
        return []
    return [f"cd {result.path}", *result.next_steps]


def update_text(result: Updated) -> str:
    """``update``: changed answers, the files added, changed and removed, the conflicts."""
    from ..update import finish_steps

    lines = [f"note: {note}" for note in result.notes]
    lines.extend(
        f"answer {key}: {old} -> {new}" for key, (old, new) in result.changed_answers.items()
    )
    if result.up_to_date:
        return "\n".join([*lines, f"Up to date: {result.path} (nothing to do: no commit)"])
    verb = "Would update" if result.dry_run else "Updated"
    if result.conflicting and not result.dry_run:
        verb = "Merged, with conflicts, into"
    lists = [("added", result.added), ("changed", result.changed), ("removed", result.removed)]
    count = sum(len(files) for _, files in lists)
    lines.append(f"{verb} {result.path}: {count} files" + ("" if count else " (nothing to do)"))
    for label, files in lists:
        lines.extend(f"  {label:8} {name}" for name in files)
    lines.extend(f"  .env     {key} appended" for key in result.env_added)
    if result.conflicting:
        lines.append(f"{'Would conflict' if result.dry_run else 'Conflicts'}:")
        lines.append("\n".join(f"  conflict {name}" for name in result.conflicting))
        if not result.dry_run:
            lines.append("Finish as any git merge:")
            lines.append("\n".join(f"  {step}" for step in finish_steps(result.conflicting)))
    if result.setup_needed:
        reasons = ", ".join(result.setup_needed)
        then = "Then" if result.dry_run else "Next"
        lines.append(f"{then}: stackpick setup ({reasons}: install and migrate again)")
    return "\n".join(lines)


def check_text(result: Updated) -> str:
    """``check``: up to date, or the files update would change and what to run."""
    from ..check import changed_files

    if result.up_to_date:
        return f"{result.path}: up to date"
    files = changed_files(result)
    return "\n".join(
        [
            f"{result.path}: stackpick update would change {len(files)} files:",
            *(f"  {name}" for name in files),
            "Run stackpick update (then stackpick setup), and commit.",
        ]
    )


def wrapped(lines: Sequence[str], width: int = 80) -> str:
    """``lines`` folded to ``width`` columns, a folded line indented two past its own."""
    import textwrap

    folded = []
    for line in lines:
        indent = " " * (len(line) - len(line.lstrip()))
        folded.append(textwrap.fill(line, width=width, subsequent_indent=indent + "  "))
    return "\n".join(folded)
