"""What every app's views share: running a service and showing its refusal where the user is looking."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

T = TypeVar("T")


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What a service call gave a view: true when the service did its work (`value` is its result)."""

    ok: bool
    value: T | None = None

    def __bool__(self) -> bool:
        return self.ok


def run_service(
    request: HttpRequest,
    call: Callable[[], T],
    *,
    done: Any = "",
    repeated: Any = "",
    form: forms.BaseForm | None = None,
    field: str | None = None,
) -> Outcome[T]:
    """Run a service for a view; a refusal (ValidationError) becomes the user's message, nothing is lost.

    With a form, the refusal goes on the form (on `field`, or above the form), so the page is shown again
    with what was typed; without one, it is an error message on the next page. `done` is the success
    message, if any; `repeated` replaces it when the service reports that it changed nothing (its result's
    `changed` is False: a repeated click). Any other exception propagates: the transaction has rolled back.
    """
    try:
        value = call()
    except ValidationError as exc:
        if form is not None:
            form.add_error(field, exc)
        else:
            messages.error(request, " ".join(exc.messages))
        return Outcome(ok=False)
    if repeated and getattr(value, "changed", True) is False:
        messages.info(request, repeated)
    elif done:
        messages.success(request, done)
    return Outcome(ok=True, value=value)
