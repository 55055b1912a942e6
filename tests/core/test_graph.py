"""Graphs: names, name scopes, collections, control dependencies, the default graph."""

import threading

import pytest

import tfteach as tf


def test_names_are_uniquified_per_graph():
    first = tf.constant([1, 2], name="c")
    second = tf.constant([1, 2], name="c")
    third = tf.constant([1, 2], name="c")
    assert [first.name, second.name, third.name] == ["c:0", "c_1:0", "c_2:0"]
    assert repr(second) == "<tf.Tensor 'c_1:0' shape=(2,) dtype=int32>"


def test_a_name_taken_by_uniquification_is_skipped():
    tf.constant(1, name="c")
    tf.constant(1, name="c_1")  # taken explicitly
    assert tf.constant(1, name="c").name == "c_2:0"


def test_name_matching_is_case_insensitive():
    for name in ("add", "add_1", "add_2"):
        tf.constant(1, name=name)
    assert tf.constant(1, name="Add").op.name == "Add_3"


def test_op_and_scope_names_share_one_namespace():
    for _ in range(3):
        tf.constant(1, name="a")
    with tf.name_scope("a") as scope:
        assert scope == "a_3/"
        assert tf.constant(1, name="x").op.name == "a_3/x"


def test_name_scope_reentry_and_reset():
    with tf.name_scope("data") as first:
        c = tf.constant(1, name="c")
    with tf.name_scope("data") as second:
        d = tf.constant(1, name="c")
    with tf.name_scope(first):  # "data/" re-enters exactly
        e = tf.constant(1, name="c")
    with tf.name_scope("outer"), tf.name_scope(None):
        f = tf.constant(1, name="top")
    assert (first, second) == ("data/", "data_1/")
    assert [c.op.name, d.op.name, e.op.name, f.op.name] == ["data/c", "data_1/c", "data/c_1", "top"]


def test_nested_name_scopes():
    with tf.name_scope("a"), tf.name_scope("b"):
        assert tf.constant(1).op.name == "a/b/Const"


def test_invalid_names_are_rejected_and_leave_the_graph_unchanged():
    graph = tf.get_default_graph()
    with pytest.raises(ValueError, match="`bad name!` is not a valid node name"):
        tf.constant(1, name="bad name!")
    with pytest.raises(ValueError, match="not a valid root scope name"):
        with tf.name_scope("no spaces"):
            pass
    assert graph.get_operations() == []
    assert tf.constant(1).op.name == "Const"


def test_tensor_properties():
    x = tf.placeholder(tf.float32, shape=[None, 8], name="x")
    assert repr(x) == "<tf.Tensor 'x:0' shape=(?, 8) dtype=float32>"
    assert str(x.shape) == "(?, 8)"
    assert x.get_shape().as_list() == [None, 8]
    assert x.shape[1].value == 8 and x.shape[0].value is None
    assert x.op.type == "Placeholder" and x.op.name == "x" and x.value_index == 0
    assert x.graph is tf.get_default_graph()
    assert x.dtype == tf.float32 and repr(x.dtype) == "tf.float32"
    assert str(x) == 'Tensor("x:0", shape=(?, 8), dtype=float32)'
    # as TF: a tensor of unknown rank prints no shape (its repr says <unknown>)
    y = tf.placeholder(tf.float32, name="y")
    assert str(y) == 'Tensor("y:0", dtype=float32)'
    assert repr(y) == "<tf.Tensor 'y:0' shape=<unknown> dtype=float32>"


def test_constant_dtypes_follow_tf_inference():
    assert tf.constant(1).dtype == tf.int32
    assert tf.constant(1.5).dtype == tf.float32
    assert tf.constant([1, 2.5]).dtype == tf.float32
    assert tf.constant(True).dtype == tf.bool
    assert tf.constant("text").dtype == tf.string
    assert tf.constant(__import__("numpy").float64(1)).dtype == tf.float64
    assert tf.constant(2**40).dtype == tf.int64


def test_constant_rejects_values_that_do_not_fit_the_dtype():
    with pytest.raises(TypeError, match="Expected int32, but got 1.5 of type 'float'."):
        tf.constant(1.5, dtype=tf.int32)
    assert tf.get_default_graph().get_operations() == []


