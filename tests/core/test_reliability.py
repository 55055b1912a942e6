"""Regression tests for the defects of issue 15 (D1-D6) that random programs found.

Expected names, types and messages are what TensorFlow 2.21 (``tensorflow.compat.v1``
after ``disable_v2_behavior()``) did with the same code.
"""

import gc

import numpy as np
import pytest

import tfteach as tf


def _op_names(graph=None):
    return [op.name for op in (graph or tf.get_default_graph()).get_operations()]


# -- D1: an empty variable name must not rename later variables ---------------------------


def test_an_empty_get_variable_name_does_not_rename_later_variables():
    tf.get_variable("", shape=[5, 7])
    tf.reset_default_graph()
    with tf.variable_scope("layer"):
        w = tf.get_variable("w", shape=[5, 7])
    assert w.name == "layer/w:0"
    assert w.op.name == "layer/w"
    opt = tf.train.AdamOptimizer()
    opt.minimize(tf.reduce_sum(w))
    assert [v.op.name for v in tf.global_variables()][1:] == [
        "beta1_power",
        "beta2_power",
        "layer/w/Adam",
        "layer/w/Adam_1",
    ]


def test_get_variable_with_an_empty_name_is_named_as_in_tf():
    # TF 2.21: the variable op takes its type's name, its initializer ops a bare scope
    v = tf.get_variable("", shape=[5, 7])
    assert v.name == "VariableV2:0"
    assert _op_names()[-3:] == ["VariableV2", "Assign", "read"]
    assert _op_names()[0] == "Initializer/random_uniform/shape"
    tf.reset_default_graph()
    with tf.variable_scope("s"):
        v = tf.get_variable("", shape=[2])
    assert v.name == "s:0"
    assert _op_names()[-3:] == ["s", "s/Assign", "s/read"]


# -- D3: TF's exception types -------------------------------------------------------------


def test_concat_of_nothing_is_a_value_error_and_builds_nothing():
    with pytest.raises(ValueError, match="'values' to 'ConcatV2' Op with length 0"):
        tf.concat([], 0)
    assert _op_names() == []


def test_stack_of_nothing_is_an_empty_float32_constant():
    t = tf.stack([])
    assert (t.op.type, t.op.name, t.dtype, t.shape.as_list()) == ("Const", "stack", tf.float32, [0])
    with tf.Session() as sess:
        assert sess.run(t).shape == (0,)


def test_stack_of_plain_values_is_one_constant_as_in_tf():
    t = tf.stack([1.0, 2.0])
    assert (t.op.type, t.op.name) == ("Const", "stack")


def test_stack_of_nothing_along_another_axis_is_tfs_index_error():
    with pytest.raises(IndexError):
        tf.stack([], axis=1)
    assert _op_names() == []


def test_add_n_of_nothing_is_a_value_error():
    with pytest.raises(ValueError, match="at least one Tensor/IndexedSlices"):
        tf.add_n([])


@pytest.mark.parametrize("axis, shape", [(2, []), (1, [1]), (-2, [1])])
def test_squeeze_of_an_axis_out_of_range_is_a_value_error(axis, shape):
    x = tf.constant(np.ones(shape, np.float32))
    rank = len(shape)
    with pytest.raises(ValueError, match=rf"squeeze_dims\[0\] not in \[{-rank},{rank}\)"):
        tf.squeeze(x, axis=axis)
    assert _op_names() == [x.op.name]


def test_tuple_converts_plain_values_and_gates_ops():
    (t,) = tf.tuple([1.0])
    assert t.name == "tuple/control_dependency:0"
    assert _op_names() == ["tuple/Const", "tuple/group_deps", "tuple/control_dependency"]
    with tf.Session() as sess:
        assert sess.run(t) == 1.0
    noop = tf.no_op()
    (gated,) = tf.tuple([noop])
    assert gated.type == "NoOp"
    assert gated.name == "tuple_1/group_deps_1"


def test_tuple_of_nothing_is_a_value_error():
    with pytest.raises(ValueError, match="'tensors' must have at least one Tensor"):
        tf.tuple([])
    assert _op_names() == []


def test_a_tensor_name_with_a_bad_output_index_is_a_key_error():
    tf.global_variables_initializer()
    graph = tf.get_default_graph()
    with pytest.raises(KeyError, match="The operation, 'init', exists but only has 0 outputs"):
        graph.get_tensor_by_name("init:-1")
    c = tf.constant(1.0, name="c")
    assert graph.get_tensor_by_name("c:-1") is c  # TF indexes outputs as a Python list
    with pytest.raises(KeyError, match="only has 1 outputs"):
        graph.get_tensor_by_name("c:-2")


# -- D5: a failed minimize builds nothing ---------------------------------------------------


