"""A value built once per object of the served documents (a body schema, a parameter).

Keyed by the object's identity, with the object kept beside its value: while it is kept its id
cannot be given to another object, so a validator is never used for a schema it was not built for.
"""


class PerObject:
    def __init__(self, build):
        self._build = build
        self._kept: dict[int, tuple] = {}  # id(object) -> (object, value)

    def __call__(self, obj):
        kept = self._kept.get(id(obj))
        if kept is None or kept[0] is not obj:
            kept = self._kept[id(obj)] = (obj, self._build(obj))
        return kept[1]