def test_constant_with_shape_fills_or_reshapes():
    with tf.Session() as sess:
        assert sess.run(tf.constant(7, shape=[2, 2])).tolist() == [[7, 7], [7, 7]]
        assert sess.run(tf.constant([1, 2, 3, 4], shape=[2, 2])).tolist() == [[1, 2], [3, 4]]
    with pytest.raises(TypeError):
        tf.constant([1, 2, 3], shape=[2, 2])


def test_operator_op_names_and_types():
    x = tf.constant(2.0, name="x")
    y = tf.constant(3.0, name="y")
    cases = {
        "add": x + y,
        "sub": x - y,
        "mul": x * y,
        "truediv": x / y,
        "pow": x**y,
        "Neg": -x,
    }
    for expected, tensor in cases.items():
        assert tensor.op.name == expected
    assert (x + y).op.type == "AddV2"
    assert (x / y).op.type == "RealDiv"


def test_python_operand_is_converted_to_the_tensor_dtype():
    x = tf.constant(2.0)
    total = 1 + x
    assert total.dtype == tf.float32
    assert total.op.inputs[0].op.name == "add/x"
    with pytest.raises(TypeError, match="Expected int32"):
        tf.constant(1) + 1.5


def test_mismatched_dtypes_raise_tf_type_error():
    with pytest.raises(
        TypeError, match="Input 'y' of 'AddV2' Op has type int32 that does not match"
    ):
        tf.add(tf.constant(1.0), tf.constant(1))


def test_matmul_shape_errors_name_the_op_and_shapes():
    a = tf.zeros([2, 3])
    b = tf.zeros([4, 5])
    with pytest.raises(
        ValueError, match=r"Dimensions must be equal, but are 3 and 4 .*\[2,3\], \[4,5\]"
    ):
        tf.matmul(a, b)
    assert tf.matmul(a, tf.zeros([3, 5])).shape.as_list() == [2, 5]


def test_tensor_is_not_a_python_bool():
    with pytest.raises(TypeError, match="as a Python `bool` is not allowed"):
        bool(tf.constant(True))


def test_collections_keep_order_and_filter_by_scope_prefix():
    a = tf.Variable(1, name="s/a")
    b = tf.Variable(1, name="s2/g")
    c = tf.Variable(1, name="other")
    assert tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES) == [a, b, c]
    # re.match: scope "s" also matches "s2/g"
    assert tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope="s") == [a, b]
    assert tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope="s/") == [a]


def test_collection_ref_is_live_and_get_collection_is_a_copy():
    tf.add_to_collection("mine", 1)
    copy = tf.get_collection("mine")
    copy.append(2)
    ref = tf.get_collection_ref("mine")
    ref.append(3)
    assert tf.get_collection("mine") == [1, 3]
    assert "mine" in tf.get_all_collection_keys()


def test_get_operation_and_tensor_by_name():
    c = tf.constant(1, name="c")
    graph = tf.get_default_graph()
    assert graph.get_operation_by_name("c") is c.op
    assert graph.get_tensor_by_name("c:0") is c
    with pytest.raises(KeyError, match="The name 'nope:0' refers to a Tensor which does not exist"):
        graph.get_tensor_by_name("nope:0")
    with pytest.raises(KeyError, match="The name 'nope' refers to an Operation not in the graph"):
        graph.get_operation_by_name("nope")
    with pytest.raises(ValueError, match="refers to an Operation, not a Tensor"):
        graph.get_tensor_by_name("c")


def test_control_dependencies_become_control_inputs():
    a = tf.constant(1, name="a")
    b = tf.constant(2, name="b")
    with tf.control_dependencies([a, b.op]):
        c = tf.constant(3, name="c")
        with tf.control_dependencies(None):
            d = tf.constant(4, name="d")
    assert [op.name for op in c.op.control_inputs] == ["a", "b"]
    assert d.op.control_inputs == []


def test_group_and_no_op():
    a = tf.constant(1, name="a")
    g = tf.group(a, name="grouped")
    n = tf.no_op(name="nothing")
    assert (g.type, g.name, [op.name for op in g.control_inputs]) == ("NoOp", "grouped", ["a"])
    assert (n.type, n.name) == ("NoOp", "nothing")
    assert repr(g) == "<tf.Operation 'grouped' type=NoOp>"