@pytest.mark.parametrize("loss", [1.0, 1, [1.0]])
def test_minimize_of_a_python_value_raises_tfs_error_and_builds_nothing(loss):
    tf.Variable(1.0)
    before = _op_names()
    with pytest.raises(AttributeError, match="object has no attribute 'dtype'"):
        tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    assert _op_names() == before


# -- D2: dimensions of 2**31 and more; allocations that cannot fit ---------------------------

_HUGE = [10**6, 10**6]  # 4 TB of float32: more than any test machine holds


def test_a_dimension_of_2_to_the_31_builds_with_an_int64_shape_as_in_tf():
    z = tf.zeros([2**31])
    assert z.shape.as_list() == [2**31]
    assert z.op.type == "Fill"
    assert z.op.inputs[0].dtype == tf.int64  # TF 2.21: zeros/shape_as_tensor is int64
    assert tf.fill([2**31, 2], 1.0).shape.as_list() == [2**31, 2]
    assert tf.reshape(z, [2, -1]).shape.as_list() == [2, 2**30]
    assert tf.placeholder(tf.float32, [2**31, 2**31]).shape.as_list() == [2**31, 2**31]


def test_a_constant_too_large_to_hold_builds_and_fails_when_run():
    c = tf.constant(0.0, shape=_HUGE)
    assert c.shape.as_list() == _HUGE
    with tf.Session() as sess:
        with pytest.raises(tf.errors.ResourceExhaustedError) as info:
            sess.run(c)
    message = str(info.value)
    assert "shape[1000000,1000000] and type float" in message
    assert "'Const'" in message
    assert "4,000,000,000,000 bytes" in message
    assert info.value.op is c.op


def test_an_allocation_that_cannot_fit_is_resource_exhausted_naming_the_op():
    b = tf.broadcast_to(1.0, _HUGE)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.ResourceExhaustedError, match="'BroadcastTo'.*bytes asked"):
            sess.run(b)
        with pytest.raises(tf.errors.ResourceExhaustedError, match="'BroadcastTo'"):
            sess.run(b * 2)


def test_a_fed_shape_too_large_to_fill_is_resource_exhausted():
    dims = tf.placeholder(tf.int64, [2])
    z = tf.zeros(dims)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.ResourceExhaustedError, match="'zeros' \\(Fill\\)"):
            sess.run(z, {dims: _HUGE})
        assert sess.run(z, {dims: [2, 3]}).shape == (2, 3)


def test_an_initializer_too_large_fails_and_leaves_the_session_as_it_was():
    small = tf.Variable(1.0)
    w = tf.get_variable("w", shape=_HUGE)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.ResourceExhaustedError, match="'w/Initializer"):
            sess.run(tf.global_variables_initializer())
        assert sess.run(tf.report_uninitialized_variables()).tolist() == [b"Variable", b"w"]
        sess.run(small.initializer)
        assert sess.run(small) == 1.0
    assert w.shape.as_list() == _HUGE


def test_a_dimension_beyond_int64_is_a_value_error():
    with pytest.raises(ValueError, match="Invalid value in tensor used for shape"):
        tf.zeros([2**63])
    assert _op_names() == []


# -- found by the random programs (tests/fuzz) ---------------------------------------------


@pytest.mark.parametrize(
    "build",
    [
        lambda: tf.reshape(None, [-1]),
        lambda: tf.expand_dims([1.0], 5),
        lambda: tf.transpose([[1.0]], [0, 1, 2]),
        lambda: tf.concat([[1.0], [[1.0]]], 0),
        lambda: tf.broadcast_to([1.0, 2.0], [3]),
        lambda: tf.add_n([1.0, "a"]),
        lambda: tf.zeros([2, 2], dtype="nonsense"),
    ],
)
def test_a_failed_builder_leaves_no_op_and_no_used_name(build):
    with pytest.raises((ValueError, TypeError)):
        build()
    assert _op_names() == []
    assert tf.reshape(tf.constant([1.0], name="x"), [-1]).op.name == "Reshape"
    assert tf.get_default_graph().unique_name("concat") == "concat"


def test_a_minimize_that_fails_leaves_no_converted_loss_behind():
    with pytest.raises(ValueError, match="No variables to optimize"):
        tf.train.GradientDescentOptimizer(0.1).minimize(np.ones((2, 2)))
    assert _op_names() == []


@pytest.mark.parametrize("enabled", [True, False])
def test_a_run_leaves_the_garbage_collector_as_it_found_it(enabled):
    # the session pauses the collector while it compiles a plan (see session._collector_paused)
    huge = tf.constant(0.0, shape=_HUGE)
    fine = tf.constant(1.0) + 1.0
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        with tf.Session() as sess:
            assert sess.run(fine) == 2.0
            assert gc.isenabled() is enabled
            with pytest.raises(tf.errors.ResourceExhaustedError):
                sess.run(huge)  # fails while the plan is compiled
            assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
