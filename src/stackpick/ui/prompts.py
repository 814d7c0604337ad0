"""The interview: a source like the others, asked only for what no other source gave.

Order: the decision questions (``Kind.DECISION``, schema order), the recommendation with
its scores and reasons, the framework (accept it or take the other one), the project and
template questions that apply to that framework's template, and a one-screen summary.
Each answer is checked as it is typed with ``validate_value``, the check every source goes
through; which questions apply and which choices are offered come from the schema
(``Question.requires``) and from each template's declaration (its variables and limits).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import click

from ..answers.questions import Kind, Question, Schema, Type, Value
from ..answers.sources import Given, Source
from ..answers.validate import Limits, validate
from ..answers.values import path_problem, slug_problem, validate_value
from ..errors import Declined
from ..framework import FRAMEWORKS, NAMES, Framework, as_framework, other
from .ask import HELP_WORDS, Console, Terminal, as_text, ask, expand
from .defaults import interview_default

if TYPE_CHECKING:
    from ..app import Session
    from ..decision.decide import Decision

WHERE = "prompt"
INTRO = (
    "Enter keeps the [default]; ? explains a question and its choices; a choice may be typed "
    "as its number in the list or the start of its name; Ctrl-C stops without writing anything."
)


def applies(question: Question, known: Mapping[str, Value]) -> bool:
    """Whether a yes/no question can be answered yes given what is known (its requirements)."""
    return all(key not in known or known[key] in allowed for key, allowed in question.requires)


def known_values(schema: Schema, given: Mapping[str, Given]) -> dict[str, Value]:
    """The values already given that are valid (the invalid ones are reported by validation)."""
    known: dict[str, Value] = {}
    by_key = schema.by_key
    for key, item in given.items():
        if key in by_key:
            checked = validate_value(by_key[key], item.value)
            if checked.value is not None:
                known[key] = checked.value
    return known


@dataclass
class Interview:
    """One pass through the questions: what the sources gave, and what was asked so far."""

    session: Session
    given: Mapping[str, Given]
    term: Terminal
    limits: Mapping[Framework, Limits]
    #: The answers of a pass the user restarted: the defaults of this one.
    previous: Mapping[str, Value] = field(default_factory=dict)
    asked: dict[str, Value] = field(default_factory=dict)

    @property
    def known(self) -> dict[str, Value]:
        return {**known_values(self.session.schema, self.given), **self.asked}

    def raw(self) -> dict[str, Given]:
        return {**self.given, **{k: Given(v, WHERE) for k, v in self.asked.items()}}

    def declared(self, framework: Framework) -> tuple[str, ...]:
        return self.session.templates[framework].declaration.variables

    def for_framework(self, question: Question, framework: Framework) -> bool:
        """Whether ``framework``'s template uses the answer (declares it, or it is stackpick's).

        A stackpick question that some template declares but this one does not (``admin``
        for Django) does not apply; one that no template declares only feeds the decision.
        """
        if question.key in self.declared(framework):
            return True
        if question.kind is Kind.TEMPLATE:
            return False
        return not any(question.key in self.declared(name) for name in FRAMEWORKS)

    def offered(self, question: Question, frameworks: tuple[Framework, ...]) -> tuple[str, ...]:
        """The choices at least one of ``frameworks`` can build, in the question's order."""
        if question.type is not Type.CHOICE:
            return ()
        allowed: set[str] = set()
        for name in frameworks:
            allowed.update(self.limits[name].choices.get(question.key, question.choices))
        return tuple(c for c in question.choices if c in allowed)

    def ask_into(
        self, question: Question, frameworks: tuple[Framework, ...], why: str = ""
    ) -> None:
        """Ask ``question`` with the choices and checks of ``frameworks``' templates."""
        choices = self.offered(question, frameworks)
        default, template_default = self.default(question, frameworks)
        if question.key in self.previous:
            default = self.previous[question.key]
        if choices and default not in choices:
            default = choices[0]
        if why:
            self.term.say(click.style(why, fg="yellow"))
        check = self.check(question, frameworks)
        value = ask(self.term, question, default, choices, check, template_default)
        if value is not None:
            self.asked[question.key] = value

    def default(
        self, question: Question, frameworks: tuple[Framework, ...]
    ) -> tuple[Value | None, bool]:
        """The default to show, and whether Enter keeps the template's own default.

        Stackpick's default (which may follow other answers); for a template-only variable,
        or any variable of a team's template, the template's own, as cookiecutter shows it
        (a default the template renders from other variables is left to the template).
        """
        template = self.session.templates[frameworks[0]] if len(frameworks) == 1 else None
        if template is None or not (
            question.kind is Kind.TEMPLATE
            or (
                self.limits[template.framework].given_only
                and question.key in template.declaration.variables
            )
        ):
            return interview_default(question.key, self.known), False
        declared = template.declaration.raw.get(question.key)
        if isinstance(declared, list) and declared:
            return str(declared[0]), True
        if isinstance(declared, bool):
            return declared, True
        return (declared if isinstance(declared, str) and "{" not in declared else None), True

    def check(
        self, question: Question, frameworks: tuple[Framework, ...]
    ) -> Callable[[str], str | None] | None:
        """What the templates add to the value's own rule: a package name, a file name."""
        limits = [self.limits[name] for name in frameworks]
        if question.key == "project_slug" and any(limit.identifier_slug for limit in limits):
            return slug_problem
        if any(question.key in limit.path_keys for limit in limits):
            return path_problem
        return None

    def decision_questions(self, framework: Framework | None) -> None:
        """Ask the decision questions no source gave; with a framework, only those it uses.

        An answer asked earlier that ``framework``'s template cannot build (``database =
        none`` for Django) is asked again with the choices it offers.
        """
        frameworks = (framework,) if framework else FRAMEWORKS
        for question in self.session.schema.questions:
            key = question.key
            if question.kind is not Kind.DECISION or key == "framework" or key in self.given:
                continue
            if framework and not self.for_framework(question, framework):
                continue
            if question.type is Type.BOOL and not applies(question, self.known):
                self.asked.pop(key, None)
                continue
            if key not in self.asked:
                self.ask_into(question, frameworks)
            elif question.type is Type.CHOICE and framework:
                offered = self.offered(question, frameworks)
                if self.asked[key] not in offered:
                    self.ask_into(
                        question,
                        frameworks,
                        f"{NAMES[framework]} cannot build {key} = {as_text(self.asked[key])}:",
                    )

    def project_questions(self, framework: Framework) -> None:
        """Ask the project and template questions ``framework``'s template uses."""
        for question in self.session.schema.questions:
            if question.kind is Kind.DECISION or question.key in self.given:
                continue
            if not self.for_framework(question, framework):
                continue
            if question.type is Type.BOOL and not applies(question, self.known):
                continue
            self.ask_into(question, (framework,))

    def preview(self) -> Decision:
        from ..app import preview_decision

        return preview_decision(self.session, self.raw())


