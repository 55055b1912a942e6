"""Random TF1 programs (issue 15's campaign): sequences of graph-building and session calls
with valid and invalid arguments, checked for properties that every program must keep:

- only TensorFlow's exception types escape a call;
- a call that fails leaves the graph exactly as it was (ops, names used, collections,
  the open name scope) and a run that fails leaves the session's values as they were;
- the program's successful calls, replayed on a fresh graph, build the same graph.

A program is a list of calls ``(kind, a, b, c, d)``: small integers that `_Program.call`
reads as choices from the tables below (which earlier tensor, which name, which shape), so
a program replays exactly and Hypothesis shrinks a failure to a short one.

The default profile (tests/conftest.py) runs in about a minute; the long run is
``pytest -m fuzz --hypothesis-profile=long``. With ``TFTEACH_FUZZ_STATS=file`` set, each
test appends its counts (programs, calls, failed calls) to that file.
"""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tfteach as tf

pytestmark = pytest.mark.fuzz

NAMES = [None, "c", "w", "s", "a/b", "", "bad name!", "c_1", "W", "x/"]
VALUES = [1.0, 2, [1.0, 2.0], [[1.0, 2.0], [3.0, 4.0]], "text", True, [1, "a"], np.ones((2, 2))]
DTYPES = [None, tf.float32, tf.int32, tf.float64, tf.string, tf.bool, "float32", "nonsense"]
SHAPES = [None, [], [2], [2, 2], [None, 2], [-1], [3, 0], [2, -1]]
REUSE = [None, True, tf.AUTO_REUSE, False]
AXES = [None, 0, 1, -1, 5, [0, 1]]
INITIALIZERS = [
    None,
    tf.zeros_initializer(),
    tf.ones_initializer(),
    tf.constant_initializer(3.0),
    tf.glorot_uniform_initializer(seed=1),
    tf.random_normal_initializer(seed=2),
    "tensor",
    1.5,
]
KINDS = [
    "constant",
    "placeholder",
    "variable",
    "get_variable",
    "variable_scope",
    "name_scope",
    "control_dependencies",
    "exit",
    "binary",
    "reduce",
    "reshape",
    "concat",
    "stack",
    "squeeze",
    "initializer",
    "report",
    "assign",
    "minimize",
    "run",
    "collection",
    "by_name",
    "add_n",
    "tuple",
    "zeros",
]
EXPECTED = (ValueError, TypeError, KeyError, RuntimeError, tf.errors.OpError)
# Other types escape only where TF raises them: stack([], axis != 0) reads values[0];
# minimize(1.0) asks the float for its dtype; a loss through an op without a gradient is
# TF's LookupError
ALSO_EXPECTED = {"stack": (IndexError,), "minimize": (AttributeError, LookupError)}

calls = st.tuples(
    st.sampled_from(KINDS),
    st.integers(0, 9),
    st.integers(0, 9),
    st.integers(0, 9),
    st.integers(0, 9),
)
programs = st.lists(calls, min_size=10, max_size=40)


def _pick(items, i):
    return items[i % len(items)] if items else None


