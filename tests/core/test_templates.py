"""Replayed initializer calls and variables (tfteach.core.templates) add exactly the ops, names and
values that building them again would: compared op by op with replay turned off."""

import functools

import numpy as np
import pytest

import tfteach as tf
from tfteach.core import templates
from tfteach.core.registry import lookup

INITIALIZERS = {
    "default (glorot_uniform)": None,
    "glorot_normal": tf.glorot_normal_initializer(seed=3),
    "he_uniform": tf.initializers.he_uniform(seed=4),
    "variance_scaling fan_avg normal": tf.variance_scaling_initializer(
        2.0, "fan_avg", "untruncated_normal", seed=5
    ),
    "truncated_normal": tf.truncated_normal_initializer(0.5, 0.1, seed=6),
    "random_uniform ints": tf.random_uniform_initializer(0, 10, seed=7, dtype=tf.int32),
    "zeros": tf.zeros_initializer(),
    "ones int64": tf.ones_initializer(dtype=tf.int64),
    "orthogonal": tf.orthogonal_initializer(seed=8),
    "identity": tf.initializers.identity(),
    "uniform_unit_scaling": tf.uniform_unit_scaling_initializer(seed=9),
}


def build(initializer, dtype=None):
    """Three scopes of three variables, plus two calls in one name scope (the second
    call's names are taken, so it must not be replayed)."""
    if initializer is not None and initializer.dtype.is_integer:
        dtype = initializer.dtype
    for scope in ("a", "b", "a"):  # the second "a" re-enters as a_1 for ops
        with tf.variable_scope(scope, reuse=tf.AUTO_REUSE):
            for name, shape in (("w", [3, 4]), ("v", [4, 4]), ("u", [2, 3, 4])):
                if "identity" in str(type(initializer)).lower() and len(shape) != 2:
                    continue
                tf.get_variable(name, shape, dtype=dtype, initializer=initializer)
    if initializer is not None:
        with tf.name_scope("twice"):
            initializer([4, 4], dtype=dtype)
            initializer([4, 4], dtype=dtype)


def describe(graph) -> list:
    """Everything about each op a learner or the session could see."""
    out = []
    for op in graph.get_operations():
        attrs = {k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in op._attrs.items()}
        out.append(
            (
                op.name,
                op.type,
                [t.name for t in op.inputs],
                [c.name for c in op.control_inputs],
                sorted(attrs.items(), key=lambda kv: kv[0]),
                [(t.dtype, t.shape.as_tuple()) for t in op.outputs],
                op._id,
                op._reads,
                op._opdef is lookup(op.type),  # the kernel and gradient as registered now
            )
        )
    return out


def state(graph) -> tuple:
    return describe(graph), dict(graph._names_in_use), sorted(graph._ops_by_name), graph.version


def values(graph) -> dict:
    with tf.Session(graph=graph) as sess:
        sess.run(tf.global_variables_initializer())
        return {v.op.name: sess.run(v) for v in tf.global_variables()}


@pytest.fixture
def replay_off(monkeypatch):
    def off():
        monkeypatch.setattr(templates, "ENABLED", False)

    return off


@pytest.mark.parametrize("kind", sorted(INITIALIZERS))
def test_replayed_calls_add_what_building_adds(kind, replay_off, monkeypatch):
    initializer = INITIALIZERS[kind]
    monkeypatch.setattr(templates, "_TEMPLATES", {})
    replayed = tf.Graph()
    with replayed.as_default():
        build(initializer)
        replayed_values = values(replayed)
    replay_off()
    built = tf.Graph()
    with built.as_default():
        build(initializer)
        built_values = values(built)
    assert state(replayed) == state(built)
    assert replayed_values.keys() == built_values.keys()
    for name, value in built_values.items():
        if kind == "default (glorot_uniform)":  # unseeded: only shape and range compare
            assert replayed_values[name].shape == value.shape
        else:
            np.testing.assert_array_equal(replayed_values[name], value, err_msg=name)


def test_replay_was_used(monkeypatch):
    monkeypatch.setattr(templates, "_TEMPLATES", {})
    calls = []
    real = templates._replay
    monkeypatch.setattr(templates, "_replay", lambda g, t, o: calls.append(1) or real(g, t, o))
    with tf.variable_scope("s"):
        for i in range(3):
            tf.get_variable(f"v{i}", [2, 2])
    assert len(calls) == 2  # the first call recorded, the next two replayed