def _styled() -> bool:
    """Bars and colour: on a terminal, unless ``NO_COLOR`` or ``--no-color`` turned them off."""
    import os
    import sys

    from ..decision.explain import use_style

    context = click.get_current_context(silent=True)
    off = context is not None and context.color is False
    return not off and use_style(sys.stdout.isatty(), os.environ)


def _recommendation(term: Terminal, run: Interview, decision: Decision) -> None:
    """The decision so far: summary, score lines, margin, every reason, what would change it."""
    from ..app import rule_book
    from ..decision import explain
    from ..decision.flips import find_flips

    answers = validate(run.raw(), (), run.session.schema, run.limits)
    flips = find_flips(answers, rule_book(), run.limits)
    term.say()
    term.say(click.style("Recommendation: ", bold=True) + decision.summary())
    for line in explain.score_lines(decision, _styled()):
        term.say(f"  {line}")
    term.say(f"  {explain.margin_line(decision, flips)}")
    for rule in decision.fired:
        colour = "green" if rule.favours == decision.framework else "magenta"
        weight = click.style(
            f"{explain.counted(decision, rule)} {NAMES[rule.favours]:<6}", fg=colour
        )
        term.say(f"  {weight} {rule.reason} [{rule.id}]")
    for name, reasons in decision.ruled_out.items():
        term.say(click.style(f"  {NAMES[name]} cannot be built: {'; '.join(reasons)}", fg="yellow"))
    term.say(explain.flips_heading(decision))
    for line in explain.flip_lines(flips, spoken=True):
        term.say(line)
    term.say()