class _Program:
    """Runs calls on one graph, keeping what they made for later calls to use."""

    def __init__(self, graph: tf.Graph):
        self.graph = graph
        self.tensors: list = []
        self.variables: list = []
        self.ops: list = []
        self.contexts: list = []  # open `with` blocks, innermost last
        self.session: tf.Session | None = None

    def call(self, kind, a, b, c, d):
        """Makes one call; returns what it built (kept for later calls)."""
        t = lambda i: _pick(self.tensors, i)  # noqa: E731
        if kind == "constant":
            shape = SHAPES[c % 8] if d % 3 == 0 else None
            return tf.constant(VALUES[a % 8], dtype=DTYPES[b % 8], shape=shape, name=NAMES[d])
        if kind == "placeholder":
            return tf.placeholder(DTYPES[a % 8] or tf.float32, SHAPES[b % 8], name=NAMES[c])
        if kind == "variable":
            initial = t(a) if b % 2 and self.tensors else VALUES[a % 8]
            collections = [None, ["mine"], [tf.GraphKeys.LOCAL_VARIABLES]][c % 3]
            return tf.Variable(
                initial, name=NAMES[d], trainable=bool(b % 3), collections=collections
            )
        if kind == "get_variable":
            init = INITIALIZERS[b % 8]
            if init == "tensor":
                init = t(b)
            shape = None if init is not None and not callable(init) else SHAPES[c % 8]
            return tf.get_variable(NAMES[a], shape=shape, initializer=init, dtype=DTYPES[d % 6])
        if kind == "variable_scope":
            return self.enter(tf.variable_scope(NAMES[a] or "vs", reuse=REUSE[b % 4]))
        if kind == "name_scope":
            return self.enter(tf.name_scope(NAMES[a]))
        if kind == "control_dependencies":
            deps = [_pick(self.ops, a)] if b % 3 else [t(a)] if c % 2 else [VALUES[a % 8]]
            return self.enter(tf.control_dependencies(deps))
        if kind == "exit":
            if self.contexts:
                self.contexts.pop().__exit__(None, None, None)
            return None
        if kind == "binary":
            fn = [tf.add, tf.subtract, tf.multiply, tf.matmul, tf.maximum][a % 5]
            return fn(t(b), t(c) if d % 4 else VALUES[c % 8])
        if kind == "reduce":
            fn = [tf.reduce_sum, tf.reduce_mean, tf.reduce_max][a % 3]
            return fn(t(b), axis=AXES[c % 6], keepdims=bool(d % 2))
        if kind == "reshape":
            return tf.reshape(t(a), SHAPES[b % 8] or [-1], name=NAMES[c])
        if kind == "concat":
            return tf.concat([t(i) for i in range(a, a + b % 3)], AXES[c % 6] or 0)
        if kind == "stack":
            return tf.stack([t(i) for i in range(a, a + b % 3)], axis=[0, 1, -1][c % 3])
        if kind == "squeeze":
            return tf.squeeze(t(a), axis=AXES[b % 6])
        if kind == "initializer":
            if a % 3 == 0:
                return tf.global_variables_initializer()
            if a % 3 == 1:
                return tf.local_variables_initializer()
            return tf.variables_initializer(self.variables[b % 3 :: 2], name=NAMES[c] or "init")
        if kind == "report":
            return tf.report_uninitialized_variables()
        if kind == "assign":
            fn = [tf.assign, tf.assign_add, tf.assign_sub][a % 3]
            value = t(c) if d % 2 else VALUES[c % 8]
            return fn(_pick(self.variables, b), value, use_locking=bool(d % 3))
        if kind == "minimize":
            opt = [tf.train.GradientDescentOptimizer(0.1), tf.train.AdamOptimizer()][a % 2]
            return opt.minimize(t(b) if c % 4 else VALUES[b % 8])
        if kind == "run":
            return self.run(a, b, c)
        if kind == "collection":
            return tf.add_to_collection(["mine", tf.GraphKeys.LOSSES][a % 2], t(b))
        if kind == "by_name":
            names = ["init:0", "init:-1", "Const:0", "nope:0", "Const", "c:1", ":0", "x:y"]
            return self.graph.get_tensor_by_name(names[a % 8])
        if kind == "add_n":
            return tf.add_n([t(i) for i in range(a, a + b % 3)])
        if kind == "tuple":
            return tf.tuple([t(a) if b % 2 else VALUES[a % 8]])
        if kind == "zeros":
            return [tf.zeros, tf.ones][a % 2](
                SHAPES[b % 8] or [2], dtype=DTYPES[c % 6] or tf.float32
            )
        raise AssertionError(kind)

    def enter(self, context):
        context.__enter__()
        self.contexts.append(context)

    def run(self, a, b, c):
        if self.session is None:
            self.session = tf.Session(graph=self.graph)
        fetches = [x for x in (_pick(self.tensors, a), _pick(self.ops, b)) if x is not None]
        if c % 3 == 0:
            fetches = fetches[:1]
        feeds = {}
        for p in self.tensors:
            if p.op.type == "Placeholder" and c % 2:
                shape = [2 if d is None else d for d in p.shape.as_list()] if p.shape.ndims else []
                feeds[p] = np.ones(shape, p.dtype.as_numpy_dtype)
        return self.session.run(fetches, feeds)

    def keep(self, result) -> None:
        for r in result if isinstance(result, list) else [result]:
            if isinstance(r, tf.Variable):
                self.variables.append(r)
                self.tensors.append(r.value())
            elif isinstance(r, tf.Tensor):
                self.tensors.append(r)
            elif isinstance(r, tf.Operation):
                self.ops.append(r)

    def close(self) -> None:
        while self.contexts:
            self.contexts.pop().__exit__(None, None, None)
        if self.session is not None:
            self.session.close()


