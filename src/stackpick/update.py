"""``stackpick update``: render the project again for new answers or a newer template, and
merge that into the team's work with git.

The pristine renders live on the project's ``stackpick`` branch (one commit per render;
``new`` makes the first). An update commits the new render on that branch and merges
it into the checked-out branch: git's 3-way merge, with the previous render as the
base, keeps the team's edits, brings the template's changes in, and leaves standard
conflict markers where both touched the same lines. A project without the branch
(a clone that did not fetch it, or made with ``--no-git``) gets one first: the
recorded answers rendered again, recorded as merged.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .app import Asker, Inputs, open_session, resolve
from .errors import BadInput, MergeConflicts, StackpickError
from .framework import as_framework
from .generate import git, journal
from .recorded import kept_values, previous_render, read_recorded, setup_needed

if TYPE_CHECKING:
    from .answers.file import AnswersFile
    from .answers.validate import Answers
    from .app import Resolved, Session
    from .framework import Framework
    from .generate.project_files import ProjectRecord


class Updated(NamedTuple):
    """What an update did (or, in a dry run, would do)."""

    path: Path
    framework: Framework
    answers: Answers
    changed_answers: Mapping[str, tuple[object, object]]
    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    conflicting: tuple[str, ...]
    env_added: tuple[str, ...]
    notes: tuple[str, ...]
    dry_run: bool
    #: Nothing to take in: the template renders what the project has (no commit made).
    up_to_date: bool = False
    #: Why ``stackpick setup`` should run next (dependencies or migrations changed).
    setup_needed: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "framework": self.framework,
            "dry_run": self.dry_run,
            "answers_changed": {
                key: {"old": old, "new": new} for key, (old, new) in self.changed_answers.items()
            },
            "added": list(self.added),
            "changed": list(self.changed),
            "removed": list(self.removed),
            "conflicting": list(self.conflicting),
            "env_added": list(self.env_added),
            "notes": list(self.notes),
            "up_to_date": self.up_to_date,
            "setup_needed": list(self.setup_needed),
            "answers": self.answers.to_json(),
        }


def finish_steps(conflicts: tuple[str, ...]) -> list[str]:
    """How to finish an update with conflicts: as every git merge is finished."""
    files = " ".join(conflicts) if len(conflicts) <= 3 else "<the files>"
    return [
        "edit each file listed: keep what you want between its <<<<<<< and >>>>>>> markers",
        "(a file you changed that the template removes: git add it to keep it, git rm to drop it)",
        f"git add {files}",
        "git commit",
        "(or give the update up: git merge --abort)",
    ]


def check_repository(project: Path, require_clean: bool = True) -> None:
    """Refuse (exit 2) unless ``project`` is the top of a clean git work tree with a commit
    (``require_clean=False``: uncommitted changes allowed, for a dry run against ``HEAD``)."""
    if not git.available():
        raise BadInput("update merges with git, and git is not on PATH; install git")
    top = git.work_tree_top(project)
    if top is None or top != project.resolve():
        where = f"inside the git repository {top}" if top else "not a git repository"
        raise BadInput(
            f"{project} is {where}; update needs the project as its own git repository "
            "(git init && git add -A && git commit -m 'Initial commit')"
        )
    if git.rev_parse(project, "HEAD") is None:
        raise BadInput(f"{project} has no commit yet; commit the project, then run update")
    if git.current_branch(project) == git.PRISTINE_BRANCH:
        raise BadInput(
            f"the {git.PRISTINE_BRANCH} branch is checked out: it holds stackpick's renders, "
            "not your work; check out your branch (git switch -), then run update again"
        )
    if git.merge_in_progress(project):
        raise BadInput(
            f"a git merge is in progress in {project}; finish it (git commit) or abort it "
            "(git merge --abort), then run update again"
        )
    dirty = git.status_lines(project) if require_clean else []
    if dirty:
        raise BadInput(
            f"{project} has uncommitted changes ({len(dirty)} in git status, e.g. "
            f"{dirty[0][3:]}); commit or stash them, then run update again"
        )


def update_project(
    project_dir: Path,
    inputs: Inputs,
    ask: Asker | None = None,
    dry_run: bool = False,
    require_clean: bool = True,
) -> Updated:
    """Render the project's template for the new answers and merge it into the work tree
    (nothing to take in: no commit, nothing written)."""
    project = project_dir.expanduser().absolute()
    recorded, record = read_recorded(project)
    repaired = None if dry_run else journal.recover(project)  # a killed update's refs
    check_repository(project, require_clean)
    old_framework = as_framework(recorded.made_with)
    assert old_framework is not None  # read_recorded checked it
    with open_session(inputs._replace(recorded=recorded)) as session:
        notes = _drop_retired(session, recorded)
        notes += [repaired] if repaired else []
        resolved = resolve(session, ask if _unanswered(session, old_framework) else None)
        answers, decision = resolved.answers, resolved.decision
        if decision.framework != old_framework:
            raise BadInput(
                f"framework: this is a {old_framework} project and update cannot make it "
                f"{decision.framework}: a Flask project does not become a Django one (or back); "
                "make a new project with stackpick new"
            )
        framework: Framework = decision.framework
        old_values = {k: g.value for k, g in recorded.source.values.items()}
        changed = {
            key: (old_values.get(key), value)
            for key, value in answers.to_json().items()
            if key in old_values and old_values[key] != value
        }
        with tempfile.TemporaryDirectory(dir=_tmp()) as tmp:
            head = git.rev_parse(project, "HEAD")
            assert head is not None
            kept = _kept(resolved, project, record)
            rendered, env = _render(resolved, project, Path(tmp), kept, _previous(project, head))
            base, ours, adopt = _base(session, project, Path(tmp), head, old_framework, kept)
            message = f"stackpick: render the {framework} template ({_describe(changed)})"
            theirs = git.commit_tree(project, rendered, [base], message)
            up_to_date = not adopt and git.tree_of(project, theirs) == git.tree_of(project, base)
            up_to_date = up_to_date and git.is_ancestor(project, base)
            preview = git.preview_merge(project, ours, theirs)
            if adopt:
                notes.append(
                    f"no {git.PRISTINE_BRANCH} branch: made one from the recorded answers "
                    "rendered again (template changes since the project was made come in as "
                    "conflicts or not at all; fetch the branch from a teammate when you can)"
                )
            setup = () if up_to_date else setup_needed(project, base, theirs)
            if dry_run or up_to_date:
                p, none = preview, ()
                lists = (
                    (none,) * 4 if up_to_date else (p.added, p.changed, p.removed, p.conflicting)
                )
                return Updated(
                    project,
                    framework,
                    answers,
                    changed,
                    *lists,
                    (),
                    tuple(notes),
                    dry_run,
                    up_to_date,
                    setup,
                )
            unchanged = git.tree_of(project, theirs) == git.tree_of(project, base)
            with journal.applying(project, theirs):  # as before or as after, whatever comes
                conflicts, env_added = _apply(project, base, theirs, adopt, unchanged, env, changed)
    result = Updated(
        project,
        framework,
        answers,
        changed,
        preview.added,
        preview.changed,
        preview.removed,
        tuple(conflicts),
        env_added,
        tuple(notes),
        False,
        False,
        setup,
    )
    if conflicts:
        raise MergeConflicts(result)
    return result


def _apply(
    project: Path,
    base: str,
    theirs: str,
    adopt: bool,
    unchanged: bool,
    env: Mapping[str, Any],
    changed: Mapping[str, tuple[object, object]],
) -> tuple[list[str], tuple[str, ...]]:
    """The update's changes: the branch moved to the new render, merged; ``.env`` completed."""
    conflicts: list[str] = []
    if not (unchanged and git.is_ancestor(project, base)):
        if adopt:
            git.set_branch(project, git.PRISTINE_BRANCH, base)
            git.merge_ours(project, base, f"stackpick: adopt the {git.PRISTINE_BRANCH} branch")
        local = git.rev_parse(project, git.PRISTINE_BRANCH)
        git.set_branch(project, git.PRISTINE_BRANCH, theirs, local)
        conflicts = git.merge(
            project, git.PRISTINE_BRANCH, f"stackpick update ({_describe(changed)})"
        )
    return conflicts, _append_env(project, env)


