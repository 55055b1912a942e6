"""variable_scope and get_variable: names, name scopes, reuse modes and scope defaults.

Expected names and values were checked against TensorFlow 2.21 (tensorflow.compat.v1,
disable_v2_behavior); many are also recorded cases in tests/fixtures/tf1_reference.json.
"""

import threading

import numpy as np
import pytest

import tfteach as tf


def op_names():
    return [op.name for op in tf.get_default_graph().get_operations()]


def initialized_values(*variables):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(list(variables))


# -- names ---------------------------------------------------------------------------


def test_variable_scope_prefixes_get_variable_names_and_nests():
    with tf.variable_scope("outer") as outer:
        with tf.variable_scope("inner") as inner:
            w = tf.get_variable("w", [2])
            assert tf.get_variable_scope() is inner
        assert tf.get_variable_scope() is outer
    assert w.name == "outer/inner/w:0" and w.op.name == "outer/inner/w"
    assert (outer.name, inner.name) == ("outer", "outer/inner")
    assert (outer.original_name_scope, inner.original_name_scope) == ("outer/", "outer/inner/")
    assert tf.get_variable_scope().name == ""


def test_root_scope_attributes():
    root = tf.get_variable_scope()
    assert (root.name, root.original_name_scope, root.reuse) == ("", "", False)
    assert root.initializer is None and root.regularizer is None
    assert root.dtype == tf.float32


def test_second_variable_scope_opens_a_new_name_scope_but_keeps_variable_names():
    with tf.variable_scope("s"):
        w = tf.get_variable("w", [1])
        c = tf.constant(1.0, name="c")
        v = tf.Variable(1.0, name="v")
    with tf.variable_scope("s", reuse=True) as again:
        w2 = tf.get_variable("w", [1])
        c2 = tf.constant(1.0, name="c")
        v2 = tf.Variable(1.0, name="v")
        y = w2 * 2
    assert w2 is w and w2.name == "s/w:0"
    assert (c.name, v.name) == ("s/c:0", "s/v:0")
    assert (c2.name, v2.name, y.name) == ("s_1/c:0", "s_1/v:0", "s_1/mul:0")
    assert (again.name, again.original_name_scope) == ("s", "s_1/")


def test_get_variable_builds_tf1_ops_under_its_own_name():
    with tf.variable_scope("s"):
        w = tf.get_variable("w", [1])
    assert op_names() == [
        "s/w/Initializer/random_uniform/shape",
        "s/w/Initializer/random_uniform/min",
        "s/w/Initializer/random_uniform/max",
        "s/w/Initializer/random_uniform/RandomUniform",
        "s/w/Initializer/random_uniform/sub",
        "s/w/Initializer/random_uniform/mul",
        "s/w/Initializer/random_uniform",
        "s/w",
        "s/w/Assign",
        "s/w/read",
    ]
    assert w.initializer.name == "s/w/Assign"
    assert w.initial_value.name == "s/w/Initializer/random_uniform:0"
    assert repr(w) == "<tf.Variable 's/w:0' shape=(1,) dtype=float32_ref>"
    assert type(w) is tf.Variable


def test_get_variable_ignores_name_scope_but_ops_around_it_do_not():
    with tf.name_scope("ns"):
        w = tf.get_variable("w", [1])
        c = tf.constant(1.0, name="c")
        v = tf.Variable(1.0, name="v")
    with tf.variable_scope("vs"), tf.name_scope("inner"):
        x = tf.get_variable("x", [1])
        d = tf.constant(1.0, name="d")
    assert (w.name, c.name, v.name, x.name, d.name) == (
        "w:0",
        "ns/c:0",
        "ns/v:0",
        "vs/x:0",
        "vs/inner/d:0",
    )
    assert (w.initializer.name, x.initializer.name) == ("w/Assign", "vs/x/Assign")


def test_get_variable_takes_a_uniquified_op_name_when_an_op_has_its_name():
    c = tf.constant(1.0, name="w")
    w = tf.get_variable("w", [])
    assert (c.name, w.name, w.initializer.name) == ("w:0", "w_1:0", "w_1/Assign")
    with tf.variable_scope("", reuse=True):
        assert tf.get_variable("w", []) is w  # stored under the name that was asked for


