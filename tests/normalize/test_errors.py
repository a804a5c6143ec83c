import pytest

from harvester.normalize import Unparseable
from harvester.normalize._common import is_missing, text_input


def test_unparseable_is_a_value_error_that_keeps_the_raw_value():
    err = Unparseable({"a": 1}, "why")
    assert isinstance(err, ValueError)
    assert err.value == {"a": 1}
    assert "why" in str(err)


def test_message_of_a_huge_value_is_short():
    err = Unparseable("x" * 1_000_000)
    assert err.value == "x" * 1_000_000
    assert len(str(err)) < 200


@pytest.mark.parametrize("value", [None, "", "   ", "\n\t", "null", "NULL", "None", "n/a", "undefined"])
def test_missing_values(value):
    assert is_missing(value)


@pytest.mark.parametrize("value", ["0", 0, False, "TBA", "-", [], "nullable"])
def test_present_values(value):
    assert not is_missing(value)


def test_text_input_caps_length_and_types():
    assert text_input("  x  ", 10) == "x"
    with pytest.raises(Unparseable):
        text_input("x" * 11, 10)
    with pytest.raises(Unparseable):
        text_input(5, 10)