def _choose_framework(term: Terminal, decision: Decision) -> Framework:
    """Accept the recommendation (Enter) or take the other framework."""
    chosen = decision.framework
    line = (
        click.style("Framework", bold=True)
        + f" ({chosen}, {other(chosen)}) "
        + click.style(f"[{chosen}]", fg="cyan")
        + ": "
    )
    while True:
        raw = term.read(line).strip().lower()
        if raw in HELP_WORDS:
            term.say(f"  Enter accepts {NAMES[chosen]}; {other(chosen)} switches to the other one.")
            continue
        if not raw:
            return chosen
        picked = as_framework(expand(raw, (chosen, other(chosen))))
        if picked is not None:
            return picked
        term.say(click.style(f"  {raw!r} is not valid; use one of: flask, django", fg="red"))


def _summary(term: Terminal, interview: Interview, framework: Framework) -> None:
    """Every answer the project will be made from, on one screen."""
    session = interview.session
    answers = validate(interview.raw(), (), session.schema, interview.limits)
    term.say()
    term.say(click.style(f"{NAMES[framework]} project:", bold=True))
    width = max(len(q.key) for q in session.schema.questions)
    raw = interview.raw()
    own = interview.limits[framework].given_only  # a team's template fills what nobody gave
    declared = interview.declared(framework)
    for question in session.schema.questions:
        if question.key == "framework" or not interview.for_framework(question, framework):
            continue
        value = answers.values.get(question.key)
        if own and question.key in declared and question.key not in raw:
            value = None
        shown = as_text(value) if value is not None else "(the template's default)"
        term.say(f"  {question.key:<{width}}  {shown}")
    term.say()


def _confirm(term: Terminal) -> bool:
    """``True`` to create, ``False`` to start over; no stops with nothing written (exit 0)."""
    line = (
        click.style("Create it?", bold=True)
        + " (yes, no, restart) "
        + click.style("[yes]", fg="cyan")
        + ": "
    )
    while True:
        raw = term.read(line).strip().lower()
        if raw in ("", "y", "yes"):
            return True
        if raw in ("r", "restart"):
            return False
        if raw in ("n", "no", "q", "quit"):
            raise Declined("Not created, as you chose; nothing was written.")
        term.say(click.style("  answer yes, no or restart", fg="red"))


def interview(
    session: Session,
    given: Mapping[str, Given],
    term: Terminal | None = None,
    decision_only: bool = False,
) -> Source:
    """Ask what no source gave: decision questions, the framework, project questions, summary.

    ``decision_only`` (for ``recommend``) stops after the decision questions. Answers the
    sources gave are never asked again nor changed; invalid ones stop the interview at once.
    """
    from ..app import preview_decision

    term = term or Console()
    preview_decision(session, given)  # the sources' own problems, before any question
    limits = session.limits()
    term.say(click.style(INTRO, dim=True))
    previous: dict[str, Value] = {}
    while True:
        run = Interview(session, given, term, limits, previous)
        explicit = as_framework(run.known.get("framework"))
        run.decision_questions(explicit)
        if decision_only:
            return Source(WHERE, {k: Given(v, WHERE) for k, v in run.asked.items()})
        decision = run.preview()
        _recommendation(term, run, decision)
        if "framework" in given:  # given, even as auto: not asked again
            framework = decision.framework
        else:
            framework = _choose_framework(term, decision)
        if framework != decision.framework:
            run.asked["framework"] = framework
            before = dict(run.asked)
            run.decision_questions(framework)
            if run.asked != before:
                term.say(click.style("Now: ", bold=True) + run.preview().summary())
        run.project_questions(framework)
        _summary(term, run, framework)
        if _confirm(term):
            return Source(WHERE, {k: Given(v, WHERE) for k, v in run.asked.items()})
        term.say(click.style("Starting over (Enter keeps your last answer).", bold=True))
        previous = run.asked
