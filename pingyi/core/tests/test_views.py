"""run_service: a service's refusal reaches the user where they are looking, and nothing typed is lost."""

from dataclasses import dataclass
from typing import Any

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from pingyi.core.views import run_service


class NameForm(forms.Form):
    name = forms.CharField()


@pytest.fixture
def request_() -> Any:
    request = RequestFactory().post("/", {"name": "王党员"})
    request.session = {}  # type: ignore[attr-defined]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def refuse() -> None:
    raise ValidationError("这一步不能做")


def texts(request: Any) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in get_messages(request)]


def test_a_refusal_goes_on_the_form_which_keeps_what_was_typed(request_: Any) -> None:
    form = NameForm(request_.POST)
    assert form.is_valid()
    outcome = run_service(request_, refuse, done="已保存", form=form, field="name")
    assert not outcome and outcome.value is None
    assert form.errors["name"] == ["这一步不能做"] and form["name"].value() == "王党员"
    assert texts(request_) == []


def test_without_a_form_a_refusal_is_an_error_message(request_: Any) -> None:
    assert not run_service(request_, refuse, done="已保存")
    assert texts(request_) == [("error", "这一步不能做")]


@dataclass
class Step:
    changed: bool


def test_success_returns_the_value_and_says_done_or_repeated(request_: Any) -> None:
    outcome = run_service(request_, lambda: Step(changed=True), done="已完成", repeated="已经做过了")
    assert outcome and outcome.value == Step(changed=True)
    run_service(request_, lambda: Step(changed=False), done="已完成", repeated="已经做过了")
    assert texts(request_) == [("success", "已完成"), ("info", "已经做过了")]


def test_other_errors_are_not_swallowed(request_: Any) -> None:
    def crash() -> None:
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        run_service(request_, crash)
