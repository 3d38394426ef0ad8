import pytest
from django.core.exceptions import ValidationError

from pingyi.core.citizen_id import clean_id_number, clean_phone, id_check_digit, mask_id_number, mask_phone


def test_check_digit_follows_gb11643() -> None:
    # The standard's own worked example.
    assert id_check_digit("11010519491231002") == "X"
    assert clean_id_number("11010519491231002x") == "11010519491231002X"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("110105194912310021", "校验位"),
        ("11010519491231", "18位"),
        ("110105491231002", "15位"),
        ("11010519491331002X", "出生日期"),
        ("1101051949123100AX", "17位数字"),
    ],
)
def test_bad_id_numbers_say_why(value: str, reason: str) -> None:
    with pytest.raises(ValidationError) as err:
        clean_id_number(value)
    assert reason in err.value.messages[0]


def test_phones() -> None:
    assert clean_phone("138 0013 8000") == "13800138000"
    assert clean_phone("0591-87654321") == "0591-87654321"
    with pytest.raises(ValidationError):
        clean_phone("12345")


def test_masks_keep_only_the_ends() -> None:
    assert mask_id_number("11010519491231002X") == "110***********002X"
    assert mask_phone("13800138000") == "138****8000"
