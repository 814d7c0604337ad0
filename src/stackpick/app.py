"""The application layer: from the user's inputs to answers, a decision and a project.

``cli.py`` parses and prints; everything between (reading the sources, fetching the
templates, validating once, deciding) happens here, through one path that ``recommend``,
``new``, ``new --dry-run`` and later commands share; ``new.py`` renders what it resolved.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from .answers.declared import with_declared
from .answers.questions import STACKPICK_SCHEMA, Question, Schema
from .answers.sources import Given, Source, from_environment, from_set_options, merge
from .answers.validate import Answers, Limits, validate
from .errors import BadInput
from .framework import FRAMEWORKS, NAMES, Framework, as_framework, other

if TYPE_CHECKING:
    from pathlib import Path

    from .answers.file import AnswersFile
    from .decision.decide import Decision
    from .decision.flips import Flip
    from .decision.rules import RuleBook
    from .template_source import Template, TemplateSource
    from .trust import Trust

#: Asks for what the sources did not give: receives the raw values so far, returns a source.
Asker = Callable[["Session", Mapping[str, Given]], Source]


class Inputs(NamedTuple):
    """Everything a command was given, before anything is read or checked."""

    answers_file: Path | None = None
    set_pairs: Sequence[str] = ()
    environ: Mapping[str, str] = {}
    name: str | None = None
    template_options: Sequence[str] = ()
    checkout: str | None = None
    directory: str | None = None
    extra_sources: Sequence[Source] = ()
    #: A project's ``.stackpick.toml`` (``update``): the lowest source; its templates apply
    #: unless the answers file or ``--template`` name others.
    recorded: AnswersFile | None = None
    #: How remote templates that run code are trusted (``trust.py``); the config
    #: file it names is read when the session opens, and the answers files add their lists.
    trust: Trust | None = None


class Session:
    """The templates in use, the schema they make, and the sources of the answers."""

    def __init__(
        self,
        templates: dict[Framework, Template],
        schema: Schema,
        sources: list[Source],
        problems: list[str],
    ) -> None:
        self.templates = templates
        self.schema = schema
        self.sources = sources
        self.problems = problems
        #: The framework a project being updated was made with (it keeps it).
        self.made_with: Framework | None = None
        self.kept: Mapping[str, str] = {}  # the template's kept variables as recorded

    def limits(self) -> dict[Framework, Limits]:
        """What each framework's template can honour (read from its declaration)."""
        from .answers.from_template import limits

        return {name: limits(template) for name, template in self.templates.items()}


def _template_sources(
    inputs: Inputs, from_file: Mapping[str, Mapping[str, str]], name: str
) -> dict[Framework, TemplateSource]:
    """Bundled templates, overlaid by the answers file's ``templates``, then by ``--template``."""
    from pathlib import Path

    from .template_source import checked_source, parse_template_option

    chosen: dict[Framework, TemplateSource] = {}
    for key, settings in from_file.items():
        framework = as_framework(key.lower())
        if framework is None:
            raise BadInput(
                f"answers file {name}: templates.{key}: not a framework; "
                f"use one of: {', '.join(FRAMEWORKS)}"
            )
        source = settings["source"]
        if (
            not source.startswith(("gh:", "gl:", "bb:"))
            and "://" not in source
            and "@" not in source
        ):
            candidate = (Path(name).parent / source).expanduser()
            if candidate.exists():
                source = str(candidate.resolve())
        chosen[framework] = checked_source(
            f"answers file {name}: templates.{key}",
            source,
            settings.get("checkout"),
            settings.get("directory"),
        )
    seen: set[Framework] = set()
    for option in inputs.template_options:
        framework, source = parse_template_option(option)
        if framework in seen:
            raise BadInput(
                f"--template {option}: {framework} has a template already; give one per framework"
            )
        seen.add(framework)
        local = Path(source).expanduser()
        if local.exists():
            source = str(local.resolve())
        chosen[framework] = checked_source(
            f"--template {option}", source, inputs.checkout, inputs.directory
        )
    if (inputs.checkout or inputs.directory) and not inputs.template_options:
        raise BadInput(
            "--checkout and --directory apply to --template; give --template FRAMEWORK=SOURCE"
        )
    return chosen


def _recorded_checkout(inputs: Inputs, recorded: Mapping[Framework, TemplateSource]) -> Inputs:
    """``update --checkout REF`` (or ``--directory``) alone: the project's recorded template."""
    if inputs.template_options or not (inputs.checkout or inputs.directory):
        return inputs
    assert inputs.recorded is not None
    made = as_framework(inputs.recorded.made_with)
    source = recorded.get(made) if made else None
    if source is None:
        raise BadInput(
            "--checkout and --directory apply to a team's template, and this project was made "
            "from the bundled one; give --template FRAMEWORK=SOURCE"
        )
    return inputs._replace(
        template_options=(f"{made}={source.source}",),
        checkout=inputs.checkout or source.checkout,
        directory=inputs.directory or source.directory,
    )


