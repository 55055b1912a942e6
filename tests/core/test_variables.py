"""tf.Variable: its ops, names, collections, updates, and initialization in a session."""

import pytest

import tfteach as tf


def test_variable_repr_in_repeated_name_scopes():
    # document 003's example: the second scope "first" becomes "first_1"
    with tf.name_scope("first"):
        a = tf.Variable(1, name="a")
    assert repr(a) == "<tf.Variable 'first/a:0' shape=() dtype=int32_ref>"
    with tf.name_scope("first"):
        a = tf.Variable(1, name="a")
    assert repr(a) == "<tf.Variable 'first_1/a:0' shape=() dtype=int32_ref>"


def test_variable_builds_tf1_ops():
    v = tf.Variable([1.0, 2.0], name="v")
    ops = [(op.name, op.type) for op in tf.get_default_graph().get_operations()]
    assert ops == [
        ("v/initial_value", "Const"),
        ("v", "VariableV2"),
        ("v/Assign", "Assign"),
        ("v/read", "Identity"),
    ]
    assert v.name == "v:0" and v.op.name == "v"
    assert v.initializer.name == "v/Assign"
    assert v.initial_value.name == "v/initial_value:0"
    assert v.value().name == "v/read:0"
    assert v.dtype == tf.float32_ref and v.dtype.base_dtype == tf.float32
    assert v.shape.as_list() == [2] and v.get_shape() == v.shape


def test_default_names_are_uniquified():
    names = [tf.Variable(0).name for _ in range(3)]
    assert names == ["Variable:0", "Variable_1:0", "Variable_2:0"]


def test_collections_and_trainable():
    a = tf.Variable(1.0, name="a")
    b = tf.Variable(1.0, name="b", trainable=False)
    c = tf.Variable(1.0, name="c", collections=["mine"])
    d = tf.Variable(1.0, name="d", collections=["mine"], trainable=False)
    assert tf.global_variables() == [a, b]
    assert tf.trainable_variables() == [a, c]  # collections=[...] does not keep c out
    assert tf.get_collection("mine") == [c, d]
    assert tf.local_variables() == []


def test_local_variables_collection_and_initializer():
    v = tf.Variable(3, name="counter", collections=[tf.GraphKeys.LOCAL_VARIABLES], trainable=False)
    init = tf.local_variables_initializer()
    assert tf.local_variables() == [v]
    with tf.Session() as sess:
        sess.run(init)
        assert sess.run(v) == 3


def test_initial_value_is_required_and_bad_collections_rejected():
    with pytest.raises(ValueError, match="initial_value must be specified."):
        tf.Variable()
    with pytest.raises(ValueError, match="must be a list, tuple, or set"):
        tf.Variable(1, collections="mine")
    assert tf.get_default_graph().get_operations() == []


def test_a_failed_variable_leaves_the_graph_unchanged():
    graph = tf.get_default_graph()
    with pytest.raises(TypeError):
        tf.Variable(1.5, dtype=tf.int32, name="a")
    assert graph.get_operations() == []
    assert tf.global_variables() == []
    assert tf.Variable(1, name="a").name == "a:0"


def test_validate_shape_false_allows_unknown_shape():
    x = tf.placeholder(tf.float32, shape=[None], name="x")
    with pytest.raises(ValueError, match="initial_value must have a shape specified"):
        tf.Variable(x, name="strict")
    v = tf.Variable(x, validate_shape=False, name="loose")
    assert v.shape.ndims is None
    with tf.Session() as sess:
        sess.run(v.initializer, {x: [1.0, 2.0, 3.0]})
        assert sess.run(v).tolist() == [1.0, 2.0, 3.0]


def test_dtype_argument_converts_python_values():
    v = tf.Variable(1, dtype=tf.float64, name="v")
    assert v.dtype == tf.float64_ref
    assert tf.Variable([1, 2], name="w").dtype == tf.int32_ref


def test_tensor_has_no_assign():
    with pytest.raises(AttributeError, match="'Tensor' object has no attribute 'assign'"):
        tf.constant(1).assign(2)


