"""The application layer: from the user's inputs to answers, a decision and a project.

``cli.py`` parses and prints; everything between (reading the sources, fetching the
templates, validating once, deciding, rendering) happens here, through one path that
``recommend``, ``new``, ``new --dry-run`` and later commands share.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from .answers.questions import STACKPICK_SCHEMA, Schema
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
    from .generate.templates import Template, TemplateSource

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


class Session:
    """The templates in use, the schema they make, and (once resolved) answers and decision."""

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
        self.answers: Answers | None = None
        self.decision: Decision | None = None
        #: The framework a project being updated was made with (it keeps it).
        self.made_with: Framework | None = None
        #: The template's kept variables an answers file recorded (``[stackpick.kept]``).
        self.kept: Mapping[str, str] = {}

    def limits(self) -> dict[Framework, Limits]:
        """What each framework's template can honour (read from its declaration)."""
        from .generate.templates import limits

        return {name: limits(template) for name, template in self.templates.items()}


def _template_sources(
    inputs: Inputs, from_file: Mapping[str, Mapping[str, str]], name: str
) -> dict[Framework, TemplateSource]:
    """Bundled templates, overlaid by the answers file's ``templates``, then by ``--template``."""
    from pathlib import Path

    from .generate.templates import TemplateSource, parse_template_option

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
        chosen[framework] = TemplateSource(
            source, settings.get("checkout"), settings.get("directory")
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
        chosen[framework] = TemplateSource(source, inputs.checkout, inputs.directory)
    if (inputs.checkout or inputs.directory) and not inputs.template_options:
        raise BadInput(
            "--checkout and --directory apply to --template; give --template FRAMEWORK=SOURCE"
        )
    return chosen


@contextlib.contextmanager
def open_session(
    inputs: Inputs, templates: Mapping[Framework, Template] | None = None
) -> Iterator[Session]:
    """Read every source and fetch the templates (kept while the session is open).

    ``templates``: already fetched templates (a long-lived session's, as ``serve`` keeps
    them) to use instead of fetching; ``inputs`` must then name no template.
    """
    from .generate.templates import TemplateSource, fetched, template_questions

    sources: list[Source] = [] if inputs.recorded is None else [inputs.recorded.source]
    kept: Mapping[str, str] = {} if inputs.recorded is None else inputs.recorded.kept
    templates_from_file: Mapping[str, Mapping[str, str]] = {}
    file_name = ""
    if inputs.answers_file is not None:
        from .answers.file import read_answers_file

        answers_file = read_answers_file(inputs.answers_file)
        kept = answers_file.kept
        sources.append(answers_file.source)
        templates_from_file = answers_file.templates
        file_name = answers_file.name
    sources += [from_environment(inputs.environ), from_set_options(inputs.set_pairs)]
    if inputs.name is not None:
        sources.append(Source("argument", {"project_name": Given(inputs.name, "NAME argument")}))
    sources += list(inputs.extra_sources)
    chosen = _template_sources(inputs, templates_from_file, file_name)
    if inputs.recorded is not None:
        recorded = _template_sources(Inputs(), inputs.recorded.templates, inputs.recorded.name)
        chosen = {**recorded, **chosen}
    if templates is not None and chosen:
        raise BadInput("templates are set when the session opens; a request cannot name one")
    with contextlib.ExitStack() as stack:
        in_use = (
            dict(templates)
            if templates is not None
            else {
                name: stack.enter_context(fetched(name, chosen.get(name, TemplateSource())))
                for name in FRAMEWORKS
            }
        )
        schema = STACKPICK_SCHEMA
        for template in in_use.values():
            schema = schema.extended(template_questions(template))
        problems = [p for s in sources for p in s.problems]
        session = Session(in_use, schema, sources, problems)
        session.kept = kept
        if inputs.recorded is not None:
            session.made_with = as_framework(inputs.recorded.made_with)
        yield session


def resolve(session: Session, ask: Asker | None = None) -> Session:
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
    session.answers = answers
    session.decision = decision
    return session


def rule_book() -> RuleBook:
    from .decision.rules import load_rules

    return load_rules()


def preview_decision(session: Session, partial: Mapping[str, Given]) -> Decision:
    """The decision the answers so far would give (for an interview), defaults filling the rest."""
    from .decision.decide import decide

    answers = validate(partial, (), session.schema, session.limits())
    return decide(answers.values, rule_book(), answers.ruled_out)


# --- new -------------------------------------------------------------------------


class Created(NamedTuple):
    """What ``new`` created (or would create), and what to say about it."""

    answers: Answers
    decision: Decision
    path: Path
    files: tuple[str, ...]
    notes: tuple[str, ...]
    next_steps: tuple[str, ...]
    dry_run: bool


def framework_notes(framework: Framework, answers: Answers, template: Template) -> tuple[str, ...]:
    """What the framework adds although the answers did not ask for it."""
    if framework == "django" and template.source.bundled and answers.values.get("admin") is False:
        return ("a Django project always includes the Django admin at /admin/ (admin = false)",)
    return ()


class Plan(NamedTuple):
    """A project about to be rendered: its template, context and stackpick's own files."""

    template: Template
    context: dict[str, Any]
    folder: str
    meta: dict[str, Any]
    recorded: dict[str, Any]
    record: str
    #: The template's private variables kept for the project's life (``__stackpick.keep``).
    kept: dict[str, str]


def plan_project(session: Session, output_dir: Path, kept: Mapping[str, str] | None = None) -> Plan:
    """Everything ``new`` (and ``update``'s pristine render) needs before rendering.

    The decision record is made here, so a bad ``SOURCE_DATE_EPOCH`` stops the run
    before anything is written. ``kept``: the values a project recorded for the
    template's kept variables (a new project takes the template's defaults).
    """
    from .decision.record import decision_record
    from .generate import project_files as files
    from .generate import render

    answers, decision = session.answers, session.decision
    assert answers is not None and decision is not None
    template = session.templates[decision.framework]
    render.check_output_folder(template, output_dir)
    values = render.template_values(template, answers)
    context = render.resolve_context(template, values, output_dir)
    keep = render.metadata(context).get("keep")
    names = [str(k) for k in keep] if isinstance(keep, Mapping | list) else []
    kept = session.kept if kept is None else kept
    for name in names:
        if name.startswith("_") and not name.startswith("__") and name in kept:
            context["cookiecutter"][name] = kept[name]
    folder = render.project_folder_name(template, context)
    meta = render.metadata(context)
    recorded = files.recorded_answers(answers.to_json(), context, template.declaration.variables)
    # Every answer counts as given, as it will in .stackpick.toml: the record then reads the
    # same when the project is made again from that file or updated.
    # A team template's defaults (the answers no source gave it) are what it recorded too.
    values = {**answers.values, **{k: v for k, v in recorded.items() if k in answers.values}}
    as_recorded = answers._replace(values=values, given=frozenset(values))
    record = decision_record(as_recorded, decision, session.limits())
    fixed = {n: str(context["cookiecutter"][n]) for n in names if n in context["cookiecutter"]}
    return Plan(template, context, folder, meta, recorded, record, fixed)


def stackpick_files(plan: Plan, secret: str | None) -> dict[str, str]:
    """stackpick's own files: the answers, the decision record, ``.env`` (with ``secret``)."""
    from .decision.record import RECORD_PATH
    from .generate import project_files as files

    assert plan.template.framework in FRAMEWORKS
    added = {
        files.ANSWERS_FILE: files.stackpick_toml(
            plan.recorded,
            plan.template.framework,
            plan.template.source,
            plan.meta,
            plan.kept,
            plan.template.commit,
        ),
        RECORD_PATH: plan.record,
    }
    env = plan.meta.get("env")
    if secret is not None and isinstance(env, Mapping):
        added[files.ENV_FILE] = files.env_text(env, secret)
    return added


def new_project(
    session: Session,
    output_dir: Path,
    force: bool = False,
    dry_run: bool = False,
    use_git: bool = True,
) -> Created:
    """Render the decided framework's template into ``output_dir``, atomically; then (with
    ``use_git``) make it a git repository with a first commit, also on the ``stackpick``
    branch (the pristine render ``update`` merges from)."""
    import secrets

    from .generate import render, scaffold

    answers, decision = session.answers, session.decision
    assert answers is not None and decision is not None
    output_dir = output_dir.expanduser().absolute()
    with contextlib.ExitStack() as stack:
        probe = None
        if use_git and not dry_run:
            from .generate import git

            # Asked now, answered while the project renders.
            probe = stack.enter_context(git.WorkTreeProbe(output_dir))
        plan = plan_project(session, output_dir)
        target = output_dir / plan.folder

        def generate(staging: Path) -> Path:
            return render.render(plan.template, plan.context, staging)

        if dry_run:
            extra = list(stackpick_files(plan, secret="dry-run"))
            result = scaffold.dry_run(target, force, generate, extra)
        else:
            added = stackpick_files(plan, secret=secrets.token_urlsafe(50))
            result = scaffold.create(target, force, generate, lambda project: added)
        template, meta = plan.template, plan.meta
        steps = tuple(str(s) for s in meta.get("next_steps", []) if str(s).strip())
        notes = (*answers.notes, *framework_notes(decision.framework, answers, template))
        if probe is not None:
            from . import __version__

            message = f"Initial commit from stackpick {__version__}"
            notes += git.after_new(result.path, message, probe)
    return Created(answers, decision, result.path, result.files, notes, steps, dry_run)


# --- what the --json options print (shared with ``serve``) -----------------------


def questions_json(session: Session | None = None) -> list[dict[str, object]]:
    """``questions --json``: stackpick's questions, plus the session's templates' own."""
    from .answers.questions import QUESTIONS

    listed = session.schema.questions if session is not None else QUESTIONS
    return [question.to_json() for question in listed]


def rules_json() -> dict[str, Any]:
    """``rules --json``: the rule book."""
    return rule_book().to_json()


def session_flips(session: Session) -> list[Flip]:
    """What would turn the guidance of a resolved session (``decision.flips``)."""
    from .decision.flips import find_flips

    assert session.answers is not None
    return find_flips(session.answers, rule_book(), session.limits())


def recommendation_json(session: Session) -> dict[str, Any]:
    """``recommend --json``: the decision, its margin, reasons, flips, notes and answers."""
    from .decision import explain

    answers, decision = session.answers, session.decision
    assert answers is not None and decision is not None
    return {
        **decision.to_json(),
        "margin": explain.margin(decision).to_json(),
        "flips": [flip.to_json() for flip in session_flips(session)],
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
        resolve(session)
    assert session.answers is not None and session.decision is not None
    return session.answers, session.decision
