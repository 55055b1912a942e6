"""Replaying a builder's ops: the second and later calls of a builder with the same key
add the ops the first call added, without running the builder.

`get_variable` makes variables whose ops (for glorot uniform: ``Initializer/random_uniform/
shape``, ``min``, ``max``, ``RandomUniform``, ``sub``, ``mul``, ``random_uniform``, then the
``VariableV2`` op, ``Assign`` and ``read``) differ from one variable to the next only in
their name scope. Two builders use this module: a call of one of tfteach's initializers
(key: its settings, shape and dtype) and a `Variable` whose initial value is such a call
(key: the initializer's key and the variable's own arguments). The first call records what
it added: each op's type, its name relative to the name scope, its inputs (outputs of ops
made in the same call), attributes, output dtypes and shapes, and the names it marked as
used. A later call under another name scope adds the same ops under that scope directly.
The graph cannot tell the two apart (tests/core/test_templates.py compares them op by op).

A replayed variable goes one step further: its call takes only the ops' ids and names,
and the graph keeps a `Pending` block. The ops are made, all pending blocks at once and in
their places by id, when something first looks at the graph's ops (`get_operations`, a
lookup by name, a session) or at the variable's own (``v.op``, ``v.initializer``, its
value). The variable's name, dtype and shape, which the variable store and collections
use, need nothing made.

A call is recorded or replayed only when its ops cannot depend on more than the key:
no graph-level seed (an op seed would then come from the graph's op count), no open
control_dependencies, no input from outside the call, no collection touched, every
name fresh under the scope. Anything else builds normally. Calls whose ops hold a large
value (the identity initializer's matrix) are not recorded: the cache would keep it alive.
"""

from __future__ import annotations

import numpy as np

from .graph import Graph, Operation, Tensor, _new
from .registry import _REGISTRY

_TEMPLATES: dict = {}
_MAX_TEMPLATES = 1024
ENABLED = True  # tests turn replay off to build the same graph the long way
# A template keeps its ops' attributes alive: none holding a large value (an identity matrix)
_MAX_HELD_VALUES = 1024


class _Template:
    __slots__ = ("ops", "marks", "result", "covered", "scoped")

    def __init__(self, ops: tuple, marks: tuple, result):
        # per op: type, relative name, inputs as (op index, output index) pairs (and as op
        # indices when all are first outputs), attrs, outputs as (dtype, shape)
        # (and the one output alone), whether it reads a variable
        self.ops = ops
        self.marks = marks  # (relative lower-case names, their use counts) marked as used
        # what the call returned: (op index, output index) for a tensor, (op index, -1) for
        # an op; a tuple of those when it returned a tuple
        self.result = result
        # is each op's name marked (or the scope's own)? Then free marks mean free names.
        marked = set(marks[0])
        self.covered = all(not entry[1] or entry[1].lower() in marked for entry in ops)
        # does an op take the scope's own name? (then there is no replay at the root)
        self.scoped = any(not entry[1] for entry in ops)


class Pending:
    """A replayed call whose ops are not made yet (see `build_or_replay`'s ``owner``):
    their ids and names are taken; the graph makes them when something first looks at
    its ops, and hands what the call returned to ``owner._materialized(result)``."""

    __slots__ = ("graph", "template", "prefix", "first_id", "owner")

    def __init__(self, graph: Graph, template: _Template, prefix: str, first_id: int, owner):
        self.graph, self.template, self.prefix = graph, template, prefix
        self.first_id, self.owner = first_id, owner

    @property
    def n_ops(self) -> int:
        return len(self.template.ops)

    def output(self, i: int) -> tuple[str, object, object]:
        """The name of the op behind item ``i`` of the result, and its first output's
        dtype and shape (known without making anything)."""
        op_index = self.template.result[i][0]
        _, relative, _, _, _, single, outputs, _ = self.template.ops[op_index]
        dtype, shape = single if single is not None else outputs[0]
        return _full_name(self.prefix, relative), dtype, shape

    def make(self) -> list[Operation]:
        return _make_ops(self.graph, self.template, self.prefix, self.first_id)

    def made(self, ops: list[Operation]) -> None:
        self.owner._materialized(_result(ops, self.template.result))


def build_or_replay(graph: Graph, key, build, owner=None):
    """``build()``'s result (a tensor, an op, or a tuple of them), or the same ops replayed
    when ``key`` was recorded before.

    Call inside a transaction (the ops and names a call adds are journaled).
    ``key`` is None when the call must build normally; otherwise it must determine
    everything ``build`` adds besides the name scope. With an ``owner`` (a `Variable`),
    a replay may only take the ops' ids and names and return a `Pending` block: the ops
    are made later, all at once, when the graph's ops or the owner's are first needed."""
    if key is None or graph.seed is not None or graph._control_stack or graph._finalized:
        return build()
    if not ENABLED:
        return build()
    template = _TEMPLATES.get(key)
    if template is not None:
        replayed = _replay(graph, template, owner)
        return replayed if replayed is not None else build()
    start_id, n_journal = graph._last_id, len(graph._journal)
    result = build()
    template = _record(graph, start_id, n_journal, result)
    if template is not None:
        if len(_TEMPLATES) >= _MAX_TEMPLATES:
            _TEMPLATES.clear()
        _TEMPLATES[key] = template
    return result


def _prefixes(graph: Graph) -> tuple[str, str]:
    stack = graph._name_stack
    return (stack + "/", graph._name_stack_key + "/") if stack else ("", "")


def _full_name(prefix: str, relative: str) -> str:
    # "" is the op named as the scope itself (a variable's VariableV2); at the root there
    # is no such name, and the replay does not apply
    return prefix + relative if relative else prefix[:-1]