def test_assign_ops_and_their_values():
    v = tf.Variable(10, name="v")
    assign = v.assign(3)
    add = v.assign_add(2)
    sub = v.assign_sub(1)
    assert [assign.op.type, add.op.type, sub.op.type] == ["Assign", "AssignAdd", "AssignSub"]
    assert [assign.op.name, add.op.name, sub.op.name] == ["Assign", "AssignAdd", "AssignSub"]
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(assign) == 3
        assert sess.run(add) == 5
        assert sess.run(sub) == 4
        assert sess.run(v) == 4


def test_tf_assign_function_and_uninitialized_error_of_document_003():
    tf.Variable(0, name="Variable")  # document 003 had made one variable before
    a = tf.Variable([3, 4])
    assign_a = tf.assign(a, [1, 2])
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError) as err:
            sess.run(a)
        assert str(err.value) == "Attempting to use uninitialized value Variable_1"
    with tf.Session() as sess:
        sess.run(a.initializer)
        sess.run(assign_a)
        assert sess.run(a).tolist() == [1, 2]


def test_assign_checks_shape_and_dtype_when_building():
    v = tf.Variable([1.0, 2.0], name="v")
    graph = tf.get_default_graph()
    before = len(graph.get_operations())
    with pytest.raises(ValueError, match="Shapes must be equal rank, but are 1 and 0"):
        v.assign(1.0)
    with pytest.raises(TypeError, match="Expected float32"):
        v.assign(["a", "b"])
    assert len(graph.get_operations()) == before


def test_assign_without_shape_validation_changes_the_shape():
    v = tf.Variable([1, 2], name="v")
    grow = tf.assign(v, [1, 2, 3], validate_shape=False)
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(grow).tolist() == [1, 2, 3]
        assert sess.run(v).tolist() == [1, 2, 3]


def test_variables_in_arithmetic_read_their_value():
    v = tf.Variable(2.0, name="v")
    w = v * 3 + 1
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(w) == 7.0
    assert w.op.inputs[0].op.inputs[0].name == "v/read:0"


def test_read_value_makes_a_new_read():
    v = tf.Variable(2.0, name="v")
    r = v.read_value()
    assert r.op.name == "read" and r.op.type == "Identity"


def test_eval_uses_the_default_session():
    v = tf.Variable(5, name="v")
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert v.eval() == 5
        assert (v + 1).eval() == 6
        v.initializer.run()
    with pytest.raises(ValueError, match="No default session is registered"):
        v.eval()


def test_load_sets_a_value_without_new_ops():
    v = tf.Variable([0.0, 0.0], name="v")
    n_ops = len(tf.get_default_graph().get_operations())
    with tf.Session() as sess:
        v.load([1.0, 2.0], sess)
        assert sess.run(v).tolist() == [1.0, 2.0]
        with pytest.raises(ValueError, match="Cannot load value of shape"):
            v.load([1.0], sess)
        assert sess.run(v).tolist() == [1.0, 2.0]
    assert len(tf.get_default_graph().get_operations()) == n_ops


def test_a_variable_ignores_surrounding_control_dependencies():
    # TF builds variables in an init scope (checked against TF 2.21)
    a = tf.no_op(name="a")
    with tf.control_dependencies([a]):
        v = tf.Variable(1.0, name="v")
        after = tf.constant(2.0, name="after")
    assert all(op.control_inputs == [] for op in [v.op, v.initializer, v.initial_value.op])
    assert after.op.control_inputs == [a]


def test_a_variable_of_another_graphs_tensor_is_made_in_that_graph_as_tf_does():
    """TF's Variable opens name_scope(name, "Variable", [initial_value]), which enters the
    value's graph (reliability campaign, D4)."""
    outer = tf.Graph()
    with outer.as_default():
        c = tf.constant(1.0, name="c")
    inner = tf.Graph()
    with inner.as_default():
        v = tf.Variable(c, name="v")
        assert inner.get_operations() == []
    assert v.graph is outer
    assert [op.name for op in outer.get_operations()] == ["c", "v", "v/Assign", "v/read"]
