"""What a checkpoint may hold: the manifest's format, and the one check both save and load run.

A checkpoint (``autodidact.save``) is a zip of ``.npy`` arrays and one JSON
text, the *manifest*, that puts the saved object back together around them.
A state dict ``{"w": tensor}`` is written as

    {"format": 2, "object": {"dict": [["w", {"tensor": "t0", "dtype": "float32",
     "shape": [3], "requires_grad": false, "parameter": false}]]}}

Numbers, strings, booleans and null stand for themselves; a dict, an
``OrderedDict``, a list and a tuple are each a one-key object
(``{"list": [...]}``); a tensor or a NumPy array is an *entry* that names
its array (``t0.npy`` in the zip) and promises its dtype and shape.
Format 1, which autodidact wrote before, had no ``dtype`` and ``shape``.

Why a checker of its own: a file is data from anywhere, and a manifest
that is almost right (a missing key, a list where a dict should be, an
array named twice, nesting ten thousand deep) would otherwise fail deep
inside ``load`` with a ``KeyError`` or a ``RecursionError``, or worse,
load. ``checked_manifest`` is the single place that says what is right:
``load`` runs it on what it reads, and ``save`` runs it on what it is about
to write, so every file ``save`` writes loads.

    >>> checked_manifest('{"format": 2, "object": {"list": [1, "a"]}}')
    ({'format': 2, 'object': {'list': [1, 'a']}}, {})
"""

import json

from . import dtypes

MANIFEST = "__autodidact__"   # the zip member holding the manifest is "__autodidact__.npy"
FORMAT = 2                    # what save writes; 2 added each array's dtype and shape
_READABLE = (1, 2)     # what load reads
MAX_DEPTH = 100               # dicts in lists in dicts...: a state dict needs 3 or 4
MAX_DIMS = 64                 # NumPy's limit on an array's dimensions

_BY_NAME = {d.name: d for d in dtypes.ALL}
IN_FILE = {d.numpy.newbyteorder("<"): d for d in dtypes.ALL}   # files are little-endian
_STORED = ", ".join(d.name for d in dtypes.ALL)
_ENTRY_KEYS = {"tensor": {"tensor", "dtype", "shape", "requires_grad", "parameter"},
               "ndarray": {"ndarray", "dtype", "shape"}}
_CONTAINERS = ("dict", "ordered_dict", "list", "tuple")


class Refused(Exception):
    """Why a file breaks the rules; ``load`` turns it into a CheckpointError naming the file.

    The error reads ``'<file>' <headline>: <message>. <fix>``; ``unsafe``
    marks files that hold pickled objects (an ``UnsafeLoadError``).
    """

    def __init__(self, message, fix=None, headline="is not a valid autodidact checkpoint",
                 unsafe=False):
        super().__init__(message)
        self.fix, self.headline, self.unsafe = fix, headline, unsafe


def is_plain(value):
    """Whether ``value`` is written into the manifest as itself (and may be a dict key)."""
    return value is None or isinstance(value, (bool, int, float, str))


def dtype_problem(dtype):
    """Why autodidact does not store arrays of this NumPy dtype (None when it does)."""
    if dtype in IN_FILE:
        return None
    if dtype.hasobject:
        return f"holds pickled Python objects (dtype {dtype.str}), which only unpickling reads"
    if dtype.byteorder == ">" and dtype.newbyteorder("<") in IN_FILE:
        return f"has big-endian dtype {dtype.str}; autodidact stores {_STORED}, little-endian"
    return f"has dtype {dtype.str} ({dtype.name}); autodidact stores only {_STORED}"


_NOT_A_SHAPE = "a shape is a list of non-negative integers"


def shape_problem(shape):
    """Why ``shape`` (a list or tuple) cannot be an array's shape (None when it can)."""
    if not all(type(n) is int and n >= 0 for n in shape):
        return _NOT_A_SHAPE
    if len(shape) > MAX_DIMS:
        return f"that is {len(shape)} dimensions, and NumPy allows at most {MAX_DIMS}"
    return None


def checked_manifest(text):
    """The manifest in ``text``, parsed and checked; and the arrays it promises.

    The promised arrays are ``{name: (dtype, shape, where)}``: ``dtype`` and
    ``shape`` are None in format 1, which did not record them (the array's
    own header then says), and ``where`` is the entry's place in the
    manifest. Raises ``Refused`` naming the first problem and where it is:
    ``object.dict[0][1]`` is the value of the top-level dict's first key.
    """
    manifest = _parse(text)
    if not isinstance(manifest, dict):
        raise Refused(f"its manifest is a JSON {type(manifest).__name__}, not an object")
    _check_keys(manifest, {"format", "object"}, "its manifest")
    version = manifest["format"]
    if type(version) is not int or version not in _READABLE:
        raise Refused(f"it has format {version!r}; this autodidact reads formats "
                      f"{', '.join(map(str, _READABLE))}",
                      fix="It may come from a newer autodidact: upgrade, or save it again there.")
    promised = {}
    _check_node(manifest["object"], "object", version, promised, 0)
    return manifest, promised