def _kept(resolved: Resolved, project: Path, record: ProjectRecord) -> dict[str, str]:
    """The template's kept variables: as recorded, or found from the previous render of a
    project an earlier stackpick made (``recorded.kept_values``)."""
    if record.format >= 2:
        return dict(record.kept)
    from .new import plan_project

    resolved.session.kept = {}
    keep = plan_project(resolved, project.parent).meta.get("keep")
    return kept_values(record, keep, project, previous_render(project))


def _unanswered(session: Session, framework: Framework) -> bool:
    """Whether the template has variables no source answers (a newer template's): only then
    is there anything to ask."""
    from .answers.sources import merge

    given = merge(session.sources)
    template = session.templates[framework]
    return any(key not in given for key in template.declaration.variables)


def _tmp() -> str | None:
    from .cache import cache_folder

    return cache_folder("tmp")


def _describe(changed: Mapping[str, tuple[object, object]]) -> str:
    if not changed:
        return "template changes"
    return ", ".join(f"{key}={new}" for key, (_old, new) in changed.items())


def _drop_retired(session: Session, recorded: AnswersFile) -> list[str]:
    """Recorded answers the templates no longer declare are dropped (with a note), not errors."""
    from .answers.sources import Source

    keys = set(session.schema.keys)
    source = session.sources[0]
    assert source.name == recorded.source.name
    retired = sorted(set(source.values) - keys)
    if not retired:
        return []
    kept = {k: v for k, v in source.values.items() if k in keys}
    session.sources[0] = Source(source.name, kept, source.problems)
    return [f"recorded answer {key} is no longer asked by the template; dropped" for key in retired]