def test_default_name_is_made_unique_among_variable_scopes():
    with tf.variable_scope(None, default_name="layer") as s1:
        a = tf.get_variable("w", [1])
        ca = tf.constant(1)
    with tf.variable_scope(None, default_name="layer") as s2:
        b = tf.get_variable("w", [1])
        cb = tf.constant(1)
    with tf.variable_scope("named", default_name="layer") as s3:
        c = tf.get_variable("w", [1])
    assert (s1.name, s2.name, s3.name) == ("layer", "layer_1", "named")
    assert (a.name, b.name, c.name) == ("layer/w:0", "layer_1/w:0", "named/w:0")
    assert (ca.name, cb.name) == ("layer/Const:0", "layer_1/Const:0")


def test_default_name_counts_restart_when_the_enclosing_scope_closes():
    # TF forgets the names opened inside a scope once it closes: the same default
    # name comes back inside a second "X" (whose name scope is X_1)
    with tf.variable_scope("X"):
        with tf.variable_scope(None, default_name="layer") as a:
            pass
        with tf.variable_scope(None, default_name="layer") as a2:
            pass
    with tf.variable_scope("X"):
        with tf.variable_scope(None, default_name="layer") as b:
            c = tf.constant(1)
    with tf.variable_scope("layer"):
        pass
    with tf.variable_scope(None, default_name="layer") as d:
        pass
    assert (a.name, a2.name, b.name, c.name, d.name) == (
        "X/layer",
        "X/layer_1",
        "X/layer",
        "X_1/layer/Const:0",
        "layer_1",
    )


def test_default_names_inside_a_reentered_scope_object_restart_each_time():
    with tf.variable_scope("m") as m:
        pass
    with tf.variable_scope(m):
        with tf.variable_scope(None, default_name="layer") as a:
            pass
        with tf.variable_scope(None, default_name="layer") as a2:
            pass
    with tf.variable_scope(m), tf.variable_scope(None, default_name="layer") as b:
        pass
    with tf.variable_scope(None, default_name="m") as c:
        pass
    assert (a.name, a2.name, b.name, c.name) == ("m/layer", "m/layer_1", "m/layer", "m_1")


def test_reentering_a_scope_object_keeps_its_name_and_opens_a_fresh_name_scope():
    with tf.variable_scope("model") as scope:
        w = tf.get_variable("w", [1])
        c = tf.constant(1, name="c")
    with tf.variable_scope(scope, reuse=True) as again:
        w2 = tf.get_variable("w", [1])
        c2 = tf.constant(1, name="c")
    with tf.variable_scope(scope):
        x = tf.get_variable("x", [1])
        c3 = tf.constant(1, name="c")
    with tf.variable_scope("outer"), tf.variable_scope(scope) as inside:
        y = tf.get_variable("y", [1])
        c4 = tf.constant(1, name="c")
    assert (again.name, again.original_name_scope, again.reuse) == ("model", "model/", True)
    assert w2 is w and x.name == "model/x:0"
    assert (c.name, c2.name, c3.name) == ("model/c:0", "model_1/c:0", "model_2/c:0")
    assert (inside.name, y.name, c4.name) == ("model", "model/y:0", "outer/model/c:0")


def test_reentered_scope_object_keeps_its_defaults_not_the_enclosing_reuse():
    with tf.variable_scope("m", initializer=tf.constant_initializer(2.0), dtype=tf.float64) as m:
        pass
    with tf.variable_scope(m):
        a = tf.get_variable("a", [1])
    with tf.variable_scope("r", reuse=True), tf.variable_scope(m) as m2:
        assert m2.reuse is False
    assert a.dtype == tf.float64_ref
    assert initialized_values(a)[0].tolist() == [2.0]


def test_nested_scope_under_a_reentered_object_takes_its_name_from_the_object():
    with tf.variable_scope("a"), tf.variable_scope("b") as b:
        pass
    with tf.variable_scope(b) as b2, tf.variable_scope("c") as c:
        pass
    assert (b2.name, b2.original_name_scope) == ("a/b", "a/b/")
    assert (c.name, c.original_name_scope) == ("a/b/c", "b/c/")


def test_auxiliary_name_scope_false_stays_in_the_current_name_scope():
    with tf.name_scope("outer"), tf.variable_scope("vs", auxiliary_name_scope=False) as s:
        c = tf.constant(1, name="c")
        w = tf.get_variable("w", [1])
    assert (s.name, s.original_name_scope, c.name, w.name) == (
        "vs",
        "outer/",
        "outer/c:0",
        "vs/w:0",
    )


def test_empty_scope_name_is_the_root():
    with tf.variable_scope("") as s:
        w = tf.get_variable("w", [1])
        c = tf.constant(1)
    assert (s.name, s.original_name_scope, w.name, c.name) == ("", "", "w:0", "Const:0")