def _ref(index: dict, item):
    """Where ``item`` (a tensor or op the call returned) is among the recorded ops."""
    if type(item) is Tensor:
        found = index.get(item._op)
        return None if found is None else (found, item._value_index)
    found = index.get(item) if type(item) is Operation else None
    return None if found is None else (found, -1)


def _record(graph: Graph, start_id: int, n_journal: int, result) -> _Template | None:
    every = graph._ops
    n = len(every)
    while n and every[n - 1]._id > start_id:
        n -= 1
    ops = every[n:]
    if not ops:
        return None
    prefix, key_prefix = _prefixes(graph)
    index = {op: i for i, op in enumerate(ops)}
    if type(result) is tuple:
        refs = tuple(_ref(index, item) for item in result)
        if None in refs:
            return None
    else:
        refs = _ref(index, result)
        if refs is None:
            return None
    entries = []
    for op in ops:
        if op._control_inputs:
            return None
        if op._name.startswith(prefix):
            relative = op._name[len(prefix) :]
        elif prefix and op._name == prefix[:-1]:
            relative = ""  # an op named as the scope itself (a variable's VariableV2)
        else:
            return None
        for value in op._attrs.values():
            if type(value) is np.ndarray and value.size > _MAX_HELD_VALUES:
                return None
        inputs = []
        for t in op._inputs:
            i = index.get(t._op)
            if i is None:  # an input from outside the call
                return None
            inputs.append((i, t._value_index))
        outputs = tuple((t._dtype, t._shape) for t in op._outputs)
        # the common cases, ready to use: inputs that are first outputs, one output
        firsts = tuple(i for i, j in inputs) if all(j == 0 for _, j in inputs) else None
        single = outputs[0] if len(outputs) == 1 else None
        entry = (op._type, relative, firsts, tuple(inputs), op._attrs, single)
        entries.append((*entry, outputs, op._reads))
    marks = {}
    for kind, key, old in graph._journal[n_journal:]:
        if kind != "name" or old is not None or not key.startswith(key_prefix):
            return None  # a collection, undo or replayed names entry, or a name used before
        marks[key[len(key_prefix) :]] = graph._names_in_use[key]
    return _Template(tuple(entries), (tuple(marks), tuple(marks.values())), refs)


def _replay(graph: Graph, template: _Template, owner):
    """The template's ops added under the current name scope (or a `Pending` block of
    them, for an ``owner``), and what the recorded call returned; None (nothing added)
    when one of its names is taken there."""
    prefix, key_prefix = _prefixes(graph)
    if template.scoped and not prefix:
        return None  # the scope's own name: there is none at the root
    names = graph._names_in_use
    relative_keys, counts = template.marks
    keys = [key_prefix + key for key in relative_keys]
    if not names.keys().isdisjoint(keys):
        return None
    if template.covered and graph._names_reserved():
        # Free marks: no op, made or pending, has one of the names, except perhaps the
        # scope's own name (a scope re-entered with "a/" is not marked again)
        if template.scoped and prefix[:-1] in graph._op_index:
            return None
    else:
        ops_by_name = graph._ops_by_name  # makes pending ops: their names are needed
        for entry in template.ops:
            if _full_name(prefix, entry[1]) in ops_by_name:
                return None
        owner = None
    first_id = graph._last_id + 1
    graph._last_id += len(template.ops)
    graph._journal.append(("new names", keys, None))
    names.update(zip(keys, counts))
    if owner is not None:
        block = Pending(graph, template, prefix, first_id, owner)
        graph._defer(block)
        return block
    made = _make_ops(graph, template, prefix, first_id)
    graph._op_list.extend(made)
    index = graph._op_index
    for op in made:
        index[op._name] = op
    return _result(made, template.result)


def _make_ops(graph: Graph, template: _Template, prefix: str, first_id: int) -> list:
    """The template's ops under ``prefix``, with ids from ``first_id`` on (not yet in
    the graph's list or index)."""
    last_id = first_id - 1
    made: list[Operation] = []
    for op_type, name, firsts, inputs, attrs, single, outputs, reads in template.ops:
        op = _new(Operation)
        op._graph, op._type, op._attrs = graph, op_type, attrs
        op._name = prefix + name if name else prefix[:-1]  # _full_name, inlined: per op
        op._opdef = _REGISTRY[op_type]  # as registered now (a gradient may come later)
        if firsts is None:  # an input that is not its op's first output
            op._inputs = tuple(
                made[i]._first if j == 0 else made[i]._rest[j - 1] for i, j in inputs
            )
        elif not firsts:
            op._inputs = ()
        elif len(firsts) == 1:
            op._inputs = (made[firsts[0]]._first,)
        elif len(firsts) == 2:
            op._inputs = (made[firsts[0]]._first, made[firsts[1]]._first)
        else:
            op._inputs = tuple([made[i]._first for i in firsts])
        op._control_inputs, op._reads = (), reads  # no outside inputs: reads as recorded
        if single is not None:
            t = _new(Tensor)
            t._op, t._value_index, (t._dtype, t._shape) = op, 0, single
            op._first, op._rest = t, ()
        else:
            tensors = []
            for value_index, (dtype, shape) in enumerate(outputs):
                t = _new(Tensor)
                t._op, t._value_index, t._dtype, t._shape = op, value_index, dtype, shape
                tensors.append(t)
            op._first = tensors[0] if tensors else None
            op._rest = tuple(tensors[1:])
        op._id = last_id = last_id + 1
        made.append(op)
    return made


def _result(made: list, refs):
    if type(refs[0]) is tuple:
        return tuple(_item(made, ref) for ref in refs)
    return _item(made, refs)


def _item(made: list, ref: tuple[int, int]):
    op_index, value_index = ref
    op = made[op_index]
    if value_index < 0:
        return op
    return op._first if value_index == 0 else op._rest[value_index - 1]