@contextlib.contextmanager
def open_session(
    inputs: Inputs, templates: Mapping[Framework, Template] | None = None
) -> Iterator[Session]:
    """Read every source and fetch the templates (kept while the session is open).

    ``templates``: already fetched templates (a long-lived session's, as ``serve`` keeps
    them) to use instead of fetching; ``inputs`` must then name no template.
    """
    from .answers.from_template import template_questions
    from .template_source import TemplateSource, fetched

    sources: list[Source] = [] if inputs.recorded is None else [inputs.recorded.source]
    templates_from_file: Mapping[str, Mapping[str, str]] = {}
    file_name = ""
    answers_file: AnswersFile | None = None
    if inputs.answers_file is not None:
        from .answers.file import read_answers_file

        answers_file = read_answers_file(inputs.answers_file)
        sources.append(answers_file.source)
        templates_from_file = answers_file.templates
        file_name = answers_file.name
    sources += [from_environment(inputs.environ), from_set_options(inputs.set_pairs)]
    if inputs.name is not None:
        sources.append(Source("argument", {"project_name": Given(inputs.name, "NAME argument")}))
    sources += list(inputs.extra_sources)
    recorded: dict[Framework, TemplateSource] = {}
    if inputs.recorded is not None:
        recorded = _template_sources(Inputs(), inputs.recorded.templates, inputs.recorded.name)
        inputs = _recorded_checkout(inputs, recorded)
    chosen = {**recorded, **_template_sources(inputs, templates_from_file, file_name)}
    if templates is not None and chosen:
        raise BadInput("templates are set when the session opens; a request cannot name one")
    from .trust import for_run

    lists = [f.trusted for f in (inputs.recorded, answers_file) if f is not None]
    trust = for_run(inputs.trust, lists)
    with contextlib.ExitStack() as stack:
        in_use = (
            dict(templates)
            if templates is not None
            else {
                name: stack.enter_context(fetched(name, chosen.get(name, TemplateSource()), trust))
                for name in FRAMEWORKS
            }
        )
        schema = STACKPICK_SCHEMA
        for template in in_use.values():
            schema = with_declared(schema, template_questions(template))
        problems = [p for s in sources for p in s.problems]
        session = Session(in_use, schema, sources, problems)
        if (kept_from := answers_file or inputs.recorded) is not None:
            session.kept = kept_from.kept
        if inputs.recorded is not None:
            session.made_with = as_framework(inputs.recorded.made_with)
        yield session


class Resolved(NamedTuple):
    """A session's answers, validated once, and the decision they make."""

    session: Session
    answers: Answers
    decision: Decision


def resolve(session: Session, ask: Asker | None = None) -> Resolved:
    """Prompt (when ``ask``) for what no source gave, validate once, and decide."""
    from .decision.decide import decide

    if ask is not None and not session.problems:
        session.sources.append(ask(session, merge(session.sources)))
    answers = validate(merge(session.sources), session.problems, session.schema, session.limits())
    decision = decide(answers.values, rule_book(), answers.ruled_out)
    kept = session.made_with
    if kept is not None and decision.framework != kept and not decision.explicit:
        # A generated project keeps its framework, whatever the guidance says now.
        ruled_out = {
            **answers.ruled_out,
            other(kept): (f"this project was made with {NAMES[kept]}",),
        }
        decision = decide(answers.values, rule_book(), ruled_out)
    return Resolved(session, answers, decision)


def rule_book() -> RuleBook:
    from .decision.rules import load_rules

    return load_rules()


def preview_decision(session: Session, partial: Mapping[str, Given]) -> Decision:
    """The decision the answers so far would give (for an interview), defaults filling the rest."""
    from .decision.decide import decide

    answers = validate(partial, (), session.schema, session.limits())
    return decide(answers.values, rule_book(), answers.ruled_out)


# --- what the --json options print (shared with ``serve``) -----------------------


def questions_json(session: Session | None = None) -> list[dict[str, object]]:
    """``questions --json``: stackpick's questions, plus the session's templates' own."""
    from .answers.questions import QUESTIONS

    listed = session.schema.questions if session is not None else QUESTIONS
    return [question.to_json() for question in listed_questions(session, listed)]


def listed_questions(session: Session | None, listed: Sequence[Question]) -> list[Question]:
    """``listed`` with the real defaults of the session's team templates (rendered as
    cookiecutter renders them: a dictionary, a default made from other variables)."""
    if session is None:
        return list(listed)
    import json
    from pathlib import Path

    from .answers.questions import BY_KEY, Kind
    from .generate import render

    defaults: dict[str, object] = {}
    for template in reversed(list(session.templates.values())):
        if not template.source.bundled:
            context = render.resolve_context(template, {}, Path.cwd())["cookiecutter"]
            defaults.update({k: context[k] for k in template.declaration.variables})
    shown = []
    for question in listed:
        # The decision reads its own default of a question the template declares its way.
        own = question.kind is not Kind.DECISION or BY_KEY.get(question.key) != question
        value = defaults.get(question.key)
        if own and value is not None:
            default = value if isinstance(value, str | bool) else json.dumps(value)
            question = question._replace(default=default)
        shown.append(question)
    return shown


def rules_json() -> dict[str, Any]:
    """``rules --json``: the rule book."""
    return rule_book().to_json()


def session_flips(resolved: Resolved) -> list[Flip]:
    """What would turn the guidance of a resolved session (``decision.flips``)."""
    from .decision.flips import find_flips

    return find_flips(resolved.answers, rule_book(), resolved.session.limits())


def recommendation_json(resolved: Resolved) -> dict[str, Any]:
    """``recommend --json``: the decision, its margin, reasons, flips, notes and answers."""
    from .decision import explain

    _, answers, decision = resolved
    flips = session_flips(resolved)
    return {
        **decision.to_json(),
        "margin": explain.margin(decision, flips).to_json(),
        "flips": [flip.to_json() for flip in flips],
        "notes": list(answers.notes),
        "answers": answers.to_json(),
    }


def decide_values(values: Mapping[str, object], name: str = "answers") -> tuple[Answers, Decision]:
    """Validate raw answers (no other source) for the bundled templates, and decide.

    The one path ``recommend`` takes, for callers that already hold the answers (the
    decision tests, the web service).
    """
    from .answers.sources import from_mapping

    with open_session(Inputs(extra_sources=(from_mapping(name, values, {}),))) as session:
        _, answers, decision = resolve(session)
    return answers, decision