def _parse(text):
    """The manifest's JSON; a key written twice in one JSON object is refused."""
    def no_duplicates(pairs):
        seen = set()
        for key, _ in pairs:
            if key in seen:
                raise Refused(f"its manifest has the JSON key {key!r} twice in one object")
            seen.add(key)
        return dict(pairs)
    try:
        return json.loads(text, object_pairs_hook=no_duplicates)
    except RecursionError:
        raise Refused("its manifest nests too deeply to read") from None
    except ValueError as error:   # JSONDecodeError, or an integer of thousands of digits
        raise Refused(f"its manifest is not valid JSON ({error})") from None


def _check_node(node, where, version, promised, depth):
    """Check one value of the manifest, and everything inside it, recording its arrays."""
    if depth > MAX_DEPTH:
        raise Refused(f"its manifest nests more than {MAX_DEPTH} levels deep (at {where})")
    if is_plain(node):
        return
    if isinstance(node, list):
        raise Refused(f"its manifest has a bare list at {where}; lists are written "
                      '{"list": [...]}')
    kinds = [key for key in node if key in _ENTRY_KEYS or key in _CONTAINERS]
    if len(kinds) != 1:
        raise Refused(f"its manifest entry at {where} has keys {sorted(node)}; it needs exactly "
                      f"one of {', '.join(list(_ENTRY_KEYS) + list(_CONTAINERS))}")
    kind = kinds[0]
    if kind in _ENTRY_KEYS:
        _check_array_entry(node, kind, where, version, promised)
    elif kind in ("list", "tuple"):
        for i, item in enumerate(_items(node, kind, where)):
            _check_node(item, f"{where}.{kind}[{i}]", version, promised, depth + 1)
    else:
        seen = set()
        for i, pair in enumerate(_items(node, kind, where)):
            place = f"{where}.{kind}[{i}]"
            if not (isinstance(pair, list) and len(pair) == 2):
                raise Refused(f"its manifest has {_short(pair)} at {place}; a dict item is a "
                              "[key, value] pair")
            key, value = pair
            if not is_plain(key):
                raise Refused(f"its manifest has the key {_short(key)} at {place}; keys are "
                              "strings, numbers, booleans or null")
            if key in seen:
                raise Refused(f"its manifest has the key {key!r} twice in the dict at {where}")
            seen.add(key)
            _check_node(value, place + "[1]", version, promised, depth + 1)


def _items(node, kind, where):
    """The list a container entry (``{"list": [...]}``, ``{"dict": [...]}``...) holds."""
    _check_keys(node, {kind}, f"its manifest entry at {where}")
    items = node[kind]
    if not isinstance(items, list):
        raise Refused(f"its manifest has a {type(items).__name__} at {where}.{kind}; expected "
                      "a list")
    return items


def _check_array_entry(node, kind, where, version, promised):
    """Check a tensor or ndarray entry field by field, and record its array in ``promised``."""
    expected = _ENTRY_KEYS[kind] if version >= 2 else _ENTRY_KEYS[kind] - {"dtype", "shape"}
    _check_keys(node, expected, f"its manifest entry at {where}")
    name = node[kind]
    if not isinstance(name, str) or not name or name == MANIFEST:
        raise Refused(f"its manifest entry at {where} names the array {_short(name)}; a name "
                      f"is a non-empty string other than '{MANIFEST}'")
    for flag in ("requires_grad", "parameter"):
        if flag in node and type(node[flag]) is not bool:
            raise Refused(f"its manifest entry at {where} has {flag}={_short(node[flag])}; "
                          "expected true or false")
    dtype, shape = _check_dtype_and_shape(node, where) if version >= 2 else (None, None)
    if name in promised:
        raise Refused(f"its manifest names the array '{name}' twice (at {promised[name][2]} and "
                      f"{where}); autodidact.save writes each tensor to its own array, so "
                      "no two loaded tensors share memory")
    promised[name] = (dtype, shape, where)


def _check_dtype_and_shape(node, where):
    """The autodidact dtype and the shape (a tuple) a format 2 entry promises."""
    dtype, shape = node["dtype"], node["shape"]
    if not isinstance(dtype, str) or dtype not in _BY_NAME:
        raise Refused(f"its manifest entry at {where} has dtype {_short(dtype)}; autodidact "
                      f"stores {_STORED}")
    problem = shape_problem(shape) if isinstance(shape, list) else _NOT_A_SHAPE
    if problem:
        raise Refused(f"its manifest entry at {where} has shape {_short(shape)}; {problem}")
    if node.get("requires_grad") and not _BY_NAME[dtype].is_floating_point:
        raise Refused(f"its manifest entry at {where} has requires_grad=true for a {dtype} "
                      "tensor; only floating point tensors can require gradients")
    return _BY_NAME[dtype], tuple(shape)


def _check_keys(node, expected, what):
    """Refuse a JSON object whose keys are not exactly ``expected``, naming the odd ones."""
    missing, unknown = expected - set(node), set(node) - expected
    if missing:
        raise Refused(f"{what} has no {_quoted(missing)} key{'s' if len(missing) > 1 else ''}")
    if unknown:
        raise Refused(f"{what} has the unknown key{'s' if len(unknown) > 1 else ''} "
                      f"{_quoted(unknown)}")


def _quoted(keys):
    """``'a'``, ``'a' and 'b'``, ``'a', 'b' and 'c'``: keys in sorted order, for a message."""
    names = [repr(key) for key in sorted(keys)]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _short(value):
    """``value`` as the manifest spells it, cut to 60 characters for a message."""
    text = json.dumps(value)
    return text if len(text) <= 60 else text[:57] + "..."
