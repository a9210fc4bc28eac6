"""Validators built once per schema object: the same object gets the same value, another object
(even an equal one, even one given the id of an object freed before) gets its own."""

from mock_server.web.per_object import PerObject


def test_one_value_per_object():
    per_object = PerObject(lambda schema: object())
    first = {"type": "integer"}
    assert per_object(first) is per_object(first)
    assert per_object({"type": "integer"}) is not per_object(first)  # equal, but another object


def test_never_a_value_built_for_another_object():
    per_object = PerObject(lambda schema: dict(schema))  # a copy: the value keeps no reference to its object
    for number in range(500):  # each dict is dropped by the loop: only PerObject can keep its id taken
        assert per_object({"number": number}) == {"number": number}