def test_graph_seed_builds_the_long_way_with_op_count_seeds(replay_off, monkeypatch):
    monkeypatch.setattr(templates, "_TEMPLATES", {})
    graphs = []
    for enabled in (True, False):
        monkeypatch.setattr(templates, "ENABLED", enabled)
        g = tf.Graph()
        with g.as_default():
            tf.set_random_seed(1)
            build(None)
        graphs.append(g)
    assert state(graphs[0]) == state(graphs[1])
    ops = graphs[0].get_operations()
    seeds = {op.get_attr("seed2") for op in ops if op.type == "RandomUniform"}
    assert len(seeds) > 1  # each random op took its own seed from the op count


def test_a_failing_variable_takes_its_replayed_ops_back(monkeypatch):
    monkeypatch.setattr(templates, "_TEMPLATES", {})
    init = tf.glorot_uniform_initializer()
    tf.Variable(lambda: init([2, 2]), name="first")  # recorded
    graph = tf.get_default_graph()
    before = state(graph)
    with pytest.raises(ValueError, match="not compatible"):
        tf.Variable(lambda: init([2, 2]), name="second", shape=[3, 3])  # replayed, then fails
    assert state(graph) == before
    second = tf.Variable(lambda: init([2, 2]), name="second")  # the names are free again
    assert second.initial_value.op.name == "second/Initializer/random_uniform"


def test_a_call_holding_a_large_value_is_not_kept(monkeypatch):
    monkeypatch.setattr(templates, "_TEMPLATES", {})
    identity = tf.initializers.identity()
    with tf.variable_scope("a"):
        tf.get_variable("big", [100, 100], initializer=identity)  # a 10,000-value matrix
        tf.get_variable("small", [4, 4], initializer=identity)
    kept = [t for t in templates._TEMPLATES.values() for _, name, *_ in t.ops if name == "eye"]
    assert len(kept) == 1  # only the small call's template, and the graph is complete
    assert {v.op.name for v in tf.global_variables()} == {"a/big", "a/small"}


@pytest.mark.parametrize("replay", [True, False])
def test_a_name_taken_midway_fails_as_building_does(replay, monkeypatch):
    monkeypatch.setattr(templates, "_TEMPLATES", {})
    monkeypatch.setattr(templates, "ENABLED", replay)
    init = tf.glorot_uniform_initializer()
    tf.Variable(lambda: init([2, 2]), name="first")  # recorded
    graph = tf.get_default_graph()
    # an op that took its exact name (a scope name) marks no name as used
    graph.create_op("NoOp", [], name="second/Initializer/random_uniform/max/")
    before = state(graph)
    with pytest.raises(ValueError, match="Duplicate node name in graph"):
        tf.Variable(lambda: init([2, 2]), name="second")
    assert state(graph) == before


def test_control_dependencies_are_kept_by_building(monkeypatch):
    monkeypatch.setattr(templates, "_TEMPLATES", {})
    init = tf.random_normal_initializer(seed=1)
    init([2])  # recorded outside any control_dependencies
    gate = tf.no_op(name="gate")
    with tf.control_dependencies([gate]):
        init([2])
    gated = [op.name for op in tf.get_default_graph().get_operations() if op.control_inputs]
    # the ops with no input made inside the block wait for the gate (TF's rule)
    assert gated == ["random_normal_1/shape", "random_normal_1/mean", "random_normal_1/stddev"]


# -- variables whose replayed ops are made when first needed ---------------------------


def pending_blocks(graph) -> int:
    return len(graph._pending)


def test_a_replayed_variable_is_made_when_first_looked_at(monkeypatch):
    monkeypatch.setattr(templates, "_TEMPLATES", {})
    graph = tf.get_default_graph()
    with tf.variable_scope("s"):
        tf.get_variable("a", [2, 3])  # recorded
        b = tf.get_variable("b", [2, 3])  # replayed, its ops not made yet
    assert pending_blocks(graph) == 1
    # what the store and the collections need comes without making the ops
    assert (b.name, b.shape.as_list(), b.dtype) == ("s/b:0", [2, 3], tf.float32_ref)
    assert tf.global_variables(scope="s/b") == [b]
    assert repr(graph) == "<tfteach Graph with 20 ops>"
    with tf.variable_scope("s", reuse=True):
        assert tf.get_variable("b", [2, 3]) is b
    assert pending_blocks(graph) == 1
    # the first look at its ops makes them, in their place
    assert b.op.name == "s/b" and b.initializer.name == "s/b/Assign"
    assert pending_blocks(graph) == 0
    assert b.value().name == "s/b/read:0"
    assert b.initial_value.name == "s/b/Initializer/random_uniform:0"
    assert tf.get_default_graph().get_operation_by_name("s/b") is b.op


