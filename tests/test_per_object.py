"""Validators built once per schema object: the same object gets the same value, another object
(even an equal one, even one created after the first is dropped elsewhere) gets its own."""
import gc

from mock_server.web.per_object import PerObject


def test_one_value_per_object_and_never_a_stale_one():
    built = []
    per_object = PerObject(lambda schema: built.append(schema) or len(built))
    first = {"type": "integer"}
    assert per_object(first) == per_object(first) == 1
    assert per_object({"type": "integer"}) == 2  # equal but another object: its own value
    del first
    gc.collect()
    for _ in range(200):  # new dicts may only take ids that no kept schema holds
        schema = {"type": "string"}
        value = per_object(schema)
        assert built[value - 1] is schema
    assert len(built) == 202