def test_values_select_the_graph_for_the_scope():
    g = tf.Graph()
    with g.as_default():
        t = tf.constant(1.0)
    with tf.variable_scope("s", values=[t]):
        w = tf.get_variable("w", [1])
        assert tf.get_default_graph() is g
    assert w.graph is g
    assert tf.get_default_graph() is not g
    assert tf.global_variables() == []


# -- reuse ---------------------------------------------------------------------------


def test_reuse_is_inherited_and_cannot_be_switched_off_inside():
    seen = []
    with tf.variable_scope("outer", reuse=True) as outer:
        seen.append((outer.reuse, tf.get_variable_scope().reuse))
        with tf.variable_scope("inner", reuse=False) as inner:
            seen.append(inner.reuse)
        with tf.variable_scope("inner2") as inner2:
            seen.append(inner2.reuse)
    with tf.variable_scope("plain") as plain:
        seen.append(plain.reuse)
        with tf.variable_scope("auto", reuse=tf.AUTO_REUSE) as auto:
            seen.append(auto.reuse)
            with tf.variable_scope("deeper", reuse=False) as deeper:
                seen.append(deeper.reuse)
    assert seen == [(True, True), True, True, False, tf.AUTO_REUSE, tf.AUTO_REUSE]
    assert tf.get_variable_scope().reuse is False


def test_reuse_true_inside_auto_reuse_and_auto_reuse_inside_reuse_true():
    with tf.variable_scope("s", reuse=tf.AUTO_REUSE), tf.variable_scope("t", reuse=True) as t:
        assert t.reuse is True
    with tf.variable_scope("s", reuse=True), tf.variable_scope("t", reuse=tf.AUTO_REUSE) as t:
        assert t.reuse is tf.AUTO_REUSE


def test_auto_reuse_prints_as_tf_does():
    assert str(tf.AUTO_REUSE) == "_ReuseMode.AUTO_REUSE"


def test_reuse_variables_switches_the_open_scope_and_its_children():
    with tf.variable_scope("s") as s:
        w = tf.get_variable("w", [1])
        s.reuse_variables()
        assert tf.get_variable("w", [1]) is w
        with tf.variable_scope("t") as t:
            assert t.reuse is True
    assert tf.get_variable_scope().reuse is False
    with tf.variable_scope("s") as s_again:
        assert s_again.reuse is False  # a new scope object: the switch does not stick


def test_reuse_variables_on_the_root_scope_lasts_for_the_graph():
    tf.get_variable_scope().reuse_variables()
    assert tf.get_variable_scope().reuse is True
    with pytest.raises(ValueError, match="Variable a does not exist"):
        tf.get_variable("a", [1])
    tf.reset_default_graph()
    assert tf.get_variable_scope().reuse is False


def test_auto_reuse_creates_missing_and_returns_existing():
    with tf.variable_scope("s", reuse=tf.AUTO_REUSE):
        a = tf.get_variable("x", [2])
        b = tf.get_variable("x", [2])
        c = tf.get_variable("y", [2])
    assert a is b and c is not a
    assert [v.name for v in tf.global_variables()] == ["s/x:0", "s/y:0"]


def test_reuse_without_shape_or_with_a_compatible_partial_shape():
    with tf.variable_scope("s"):
        w = tf.get_variable("w", [2, 4], dtype=tf.int32)
    with tf.variable_scope("s", reuse=True):
        assert tf.get_variable("w", dtype=tf.int32) is w
        assert tf.get_variable("w", [None, 4], dtype=tf.int32) is w
        assert tf.get_variable("w", dtype=tf.int32_ref) is w


def test_auto_reuse_with_a_value_initializer_returns_the_first_variable():
    with tf.variable_scope("s", reuse=tf.AUTO_REUSE):
        a = tf.get_variable("x", initializer=tf.constant([1.0]))
        b = tf.get_variable("x", initializer=tf.constant([1.0, 2.0]))
    assert a is b and a.shape.as_list() == [1]


def test_tf_variable_never_enters_the_store():
    v = tf.Variable(1.0, name="w")
    w = tf.get_variable("w", [])
    assert (v.name, w.name, w.initializer.name) == ("w:0", "w_1:0", "w_1/Assign")
    with tf.variable_scope("s"):
        tf.Variable(1.0, name="v")
    with tf.variable_scope("s", reuse=True), pytest.raises(ValueError, match="s/v does not"):
        tf.get_variable("v", [])