@pytest.mark.parametrize("look", ["get_operations", "by_name", "tensor_by_name", "variable"])
def test_ops_made_later_keep_their_places_among_others(look, monkeypatch):
    """Pending variables, ops made after them, more pending variables: once made, the
    graph is what building everything at once makes."""
    monkeypatch.setattr(templates, "_TEMPLATES", {})

    def scenario():
        with tf.variable_scope("s"):
            x = tf.constant([1.0, 2.0], name="x")
            tf.get_variable("a", [2])
            b = tf.get_variable("b", [2])
            y = tf.add(x, 1.0, name="y")
            x.consumers()  # makes a and b: the consumer index is built with nothing pending
            c = tf.get_variable("c", [2])
            graph = tf.get_default_graph()
            if look == "get_operations":
                graph.get_operations()
            elif look == "by_name":
                graph.get_operation_by_name("s/b/Assign")
            elif look == "tensor_by_name":
                graph.get_tensor_by_name("s/c/read:0")
            else:
                assert c.initializer.name == "s/c/Assign"
            z = tf.add(b, y, name="z")
            return [op.name for op in x.consumers()], z, c

    graphs, consumers = [], []
    for enabled in (True, False):
        monkeypatch.setattr(templates, "ENABLED", enabled)
        g = tf.Graph()
        with g.as_default():
            seen, z, c = scenario()
            consumers.append(seen)
            assert [op.name for op in c.value().consumers()] == []
            assert [op.name for op in z.op.inputs[0].consumers()] == ["s/z"]
        graphs.append(g)
    assert state(graphs[0]) == state(graphs[1])
    assert consumers[0] == consumers[1] == ["s/y"]
    assert values(graphs[0]).keys() == {"s/a", "s/b", "s/c"}


@pytest.mark.parametrize("replay", [True, False])
@pytest.mark.parametrize("look_first", [True, False])
def test_a_failing_get_variable_takes_back_its_pending_ops(replay, look_first, monkeypatch):
    monkeypatch.setattr(templates, "_TEMPLATES", {})
    monkeypatch.setattr(templates, "ENABLED", replay)
    graph = tf.get_default_graph()
    with tf.variable_scope("s"):
        tf.get_variable("a", [2])
        kept = tf.get_variable("kept", [2])  # pending (with replay) and stays

    def regularizer(w):
        if look_first:
            tf.nn.l2_loss(w)  # makes the pending ops, inside the failing call
        raise RuntimeError("regularizer failed")

    with tf.variable_scope("s"):  # (a second name scope, s_1: mark it before)
        before_names = dict(graph._names_in_use)
        before_version = graph.version
        with pytest.raises(RuntimeError, match="regularizer failed"):
            tf.get_variable("b", [2], regularizer=regularizer)
        assert graph._names_in_use == before_names and graph.version == before_version
    names = [op.name for op in graph.get_operations()]
    assert not [n for n in names if n.startswith("s/b")]
    assert names[-4:] == [
        "s/kept/Initializer/random_uniform",
        "s/kept",
        "s/kept/Assign",
        "s/kept/read",
    ]
    assert [v.op.name for v in tf.global_variables()] == ["s/a", "s/kept"]
    assert tf.global_variables()[1] is kept
    with tf.variable_scope("s"):
        b = tf.get_variable("b", [2])  # the name is free again
    assert b.op.name == "s/b" and tf.global_variables()[-1] is b


def test_a_variable_whose_call_failed_says_so_when_asked_for_its_ops(monkeypatch):
    monkeypatch.setattr(templates, "_TEMPLATES", {})
    kept = []

    def regularizer(w):
        kept.append(w)  # a learner's regularizer holding on to the variable
        raise RuntimeError("regularizer failed")

    with tf.variable_scope("s"):
        tf.get_variable("a", [2])
        with pytest.raises(RuntimeError):
            tf.get_variable("b", [2], regularizer=regularizer)  # replayed, then taken back
        tf.get_variable("c", [2])  # pending
    (b,) = kept
    assert b.name == "s/b:0"
    with pytest.raises(ValueError, match="Variable s/b has no ops: the call that made it failed"):
        b.initializer  # noqa: B018 (reading the property is the point)
    names = [op.name for op in tf.get_default_graph().get_operations()]
    assert "s/c/read" in names and not [n for n in names if n.startswith("s/b")]