def _previous(project: Path, head: str) -> Callable[[str], bytes | None]:
    """The project's files as last rendered (its ``stackpick`` branch, else ``HEAD``)."""
    from .generate.hook_outputs import from_commit

    for ref in (git.PRISTINE_BRANCH, f"refs/remotes/origin/{git.PRISTINE_BRANCH}"):
        commit = git.rev_parse(project, ref)
        if commit is not None:
            return from_commit(project, commit)
    return from_commit(project, head)


def _render(
    resolved: Resolved,
    project: Path,
    into: Path,
    kept: Mapping[str, str],
    previous: Callable[[str], bytes | None] | None = None,
) -> tuple[Path, Mapping[str, Any]]:
    """The pristine tree for the session's answers (with ``.stackpick.toml``) and its env.

    ``kept``: the template's variables fixed for the project's life. ``previous``: the files
    of the project's previous render, whose generated values a team's template keeps
    (``hook_outputs``).
    """
    from .generate import render
    from .new import plan_project, stackpick_files

    resolved.session.kept = kept
    plan = plan_project(resolved, project.parent)
    staging = into / "new"
    staging.mkdir()
    rendered = render.render(plan.template, plan.context, staging)
    if previous is not None and not plan.template.source.bundled:
        from .generate.hook_outputs import keep_generated

        again = into / "again"
        again.mkdir()
        keep_generated(rendered, render.render(plan.template, plan.context, again), previous)
    for relative, text in stackpick_files(plan, secret=None).items():
        path = rendered / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    env = plan.meta.get("env")
    return rendered, env if isinstance(env, Mapping) else {}


def _base(
    session: Session,
    project: Path,
    into: Path,
    head: str,
    framework: Framework,
    kept: Mapping[str, str],
) -> tuple[str, str, bool]:
    """The previous pristine render, and the commit to merge into (``HEAD`` or, when the
    branch is made now, a commit recording it as merged); ``True`` when made now."""
    pristine = git.rev_parse(project, git.PRISTINE_BRANCH)
    if pristine is None:
        pristine = git.rev_parse(project, f"refs/remotes/origin/{git.PRISTINE_BRANCH}")
    if pristine is not None:
        return pristine, "HEAD", False
    # No branch: the recorded answers alone, rendered again, stand for the previous render
    # (with the project's generated values, as HEAD holds them).
    from .generate import hook_outputs

    saved = list(session.sources)
    try:
        session.sources[:] = session.sources[:1]
        recorded = resolve(session)
        if recorded.decision.framework != framework:
            raise BadInput(f"the recorded answers no longer decide {framework}; check them")
        old = into / "old"
        old.mkdir()
        rendered, _env = _render(
            recorded, project, old, kept, hook_outputs.from_commit(project, head)
        )
    finally:
        session.sources[:] = saved
    base = git.commit_tree(project, rendered, [], "stackpick: the recorded answers, rendered")
    ours = git.head_tree_commit(project, [head, base], "stackpick: adopt the branch")
    return base, ours, True


def _append_env(project: Path, env: Mapping[str, Any]) -> tuple[str, ...]:
    """Append to ``.env`` the keys the new render needs and it lacks (its secret stays)."""
    from .generate.project_files import ENV_FILE

    path = project / ENV_FILE
    if not path.is_file():
        return ()
    text = path.read_text(encoding="utf-8")
    present = {
        line.split("=", 1)[0].strip()
        for line in text.splitlines()
        if "=" in line and not line.lstrip().startswith("#")
    }
    added = [
        (str(key), " ".join(str(value).split()))
        for key, value in env.items()
        if str(key) not in present and str(key) != "SECRET_KEY" and str(value).strip()
    ]
    if not added:
        return ()
    lines = "".join(f"{key}={value}\n" for key, value in added)
    if text and not text.endswith("\n"):
        text += "\n"
    try:
        path.write_text(text + "# Added by stackpick update:\n" + lines, encoding="utf-8")
    except OSError as error:
        raise StackpickError(f"cannot write {path}: {error.strerror}") from None
    return tuple(key for key, _ in added)