def graph_state(graph: tf.Graph) -> tuple:
    """Everything a failed call must leave as it was, in comparable form."""
    ops = tuple(
        (
            op.name,
            op.type,
            tuple(t.name for t in op.inputs),
            tuple(c.name for c in op.control_inputs),
            tuple((t.dtype.name, str(t.shape)) for t in op.outputs),
        )
        for op in graph.get_operations()
    )
    collections = tuple(
        (key, tuple(getattr(item, "name", repr(item)) for item in graph.get_collection(key)))
        for key in graph.get_all_collection_keys()
    )
    return ops, collections, dict(graph._names_in_use), graph.get_name_scope()


def session_state(session) -> dict:
    if session is None:
        return {}
    return {op.name: (v.copy(), session._written[op]) for op, v in session._values.items()}


def _same_values(before: dict, after: dict) -> bool:
    return before.keys() == after.keys() and all(
        np.array_equal(before[k][0], after[k][0]) and before[k][1] == after[k][1] for k in before
    )


_STATS = {"programs": 0, "calls": 0, "failed calls": 0}


def run_program(program) -> tuple[list, tuple]:
    """Runs ``program`` on a fresh graph, checking each call; returns the calls that
    succeeded and the graph they left (its ops and collections)."""
    graph = tf.Graph()
    done = []
    prog = _Program(graph)
    with graph.as_default():
        try:
            for call in program:
                before = graph_state(graph)
                values = session_state(prog.session)
                _STATS["calls"] += 1
                try:
                    result = prog.call(*call)
                except EXPECTED + ALSO_EXPECTED.get(call[0], ()) as e:
                    _STATS["failed calls"] += 1
                    assert graph_state(graph) == before, f"{call} failed ({e!r}), graph changed"
                    assert _same_values(values, session_state(prog.session)), (
                        f"{call} failed ({e!r}) and changed the session's values"
                    )
                    continue
                prog.keep(result)
                done.append(call)
        finally:
            prog.close()
    _STATS["programs"] += 1
    return done, graph_state(graph)[:2]


def replayed_graph(calls) -> tuple:
    """The ops and collections that ``calls`` (all expected to succeed) build on a fresh
    graph."""
    graph = tf.Graph()
    prog = _Program(graph)
    with graph.as_default():
        try:
            for call in calls:
                prog.keep(prog.call(*call))
        finally:
            prog.close()
    return graph_state(graph)[:2]


@given(programs)
def test_random_programs_keep_the_graph_and_session_consistent(program):
    done, built = run_program(program)
    # the successful calls alone build the same graph on a fresh one: a failed call left
    # nothing behind that changed a later call (no used-up name, scope or stale cache)
    assert replayed_graph(done) == built


@pytest.fixture(scope="module", autouse=True)
def _write_stats():
    yield
    path = os.environ.get("TFTEACH_FUZZ_STATS")
    if path:
        with open(path, "a") as f:
            f.write(f"{_STATS}\n")