@pytest.mark.parametrize("replay", [True, False])
def test_an_op_taking_a_pending_ops_name_is_a_duplicate(replay, monkeypatch):
    monkeypatch.setattr(templates, "_TEMPLATES", {})
    monkeypatch.setattr(templates, "ENABLED", replay)
    with tf.variable_scope("s"):
        tf.get_variable("a", [2])
        tf.get_variable("b", [2])  # pending with replay
    graph = tf.get_default_graph()
    with pytest.raises(ValueError, match="Duplicate node name in graph: 's/b/read'"):
        graph.create_op("NoOp", [], name="s/b/read/")


@pytest.mark.parametrize("replay", [True, False])
def test_a_variable_in_a_reentered_scope_named_as_an_op_is_a_duplicate(replay, monkeypatch):
    monkeypatch.setattr(templates, "_TEMPLATES", {})
    monkeypatch.setattr(templates, "ENABLED", replay)
    init = tf.glorot_uniform_initializer()
    tf.Variable(lambda: init([2]), name="first")  # recorded
    tf.constant(0.0, name="v")
    graph = tf.get_default_graph()
    before = state(graph)
    # "v/" re-enters the name scope v without marking it: the VariableV2 op would be "v"
    with pytest.raises(ValueError, match="Duplicate node name in graph: 'v'"):
        tf.Variable(lambda: init([2]), name="v/")
    assert state(graph) == before


def random_program(seed: int) -> list:
    """A seeded sequence of steps that mixes pending variables with ops made the long way,
    looks at the graph at random moments, and has calls fail midway."""
    rng = np.random.default_rng(seed)
    steps = []
    for _ in range(40):
        kind = rng.choice(
            ["get_variable", "get_variable", "get_variable", "variable", "op", "look", "fail"]
        )
        steps.append(
            (
                str(kind),
                str(rng.choice(["a", "b", "a/c"])),  # variable scope
                f"v{rng.integers(6)}",  # variable name (repeats: reuse or "already exists")
                [[2], [2], [3, 2]][rng.integers(3)],  # shape
                int(rng.integers(3)),  # initializer choice
                int(rng.integers(4)),  # how to look / how to fail
            )
        )
    return steps


def run_program(steps) -> list:
    """Runs ``steps`` on the default graph; returns what a learner could see along the way."""
    initializers = [None, tf.glorot_uniform_initializer(seed=1), tf.zeros_initializer()]
    graph = tf.get_default_graph()
    seen = []
    last = None
    for kind, scope, name, shape, init, how in steps:
        try:
            with tf.variable_scope(scope, reuse=tf.AUTO_REUSE):
                if kind == "get_variable":
                    last = tf.get_variable(name, shape, initializer=initializers[init])
                    seen.append((last.name, last.shape.as_list(), repr(graph), graph.version))
                elif kind == "variable":
                    make = functools.partial(tf.zeros_initializer(), shape, dtype=tf.float32)
                    last = tf.Variable(make, name=name)
                    seen.append((last.name, repr(graph)))
                elif kind == "op":
                    value = tf.add(last if last is not None else 1.0, 1.0, name=name)
                    seen.append(value.name)
                elif kind == "look":
                    if how == 0:
                        seen.append(len(graph.get_operations()))
                    elif how == 1 and last is not None:
                        seen.append([op.name for op in last.op.outputs[0].consumers()])
                    elif how == 2 and last is not None:
                        seen.append(graph.get_tensor_by_name(last.name).name)
                    else:
                        seen.append([v.name for v in tf.global_variables()])
                else:  # a call that fails after (or before) making its variable's ops

                    def regularizer(w, how=how):
                        if how % 2:
                            tf.nn.l2_loss(w)
                        raise RuntimeError("regularizer failed")

                    if how < 2:
                        tf.get_variable(f"bad{name}", shape, regularizer=regularizer)
                    else:  # a shape clash with an existing variable, or a fresh one
                        tf.get_variable(name, [7], initializer=initializers[init])
        except (RuntimeError, ValueError) as e:
            seen.append(type(e).__name__ + ": " + str(e).split("\n")[0])
    return seen


@pytest.mark.parametrize("seed", range(12))
def test_random_programs_see_what_building_everything_at_once_sees(seed, monkeypatch):
    steps = random_program(seed)
    runs = []
    for enabled in (True, False):
        monkeypatch.setattr(templates, "_TEMPLATES", {})
        monkeypatch.setattr(templates, "ENABLED", enabled)
        g = tf.Graph()
        with g.as_default():
            seen = run_program(steps)
            runs.append((seen, state(g), values(g)))
    (seen, graph_state, got), (seen_built, built_state, want) = runs
    assert seen == seen_built
    assert graph_state == built_state
    assert got.keys() == want.keys()
    for name, value in want.items():
        assert got[name].shape == value.shape, name
