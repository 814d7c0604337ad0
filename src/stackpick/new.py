"""``new``: a resolved session's project, rendered into staging and moved into place whole,
then (with git) committed; also the plan ``update`` renders its pristine tree from."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, NamedTuple

from .answers.declared import replaced_keys
from .framework import FRAMEWORKS, Framework

if TYPE_CHECKING:
    from pathlib import Path

    from .answers.validate import Answers
    from .app import Resolved
    from .decision.decide import Decision
    from .decision.flips import Flip
    from .template_source import Template


class Created(NamedTuple):
    """What ``new`` created (or would create), and what to say about it."""

    answers: Answers
    decision: Decision
    path: Path
    files: tuple[str, ...]
    notes: tuple[str, ...]
    next_steps: tuple[str, ...]
    dry_run: bool

    def to_json(self, flips: Sequence[Flip]) -> dict[str, Any]:
        """``new --json``: the decision, what would turn it (``flips``), notes, answers, files."""
        return {
            **self.decision.to_json(),
            "flips": [flip.to_json() for flip in flips],
            "notes": list(self.notes),
            "answers": self.answers.to_json(),
            "path": str(self.path),
            "dry_run": self.dry_run,
            "files": list(self.files),
        }


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
    kept: dict[str, str]  # the template's variables fixed for the project's life


def plan_project(resolved: Resolved, output_dir: Path) -> Plan:
    """Everything ``new`` (and ``update``'s pristine render) needs before rendering.

    The decision record is made here, so a bad ``SOURCE_DATE_EPOCH`` stops the run
    before anything is written.
    """
    from .decision.record import decision_record
    from .generate import project_files as files
    from .generate import render

    session, answers, decision = resolved
    template = session.templates[decision.framework]
    render.check_output_folder(template, output_dir)
    values = render.template_values(template, answers)
    context = render.resolve_context(template, values, output_dir)
    fixed = files.keep_variables(context, session.kept)
    folder = render.project_folder_name(template, context)
    meta = render.metadata(context)
    recorded = files.recorded_answers(answers.to_json(), context, template.declaration.variables)
    order = (*session.schema.keys, *recorded)  # the same order whichever source gave them
    recorded = {key: recorded[key] for key in order if key in recorded}
    # Every answer counts as given, as it will in .stackpick.toml: the record then reads the
    # same when the project is made again from that file or updated. The project's own name
    # and description are the ones the template rendered (its defaults included).
    rendered = context["cookiecutter"]
    own = {
        key: value
        for key in ("project_name", "description")
        if isinstance(value := rendered.get(key), str)
    }
    declared = {
        key: value
        for key in replaced_keys(session.schema)
        if isinstance(value := rendered.get(key), str | bool)
    }
    as_recorded = answers._replace(
        given=frozenset(answers.values),
        values={**answers.values, **own},
        declared={**declared, **answers.declared},
    )
    record = decision_record(as_recorded, decision, session.limits())
    return Plan(template, context, folder, meta, recorded, record, fixed)


def stackpick_files(plan: Plan, secret: str | None) -> dict[str, str]:
    """stackpick's own files: the answers, the decision record, ``.env`` (with ``secret``)."""
    from .decision.record import RECORD_PATH
    from .generate import project_files as files

    assert plan.template.framework in FRAMEWORKS
    added = {
        files.ANSWERS_FILE: files.stackpick_toml(
            plan.recorded, plan.template, plan.meta, plan.kept
        ),
        RECORD_PATH: plan.record,
    }
    env = plan.meta.get("env")
    if secret is not None and isinstance(env, Mapping):
        added[files.ENV_FILE] = files.env_text(env, secret)
    return added


def new_project(
    resolved: Resolved,
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

    _, answers, decision = resolved
    output_dir = output_dir.expanduser().absolute()
    with contextlib.ExitStack() as stack:
        probe = None
        if use_git and not dry_run:
            from .generate import git

            # Asked now, answered while the project renders.
            probe = stack.enter_context(git.WorkTreeProbe(output_dir))
        plan = plan_project(resolved, output_dir)
        target = output_dir / plan.folder

        def generate(staging: Path) -> Path:
            return render.render(plan.template, plan.context, staging)

        if dry_run:
            extra = list(stackpick_files(plan, secret="dry-run"))
            result = scaffold.dry_run(target, force, generate, extra)
        else:
            from . import __version__

            message = f"Initial commit from stackpick {__version__}"
            finish = None if probe is None else partial(git.after_new, message=message, probe=probe)
            added = stackpick_files(plan, secret=secrets.token_urlsafe(50))
            result = scaffold.create(target, force, generate, lambda project: added, finish)
        template, meta = plan.template, plan.meta
        steps = tuple(str(s) for s in meta.get("next_steps", []) if str(s).strip())
        notes = (*answers.notes, *framework_notes(decision.framework, answers, template))
        notes += result.notes
    return Created(answers, decision, result.path, result.files, notes, steps, dry_run)