def test_each_graph_has_its_own_store_and_scopes():
    g1, g2 = tf.Graph(), tf.Graph()
    with g1.as_default(), tf.variable_scope("s"):
        a = tf.get_variable("w", [1])
    with g2.as_default():
        assert tf.get_variable_scope().name == ""
        with tf.variable_scope("s"):
            b = tf.get_variable("w", [1])
    assert a is not b and (a.name, b.name) == ("s/w:0", "s/w:0")
    assert (a.graph, b.graph) == (g1, g2)


def test_each_thread_has_its_own_scope_stack():
    seen = []

    def other_thread():
        seen.append(tf.get_variable_scope().name)
        with tf.variable_scope("t"):
            seen.append(tf.get_variable("x", [1]).name)

    with tf.variable_scope("main"):
        thread = threading.Thread(target=other_thread)  # on the same (global default) graph
        thread.start()
        thread.join()
        seen.append(tf.get_variable_scope().name)
    assert seen == ["", "t/x:0", "main"]


# -- what a new variable gets ------------------------------------------------------------


def test_default_initializers_by_dtype():
    i = tf.get_variable("i", [2], dtype=tf.int32)
    i64 = tf.get_variable("i64", [], dtype=tf.int64)
    b = tf.get_variable("b", [2], dtype=tf.bool)
    s = tf.get_variable("s", [2], dtype=tf.string)
    d = tf.get_variable("d", [4], dtype=tf.float64)
    h = tf.get_variable("h", [4], dtype="float16")
    assert "i/Initializer/zeros" in op_names()
    assert [repr(v) for v in (b, s)] == [
        "<tf.Variable 'b:0' shape=(2,) dtype=bool_ref>",
        "<tf.Variable 's:0' shape=(2,) dtype=string_ref>",
    ]
    vi, vi64, vb, vs, vd, vh = initialized_values(i, i64, b, s, d, h)
    assert vi.tolist() == [0, 0] and vi.dtype == np.int32
    assert vi64 == 0 and vi64.dtype == np.int64
    assert vb.tolist() == [False, False]
    assert vs.tolist() == [b"", b""]
    assert (vd.dtype, vh.dtype) == (np.float64, np.float16)


def test_default_float_initializer_is_glorot_uniform():
    tf.set_random_seed(7)
    f = tf.get_variable("f", [30, 20])
    assert isinstance(f._initializer_fn, tf.glorot_uniform_initializer)
    (value,) = initialized_values(f)
    limit = np.sqrt(6.0 / (30 + 20))
    assert value.dtype == np.float32
    assert np.all(np.abs(value) <= limit) and np.abs(value).max() > 0.8 * limit


def test_initializer_class_is_instantiated_and_recorded():
    a = tf.get_variable("a", [2], initializer=tf.zeros_initializer)
    b = tf.get_variable("b", [2], initializer=tf.ones_initializer)
    init = tf.random_normal_initializer(seed=1)
    c = tf.get_variable("c", [2], initializer=init)
    assert isinstance(a._initializer_fn, tf.zeros_initializer)
    assert c._initializer_fn is init
    va, vb, _ = initialized_values(a, b, c)
    assert (va.tolist(), vb.tolist()) == ([0.0, 0.0], [1.0, 1.0])


def test_constant_initializers_give_shape_and_dtype():
    a = tf.get_variable("a", initializer=[1, 2, 3])
    b = tf.get_variable("b", initializer=np.array([[1.0, 2.0]]))
    c = tf.get_variable("c", initializer=5.0)
    d = tf.get_variable("d", initializer=tf.constant([1.5, 2.5]))
    e = tf.get_variable("e", initializer=7)
    assert [repr(v) for v in (a, b, c, d, e)] == [
        "<tf.Variable 'a:0' shape=(3,) dtype=int32_ref>",
        "<tf.Variable 'b:0' shape=(1, 2) dtype=float64_ref>",
        "<tf.Variable 'c:0' shape=() dtype=float32_ref>",
        "<tf.Variable 'd:0' shape=(2,) dtype=float32_ref>",
        "<tf.Variable 'e:0' shape=() dtype=int32_ref>",
    ]
    values = initialized_values(a, b, c, d, e)
    assert [v.tolist() for v in values] == [[1, 2, 3], [[1.0, 2.0]], 5.0, [1.5, 2.5], 7]


def test_constant_initializer_with_matching_explicit_dtype():
    x = tf.get_variable("x", initializer=[1.0, 2.0], dtype=tf.float32)
    # TF converts the value once to check its dtype: that constant stays in the graph
    assert op_names() == ["Const", "x/initial_value", "x", "x/Assign", "x/read"]
    assert initialized_values(x)[0].tolist() == [1.0, 2.0]