def test_finalized_graph_refuses_new_ops():
    graph = tf.Graph()
    with graph.as_default():
        tf.constant(1)
        graph.finalize()
        with pytest.raises(RuntimeError, match="Graph is finalized and cannot be modified."):
            tf.constant(2)
    assert len(graph.get_operations()) == 1


def test_as_default_nests_and_reset_is_refused_inside():
    g = tf.Graph()
    outer = tf.get_default_graph()
    with g.as_default():
        assert tf.get_default_graph() is g
        assert tf.constant(1).graph is g
        with pytest.raises(AssertionError, match="Do not use tf.reset_default_graph"):
            tf.reset_default_graph()
    assert tf.get_default_graph() is outer


def test_reset_default_graph_replaces_it():
    old = tf.get_default_graph()
    tf.constant(1)
    tf.reset_default_graph()
    assert tf.get_default_graph() is not old
    assert tf.get_default_graph().get_operations() == []


def test_default_graph_stack_is_per_thread():
    g = tf.Graph()
    seen = {}

    def worker():
        seen["thread"] = tf.get_default_graph()

    with g.as_default():
        t = threading.Thread(target=worker)
        t.start()
        t.join()
    assert seen["thread"] is not g


def test_an_op_rejected_by_its_shape_rule_leaves_no_trace():
    a = tf.zeros([2, 3], name="a")
    graph = tf.get_default_graph()
    before = [op.name for op in graph.get_operations()]
    with pytest.raises(ValueError):
        tf.matmul(a, a, name="mm")
    assert [op.name for op in graph.get_operations()] == before
    assert tf.matmul(a, a, transpose_b=True, name="mm").op.name == "mm"


def test_consumers_follow_the_graph_as_it_grows_and_rolls_back():
    x = tf.constant(1.0, name="x")
    tf.multiply(x, x, name="square")  # listed twice: TF does (fixture graph_consumers_...)
    assert [op.name for op in x.consumers()] == ["square", "square"]
    tf.add(x, 1.0, name="later")  # made after the first question
    assert [op.name for op in x.consumers()] == ["square", "square", "later"]

    def initial_value():
        doubled = x * 2.0
        assert "failed/Initializer/mul" in [op.name for op in x.consumers()]
        return doubled

    with pytest.raises(ValueError, match="not compatible"):  # the variable is taken back
        tf.Variable(initial_value, shape=[3], name="failed")
    assert [op.name for op in x.consumers()] == ["square", "square", "later"]


def test_printing_an_op_shows_its_inputs_like_a_tf_node_def():
    v = tf.Variable(1.0, name="my_variable")
    init = tf.global_variables_initializer()
    assert str(init) == 'name: "init"\nop: "NoOp"\ninput: "^my_variable/Assign"'
    assert str(v.initializer).splitlines()[2:] == [
        'input: "my_variable"',
        'input: "my_variable/initial_value"',
    ]


def test_large_zeros_are_filled_at_run_time_like_tf():
    # TF 2.21: 1000 or more values become shape_as_tensor + Const + Fill, not a big Const
    big = tf.zeros([4096, 4096])
    small = tf.ones([3], dtype=tf.int32)
    ops = [(op.name, op.type) for op in tf.get_default_graph().get_operations()]
    assert ops == [
        ("zeros/shape_as_tensor", "Const"),
        ("zeros/Const", "Const"),
        ("zeros", "Fill"),
        ("ones", "Const"),
    ]
    with tf.Session() as sess:
        value = sess.run(big)
        assert value.shape == (4096, 4096) and value.dtype == "float32" and not value.any()
        assert sess.run(small).tolist() == [1, 1, 1]


def test_argmax_and_argmin_along_an_axis():
    x = tf.constant([[1.0, 5.0, 2.0], [7.0, 0.0, 3.0]], name="x")
    by_row = tf.argmax(x, axis=1)
    by_col = tf.argmin(x, 0)
    assert (by_row.op.name, by_row.dtype, by_row.shape.as_list()) == ("ArgMax", tf.int64, [2])
    with tf.Session() as sess:
        assert sess.run(by_row).tolist() == [1, 0]
        assert sess.run(by_col).tolist() == [0, 1, 0]
        assert sess.run(tf.argmax(x, 1, output_type=tf.int32)).dtype == "int32"
    with pytest.raises(ValueError, match=r"Expected dimension in the range \[-2, 2\)"):
        tf.argmax(x, axis=2)
