"""The application layer: one path from inputs to answers, decision and project."""

from __future__ import annotations

from pathlib import Path

import pytest

from decision_space import DECISION_KEYS, decided, space
from stackpick.answers.sources import from_mapping
from stackpick.app import Inputs, decide_values, open_session, resolve
from stackpick.errors import AnswerErrors
from stackpick.new import new_project

#: Every decision of the space is made once per test process: the modules that walk it
#: share one worker (``--dist loadgroup``), so it is built once per run, not once per worker.
pytestmark = pytest.mark.xdist_group("decision_space")


def test_the_recommended_framework_can_always_be_generated() -> None:
    """For every valid combination, ``new`` accepts the framework ``recommend`` chose.

    The combinations come from the question schema (``decision_space``), validated against
    the bundled templates as ``recommend`` validates them, once per test process."""
    checked = ruled_out = 0
    for index, (k, result) in enumerate(space().items()):
        values = dict(zip(DECISION_KEYS, k, strict=True))
        answers, decision = result
        checked += 1
        assert decision.framework not in answers.ruled_out, values
        ruled_out += bool(answers.ruled_out)
        # new validates the same answers with the framework given: it must not refuse it.
        # What could make it refuse is a limit, so every answer set with one ruled out is
        # validated again, and one in seven of the others.
        if answers.ruled_out or index % 7 == 0:
            assert decided({**values, "framework": decision.framework}) is not None, values
    assert checked > 3000 and ruled_out > 0
    sample = next(iter(space().values()))
    assert decide_values(sample.answers.to_json())[1] == sample.decision  # the app's own path


def test_a_limit_turns_the_guidance_and_says_why() -> None:
    values = {
        "app_type": "cms",
        "database": "none",
        "stack_preference": "batteries_included",
        "scale": "large",
    }
    _, decision = decide_values(values)
    assert decision.guidance == "django" and decision.framework == "flask"
    assert "Django cannot be built for these answers (database = none" in decision.summary()
    assert decision.to_json()["ruled_out"]["django"]


def test_every_problem_of_a_run_together_including_a_framework_limit() -> None:
    with pytest.raises(AnswerErrors) as caught:
        decide_values({"scale": "huge", "framework": "django", "database": "none", "sacle": 1})
    messages = caught.value.messages
    assert len(messages) == 3
    assert any("unknown key 'sacle'" in m for m in messages)
    assert any("scale: 'huge' is not valid" in m for m in messages)
    assert any("not possible with the django template" in m for m in messages)


def test_dry_run_and_new_share_one_path(tmp_path: Path) -> None:
    inputs = Inputs(set_pairs=("framework=django", "project_name=Shared Path"))
    with open_session(inputs) as session:
        planned = new_project(resolve(session), tmp_path, dry_run=True)
    assert not any(tmp_path.iterdir())
    with open_session(inputs) as session:
        created = new_project(resolve(session), tmp_path)
    assert planned.files == created.files and planned.path == created.path
    assert created.next_steps and created.path == tmp_path / "shared_path"


def test_answers_file_templates_and_options_merge_in_priority(tmp_path: Path) -> None:
    import shutil

    from stackpick.template_source import templates_root

    shutil.copytree(templates_root() / "flask", tmp_path / "mine")
    answers = tmp_path / "answers.toml"
    answers.write_text('[answers]\nscale = "large"\n[templates]\nflask = "mine"\n')
    inputs = Inputs(answers_file=answers, set_pairs=("scale=small",))
    with open_session(inputs) as session:
        resolved = resolve(session)
        assert session.templates["flask"].source.source == str((tmp_path / "mine").resolve())
        assert not session.templates["django"].source.source
    assert resolved.session is session and resolved.answers.values["scale"] == "small"


def test_decide_values_names_its_source() -> None:
    with pytest.raises(AnswerErrors, match="case: app_type"):
        decide_values({"app_type": "blog"}, "case")
    assert from_mapping("x", {}, {}).values == {}
