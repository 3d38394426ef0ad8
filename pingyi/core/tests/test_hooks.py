"""App hooks are found one way, and a hook module that fails to import fails loudly."""

import sys
import types
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from pingyi.core.hooks import app_modules


@pytest.fixture
def app_with_hooks(tmp_path: Path, monkeypatch: Any, settings: Any) -> Path:
    """A project app `pingyi.hooktest`, installed for the test, whose hook modules the test writes."""
    package = types.ModuleType("pingyi.hooktest")
    package.__path__ = [str(tmp_path)]  # type: ignore[attr-defined]
    package.__file__ = str(tmp_path / "__init__.py")
    (tmp_path / "__init__.py").write_text("")
    monkeypatch.setitem(sys.modules, "pingyi.hooktest", package)
    for name in ("pingyi.hooktest.home", "pingyi.hooktest.audit_labels"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    with override_settings(INSTALLED_APPS=[*settings.INSTALLED_APPS, "pingyi.hooktest"]):
        yield tmp_path


def test_an_apps_hook_module_is_found(app_with_hooks: Path) -> None:
    (app_with_hooks / "home.py").write_text("def cards(user):\n    return []\n")
    names = [m.__name__ for m in app_modules("home")]
    assert "pingyi.hooktest.home" in names
    assert names.index("pingyi.writings.home") < names.index("pingyi.hooktest.home"), "INSTALLED_APPS order"


def test_an_app_without_the_module_is_skipped(app_with_hooks: Path) -> None:
    assert "pingyi.hooktest.home" not in [m.__name__ for m in app_modules("home")]


def test_a_hook_module_whose_own_import_fails_is_not_silently_dropped(app_with_hooks: Path) -> None:
    # The failure the old importlib + `except ModuleNotFoundError: continue` swallowed.
    (app_with_hooks / "home.py").write_text("import pingyi_no_such_module\n")
    with pytest.raises(ModuleNotFoundError, match="pingyi_no_such_module"):
        app_modules("home")


def test_a_hook_module_with_an_error_inside_fails_loudly(app_with_hooks: Path) -> None:
    (app_with_hooks / "audit_labels.py").write_text("LABELS = {'x': undefined_name}\n")
    with pytest.raises(NameError):
        app_modules("audit_labels")


def test_an_unknown_hook_name_is_refused() -> None:
    with pytest.raises(KeyError, match=r"docs/apps\.md"):
        app_modules("homes")
