"""``stackpick setup`` chooses uv or pip."""

from __future__ import annotations

import pytest

from stackpick.errors import BadInput
from stackpick.setup import installer
from stackpick.setup.installer import choose_installer


def test_installer_uv_without_uv_is_bad_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(installer, "find_uv", lambda environ: None)
    with pytest.raises(BadInput, match="stackpick\\[uv\\]"):
        choose_installer("uv", {})
    assert choose_installer("auto", {}) == ("pip", None)