def test_initializer_without_arguments_and_no_shape():
    x = tf.get_variable("x", initializer=lambda: tf.constant([1.0, 2.0]))
    assert x.initial_value.name == "x/Initializer/Const:0"
    assert x.shape.as_list() == [2]


def test_initializer_function_with_shape_and_dtype():
    x = tf.get_variable("x", [2], initializer=lambda shape, dtype: tf.zeros(shape, dtype))
    assert x.initial_value.name == "x/Initializer/zeros:0"


def test_dtype_defaults_from_scope_and_explicit_dtype_wins():
    with tf.variable_scope("s", dtype=tf.float64) as s:
        a = tf.get_variable("a", [2])
        b = tf.get_variable("b", [2], dtype=tf.float32)
        with tf.variable_scope("inner"):
            c = tf.get_variable("c", [1])
    assert s.dtype == tf.float64
    assert (a.dtype, b.dtype, c.dtype) == (tf.float64_ref, tf.float32_ref, tf.float64_ref)


def test_scope_initializer_is_the_default_inside_it():
    with tf.variable_scope("s", initializer=tf.constant_initializer(0.5)):
        a = tf.get_variable("a", [2])
        b = tf.get_variable("b", [2], initializer=tf.ones_initializer())
        with tf.variable_scope("inner"):
            c = tf.get_variable("c", [1])
    assert [v.tolist() for v in initialized_values(a, b, c)] == [[0.5, 0.5], [1.0, 1.0], [0.5]]


def test_scope_setters_change_the_defaults():
    with tf.variable_scope("s") as s:
        s.set_initializer(tf.ones_initializer())
        s.set_dtype(tf.int32)
        a = tf.get_variable("a", [2])
    assert a.dtype == tf.int32_ref
    assert initialized_values(a)[0].tolist() == [1, 1]


def test_trainable_and_collections():
    a = tf.get_variable("a", [1], trainable=False)
    b = tf.get_variable("b", [1], collections=["mine"])
    c = tf.get_variable(
        "c", [1], collections=["mine", tf.GraphKeys.GLOBAL_VARIABLES], trainable=False
    )
    assert tf.global_variables() == [a, c]
    assert tf.trainable_variables() == [b]
    assert tf.get_collection("mine") == [b, c]


def test_get_local_variable():
    lv = tf.get_local_variable("l", [2], dtype=tf.int32)
    assert tf.local_variables() == [lv]
    assert tf.global_variables() == [] and tf.trainable_variables() == []
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        assert sess.run(lv).tolist() == [0, 0]


def test_scope_collection_helpers_filter_by_scope_name():
    with tf.variable_scope("s") as s:
        a = tf.get_variable("a", [1])
        b = tf.get_variable("b", [1], trainable=False)
    with tf.variable_scope("s2"):
        tf.get_variable("c", [1])
    assert s.global_variables() == [a, b]
    assert s.trainable_variables() == [a]
    assert s.local_variables() == []


def test_get_variable_ops_ignore_control_dependencies():
    x = tf.constant(1.0, name="x")
    with tf.control_dependencies([x]):
        w = tf.get_variable("w", [2], regularizer=tf.reduce_sum)
        y = tf.identity(w, name="y")
    graph = tf.get_default_graph()
    assert y.op.control_inputs == [x.op]
    made = [op for op in graph.get_operations() if op.name.startswith("w")]
    assert made and all(op.control_inputs == [] for op in made)


# -- regularizers ---------------------------------------------------------------------


def test_regularizer_loss_goes_to_regularization_losses_once():
    def l2(v):
        return tf.reduce_sum(tf.square(v), name="l2")

    with tf.variable_scope("layer"):
        w = tf.get_variable("w", [2, 2], regularizer=l2, initializer=tf.ones_initializer())
        tf.get_variable("b", [2])
    with tf.variable_scope("layer", reuse=True):
        assert tf.get_variable("w", [2, 2], regularizer=l2) is w
    losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    assert [t.name for t in losses] == ["layer/w/Regularizer/l2:0"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(losses[0]) == 4.0


def test_scope_regularizer_applies_to_every_new_variable_and_can_be_turned_off():
    with tf.variable_scope("s", regularizer=tf.reduce_sum):
        tf.get_variable("a", [2])
        tf.get_variable("b", [2], trainable=False)
        tf.get_variable("c", [2], regularizer=tf.no_regularizer)
    names = [t.name for t in tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)]
    assert names == ["s/a/Regularizer/Sum:0", "s/b/Regularizer/Sum:0"]
