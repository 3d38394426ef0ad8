"""The double-submit guard: the first POST of a form claims its key; a repeat is sent to what the first made."""

from typing import Any

from django.test import RequestFactory

from pingyi.core import submit_once


def post(key: str, user_pk: int = 1) -> Any:
    request = RequestFactory().post("/", {"once": key})
    request.user = type("U", (), {"pk": user_pk})()
    return request


def test_the_first_post_claims_a_repeat_finds_the_result_and_a_release_frees_it() -> None:
    key = submit_once.new_key()
    assert submit_once.claim(post(key)) == (True, "")
    assert submit_once.claim(post(key)) == (False, "")  # still saving: nothing to show yet
    submit_once.remember(post(key), "/opinions/7/")
    assert submit_once.claim(post(key)) == (False, "/opinions/7/")
    submit_once.release(post(key))
    assert submit_once.claim(post(key)) == (True, "")


def test_keys_are_per_user_and_a_missing_or_forged_key_never_blocks() -> None:
    key = submit_once.new_key()
    assert submit_once.claim(post(key, user_pk=1))[0]
    assert submit_once.claim(post(key, user_pk=2))[0]
    assert submit_once.claim(post(""))[0] and submit_once.claim(post(""))[0]
    assert submit_once.claim(post("not-a-key"))[0] and submit_once.claim(post("not-a-key"))[0]
