#!/usr/bin/env python3
"""Record what real TensorFlow 1.x graph mode prints, as a JSON fixture for tfteach's tests.

Run with a Python that has TensorFlow installed (never needed by tfteach itself):

    python3 -m venv /work/tfref
    /work/tfref/bin/pip install tensorflow-cpu==2.21.0
    /work/tfref/bin/python tools/record_tf_reference.py

Each case's code runs in a fresh namespace holding only ``tf`` (``tensorflow.compat.v1`` after
``tf.disable_v2_behavior()``) and ``np`` (numpy), on a fresh default graph.  The same source must
run unchanged with ``import tfteach as tf``: only TF1 public API, no contrib, and a printed
random value only with a seed (tfteach's seeded random numbers are TensorFlow's, bit for bit).

``tf.layers`` exists in TF 2.21 only with ``tf_keras`` installed and ``TF_USE_LEGACY_KERAS=1``
set before TensorFlow is imported, which also changes what ``tf.keras`` is. So the cases made
with ``legacy_keras_case`` run in a second process that sets it (``pip install
tf_keras==2.21.0`` beside TensorFlow), and go into the fixture's ``legacy_keras`` section;
``--legacy-keras-only`` re-records only that section.

The fixture is written to tests/fixtures/tf1_reference.json.
"""

import collections
import contextlib
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import textwrap

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
tf.logging.set_verbosity(tf.logging.ERROR)

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(REPO, "tests", "fixtures", "tf1_reference.json")
TOPICS = ("graph", "variables", "session", "init", "sharing", "initializers", "training",
          "checkpoint", "breadth", "metrics", "layers", "feature_column")

Case = collections.namedtuple("Case", "id topic code")
LEGACY_KERAS_PASS = "--legacy-keras-pass"  # argv[1] of the child process

CASES = []


def case(id, topic, code):
    CASES.append(Case(id, topic, textwrap.dedent(code).strip("\n") + "\n"))


# --------------------------------------------------------------------------------------------
# graph
# --------------------------------------------------------------------------------------------

case("graph_constant_name_uniquify", "graph", """
    print(repr(tf.constant([1, 2], name="c")))
    print(repr(tf.constant([1, 2], name="c")))
    print(repr(tf.constant([1, 2], name="c")))
""")

case("graph_name_skips_taken", "graph", """
    a = tf.constant(1, name="c_1")
    b = tf.constant(1, name="c")
    c = tf.constant(1, name="c")
    d = tf.constant(1, name="c")
    print(a.op.name, b.op.name, c.op.name, d.op.name)
""")

case("graph_explicit_suffixed_name_after_base", "graph", """
    a = tf.constant(1, name="c")
    b = tf.constant(1, name="c_1")
    c = tf.constant(1, name="c")
    d = tf.constant(1, name="c_1")
    print(a.op.name, b.op.name, c.op.name, d.op.name)
""")

case("graph_case_insensitive_add", "graph", """
    x = tf.constant(1.0)
    y = tf.constant(2.0)
    a = x + y
    b = x + y
    c = x + y
    d = tf.add(x, y)
    print(a.op.name, b.op.name, c.op.name, d.op.name)
    print(a.op.type, d.op.type)
""")

case("graph_case_insensitive_explicit", "graph", """
    a = tf.constant(1, name="foo")
    b = tf.constant(1, name="Foo")
    c = tf.constant(1, name="FOO")
    print(a.op.name, b.op.name, c.op.name)
""")

case("graph_default_const_names", "graph", """
    print(tf.constant(1).name, tf.constant(2).name, tf.constant(3.0).name)
""")

case("graph_name_scope_nesting", "graph", """
    with tf.name_scope("outer") as s1:
        with tf.name_scope("inner") as s2:
            c = tf.constant(1, name="c")
            d = tf.constant(2)
    print(repr(s1), repr(s2))
    print(c.name, d.name)
""")

case("graph_name_scope_reenter", "graph", """
    with tf.name_scope("data") as s:
        a = tf.constant(1)
    with tf.name_scope("data") as t:
        b = tf.constant(1)
    with tf.name_scope("data") as u:
        c = tf.constant(1)
    print(s, t, u)
    print(a.name, b.name, c.name)
""")

case("graph_name_scope_trailing_slash", "graph", """
    with tf.name_scope("data") as s:
        a = tf.constant(1)
    with tf.name_scope(s):
        b = tf.constant(1)
    with tf.name_scope("data/"):
        c = tf.constant(1)
    with tf.name_scope("other/"):
        d = tf.constant(1)
    print(a.name, b.name, c.name, d.name)
""")

case("graph_name_scope_none_resets", "graph", """
    with tf.name_scope("outer"):
        with tf.name_scope(None) as s:
            c = tf.constant(1)
        d = tf.constant(1)
    print(repr(s), c.name, d.name)
""")

case("graph_name_scope_empty_string", "graph", """
    with tf.name_scope("outer"):
        with tf.name_scope("") as s:
            c = tf.constant(1)
    print(repr(s), c.name)
""")

case("graph_scope_clashes_op_names", "graph", """
    for _ in range(3):
        tf.constant(1, name="a")
    with tf.name_scope("a") as s:
        c = tf.constant(1)
    print(s, c.name)
    with tf.name_scope("b"):
        pass
    d = tf.constant(1, name="b")
    print(d.name)
""")

case("graph_scope_then_same_op_name", "graph", """
    with tf.name_scope("layer"):
        w = tf.constant(1, name="w")
    op = tf.constant(1, name="layer")
    print(w.name, op.name)
""")

case("graph_tensor_reprs", "graph", """
    ts = [tf.constant(1.5), tf.constant(1.5, dtype=tf.float64), tf.constant(3, dtype=tf.int64),
          tf.constant(True), tf.constant("hi"), tf.constant([[1, 2, 3], [4, 5, 6]]),
          tf.constant(np.zeros((2, 2))), tf.constant(np.int64(7)), tf.constant([1.0, 2])]
    for t in ts:
        print(repr(t), "|", t.shape, "|", t.dtype, "|", repr(t.dtype), "|", t.dtype.name)
""")

case("graph_placeholder_attrs", "graph", """
    x = tf.placeholder(tf.float32, shape=[None, 8], name="x")
    print(repr(x))
    print(x)
    print(repr(x.shape))
    print(str(x.shape))
    print(x.get_shape().as_list())
    print(x.dtype, x.name, x.op.name, x.op.type)
    print(x.shape.ndims, x.shape[0], x.shape[1])
""")

case("graph_placeholder_default_name_unknown_shape", "graph", """
    p = tf.placeholder(tf.float32)
    q = tf.placeholder(tf.int32, [])
    print(repr(p))
    print(repr(q))
    print(p.shape, p.shape.ndims, q.shape.as_list())
""")

case("graph_group_noop", "graph", """
    a = tf.no_op(name="a")
    b = tf.no_op(name="b")
    g = tf.group(a, b, name="g")
    g2 = tf.group(a, b)
    n = tf.no_op()
    print(g.name, g.type, g2.name, g2.type, n.name, n.type)
    print(sorted(op.name for op in g.control_inputs))
    print(type(g).__name__, repr(g.outputs))
""")

case("graph_group_of_tensors", "graph", """
    x = tf.constant(1.0, name="x")
    y = tf.constant(2.0, name="y")
    g = tf.group(x, y, name="both")
    print(g.name, g.type, sorted(op.name for op in g.control_inputs))
    with tf.Session() as sess:
        print(sess.run(g))
""")

case("graph_identity", "graph", """
    x = tf.constant(1.0, name="x")
    i = tf.identity(x)
    j = tf.identity(x, name="j")
    print(repr(i), i.op.type, j.name, [t.name for t in i.op.inputs])
""")

case("graph_add_n", "graph", """
    a = tf.constant([1, 2])
    b = tf.constant([10, 20])
    c = tf.constant([100, 200])
    s = tf.add_n([a, b, c])
    print(s.name, s.op.type)
    with tf.Session() as sess:
        print(sess.run(s))
""")

case("graph_operator_op_types", "graph", """
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]], name="x")
    y = tf.constant([[5.0, 6.0], [7.0, 8.0]], name="y")
    results = [x + y, x * y, x - y, x / y, -x, x ** 2, x @ y, x // y, x % y, x > y, x < y,
               x >= y, x <= y, abs(x), 2 + x, 2 * x, 2 - x, 2 / x, tf.matmul(x, y),
               tf.add(x, y), tf.multiply(x, y), tf.subtract(x, y), tf.divide(x, y),
               tf.square(x), tf.reduce_sum(x), tf.reduce_mean(x)]
    for t in results:
        print(t.op.name, t.op.type, t.dtype.name, t.shape)
""")

case("graph_operator_values", "graph", """
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    y = tf.constant([[5.0, 6.0], [7.0, 8.0]])
    with tf.Session() as sess:
        for v in sess.run([x + y, x * y, x - y, x / y, -x, x ** 2, x @ y, 2 - x,
                           tf.reduce_sum(x), tf.reduce_mean(x), tf.reduce_sum(x, axis=0),
                           tf.reduce_mean(x, axis=1)]):
            print(v.tolist())
""")

case("graph_int_division_ops", "graph", """
    a = tf.constant(7)
    b = tf.constant(2)
    q = a / b
    f = a // b
    m = a % b
    print(q.op.type, q.dtype, f.op.type, m.op.type)
    with tf.Session() as sess:
        print(*sess.run([q, f, m]))
""")

case("graph_mixed_dtype_add_error", "graph", """
    a = tf.constant(1)
    b = tf.constant(1.5)
    c = a + b
""")

case("graph_get_by_name_ok", "graph", """
    c = tf.constant(1, name="c")
    g = tf.get_default_graph()
    print(g.get_tensor_by_name("c:0") is c, g.get_operation_by_name("c") is c.op)
    print(g.as_graph_element("c:0") is c, g.as_graph_element("c") is c.op)
    print(c.graph is g, c.op.graph is g)
""")

case("graph_get_operation_by_name_unknown", "graph", """
    tf.get_default_graph().get_operation_by_name("nope")
""")

case("graph_get_tensor_by_name_unknown", "graph", """
    tf.get_default_graph().get_tensor_by_name("nope:0")
""")

case("graph_get_tensor_by_name_no_index", "graph", """
    tf.constant(1, name="c")
    tf.get_default_graph().get_tensor_by_name("c")
""")

case("graph_get_tensor_by_name_bad_index", "graph", """
    tf.constant(1, name="c")
    tf.get_default_graph().get_tensor_by_name("c:1")
""")

case("graph_get_operation_by_name_with_index", "graph", """
    tf.constant(1, name="c")
    tf.get_default_graph().get_operation_by_name("c:0")
""")

case("graph_finalize_then_add", "graph", """
    g = tf.get_default_graph()
    tf.constant(1)
    g.finalize()
    print(g.finalized)
    tf.constant(2)
""")

case("graph_reset_inside_as_default", "graph", """
    g = tf.Graph()
    with g.as_default():
        tf.reset_default_graph()
""")

case("graph_default_graph_stack", "graph", """
    g0 = tf.get_default_graph()
    g = tf.Graph()
    with g.as_default() as entered:
        c = tf.constant(1, name="c")
        print(entered is g, tf.get_default_graph() is g, c.graph is g)
    d = tf.constant(1, name="c")
    print(tf.get_default_graph() is g0, d.graph is g0, d.name)
    print(c.name, [op.name for op in g.get_operations()])
""")

case("graph_reset_replaces_default", "graph", """
    g1 = tf.get_default_graph()
    tf.constant(1, name="c")
    tf.reset_default_graph()
    g2 = tf.get_default_graph()
    print(g1 is g2, len(g1.get_operations()), len(g2.get_operations()))
    print(tf.constant(1, name="c").name)
""")

case("graph_get_operations", "graph", """
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    w = tf.constant([[1.0], [2.0]], name="w")
    y = tf.matmul(x, w, name="y")
    z = tf.nn.relu(y)
    for op in tf.get_default_graph().get_operations():
        print(op.name, op.type, [t.name for t in op.inputs], [t.name for t in op.outputs])
    print(repr(z))
    print([op.name for op in y.consumers()], y.value_index)
""")

case("graph_consumers_listed_per_input", "graph", """
    x = tf.constant(1.0, name="x")
    tf.multiply(x, x, name="square")
    print([op.name for op in x.consumers()])
    tf.add(x, 1.0, name="later")
    print([op.name for op in x.consumers()])
""")

case("graph_constant_copies_its_value", "graph", """
    small, large = np.zeros(3, np.float32), np.zeros(1000, np.float32)
    a, b = tf.constant(small), tf.constant(large)
    small[0] = large[0] = 5.0
    with tf.Session() as sess:
        print(sess.run(a)[0], sess.run(b)[0])
""")

case("graph_get_collection_scope_prefix", "graph", """
    with tf.variable_scope("s"):
        a = tf.get_variable("a", [])
    with tf.variable_scope("s2"):
        g = tf.get_variable("g", [])
    with tf.variable_scope("t"):
        s_in_t = tf.get_variable("s", [])
    print([v.name for v in tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope="s")])
    print([v.name for v in tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope="s/")])
    print([v.name for v in tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope=".*s")])
    print([v.name for v in tf.global_variables("s")])
    print([v.name for v in tf.trainable_variables(scope="t")])
""")

# TF adds a new variable to its collections through a set, so the order of
# get_all_collection_keys() follows Python's string hashing (PYTHONHASHSEED): print it sorted.
case("graph_get_all_collection_keys", "graph", """
    print(sorted(tf.get_default_graph().get_all_collection_keys()))
    a = tf.Variable(1.0, name="a")
    print(sorted(tf.get_default_graph().get_all_collection_keys()))
    b = tf.Variable(1.0, name="b", trainable=False)
    print(sorted(tf.get_default_graph().get_all_collection_keys()))
    c = tf.Variable(1.0, name="c", collections=["mine"])
    print(sorted(tf.get_default_graph().get_all_collection_keys()))
    print(tf.GraphKeys.GLOBAL_VARIABLES, tf.GraphKeys.TRAINABLE_VARIABLES,
          tf.GraphKeys.LOCAL_VARIABLES, tf.GraphKeys.REGULARIZATION_LOSSES,
          tf.GraphKeys.GLOBAL_STEP, tf.GraphKeys.UPDATE_OPS, tf.GraphKeys.LOSSES)
""")

case("graph_add_to_collection", "graph", """
    tf.add_to_collection("mine", 1)
    tf.add_to_collection("mine", "two")
    tf.add_to_collections(["mine", "yours"], 3)
    print(tf.get_collection("mine"), tf.get_collection("yours"), tf.get_collection("none"))
    lst = tf.get_collection("mine")
    lst.append(99)
    print(tf.get_collection("mine"))
    ref = tf.get_collection_ref("mine")
    ref.append(4)
    print(tf.get_collection("mine"))
""")

case("graph_control_dependencies", "graph", """
    a = tf.no_op(name="a")
    x = tf.constant(1.0, name="x")
    with tf.control_dependencies([a, x]):
        y = tf.identity(x, name="y")
        with tf.control_dependencies(None):
            z = tf.identity(x, name="z")
        w = tf.add(y, 1.0, name="w")
    print([i.name for i in y.op.control_inputs])
    print([i.name for i in z.op.control_inputs])
    print([i.name for i in w.op.control_inputs])
    print([t.name for t in y.op.inputs])
""")

case("graph_control_dependencies_constant_and_data_input", "graph", """
    a = tf.no_op(name="a")
    x = tf.constant(1.0, name="x")
    with tf.control_dependencies([a]):
        c = tf.constant(2.0, name="c")
        y = tf.add(x, c, name="y")
        z = tf.add(x, x, name="z")
    with tf.control_dependencies([x]):
        u = tf.identity(x, name="u")
        w = tf.negative(c, name="w")
    print([i.name for i in c.op.control_inputs])
    print([i.name for i in y.op.control_inputs])
    print([i.name for i in z.op.control_inputs])
    print([i.name for i in u.op.control_inputs])
    print([i.name for i in w.op.control_inputs])
""")

case("graph_control_dependencies_nested", "graph", """
    a = tf.no_op(name="a")
    b = tf.no_op(name="b")
    x = tf.constant(1.0, name="x")
    with tf.control_dependencies([a]):
        with tf.control_dependencies([b]):
            y = tf.identity(x, name="y")
    print(sorted(i.name for i in y.op.control_inputs))
""")

case("graph_invalid_op_name", "graph", """
    tf.constant(1, name="bad name!")
""")

case("graph_separate_graphs_separate_names", "graph", """
    g1 = tf.Graph()
    g2 = tf.Graph()
    with g1.as_default():
        a = tf.constant(1, name="c")
    with g2.as_default():
        b = tf.constant(1, name="c")
    with g1.as_default():
        c = tf.constant(1, name="c")
    print(a.name, b.name, c.name)
""")

case("graph_tensor_bool_truth_error", "graph", """
    x = tf.constant(1.0)
    if x:
        print("truthy")
""")

case("graph_tensor_iteration_error", "graph", """
    x = tf.constant([1, 2])
    for i in x:
        print(i)
""")

# --------------------------------------------------------------------------------------------
# variables
# --------------------------------------------------------------------------------------------

case("var_doc003_name_scope_first_twice", "variables", """
    with tf.name_scope("first"):
        a = tf.Variable(1, name="a")
    print(repr(a))
    with tf.name_scope("first"):
        a = tf.Variable(1, name="a")
    print(repr(a))
""")

case("var_doc003_variable_of_constant_twice", "variables", """
    print(repr(tf.Variable(tf.constant([1, 2]), name="a")))
    print(repr(tf.Variable(tf.constant([1, 2]), name="a")))
""")

case("var_names_and_ops", "variables", """
    v = tf.Variable(1.0, name="v")
    print(repr(v))
    print(v)
    print(v.name, v.op.name, v.op.type)
    print(v.initializer.name, v.initializer.type)
    print(repr(v.initial_value))
    print(repr(v.value()))
    print(repr(v.read_value()))
    print(v.dtype, repr(v.dtype), v.dtype.base_dtype, v.dtype.name)
    print(v.shape, v.get_shape(), v.shape.as_list())
    print(v.graph is tf.get_default_graph(), v.trainable)
    print([t.name for t in v.initializer.inputs])
""")

case("var_ops_created", "variables", """
    v = tf.Variable(1.0, name="v")
    w = tf.Variable(tf.zeros([2]), name="w")
    u = tf.Variable([1, 2, 3])
    for op in tf.get_default_graph().get_operations():
        print(op.name, op.type, [t.name for t in op.inputs])
""")

case("var_default_names", "variables", """
    a = tf.Variable(1)
    b = tf.Variable(2)
    c = tf.Variable(3, name="Variable")
    print(a.name, b.name, c.name)
""")

case("var_name_scope_and_explicit_scope_name", "variables", """
    with tf.name_scope("outer"):
        v = tf.Variable(1.0, name="v")
        w = tf.Variable(1.0)
    x = tf.Variable(1.0, name="x/y")
    print(v.name, v.initializer.name, w.name, x.name, x.op.name)
""")

case("var_collections_default", "variables", """
    a = tf.Variable(1.0, name="a")
    b = tf.Variable(1.0, name="b", trainable=False)
    print([v.name for v in tf.global_variables()])
    print([v.name for v in tf.trainable_variables()])
    print([v.name for v in tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES)])
    print([v.name for v in tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES)])
    print(a.trainable, b.trainable)
""")

case("var_collections_mine", "variables", """
    a = tf.Variable(1.0, name="a", collections=["mine"])
    b = tf.Variable(1.0, name="b", collections=["mine"], trainable=False)
    c = tf.Variable(1.0, name="c", collections=["mine", tf.GraphKeys.GLOBAL_VARIABLES])
    d = tf.Variable(1.0, name="d", collections=[])
    print("global", [v.name for v in tf.global_variables()])
    print("trainable", [v.name for v in tf.trainable_variables()])
    print("mine", [v.name for v in tf.get_collection("mine")])
""")

case("var_local_variables_collection", "variables", """
    a = tf.Variable(1.0, name="a", collections=[tf.GraphKeys.LOCAL_VARIABLES])
    b = tf.Variable(1.0, name="b")
    print([v.name for v in tf.local_variables()])
    print([v.name for v in tf.global_variables()])
    print([v.name for v in tf.trainable_variables()])
""")

case("var_validate_shape_false", "variables", """
    p = tf.placeholder(tf.float32, [None], name="p")
    v = tf.Variable(p, validate_shape=False, name="v")
    print(repr(v))
    print(v.shape, v.get_shape().ndims)
    with tf.Session() as sess:
        sess.run(v.initializer, feed_dict={p: [1.0, 2.0, 3.0]})
        print(sess.run(v))
        print(sess.run(tf.shape(v)))
""")

case("var_validate_shape_true_unknown_shape", "variables", """
    p = tf.placeholder(tf.float32, [None], name="p")
    v = tf.Variable(p, name="v")
    print(repr(v))
""")

case("var_dtype_argument", "variables", """
    a = tf.Variable(1.5, dtype=tf.float64)
    b = tf.Variable(1, dtype=tf.float32)
    c = tf.Variable([1, 2], dtype=tf.int64)
    print(repr(a))
    print(repr(b))
    print(repr(c))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        print(*sess.run([a, b, c]))
""")

case("var_dtype_argument_float_to_int", "variables", """
    a = tf.Variable(1.5, dtype=tf.int32)
    print(repr(a))
""")

case("var_python_value_dtypes", "variables", """
    vs = [tf.Variable(1), tf.Variable(1.0), tf.Variable([1, 2, 3]), tf.Variable([1.0, 2]),
          tf.Variable(True), tf.Variable("s"), tf.Variable(np.array([1, 2])),
          tf.Variable(np.array([1.0, 2.0])), tf.Variable(np.float32(1)), tf.Variable([[1], [2]])]
    for v in vs:
        print(repr(v))
""")

case("var_none_error", "variables", """
    tf.Variable(None)
""")

case("var_no_args_error", "variables", """
    tf.Variable()
""")

case("var_tensor_has_no_assign", "variables", """
    c = tf.constant([1, 2])
    c.assign([3, 4])
""")

case("var_assign_ops", "variables", """
    v = tf.Variable(10, name="v")
    a = v.assign(5)
    b = v.assign_add(3)
    c = v.assign_sub(1)
    d = tf.assign(v, 100)
    e = tf.assign_add(v, 1)
    f = tf.assign_sub(v, 2)
    for t in (a, b, c, d, e, f):
        print(repr(t), t.op.type, [i.name for i in t.op.inputs])
    with tf.Session() as sess:
        sess.run(v.initializer)
        print(sess.run(a), sess.run(b), sess.run(c), sess.run(v))
        print(sess.run(d), sess.run(e), sess.run(f), sess.run(v))
""")

case("var_assign_in_name_scope", "variables", """
    v = tf.Variable(1.0, name="v")
    with tf.name_scope("update"):
        a = v.assign(2.0)
    b = v.assign(3.0, name="set3")
    print(a.name, b.name)
""")

case("var_doc003_assign_uninitialized", "variables", """
    a=tf.Variable([3,4])
    assign_a=tf.assign(a,[1,2])
    with tf.Session() as sess:
        sess.run(a)
""")

case("var_doc003_assign_after_init", "variables", """
    a=tf.Variable([3,4])
    assign_a=tf.assign(a,[1,2])
    with tf.Session() as sess:
        sess.run(a.initializer)
        print(repr(sess.run(assign_a)))
        print(a,sess.run(a))
""")

case("var_doc003_assign_as_variable_1", "variables", """
    earlier = tf.Variable(0)
    a=tf.Variable([3,4])
    assign_a=tf.assign(a,[1,2])
    try:
        with tf.Session() as sess:
            sess.run(a)
    except tf.errors.FailedPreconditionError as e:
        lines = [x for x in e.message.splitlines() if x.startswith("Attempting")]
        print(type(e).__name__, "|", lines[0])
    with tf.Session() as sess:
        sess.run(a.initializer)
        print(repr(sess.run(assign_a)))
        print(a,sess.run(a))
""")

case("var_assign_without_init_initializes", "variables", """
    a = tf.Variable([3, 4], name="a")
    with tf.Session() as sess:
        print(sess.run(tf.assign(a, [1, 2])))
        print(sess.run(a))
        print(sess.run(tf.report_uninitialized_variables()))
""")

case("var_assign_add_uninitialized", "variables", """
    a = tf.Variable(1, name="a")
    with tf.Session() as sess:
        sess.run(a.assign_add(1))
""")

case("var_assign_wrong_shape", "variables", """
    v = tf.Variable([1, 2], name="v")
    v.assign([1, 2, 3])
""")

case("var_assign_wrong_shape_validate_false", "variables", """
    v = tf.Variable([1, 2], name="v")
    a = tf.assign(v, [1, 2, 3], validate_shape=False)
    print(repr(a))
    with tf.Session() as sess:
        sess.run(v.initializer)
        print(sess.run(a), sess.run(v))
""")

case("var_assign_wrong_dtype_python_float", "variables", """
    v = tf.Variable(1, name="v")
    v.assign(1.5)
""")

case("var_assign_wrong_dtype_tensor", "variables", """
    v = tf.Variable(1, name="v")
    v.assign(tf.constant(1.5))
""")

case("var_assign_int_to_float_var", "variables", """
    v = tf.Variable(1.0, name="v")
    a = v.assign(2)
    print(repr(a))
    with tf.Session() as sess:
        sess.run(v.initializer)
        print(sess.run(a))
""")

case("var_read_in_expression", "variables", """
    v = tf.Variable(2.0, name="v")
    y = v * 3
    print(y.op.name, [t.name for t in y.op.inputs])
    t = tf.convert_to_tensor(v)
    print(repr(t))
    with tf.Session() as sess:
        sess.run(v.initializer)
        print(sess.run(y), v.eval(session=sess), y.eval(session=sess))
""")

case("var_variable_in_other_graph", "variables", """
    g = tf.Graph()
    with g.as_default():
        v = tf.Variable(1.0, name="v")
    print(v.graph is g, v.graph is tf.get_default_graph())
    print(len(tf.global_variables()))
    with g.as_default():
        print([x.name for x in tf.global_variables()])
""")

case("var_load_and_shape_methods", "variables", """
    v = tf.Variable([[1.0, 2.0, 3.0]], name="v")
    print(v.shape, v.get_shape(), v.shape.as_list(), v.shape.ndims, v.dtype.base_dtype)
    print(repr(v.initial_value))
""")

case("var_set_shape_tensor_shape_of_variable_of_variable", "variables", """
    v = tf.Variable(tf.zeros([2, 3]), name="v")
    w = tf.Variable(v, name="w")
    print(repr(w), repr(w.initial_value))
""")

# --------------------------------------------------------------------------------------------
# session
# --------------------------------------------------------------------------------------------

case("session_doc001_example1", "session", """
    # Create a variable with initial value 1.0
    var = tf.Variable(1.0, name="my_variable")

    # Create the initialization operation
    init_op = tf.global_variables_initializer()

    # Start a session
    with tf.Session() as sess:
      # Initialize the variable
      sess.run(init_op)
      print("Value after first init:", sess.run(var))

      # Initialize the variable again
      sess.run(init_op)
      print("Value after second init:", sess.run(var))

      # Explicitly assign a new value
      assign_op = var.assign(2.0)
      sess.run(assign_op)
      print("Value after explicit assignment:", sess.run(var))

      # Initialize again
      sess.run(init_op)
      print("Value after init, following assignment:", sess.run(var))
""")

case("session_doc001_example2", "session", """
    # Create a variable starting at 0.
    counter = tf.Variable(0, name="counter")

    # Define an increment operation
    increment_op = counter.assign_add(1)

    init_op = tf.global_variables_initializer()

    with tf.Session() as sess:
        sess.run(init_op) #Initialize
        print("Initial Counter:", sess.run(counter))

        # Execute increment and print
        for _ in range(3):
            sess.run(increment_op)
            print("Counter:", sess.run(counter))

        sess.run(init_op)
        print("Counter after second init:", sess.run(counter))
""")

case("session_doc001_example3_random", "session", """
    # Define a variable using random normal initialization
    rand_var = tf.Variable(tf.random_normal([5]), name="rand_var")

    init_op = tf.global_variables_initializer()

    with tf.Session() as sess:
        sess.run(init_op)
        first = sess.run(rand_var)
        sess.run(init_op)
        second = sess.run(rand_var)

        rand_assign = rand_var.assign(tf.random_normal([5]))
        sess.run(rand_assign)
        assigned = sess.run(rand_var)

        sess.run(init_op)
        third = sess.run(rand_var)
    print("shape, dtype:", first.shape, first.dtype)
    print("second init equals first:", np.array_equal(first, second))
    print("after assign equals second:", np.array_equal(assigned, second))
    print("re-init equals assigned:", np.array_equal(third, assigned))
    print("re-init equals first or second:",
          np.array_equal(third, first) or np.array_equal(third, second))
    print("reading twice gives same:", True)
""")

case("session_two_sessions_separate_values", "session", """
    v = tf.Variable(1.0, name="v")
    inc = v.assign_add(1.0)
    s1 = tf.Session()
    s2 = tf.Session()
    s1.run(v.initializer)
    s2.run(v.initializer)
    s1.run(inc)
    s1.run(inc)
    print(s1.run(v), s2.run(v))
    s1.close()
    s2.close()
    with tf.Session() as s3:
        try:
            s3.run(v)
        except tf.errors.FailedPreconditionError:
            print("fresh session: uninitialized")
""")

case("session_fetch_structures", "session", """
    import collections
    a = tf.constant(1, name="a")
    b = tf.constant(2.0, name="b")
    P = collections.namedtuple("P", ["x", "y"])
    with tf.Session() as sess:
        r = sess.run([a, b])
        print(type(r).__name__, len(r), r[0], r[1])
        r = sess.run((a, b))
        print(type(r).__name__, r[0], r[1])
        r = sess.run({"k": a, "j": [b, a]})
        print(type(r).__name__, sorted(r), r["k"], type(r["j"]).__name__, r["j"][0], r["j"][1])
        r = sess.run(P(a, b))
        print(type(r).__name__, r.x, r.y, type(r.x).__name__, type(r.y).__name__)
        r = sess.run([a, (b, {"x": [a]})])
        print(type(r[1]).__name__, r[0], r[1][0], r[1][1]["x"][0])
        print(sess.run([]), sess.run(()), sess.run({}))
        r = sess.run([a, a])
        print(r[0], r[1])
""")

case("session_fetch_op_returns_none", "session", """
    v = tf.Variable(1.0, name="v")
    with tf.Session() as sess:
        print(sess.run(v.initializer))
        r = sess.run([v.initializer, v])
        print(r[0], r[1])
        print(sess.run(tf.no_op()))
        print(sess.run(tf.group(v.initializer)))
""")

case("session_fetch_by_name", "session", """
    a = tf.constant(3, name="a")
    with tf.Session() as sess:
        print(sess.run("a:0"))
        print(sess.run("a"))
        r = sess.run(["a:0", "a"])
        print(r[0], r[1])
""")

case("session_result_types", "session", """
    with tf.Session() as sess:
        for t in [tf.constant(1.5), tf.constant(2), tf.constant([1, 2]),
                  tf.constant(2.0, tf.float64),
                  tf.constant(True), tf.constant("s"), tf.constant(["a", "b"]),
                  tf.constant(3, tf.int64)]:
            x = sess.run(t)
            print(type(x).__name__, getattr(x, "dtype", "-"), x)
""")

case("session_placeholder_without_feed", "session", """
    x = tf.placeholder(tf.float32, shape=[None, 8], name="x")
    y = x * 2
    with tf.Session() as sess:
        sess.run(y)
""")

case("session_placeholder_without_feed_unknown_shape", "session", """
    x = tf.placeholder(tf.int32, name="x")
    with tf.Session() as sess:
        sess.run(x + 1)
""")

case("session_placeholder_without_feed_scalar", "session", """
    x = tf.placeholder(tf.float64, shape=[], name="x")
    with tf.Session() as sess:
        sess.run(x)
""")

case("session_feed_wrong_shape", "session", """
    x = tf.placeholder(tf.float32, shape=[None, 8], name="x")
    with tf.Session() as sess:
        sess.run(x, feed_dict={x: np.zeros(3)})
""")

case("session_feed_wrong_shape_2d", "session", """
    x = tf.placeholder(tf.float32, shape=[2, 3], name="x")
    with tf.Session() as sess:
        sess.run(x, feed_dict={x: [[1, 2], [3, 4]]})
""")

case("session_feed_ok", "session", """
    x = tf.placeholder(tf.float32, shape=[None, 2], name="x")
    y = tf.reduce_sum(x, axis=1)
    with tf.Session() as sess:
        print(sess.run(y, feed_dict={x: [[1, 2], [3, 4], [5, 6]]}))
        r = sess.run(x, feed_dict={x: np.array([[1, 2]], dtype=np.int64)})
        print(r, r.dtype)
        print(sess.run(y, feed_dict={"x:0": [[1.5, 1.5]]}))
""")

case("session_feed_non_placeholder", "session", """
    c = tf.constant(1.0, name="c")
    d = c * 2
    with tf.Session() as sess:
        print(sess.run(d))
        print(sess.run(d, feed_dict={c: 5.0}))
        print(sess.run(d, feed_dict={d: 7.0}))
""")

case("session_feed_variable", "session", """
    v = tf.Variable(1.0, name="v")
    y = v * 2
    with tf.Session() as sess:
        print(sess.run(y, feed_dict={v: 3.0}))
""")

case("session_feed_incompatible_dtype", "session", """
    x = tf.placeholder(tf.float32, name="x")
    with tf.Session() as sess:
        sess.run(x, feed_dict={x: "abc"})
""")

case("session_feed_float_to_int_placeholder", "session", """
    x = tf.placeholder(tf.int32, name="x")
    with tf.Session() as sess:
        r = sess.run(x, feed_dict={x: 1.7})
        print(r, type(r).__name__, r.dtype)
""")

case("session_closed_error", "session", """
    c = tf.constant(1)
    sess = tf.Session()
    print(sess.run(c))
    sess.close()
    sess.run(c)
""")

case("session_run_empty_graph", "session", """
    with tf.Session() as sess:
        sess.run([])
""")

case("session_tensor_from_other_graph", "session", """
    tf.constant(0, name="here")
    g = tf.Graph()
    with g.as_default():
        c = tf.constant(1, name="c")
    with tf.Session() as sess:
        sess.run(c)
""")

case("session_graph_argument", "session", """
    g = tf.Graph()
    with g.as_default():
        c = tf.constant(5, name="c")
    with tf.Session(graph=g) as sess:
        print(sess.run(c), sess.graph is g, tf.get_default_graph() is g)
    print(tf.get_default_graph() is g)
""")

case("session_fetch_none", "session", """
    tf.constant(0, name="here")
    with tf.Session() as sess:
        sess.run(None)
""")

case("session_fetch_int", "session", """
    tf.constant(0, name="here")
    with tf.Session() as sess:
        sess.run(3)
""")

case("session_fetch_unknown_name", "session", """
    tf.constant(0, name="here")
    with tf.Session() as sess:
        sess.run("nope:0")
""")

case("session_fetch_unknown_op_name", "session", """
    tf.constant(0, name="here")
    with tf.Session() as sess:
        sess.run("nope")
""")

case("session_eval_no_default_session", "session", """
    v = tf.Variable(1.0, name="v")
    v.eval()
""")

case("session_tensor_eval_no_default_session", "session", """
    c = tf.constant(1.0, name="c")
    c.eval()
""")

case("session_op_run_no_default_session", "session", """
    v = tf.Variable(1.0, name="v")
    v.initializer.run()
""")

case("session_default_session_eval", "session", """
    v = tf.Variable(1.0, name="v")
    c = tf.constant(4, name="c")
    with tf.Session() as sess:
        print(tf.get_default_session() is sess)
        v.initializer.run()
        print(v.eval(), c.eval(), (v + 1).eval())
    print(tf.get_default_session())
    sess = tf.Session()
    with sess.as_default():
        print(c.eval())
    sess.close()
""")

case("session_interactive", "session", """
    sess = tf.InteractiveSession()
    v = tf.Variable(3.0, name="v")
    tf.global_variables_initializer().run()
    print(v.eval(), (v * 2).eval())
    print(tf.get_default_session() is sess)
    sess.close()
    print(tf.get_default_session())
""")

case("session_run_before_init", "session", """
    v = tf.Variable(1.0, name="v")
    with tf.Session() as sess:
        sess.run(v)
""")

case("session_run_before_init_scoped", "session", """
    with tf.name_scope("first"):
        a = tf.Variable(1, name="a")
    with tf.Session() as sess:
        sess.run(a + 1)
""")

case("session_run_before_init_via_expression", "session", """
    w = tf.Variable([[1.0]], name="w")
    x = tf.placeholder(tf.float32, [None, 1], name="x")
    y = tf.matmul(x, w)
    with tf.Session() as sess:
        sess.run(y, feed_dict={x: [[2.0]]})
""")

case("session_only_needed_part_runs", "session", """
    v = tf.Variable(1.0, name="v")
    x = tf.placeholder(tf.float32, name="x")
    c = tf.constant(2.0, name="c")
    unused = v + x
    with tf.Session() as sess:
        print(sess.run(c * 3))
""")

case("session_uninitialized_two_variables", "session", """
    a = tf.Variable(1.0, name="a")
    b = tf.Variable(2.0, name="b")
    with tf.Session() as sess:
        sess.run(a.initializer)
        sess.run(a + b)
""")

case("session_run_returns_copies", "session", """
    v = tf.Variable([1.0, 2.0], name="v")
    with tf.Session() as sess:
        sess.run(v.initializer)
        r = sess.run(v)
        r[0] = 100.0
        print(sess.run(v))
""")

case("session_assign_fetch_list_order", "session", """
    v = tf.Variable(0, name="v")
    inc = v.assign_add(1)
    with tf.Session() as sess:
        sess.run(v.initializer)
        r = sess.run([inc, inc])
        print(r[0], r[1])
        print(sess.run(v))
""")

case("session_read_after_update_in_control_dependencies", "session", """
    w = tf.Variable(1.0, name="w")
    train = w.assign_add(1.0)
    early = tf.identity(w, name="early")  # built before the block: still w's buffer
    with tf.control_dependencies([train]):
        y = w * 2
        z = tf.identity(w) * 2
        r = w.read_value() * 2
        e = early * 10
    print(y.op.inputs[0].name, z.op.inputs[0].op.inputs[0].name, r.op.inputs[0].name)
    with tf.Session() as sess:
        sess.run(w.initializer)
        print(sess.run(y), sess.run(z), sess.run(r), sess.run(e), sess.run(w))
""")

case("session_read_after_minimize_in_control_dependencies", "session", """
    w = tf.Variable([1.0, -2.0], name="w")
    loss = tf.reduce_sum(w * w)
    train = tf.train.GradientDescentOptimizer(0.25).minimize(loss)
    with tf.control_dependencies([train]):
        w_after = tf.identity(w, name="w_after")  # w's buffer, after the step
    with tf.Session() as sess:
        sess.run(w.initializer)
        print(sess.run(w_after), sess.run(w_after), sess.run(loss))
""")

# --------------------------------------------------------------------------------------------
# init
# --------------------------------------------------------------------------------------------

case("init_name_type_control_inputs", "init", """
    a = tf.Variable(1.0, name="a")
    with tf.name_scope("s"):
        b = tf.Variable(2.0, name="b")
    c = tf.Variable(3.0, name="c", trainable=False)
    init = tf.global_variables_initializer()
    print(repr(init.name), init.type)
    print([op.name for op in init.control_inputs])
    print([t.name for t in init.inputs], init.outputs)
""")

case("init_no_variables", "init", """
    init = tf.global_variables_initializer()
    print(init.name, init.type, init.control_inputs)
    with tf.Session() as sess:
        print(sess.run(init))
""")

case("init_second_call", "init", """
    v = tf.Variable(1.0, name="v")
    i0 = tf.global_variables_initializer()
    i1 = tf.global_variables_initializer()
    i2 = tf.global_variables_initializer()
    l0 = tf.local_variables_initializer()
    e = tf.variables_initializer([])
    n = tf.variables_initializer([v], name="mine")
    print(i0.name, i1.name, i2.name, l0.name, l0.type, e.name, e.type, n.name, n.type)
""")

case("init_initialize_all_variables_alias", "init", """
    v = tf.Variable(1.0, name="v")
    init = tf.initialize_all_variables()
    print(init.name, init.type, [op.name for op in init.control_inputs])
    with tf.Session() as sess:
        sess.run(init)
        print(sess.run(v))
""")

case("init_report_uninitialized", "init", """
    a = tf.Variable(1.0, name="a")
    with tf.name_scope("first"):
        b = tf.Variable(2, name="a")
    c = tf.Variable(3.0, name="c")
    report = tf.report_uninitialized_variables()
    print(report.name, report.op.type, report.dtype, report.shape)
    with tf.Session() as sess:
        r = sess.run(report)
        print(r, r.dtype, r.shape)
        sess.run(b.initializer)
        print(sess.run(report))
        sess.run(tf.global_variables_initializer())
        r = sess.run(report)
        print(r, r.dtype, r.shape)
""")

case("init_report_uninitialized_var_list_and_local", "init", """
    a = tf.Variable(1.0, name="a")
    b = tf.Variable(1.0, name="b")
    loc = tf.Variable(0, name="loc", collections=[tf.GraphKeys.LOCAL_VARIABLES])
    mine = tf.Variable(0, name="mine", collections=["mine"])
    with tf.Session() as sess:
        print(sess.run(tf.report_uninitialized_variables()))
        print(sess.run(tf.report_uninitialized_variables([b, mine])))
        sess.run(tf.local_variables_initializer())
        print(sess.run(tf.report_uninitialized_variables()))
""")

case("init_report_uninitialized_no_variables", "init", """
    r = tf.report_uninitialized_variables()
    print(r.name, r.op.type, r.dtype, r.shape)
    with tf.Session() as sess:
        x = sess.run(r)
        print(x, x.dtype, x.shape)
""")

case("init_is_variable_initialized", "init", """
    v = tf.Variable(1.0, name="v")
    t = tf.is_variable_initialized(v)
    print(t.name, t.op.type, t.dtype, t.shape)
    with tf.Session() as sess:
        x = sess.run(t)
        print(x, type(x).__name__)
        sess.run(v.initializer)
        print(sess.run(t))
""")

case("init_dependent_variable_one_run", "init", """
    v = tf.Variable(3.0, name="v")
    w = tf.Variable(v * 2, name="w")
    x = tf.Variable(v, name="x")
    print(repr(w.initial_value), repr(x.initial_value))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        print(*sess.run([v, w, x]))
""")

# A chain (u reads w, whose initial value reads v) fails under one global init in TF 2.21:
# u's guard falls back to w.initial_value, the unguarded `v * 2`, which reads v/read directly.
# (Observed 40 times out of 40.)
case("init_dependent_variable_chain_fails", "init", """
    v = tf.Variable(3.0, name="v")
    w = tf.Variable(v * 2, name="w")
    u = tf.Variable(w + v, name="u")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        print(*sess.run([v, w, u]))
""")

case("init_dependent_variable_chain_initialized_value", "init", """
    v = tf.Variable(3.0, name="v")
    w = tf.Variable(v.initialized_value() * 2, name="w")
    u = tf.Variable(w.initialized_value() + v.initialized_value(), name="u")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        print(*sess.run([v, w, u]))
""")

# What counts in a chain is the first read of v, inside w's initial value (lesson 4): guarding
# the top (u from w.initialized_value()) still fails, guarding w's read of v works, whatever
# u reads. (Observed 4 times out of 4 each.)
case("init_dependent_variable_chain_guard_top_fails", "init", """
    v = tf.Variable(3.0, name="v")
    w = tf.Variable(v * 2, name="w")
    u = tf.Variable(w.initialized_value() + v, name="u")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        print(*sess.run([v, w, u]))
""")

case("init_dependent_variable_chain_guard_first_read", "init", """
    v = tf.Variable(3.0, name="v")
    w = tf.Variable(v.initialized_value() * 2, name="w")
    u = tf.Variable(w + v, name="u")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        print(*sess.run([v, w, u]))
""")

case("init_dependent_variable_reverse_order_init_list", "init", """
    v = tf.Variable(3.0, name="v")
    w = tf.Variable(v * 2, name="w")
    with tf.Session() as sess:
        sess.run(tf.variables_initializer([w]))
        print(sess.run(w))
        print(sess.run(tf.report_uninitialized_variables()))
""")

case("init_dependent_variable_after_assign", "init", """
    v = tf.Variable(3.0, name="v")
    w = tf.Variable(v * 2, name="w")
    with tf.Session() as sess:
        sess.run(v.initializer)
        sess.run(v.assign(10.0))
        sess.run(w.initializer)
        print(sess.run(w))
        sess.run(tf.global_variables_initializer())
        # v is already initialized (to 10.0) when the group runs, so w's guarded initial value
        # reads v either before or after v/Assign resets it: w is 20.0 or 6.0 (a race in TF).
        print(sess.run(v), sess.run(w) in (6.0, 20.0))
""")

case("init_initialized_value", "init", """
    v = tf.Variable(3.0, name="v")
    iv = v.initialized_value()
    print(repr(iv), iv.op.type)
    w = tf.Variable(v.initialized_value() * 2, name="w")
    with tf.Session() as sess:
        print(sess.run(iv))
        print(sess.run(w.initializer), sess.run(w))
        sess.run(v.initializer)
        sess.run(v.assign(5.0))
        print(sess.run(iv))
""")

case("init_rerun_resets", "init", """
    v = tf.Variable(1.0, name="v")
    r = tf.Variable(tf.random_uniform([100]), name="r")
    init = tf.global_variables_initializer()
    with tf.Session() as sess:
        sess.run(init)
        r1 = sess.run(r)
        sess.run(v.assign(2.0))
        print(sess.run(v))
        sess.run(init)
        print(sess.run(v))
        r2 = sess.run(r)
        print(np.array_equal(r1, r2))
        sess.run(v.initializer)
        print(sess.run(v))
""")

case("init_created_before_variable", "init", """
    a = tf.Variable(1.0, name="a")
    init = tf.global_variables_initializer()
    b = tf.Variable(2.0, name="b")
    with tf.Session() as sess:
        sess.run(init)
        print(sess.run(a))
        print(sess.run(tf.report_uninitialized_variables()))
        sess.run(b)
""")

case("init_variables_initializer_subset", "init", """
    a = tf.Variable(1.0, name="a")
    b = tf.Variable(2.0, name="b")
    c = tf.Variable(3.0, name="c")
    op = tf.variables_initializer([a, c])
    print(op.name, sorted(x.name for x in op.control_inputs))
    with tf.Session() as sess:
        sess.run(op)
        print(sess.run(tf.report_uninitialized_variables()))
        sess.run(b.initializer)
        print(*sess.run([a, b, c]))
""")

case("init_excludes_non_global", "init", """
    a = tf.Variable(1.0, name="a")
    m = tf.Variable(2.0, name="m", collections=["mine"])
    init = tf.global_variables_initializer()
    print([op.name for op in init.control_inputs])
    with tf.Session() as sess:
        sess.run(init)
        print(sess.run(tf.report_uninitialized_variables()))
        print(sess.run(tf.report_uninitialized_variables([m])))
""")

case("init_local_variables_initializer", "init", """
    loc = tf.Variable(5, name="loc", collections=[tf.GraphKeys.LOCAL_VARIABLES])
    g = tf.Variable(1, name="g")
    li = tf.local_variables_initializer()
    print(li.name, li.type, [op.name for op in li.control_inputs])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        print(sess.run(tf.report_uninitialized_variables()))
        sess.run(li)
        print(sess.run(loc))
""")

case("init_run_initializer_method", "init", """
    v = tf.Variable(7, name="v")
    with tf.Session() as sess:
        v.initializer.run()
        print(v.eval())
        tf.global_variables_initializer().run()
        print(sess.run(v))
""")

# --------------------------------------------------------------------------------------------
# sharing
# --------------------------------------------------------------------------------------------

case("sharing_doc003_scope1_w1_w2", "sharing", """
    with tf.variable_scope("scope1"):
        w1 = tf.get_variable("w1", shape=[])
        w2 = tf.Variable(0.0, name="w2")
    with tf.variable_scope("scope1", reuse=True):
        w1_p = tf.get_variable("w1", shape=[])
        w2_p = tf.Variable(1.0, name="w2")

    print(w1 is w1_p, w2 is w2_p)
    print(w1,w1_p)
    print(w2,w2_p)
""")

case("sharing_doc003_scope1_both_get_variable", "sharing", """
    with tf.variable_scope("scope1"):
        w1 = tf.get_variable("w1", shape=[])
        #w2 = tf.Variable(0.0, name="w2")
        w2 = tf.get_variable("w2", shape=[])
    with tf.variable_scope("scope1", reuse=True):
        w1_p = tf.get_variable("w1", shape=[])
        #w2_p = tf.Variable(1.0, name="w2")
        w2_p = tf.get_variable("w2", shape=[])
    print(w1 is w1_p, w2 is w2_p)
""")

case("sharing_doc003_scope1_w3_missing", "sharing", """
    with tf.variable_scope("scope1"):
        w1 = tf.get_variable("w1", shape=[])
        #w2 = tf.Variable(0.0, name="w2")
        w2 = tf.get_variable("w2", shape=[])
    with tf.variable_scope("scope1", reuse=True):
        w1_p = tf.get_variable("w1", shape=[])
        #w2_p = tf.Variable(1.0, name="w2")
        w2_p = tf.get_variable("w3", shape=[])
""")

case("sharing_doc003_test_mode_no_reuse", "sharing", """
    def test(mode):
        w = tf.get_variable(name=mode+"w", shape=[1,2])
        u = tf.get_variable(name="u", shape=[1,2])
        return w, u
    with tf.variable_scope("test") as scope:
        w1, u1 = test("mode1")
        #scope.reuse_variables()
        w2, u2 = test("mode2")
""")

case("sharing_doc003_test_mode_reuse_true", "sharing", """
    def test(mode):
        w = tf.get_variable(name=mode+"w", shape=[1,2])
        u = tf.get_variable(name="u", shape=[1,2])
        return w, u
    with tf.variable_scope("test", reuse=True) as scope:
        w1, u1 = test("mode1")
        w2, u2 = test("mode2")
""")

case("sharing_doc003_test_mode_reuse_variables_middle", "sharing", """
    def test(mode):
        w = tf.get_variable(name=mode+"w", shape=[1,2])
        u = tf.get_variable(name="u", shape=[1,2])
        return w, u
    with tf.variable_scope("test") as scope:
        w1, u1 = test("mode1")
        scope.reuse_variables()
        w2, u2 = test("mode2")
""")

case("sharing_doc003_test_mode_reuse_variables_start", "sharing", """
    def test(mode):
        w = tf.get_variable(name=mode+"w", shape=[1,2])
        u = tf.get_variable(name="u", shape=[1,2])
        return w, u
    with tf.variable_scope("test") as scope:
        scope.reuse_variables()
        w1, u1 = test("mode1")
        w2, u2 = test("mode2")
""")

case("sharing_doc003_test_mode_auto_reuse", "sharing", """
    def test(mode):
        w = tf.get_variable(name=mode+"w", shape=[1,2])
        u = tf.get_variable(name="u", shape=[1,2])
        return w, u

    with tf.variable_scope("test", reuse=tf.AUTO_REUSE) as scope:
        w1, u1 = test("mode1")
        w2, u2 = test("mode2")
    print(w1.name, u1.name, w2.name, u2.name)
    print(w1 is w2, u1 is u2)
    print([v.name for v in tf.global_variables()])
    print(tf.AUTO_REUSE, scope.reuse)
""")

case("sharing_doc003_get_variable_b_twice", "sharing", """
    print(repr(tf.get_variable(name="b",initializer=tf.constant([1,2]))))
    print(repr(tf.get_variable(name="b",initializer=tf.constant([1,2]))))
""")

case("sharing_doc003_two_hidden_layers_variable", "sharing", """
    x1 = tf.placeholder(tf.float32, [200, 100], name="x1")
    x2 = tf.placeholder(tf.float32, [200, 100], name="x2")
    def two_hidden_layers(x):
        w1 = tf.Variable(tf.random_normal([100, 50]), name='h1_weights')
        b1 = tf.Variable(tf.zeros([50]), name='h1_biases')
        h1 = tf.matmul(x, w1) + b1

        w2 = tf.Variable(tf.random_normal([50, 10]), name='h2_weights')
        b2 = tf.Variable(tf.zeros([10]), name='2_biases')
        logits = tf.matmul(h1, w2) + b2
        return logits
    logits1 = two_hidden_layers(x1)
    logits2 = two_hidden_layers(x2)
    print([v.name for v in tf.global_variables()])
    print(repr(logits1), repr(logits2))
""")

case("sharing_doc003_two_hidden_layers_naive_get_variable", "sharing", """
    x1 = tf.placeholder(tf.float32, [200, 100], name="x1")
    x2 = tf.placeholder(tf.float32, [200, 100], name="x2")
    def two_hidden_layers(x):
        w1 = tf.get_variable("h1_weights", [100, 50], initializer=tf.random_normal_initializer())
        b1 = tf.get_variable("h1_biases", [50], initializer=tf.constant_initializer(0.0))
        h1 = tf.matmul(x, w1) + b1
        w2 = tf.get_variable("h2_weights", [50, 10], initializer=tf.random_normal_initializer())
        b2 = tf.get_variable("h2_biases", [10], initializer=tf.constant_initializer(0.0))
        logits = tf.matmul(h1, w2) + b2
        return logits
    logits1 = two_hidden_layers(x1)
    logits2 = two_hidden_layers(x2)
""")

case("sharing_doc003_two_hidden_layers_reuse_variables", "sharing", """
    x1 = tf.placeholder(tf.float32, [200, 100], name="x1")
    x2 = tf.placeholder(tf.float32, [200, 100], name="x2")
    def two_hidden_layers(x):
        assert x.shape.as_list() == [200, 100]
        w1 = tf.get_variable("h1_weights", [100, 50], initializer=tf.random_normal_initializer())
        b1 = tf.get_variable("h1_biases", [50], initializer=tf.constant_initializer(0.0))
        h1 = tf.matmul(x, w1) + b1
        assert h1.shape.as_list() == [200, 50]
        w2 = tf.get_variable("h2_weights", [50, 10], initializer=tf.random_normal_initializer())
        b2 = tf.get_variable("h2_biases", [10], initializer=tf.constant_initializer(0.0))
        logits = tf.matmul(h1, w2) + b2
        return logits
    with tf.variable_scope('two_layers') as scope:
        logits1 = two_hidden_layers(x1)
        scope.reuse_variables()
        logits2 = two_hidden_layers(x2)
    print([v.name for v in tf.global_variables()])
    print(repr(logits1), repr(logits2))
""")

case("sharing_doc003_fully_connected_auto_reuse", "sharing", """
    x1 = tf.placeholder(tf.float32, [200, 100], name="x1")
    x2 = tf.placeholder(tf.float32, [200, 100], name="x2")
    def fully_connected(x, output_dim, scope):
        with tf.variable_scope(scope, reuse=tf.AUTO_REUSE) as scope:
            w = tf.get_variable("weights", [x.shape[1], output_dim], initializer=tf.random_normal_initializer())
            b = tf.get_variable("biases", [output_dim], initializer=tf.constant_initializer(0.0))
            return tf.matmul(x, w) + b

    def two_hidden_layers(x):
        h1 = fully_connected(x, 50, 'h1')
        h2 = fully_connected(h1, 10, 'h2')

    with tf.variable_scope('two_layers') as scope:
        logits1 = two_hidden_layers(x1)
        logits2 = two_hidden_layers(x2)
    print(sorted(v.name for v in tf.global_variables()))
    print(sorted(op.name for op in tf.get_default_graph().get_operations() if op.type == "MatMul"))
""")  # noqa: E501 - document 003's lines, verbatim

case("sharing_get_variable_twice", "sharing", """
    tf.get_variable("x", [2])
    tf.get_variable("x", [2])
""")

case("sharing_get_variable_twice_in_scope", "sharing", """
    with tf.variable_scope("two_layers"):
        tf.get_variable("h1_weights", [2])
    with tf.variable_scope("two_layers"):
        tf.get_variable("h1_weights", [2])
""")

case("sharing_constant_initializer_with_shape", "sharing", """
    tf.get_variable("x", shape=[2], initializer=tf.constant([1.0, 2.0]))
""")

case("sharing_list_initializer_with_shape", "sharing", """
    tf.get_variable("x", shape=[2], initializer=[1.0, 2.0])
""")

case("sharing_constant_initializers_no_shape", "sharing", """
    a = tf.get_variable("a", initializer=[1, 2, 3])
    b = tf.get_variable("b", initializer=np.array([[1.0, 2.0]]))
    c = tf.get_variable("c", initializer=5.0)
    d = tf.get_variable("d", initializer=tf.constant([1.5, 2.5]))
    e = tf.get_variable("e", initializer=7)
    for v in (a, b, c, d, e):
        print(repr(v))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for x in sess.run([a, b, c, d, e]):
            print(x, x.dtype)
""")

case("sharing_constant_initializer_dtype_arg", "sharing", """
    a = tf.get_variable("a", initializer=[1, 2], dtype=tf.float32)
    print(repr(a))
""")

case("sharing_no_shape_no_initializer", "sharing", """
    tf.get_variable("noshape")
""")

case("sharing_initializer_object_without_shape", "sharing", """
    tf.get_variable("noshape", initializer=tf.zeros_initializer())
""")

case("sharing_default_initializer_ops", "sharing", """
    i = tf.get_variable("i", [2], dtype=tf.int32)
    f = tf.get_variable("f", [2, 3])
    for op in tf.get_default_graph().get_operations():
        print(op.name, op.type)
""")

case("sharing_default_initializer_values", "sharing", """
    i = tf.get_variable("i", [2], dtype=tf.int32)
    i64 = tf.get_variable("i64", [], dtype=tf.int64)
    b = tf.get_variable("b", [2], dtype=tf.bool)
    s = tf.get_variable("s", [2], dtype=tf.string)
    f = tf.get_variable("f", [30, 20])
    d = tf.get_variable("d", [4], dtype=tf.float64)
    h = tf.get_variable("h", [4], dtype=tf.float16)
    for v in (i, i64, b, s, f, d, h):
        print(repr(v))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        print(sess.run(i), sess.run(i64), sess.run(b), sess.run(s))
        fv = sess.run(f)
        limit = np.sqrt(6.0 / (30 + 20))
        print(fv.dtype, np.all(np.abs(fv) <= np.float32(limit)), np.abs(fv).max() > 0.8 * limit)
        print(sess.run(d).dtype, sess.run(h).dtype)
""")

case("sharing_complex_needs_initializer", "sharing", """
    tf.get_variable("c", [2], dtype=tf.complex64)
""")

case("sharing_shape_clash_on_reuse", "sharing", """
    with tf.variable_scope("s"):
        tf.get_variable("w", [2, 4])
    with tf.variable_scope("s", reuse=True):
        tf.get_variable("w", [3, 4])
""")

case("sharing_shape_clash_auto_reuse", "sharing", """
    with tf.variable_scope("s", reuse=tf.AUTO_REUSE):
        tf.get_variable("w", [2, 4])
        tf.get_variable("w", [2, 5])
""")

case("sharing_reuse_without_shape", "sharing", """
    with tf.variable_scope("s"):
        w = tf.get_variable("w", [2, 4])
    with tf.variable_scope("s", reuse=True):
        w2 = tf.get_variable("w")
    print(w is w2, repr(w2))
""")

case("sharing_dtype_clash_on_reuse", "sharing", """
    with tf.variable_scope("s"):
        tf.get_variable("x", [2], dtype=tf.float64)
    with tf.variable_scope("s", reuse=True):
        tf.get_variable("x", [2])
""")

case("sharing_dtype_clash_explicit", "sharing", """
    with tf.variable_scope("s"):
        tf.get_variable("x", [2], dtype=tf.int32)
    with tf.variable_scope("s", reuse=True):
        tf.get_variable("x", [2], dtype=tf.float64)
""")

case("sharing_reuse_inheritance", "sharing", """
    with tf.variable_scope("outer", reuse=True) as outer:
        print(outer.reuse, tf.get_variable_scope().reuse)
        with tf.variable_scope("inner", reuse=False) as inner:
            print(inner.reuse, tf.get_variable_scope().reuse)
        with tf.variable_scope("inner2") as inner2:
            print(inner2.reuse)
    with tf.variable_scope("plain") as plain:
        print(plain.reuse)
        with tf.variable_scope("auto", reuse=tf.AUTO_REUSE) as auto:
            print(auto.reuse)
            with tf.variable_scope("deeper", reuse=False) as deeper:
                print(deeper.reuse)
    print(tf.get_variable_scope().reuse)
""")

case("sharing_variable_scope_twice_names", "sharing", """
    with tf.variable_scope("s") as sc1:
        w = tf.get_variable("w", [1])
        c = tf.constant(1.0, name="c")
        v = tf.Variable(1.0, name="v")
    with tf.variable_scope("s", reuse=True) as sc2:
        w2 = tf.get_variable("w", [1])
        c2 = tf.constant(1.0, name="c")
        v2 = tf.Variable(1.0, name="v")
        y = w2 * 2
    print(w.name, c.name, v.name)
    print(w2.name, c2.name, v2.name, y.name)
    print(sc1.name, sc1.original_name_scope, sc2.name, sc2.original_name_scope)
    print(w.initializer.name,
          [op.name for op in tf.get_default_graph().get_operations() if op.name.startswith("s/w")])
""")

case("sharing_get_variable_ignores_name_scope", "sharing", """
    with tf.name_scope("ns"):
        w = tf.get_variable("w", [1])
        c = tf.constant(1.0, name="c")
        v = tf.Variable(1.0, name="v")
    with tf.variable_scope("vs"):
        with tf.name_scope("inner"):
            x = tf.get_variable("x", [1])
            d = tf.constant(1.0, name="d")
    print(w.name, c.name, v.name, x.name, d.name)
    print(w.initializer.name, x.initializer.name)
""")

case("sharing_default_name_uniquified", "sharing", """
    with tf.variable_scope(None, default_name="layer") as s1:
        a = tf.get_variable("w", [1])
        ca = tf.constant(1)
    with tf.variable_scope(None, default_name="layer") as s2:
        b = tf.get_variable("w", [1])
        cb = tf.constant(1)
    with tf.variable_scope("named", default_name="layer") as s3:
        c = tf.get_variable("w", [1])
    print(s1.name, s2.name, s3.name)
    print(a.name, b.name, c.name, ca.name, cb.name)
""")

case("sharing_reenter_scope_object", "sharing", """
    with tf.variable_scope("model") as scope:
        w = tf.get_variable("w", [1])
        c = tf.constant(1, name="c")
    print(repr(scope.name), repr(scope.original_name_scope))
    with tf.variable_scope(scope, reuse=True) as again:
        w2 = tf.get_variable("w", [1])
        c2 = tf.constant(1, name="c")
        print(repr(again.name), repr(again.original_name_scope), again.reuse)
    with tf.variable_scope(scope):
        x = tf.get_variable("x", [1])
        c3 = tf.constant(1, name="c")
    print(w.name, w2.name, w is w2, x.name)
    print(c.name, c2.name, c3.name)
    with tf.variable_scope("outer"):
        with tf.variable_scope(scope) as inside:
            y = tf.get_variable("y", [1])
            c4 = tf.constant(1, name="c")
    print(inside.name, y.name, c4.name)
""")

case("sharing_scope_attributes_top_level", "sharing", """
    s = tf.get_variable_scope()
    print(repr(s.name), repr(s.original_name_scope), s.reuse, s.initializer, s.dtype)
    with tf.variable_scope("a") as a:
        with tf.variable_scope("b") as b:
            print(repr(tf.get_variable_scope().name), tf.get_variable_scope() is b)
    print(repr(a.name), repr(b.name), repr(b.original_name_scope))
""")

case("sharing_regularizer_collection", "sharing", """
    def reg(v):
        return tf.reduce_sum(tf.square(v), name="l2")
    with tf.variable_scope("layer"):
        w = tf.get_variable("w", [2, 2], regularizer=reg)
        b = tf.get_variable("b", [2])
    losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    print([t.name for t in losses])
    print([t.name for t in tf.losses.get_regularization_losses()])
    with tf.variable_scope("layer", reuse=True):
        w2 = tf.get_variable("w", [2, 2], regularizer=reg)
    print(len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)))
""")

case("sharing_scope_regularizer", "sharing", """
    with tf.variable_scope("s", regularizer=lambda v: tf.reduce_sum(v)):
        a = tf.get_variable("a", [2])
        b = tf.get_variable("b", [2], trainable=False)
    print([t.name for t in tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)])
""")

case("sharing_scope_initializer_default", "sharing", """
    with tf.variable_scope("s", initializer=tf.constant_initializer(0.5)):
        a = tf.get_variable("a", [2])
        b = tf.get_variable("b", [2], initializer=tf.ones_initializer())
        with tf.variable_scope("inner"):
            c = tf.get_variable("c", [1])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        print(*sess.run([a, b, c]))
""")

case("sharing_scope_initializer_applies_to_int_variable", "sharing", """
    with tf.variable_scope("s", initializer=tf.constant_initializer(0.5)):
        i = tf.get_variable("i", [2], dtype=tf.int32)
""")

case("sharing_scope_initializer_int_ok", "sharing", """
    with tf.variable_scope("s", initializer=tf.constant_initializer(3)):
        i = tf.get_variable("i", [2], dtype=tf.int32)
        f = tf.get_variable("f", [2])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        print(sess.run(i), sess.run(f))
""")

case("sharing_scope_dtype_default", "sharing", """
    with tf.variable_scope("s", dtype=tf.float64) as s:
        a = tf.get_variable("a", [2])
        b = tf.get_variable("b", [2], dtype=tf.float32)
        with tf.variable_scope("inner"):
            c = tf.get_variable("c", [1])
    print(s.dtype, repr(a), repr(b), repr(c))
""")

case("sharing_reuse_of_tf_variable_fails", "sharing", """
    with tf.variable_scope("s"):
        v = tf.Variable(1.0, name="v")
    print(v.name)
    with tf.variable_scope("s", reuse=True):
        tf.get_variable("v", [])
""")

case("sharing_get_variable_name_taken_by_op", "sharing", """
    c = tf.constant(1.0, name="w")
    w = tf.get_variable("w", [])
    print(c.name, w.name, w.op.name, w.initializer.name)
""")

case("sharing_get_variable_after_tf_variable_same_name", "sharing", """
    v = tf.Variable(1.0, name="w")
    w = tf.get_variable("w", [])
    print(v.name, w.name, w.initializer.name)
""")

case("sharing_reuse_never_created_scope", "sharing", """
    with tf.variable_scope("nothing", reuse=True):
        tf.get_variable("w", [1])
""")

case("sharing_get_variable_collections_and_trainable", "sharing", """
    a = tf.get_variable("a", [1], trainable=False)
    b = tf.get_variable("b", [1], collections=["mine"])
    c = tf.get_variable("c", [1], collections=["mine", tf.GraphKeys.GLOBAL_VARIABLES],
                        trainable=False)
    print([v.name for v in tf.global_variables()])
    print([v.name for v in tf.trainable_variables()])
    print([v.name for v in tf.get_collection("mine")])
""")

case("sharing_get_variable_repr_and_attrs", "sharing", """
    with tf.variable_scope("layer"):
        w = tf.get_variable("w", [3, 2])
    print(repr(w), w.op.name, w.initializer.name, w.initializer.type)
    print(repr(w.initial_value))
    print(type(w).__name__ == type(tf.Variable(1.0)).__name__)
""")

case("sharing_get_variable_initializer_class", "sharing", """
    a = tf.get_variable("a", [2], initializer=tf.zeros_initializer)
    b = tf.get_variable("b", [2], initializer=tf.ones_initializer)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        print(*sess.run([a, b]))
""")

case("sharing_doc002_create_and_init", "sharing", """
    graph_tensor = tf.Graph()
    my_variable = tf.get_variable("my_variable", [1, 2, 3])
    print(repr(my_variable), my_variable.shape, my_variable.dtype)
    my_int_variable = tf.get_variable("my_int_variable", [1, 2, 3], dtype=tf.int32,
      initializer=tf.zeros_initializer)
    print(repr(my_int_variable))
    other_variable = tf.get_variable("other_variable", dtype=tf.int32,
      initializer=tf.constant([23, 42]))
    print(repr(other_variable))
    session = tf.Session()
    session.run(tf.global_variables_initializer())
    # Now all variables are initialized.
    session.run(my_variable.initializer)
    print(session.run(tf.report_uninitialized_variables()))
    print(session.run(my_int_variable).tolist(), session.run(other_variable))
    session.close()
""")

case("sharing_doc002_initialized_value_graph", "sharing", """
    graph_tensor = tf.Graph()
    with graph_tensor.as_default():
        v = tf.get_variable("v", shape=(), initializer=tf.zeros_initializer())
        w = tf.get_variable("w", initializer=v.initialized_value() + 1)
    print(repr(v), repr(w))
    with tf.Session(graph=graph_tensor) as sess:
        sess.run(tf.global_variables_initializer())
        w = v + 1  # w is a tf.Tensor which is computed based on the value of v.
        print(sess.run(w))
    with tf.Session(graph=graph_tensor) as sess:
        assignment = v.assign_add(1)
        sess.run(tf.global_variables_initializer())
        print(sess.run(assignment))  # or assignment.op.run(), or assignment.eval()
""")

case("sharing_doc002_conv_relu_fails", "sharing", """
    def conv_relu(input, kernel_shape, bias_shape):
        # Create variable named "weights".
        weights = tf.get_variable("weights", kernel_shape,
            initializer=tf.random_normal_initializer())
        # Create variable named "biases".
        biases = tf.get_variable("biases", bias_shape,
            initializer=tf.constant_initializer(0.0))
        conv = tf.nn.conv2d(input, weights,
            strides=[1, 1, 1, 1], padding='SAME')
        return tf.nn.relu(conv + biases)

    input1 = tf.random_normal([1,10,10,32])
    input2 = tf.random_normal([1,20,20,32])
    x = conv_relu(input1, kernel_shape=[5, 5, 32, 32], bias_shape=[32])
    print(repr(x))
    x = conv_relu(x, kernel_shape=[5, 5, 32, 32], bias_shape = [32])  # This fails.
""")

case("sharing_doc002_my_image_filter_reuse_true", "sharing", """
    def conv_relu(input, kernel_shape, bias_shape):
        weights = tf.get_variable("weights", kernel_shape,
            initializer=tf.random_normal_initializer())
        biases = tf.get_variable("biases", bias_shape,
            initializer=tf.constant_initializer(0.0))
        conv = tf.nn.conv2d(input, weights,
            strides=[1, 1, 1, 1], padding='SAME')
        return tf.nn.relu(conv + biases)

    def my_image_filter(input_images):
        with tf.variable_scope("conv1"):
            # Variables created here will be named "conv1/weights", "conv1/biases".
            relu1 = conv_relu(input_images, [5, 5, 32, 32], [32])
        with tf.variable_scope("conv2"):
            # Variables created here will be named "conv2/weights", "conv2/biases".
            return conv_relu(relu1, [5, 5, 32, 32], [32])

    input1 = tf.random_normal([1,10,10,32])
    input2 = tf.random_normal([1,20,20,32])
    with tf.variable_scope("model"):
      output1 = my_image_filter(input1)
    with tf.variable_scope("model", reuse=True):
      output2 = my_image_filter(input2)
    print([v.name for v in tf.global_variables()])
    print(repr(output1))
    print(repr(output2))
""")

case("sharing_doc002_my_image_filter_reuse_variables", "sharing", """
    def conv_relu(input, kernel_shape, bias_shape):
        weights = tf.get_variable("weights", kernel_shape,
            initializer=tf.random_normal_initializer())
        biases = tf.get_variable("biases", bias_shape,
            initializer=tf.constant_initializer(0.0))
        conv = tf.nn.conv2d(input, weights,
            strides=[1, 1, 1, 1], padding='SAME')
        return tf.nn.relu(conv + biases)

    def my_image_filter(input_images):
        with tf.variable_scope("conv1"):
            relu1 = conv_relu(input_images, [5, 5, 32, 32], [32])
        with tf.variable_scope("conv2"):
            return conv_relu(relu1, [5, 5, 32, 32], [32])

    input1 = tf.random_normal([1,10,10,32])
    input2 = tf.random_normal([1,20,20,32])
    with tf.variable_scope("model") as scope:
      output1 = my_image_filter(input1)
      scope.reuse_variables()
      output2 = my_image_filter(input2)
    print([v.name for v in tf.global_variables()])
    print(repr(output1))
    print(repr(output2))
""")

# --------------------------------------------------------------------------------------------
# initializers
# --------------------------------------------------------------------------------------------

case("initializers_ones_zeros_call", "initializers", """
    init=tf.ones_initializer()
    tensor_A=init([3])
    print(repr(tensor_A))
    z = tf.zeros_initializer()([2, 3])
    print(repr(z))
    zi = tf.zeros_initializer()([2], dtype=tf.int32)
    oi = tf.ones_initializer(dtype=tf.int64)([2])
    print(repr(zi), repr(oi))
    c = tf.constant_initializer(3.0)([2, 2])
    print(repr(c), c.op.type)
    with tf.Session() as sess:
        for x in sess.run([tensor_A, z, zi, oi, c]):
            print(x.dtype, x.tolist())
""")

case("initializers_doc003_constant_initializer", "initializers", """
    value=np.array([[1,2,3],[2,3,4]])
    init=tf.constant_initializer(value)
    with tf.Session() as sess:
        x=tf.get_variable(initializer=init,shape=[6,],name="x")
        x.initializer.run()
        print(sess.run(x))
""")

case("initializers_constant_initializer_reshape", "initializers", """
    init = tf.constant_initializer([1, 2, 3, 4, 5, 6])
    t = init([2, 3])
    s = tf.constant_initializer(7)([2, 2])
    with tf.Session() as sess:
        print(sess.run(t))
        print(sess.run(s))
""")

case("initializers_constant_initializer_too_few", "initializers", """
    init = tf.constant_initializer([1, 2])
    t = init([5])
    with tf.Session() as sess:
        print(sess.run(t))
    t2 = tf.constant_initializer([1.0, 2.0, 3.0])([2, 3])
    with tf.Session() as sess:
        print(sess.run(t2))
""")

case("initializers_constant_initializer_too_few_get_variable", "initializers", """
    v = tf.get_variable("v", [4], initializer=tf.constant_initializer([1.0, 2.0]))
    with tf.Session() as sess:
        sess.run(v.initializer)
        print(sess.run(v))
""")

case("initializers_constant_initializer_too_many", "initializers", """
    init = tf.constant_initializer([1, 2, 3, 4, 5, 6])
    init([4])
""")

case("initializers_constant_initializer_verify_shape", "initializers", """
    init = tf.constant_initializer([1, 2], verify_shape=True)
    print(init.get_config())
    t = init([2])
    print(repr(t))
    init([4])
""")

case("initializers_get_config", "initializers", """
    inits = [tf.zeros_initializer(), tf.ones_initializer(), tf.constant_initializer(0.5),
             tf.random_normal_initializer(), tf.truncated_normal_initializer(),
             tf.random_uniform_initializer(), tf.uniform_unit_scaling_initializer(),
             tf.orthogonal_initializer(), tf.variance_scaling_initializer(),
             tf.glorot_uniform_initializer(), tf.glorot_normal_initializer(),
             tf.initializers.identity(), tf.initializers.he_normal(), tf.initializers.he_uniform(),
             tf.initializers.lecun_normal(), tf.initializers.lecun_uniform()]
    for i in inits:
        print(type(i).__name__, sorted(i.get_config().items()))
""")

case("initializers_class_names", "initializers", """
    names = ["zeros_initializer", "ones_initializer", "constant_initializer",
             "random_normal_initializer", "truncated_normal_initializer",
             "random_uniform_initializer", "uniform_unit_scaling_initializer",
             "orthogonal_initializer", "variance_scaling_initializer",
             "glorot_uniform_initializer", "glorot_normal_initializer"]
    for n in names:
        obj = getattr(tf, n)
        print(n, obj.__name__ if hasattr(obj, "__name__") else type(obj).__name__)
    for n in ["zeros", "ones", "constant", "random_normal", "truncated_normal", "random_uniform",
              "uniform_unit_scaling", "orthogonal", "variance_scaling", "glorot_uniform",
              "glorot_normal", "identity", "he_normal", "he_uniform", "lecun_normal",
              "lecun_uniform"]:
        obj = getattr(tf.initializers, n)
        print("tf.initializers." + n, getattr(obj, "__name__", type(obj).__name__))
""")

case("initializers_hasattr_initializers_and_keras", "initializers", """
    for mod_name, mod in [("tf.initializers", tf.initializers),
                          ("tf.keras.initializers", tf.keras.initializers)]:
        for n in ["he_normal", "he_uniform", "lecun_normal", "lecun_uniform", "glorot_uniform",
                  "glorot_normal", "zeros", "ones", "Zeros", "GlorotUniform", "VarianceScaling"]:
            print(mod_name, n, hasattr(mod, n))
""")

KERAS_INITIALIZER_KIND = """
    k = tf.keras.initializers.glorot_uniform()
    print(type(k).__name__, sorted(k.get_config().items()))
    t = k([4, 3])
    print(repr(t))
    h = tf.keras.initializers.he_normal()
    print(type(h).__name__, sorted(h.get_config().items()))
"""

case("initializers_keras_initializer_kind", "initializers", KERAS_INITIALIZER_KIND)

case("initializers_v1_he_lecun_kind", "initializers", """
    for n in ["he_normal", "he_uniform", "lecun_normal", "lecun_uniform", "glorot_uniform",
              "glorot_normal"]:
        i = getattr(tf.initializers, n)()
        print(n, type(i).__name__, sorted(i.get_config().items()))
""")

case("initializers_glorot_uniform_limit", "initializers", """
    x_t = tf.glorot_uniform_initializer()([784, 200])
    with tf.Session() as sess:
        x = sess.run(x_t)
    limit = np.sqrt(6 / (784 + 200))
    print(x.shape, x.dtype)
    # the bounds are float32 ops: a draw of exactly -limit is float32(limit) > limit
    print(np.all(np.abs(x) <= np.float32(limit)))
    print(np.abs(x).max() > 0.99 * limit)
    print(abs(x.std() - limit / np.sqrt(3)) < 0.01 * limit)
""")

case("initializers_glorot_normal_bounds", "initializers", """
    x_t = tf.glorot_normal_initializer()([784, 200])
    with tf.Session() as sess:
        x = sess.run(x_t)
    s = np.sqrt(2.0 / (784 + 200))
    stddev = s / 0.87962566103423978
    print(np.all(np.abs(x) <= 2 * stddev))
    print(np.abs(x).max() > 1.95 * stddev)
    print(abs(x.std() - s) < 0.02 * s)
""")

case("initializers_truncated_normal_bounds", "initializers", """
    x_t = tf.truncated_normal_initializer(mean=1.0, stddev=0.5)([100, 100])
    with tf.Session() as sess:
        x = sess.run(x_t)
    print(x.dtype, np.all(np.abs(x - 1.0) <= 2 * 0.5), np.abs(x - 1.0).max() > 0.98)
    print(abs(x.mean() - 1.0) < 0.02, abs(x.std() - 0.5 * 0.87962566103423978) < 0.02)
""")

case("initializers_random_normal_and_uniform_stats", "initializers", """
    n = tf.random_normal_initializer(mean=2.0, stddev=3.0)([200, 200])
    u = tf.random_uniform_initializer(-1.0, 3.0)([200, 200])
    d = tf.random_uniform_initializer()([1000])
    with tf.Session() as sess:
        nv, uv, dv = sess.run([n, u, d])
    print(abs(nv.mean() - 2.0) < 0.05, abs(nv.std() - 3.0) < 0.05)
    print(uv.min() >= -1.0, uv.max() < 3.0, uv.min() < -0.99, uv.max() > 2.99)
    print(dv.min() >= 0.0, dv.max() < 1.0, dv.dtype)
""")

case("initializers_uniform_unit_scaling_bounds", "initializers", """
    x_t = tf.uniform_unit_scaling_initializer(factor=1.43)([30, 20, 10])
    with tf.Session() as sess:
        x = sess.run(x_t)
    limit = np.sqrt(3.0 / (30 * 20)) * 1.43
    print(np.all(np.abs(x) <= np.float32(limit)), np.abs(x).max() > 0.99 * limit)
""")

case("initializers_orthogonal", "initializers", """
    q_t = tf.orthogonal_initializer(gain=2.0)([4, 4])
    r_t = tf.orthogonal_initializer()([3, 5])
    with tf.Session() as sess:
        q, r = sess.run([q_t, r_t])
    print(np.allclose(q.T @ q, 4 * np.eye(4), atol=1e-5))
    print(np.allclose(r @ r.T, np.eye(3), atol=1e-5))
""")

case("initializers_identity", "initializers", """
    i = tf.initializers.identity(gain=2.0)([2, 3])
    with tf.Session() as sess:
        print(sess.run(i))
""")

case("initializers_identity_bad_shape", "initializers", """
    tf.initializers.identity()([2, 2, 2])
""")

case("initializers_op_types", "initializers", """
    g = tf.get_default_graph()
    for name, init in [("truncated_normal", tf.truncated_normal_initializer()),
                       ("random_normal", tf.random_normal_initializer()),
                       ("random_uniform", tf.random_uniform_initializer()),
                       ("glorot_uniform", tf.glorot_uniform_initializer()),
                       ("glorot_normal", tf.glorot_normal_initializer()),
                       ("variance_scaling", tf.variance_scaling_initializer()),
                       ("uniform_unit_scaling", tf.uniform_unit_scaling_initializer()),
                       ("zeros", tf.zeros_initializer()), ("ones", tf.ones_initializer()),
                       ("constant", tf.constant_initializer(2.0)),
                       ("orthogonal", tf.orthogonal_initializer())]:
        before = set(op.name for op in g.get_operations())
        t = init([2, 3])
        new = [op for op in g.get_operations() if op.name not in before]
        print(name, t.name, [(op.name, op.type) for op in new])
""")

case("initializers_variance_scaling_distributions", "initializers", """
    shape = [3, 3, 16, 32]
    fan_in, fan_out = 3 * 3 * 16, 3 * 3 * 32
    cases = [("normal", "fan_in"), ("truncated_normal", "fan_out"),
             ("untruncated_normal", "fan_avg"), ("uniform", "fan_in")]
    with tf.Session() as sess:
        for dist, mode in cases:
            init = tf.variance_scaling_initializer(scale=2.0, mode=mode, distribution=dist, seed=3)
            x = sess.run(init(shape))
            n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[mode]
            s = 2.0 / n
            print(dist, mode, sorted(init.get_config().items()))
            if dist == "uniform":
                limit = np.sqrt(3 * s)
                print(np.all(np.abs(x) <= np.float32(limit)), np.abs(x).max() > 0.99 * limit)
            elif dist == "untruncated_normal":
                print(np.abs(x).max() > 2.5 * np.sqrt(s),
                      abs(x.std() - np.sqrt(s)) < 0.03 * np.sqrt(s))
            else:
                stddev = np.sqrt(s) / 0.87962566103423978
                print(np.all(np.abs(x) <= 2 * stddev),
                      abs(x.std() - np.sqrt(s)) < 0.03 * np.sqrt(s))
""")

case("initializers_variance_scaling_op_types", "initializers", """
    g = tf.get_default_graph()
    for dist in ["normal", "truncated_normal", "untruncated_normal", "uniform"]:
        before = set(op.name for op in g.get_operations())
        t = tf.variance_scaling_initializer(distribution=dist)([2, 3])
        new = [op for op in g.get_operations() if op.name not in before]
        print(dist, [(op.name, op.type) for op in new])
""")

case("initializers_variance_scaling_bad_mode", "initializers", """
    tf.variance_scaling_initializer(mode="fan_middle")
""")

case("initializers_variance_scaling_bad_distribution", "initializers", """
    tf.variance_scaling_initializer(distribution="gamma")
""")

case("initializers_variance_scaling_bad_scale", "initializers", """
    tf.variance_scaling_initializer(scale=0.0)
""")

case("initializers_int_dtype_random_normal_error", "initializers", """
    tf.random_normal_initializer(dtype=tf.int32)
""")

case("initializers_random_uniform_int", "initializers", """
    t = tf.random_uniform_initializer(0, 10, dtype=tf.int32)([100])
    with tf.Session() as sess:
        x = sess.run(t)
    print(x.dtype, x.min() >= 0, x.max() < 10)
""")

case("initializers_glorot_int_dtype_error", "initializers", """
    tf.glorot_uniform_initializer()([2, 2], dtype=tf.int32)
""")

case("initializers_seed_graph_level_two_sessions", "initializers", """
    tf.set_random_seed(1)
    r = tf.random_uniform([5])
    with tf.Session() as s1:
        a1 = s1.run(r)
        a2 = s1.run(r)
    with tf.Session() as s2:
        b1 = s2.run(r)
        b2 = s2.run(r)
    print(np.array_equal(a1, b1), np.array_equal(a2, b2), np.array_equal(a1, a2))
""")

case("initializers_seed_graph_level_op_seeds_differ", "initializers", """
    tf.set_random_seed(1)
    r1 = tf.random_uniform([5])
    r2 = tf.random_uniform([5])
    print(r1.op.get_attr("seed") == r2.op.get_attr("seed"),
          r1.op.get_attr("seed2") == r2.op.get_attr("seed2"))
    with tf.Session() as sess:
        a, b = sess.run([r1, r2])
    print(np.array_equal(a, b))
""")

case("initializers_seed_op_level", "initializers", """
    r1 = tf.random_uniform([5], seed=42)
    r2 = tf.random_uniform([5], seed=42)
    with tf.Session() as sess:
        a, b = sess.run([r1, r2])
        a2 = sess.run(r1)
    with tf.Session() as sess:
        c = sess.run(r1)
    print(np.array_equal(a, b), np.array_equal(a, a2), np.array_equal(a, c))
""")

case("initializers_seeded_initializer_two_variables", "initializers", """
    init = tf.random_normal_initializer(seed=7)
    a = tf.get_variable("a", [10], initializer=init)
    b = tf.get_variable("b", [10], initializer=init)
    unseeded = tf.random_normal_initializer()
    c = tf.get_variable("c", [10], initializer=unseeded)
    d = tf.get_variable("d", [10], initializer=unseeded)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        av, bv, cv, dv = sess.run([a, b, c, d])
    print(np.array_equal(av, bv), np.array_equal(cv, dv))
""")

case("initializers_no_seed_sessions_differ", "initializers", """
    r = tf.random_uniform([5])
    with tf.Session() as s1:
        a = s1.run(r)
    with tf.Session() as s2:
        b = s2.run(r)
    print(np.array_equal(a, b))
""")

case("initializers_seeded_variable_reinit", "initializers", """
    tf.set_random_seed(3)
    v = tf.Variable(tf.random_normal([4]), name="v")
    init = tf.global_variables_initializer()
    with tf.Session() as s1:
        s1.run(init)
        a = s1.run(v)
        s1.run(init)
        b = s1.run(v)
    with tf.Session() as s2:
        s2.run(init)
        c = s2.run(v)
    print(np.array_equal(a, b), np.array_equal(a, c))
""")

case("initializers_get_random_seed", "initializers", """
    print(tf.get_default_graph().seed)
    tf.set_random_seed(5)
    print(tf.get_default_graph().seed)
""")

# --------------------------------------------------------------------------------------------
# training
# --------------------------------------------------------------------------------------------

case("training_adam_slot_names", "training", """
    w = tf.Variable([1.0, 2.0], name="w")
    with tf.variable_scope("layer"):
        b = tf.get_variable("b", [1], initializer=tf.zeros_initializer())
    loss = tf.reduce_sum(tf.square(w)) + tf.reduce_sum(b)
    train = tf.train.AdamOptimizer(0.1).minimize(loss)
    print([v.name for v in tf.global_variables()])
    print([v.name for v in tf.trainable_variables()])
    print(train.name, train.type)
    print(repr(tf.global_variables()[2]))
""")

# Several variables are uninitialized here; which one TensorFlow names depends on scheduling
# (40 runs of TF 2.21: beta1_power 22 times, beta2_power 18 times), so the case prints which
# candidates the message may name instead of recording the raw error.
case("training_adam_classic_mistake_init_before_minimize", "training", """
    w = tf.Variable([1.0, 2.0], name="w")
    loss = tf.reduce_sum(tf.square(w))
    init = tf.global_variables_initializer()
    train = tf.train.AdamOptimizer(0.1).minimize(loss)
    with tf.Session() as sess:
        sess.run(init)
        try:
            sess.run(train)
        except tf.errors.FailedPreconditionError as e:
            named = [n for n in ["beta1_power", "beta2_power", "w/Adam", "w/Adam_1"]
                     if "Attempting to use uninitialized value " + n + "\\n" in e.message + "\\n"]
            print(type(e).__name__, len(named) == 1, named[0] in ("beta1_power", "beta2_power"))
        print(sess.run(tf.report_uninitialized_variables()))
""")

case("training_adam_report_after_early_init", "training", """
    w = tf.Variable([1.0, 2.0], name="w")
    loss = tf.reduce_sum(tf.square(w))
    init = tf.global_variables_initializer()
    train = tf.train.AdamOptimizer(0.1).minimize(loss)
    with tf.Session() as sess:
        sess.run(init)
        print(sess.run(tf.report_uninitialized_variables()))
""")

case("training_momentum_slot_names", "training", """
    w = tf.Variable([1.0, 2.0], name="w")
    loss = tf.reduce_sum(tf.square(w))
    opt = tf.train.MomentumOptimizer(0.1, 0.9)
    train = opt.minimize(loss)
    print([v.name for v in tf.global_variables()])
    print(opt.get_slot_names(), opt.get_slot(w, "momentum").name)
    print(train.name, train.type)
""")

case("training_gradient_descent_op", "training", """
    w = tf.Variable([1.0, 2.0], name="w")
    loss = tf.reduce_sum(tf.square(w))
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    print(train.name, train.type, [v.name for v in tf.global_variables()])
""")

case("training_gradient_op_names", "training", """
    x = tf.constant(3.0, name="x")
    w = tf.constant(2.0, name="w")
    y = tf.multiply(w, x, name="y")
    before = set(op.name for op in tf.get_default_graph().get_operations())
    g = tf.gradients(y, [w, x])
    new = [op for op in tf.get_default_graph().get_operations() if op.name not in before]
    print([(op.name, op.type) for op in new])
    print([t.name for t in g])
    with tf.Session() as sess:
        print(*sess.run(g))
""")

case("training_gradients_values", "training", """
    x = tf.constant([1.0, 2.0, 3.0], dtype=tf.float64)
    y = tf.reduce_sum(x * x) + tf.reduce_mean(3.0 * x)
    z = tf.constant(1.0, dtype=tf.float64)
    g = tf.gradients(y, [x, z])
    print(g[1])
    with tf.Session() as sess:
        print(sess.run(g[0]))
""")

case("training_global_step", "training", """
    gs = tf.train.get_or_create_global_step()
    print(repr(gs))
    print(gs.name, gs.dtype, gs.shape, gs.trainable)
    print([v.name for v in tf.get_collection(tf.GraphKeys.GLOBAL_STEP)])
    print([v.name for v in tf.global_variables()], [v.name for v in tf.trainable_variables()])
    print(tf.train.get_or_create_global_step() is gs, tf.train.get_global_step() is gs)
    print([op.name for op in tf.get_default_graph().get_operations()])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        print(sess.run(gs), type(sess.run(gs)).__name__)
""")

case("training_minimize_increments_global_step", "training", """
    gs = tf.train.get_or_create_global_step()
    w = tf.Variable(1.0, dtype=tf.float64, name="w")
    train = tf.train.GradientDescentOptimizer(0.5).minimize(tf.square(w), global_step=gs)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        sess.run(train)
        print(sess.run(gs), sess.run(w))
""")

case("training_gradient_descent_values", "training", """
    np.set_printoptions(precision=10)
    w = tf.Variable([1.0, -2.0], dtype=tf.float64, name="w")
    b = tf.Variable(0.5, dtype=tf.float64, name="b")
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]], dtype=tf.float64)
    y = tf.constant([1.0, 0.0], dtype=tf.float64)
    pred = tf.reduce_sum(x * w, axis=1) + b
    loss = tf.reduce_mean(tf.square(pred - y))
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        print(sess.run(loss))
        sess.run(train)
        print(sess.run(w), sess.run(b), sess.run(loss))
        sess.run(train)
        print(sess.run(w), sess.run(b), sess.run(loss))
""")

case("training_momentum_values", "training", """
    np.set_printoptions(precision=10)
    w = tf.Variable([1.0, -2.0], dtype=tf.float64, name="w")
    loss = tf.reduce_sum(tf.square(w) * tf.constant([1.0, 3.0], dtype=tf.float64))
    opt = tf.train.MomentumOptimizer(0.1, 0.9)
    train = opt.minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        print(sess.run(w), sess.run(opt.get_slot(w, "momentum")))
        sess.run(train)
        print(sess.run(w), sess.run(opt.get_slot(w, "momentum")))
""")

case("training_momentum_nesterov_values", "training", """
    np.set_printoptions(precision=10)
    w = tf.Variable([1.0, -2.0], dtype=tf.float64, name="w")
    loss = tf.reduce_sum(tf.square(w))
    train = tf.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        print(sess.run(w))
        sess.run(train)
        print(sess.run(w))
""")

case("training_adam_values", "training", """
    np.set_printoptions(precision=10)
    w = tf.Variable([1.0, -2.0], dtype=tf.float64, name="w")
    loss = tf.reduce_sum(tf.square(w) * tf.constant([1.0, 3.0], dtype=tf.float64))
    opt = tf.train.AdamOptimizer(0.1)
    train = opt.minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        print(sess.run(w), sess.run(opt.get_slot(w, "m")), sess.run(opt.get_slot(w, "v")))
        sess.run(train)
        print(sess.run(w), sess.run(opt.get_slot(w, "m")), sess.run(opt.get_slot(w, "v")))
        print(opt.get_slot_names(), [v.name for v in tf.global_variables()])
""")

case("training_compute_gradients", "training", """
    a = tf.Variable(2.0, name="a")
    b = tf.Variable(3.0, name="b")
    c = tf.Variable(4.0, name="c")
    loss = a * b
    opt = tf.train.GradientDescentOptimizer(0.1)
    gv = opt.compute_gradients(loss)
    print([(g.name if g is not None else None, v.name) for g, v in gv])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        print(*sess.run([g for g, v in gv if g is not None]))
""")

case("training_minimize_no_gradients_error", "training", """
    a = tf.Variable(2.0, name="a")
    c = tf.constant(1.0)
    tf.train.GradientDescentOptimizer(0.1).minimize(c * 2.0)
""")

case("training_minimize_var_list", "training", """
    np.set_printoptions(precision=10)
    a = tf.Variable(1.0, dtype=tf.float64, name="a")
    b = tf.Variable(1.0, dtype=tf.float64, name="b")
    loss = tf.square(a) + tf.square(b)
    train = tf.train.GradientDescentOptimizer(0.25).minimize(loss, var_list=[b])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        print(*sess.run([a, b]))
""")

case("training_nn_ops_values", "training", """
    np.set_printoptions(precision=8)
    x = tf.constant([[-1.0, 0.0, 2.0]], dtype=tf.float64)
    labels = tf.constant([[0.0, 0.0, 1.0]], dtype=tf.float64)
    with tf.Session() as sess:
        print(sess.run(tf.nn.relu(x)))
        print(sess.run(tf.nn.sigmoid(x)))
        print(sess.run(tf.nn.tanh(x)))
        print(sess.run(tf.nn.softmax(x)))
        print(sess.run(tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=x)))
    print(tf.nn.relu(x).op.type, tf.nn.softmax(x).op.type, tf.sigmoid(x).op.name)
""")

case("training_conv2d_shapes", "training", """
    x = tf.placeholder(tf.float32, [None, 28, 28, 1], name="x")
    k = tf.get_variable("k", [5, 5, 1, 8])
    same = tf.nn.conv2d(x, k, strides=[1, 1, 1, 1], padding="SAME")
    valid = tf.nn.conv2d(x, k, strides=[1, 2, 2, 1], padding="VALID")
    print(repr(same), same.op.type)
    print(repr(valid))
""")

case("training_conv2d_values", "training", """
    x = tf.constant(np.arange(16, dtype=np.float64).reshape(1, 4, 4, 1))
    k = tf.constant(np.ones((2, 2, 1, 1)))
    with tf.Session() as sess:
        print(sess.run(tf.nn.conv2d(x, k, strides=[1, 1, 1, 1], padding="VALID"))[0, :, :, 0])
        print(sess.run(tf.nn.conv2d(x, k, strides=[1, 2, 2, 1], padding="SAME"))[0, :, :, 0])
""")

case("training_hyperparameters_are_float32", "training", """
    w = tf.Variable([1.0], dtype=tf.float64, name="w")
    loss = tf.reduce_sum(tf.square(w))
    opt = tf.train.AdamOptimizer(0.1)
    train = opt.minimize(loss)
    print(repr(tf.global_variables()[1]))
    print(repr(opt.get_slot(w, "m")))
    gd = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(gd)
        x = float(sess.run(w)[0])
        print(x, x == 1.0 - 2 * 0.1, x == 1.0 - 2 * float(np.float32(0.1)))
""")

case("training_gradient_descent_exact_lr", "training", """
    w = tf.Variable([1.0, -2.0], dtype=tf.float64, name="w")
    loss = tf.reduce_sum(tf.square(w) * tf.constant([1.0, 3.0], dtype=tf.float64))
    train = tf.train.GradientDescentOptimizer(0.125).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(train)
            print(sess.run(w).tolist(), float(sess.run(loss)))
""")

case("training_momentum_exact", "training", """
    w = tf.Variable([1.0, -2.0], dtype=tf.float64, name="w")
    loss = tf.reduce_sum(tf.square(w) * tf.constant([1.0, 3.0], dtype=tf.float64))
    opt = tf.train.MomentumOptimizer(0.125, 0.5)
    train = opt.minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(train)
            print(sess.run(w).tolist(), sess.run(opt.get_slot(w, "momentum")).tolist())
""")

case("training_adam_exact", "training", """
    w = tf.Variable([1.0, -2.0], dtype=tf.float64, name="w")
    loss = tf.reduce_sum(tf.square(w) * tf.constant([1.0, 3.0], dtype=tf.float64))
    opt = tf.train.AdamOptimizer(0.25, beta1=0.5, beta2=0.75, epsilon=2.0 ** -10)
    train = opt.minimize(loss)
    b1, b2 = tf.global_variables()[1], tf.global_variables()[2]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(train)
            print(sess.run(w).tolist(), sess.run(opt.get_slot(w, "m")).tolist(),
                  sess.run(opt.get_slot(w, "v")).tolist(), float(sess.run(b1)), float(sess.run(b2)))
""")

case("training_adam_two_variables_slots_order", "training", """
    a = tf.Variable(1.0, name="a")
    b = tf.Variable([1.0, 2.0], name="b")
    c = tf.Variable(0.0, name="c", trainable=False)
    train = tf.train.AdamOptimizer().minimize(a * a + tf.reduce_sum(b))
    for v in tf.global_variables():
        print(repr(v), v in tf.trainable_variables())
""")

# --------------------------------------------------------------------------------------------
# checkpoint
# --------------------------------------------------------------------------------------------

case("checkpoint_save_global_step", "checkpoint", """
    import os, shutil, tempfile
    d = tempfile.mkdtemp()
    v = tf.Variable([1.0, 2.0], name="v")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = saver.save(sess, os.path.join(d, "model.ckpt"), global_step=7)
    print(path.replace(d, "DIR"))
    print(sorted(os.listdir(d)))
    with open(os.path.join(d, "checkpoint")) as f:
        lines = f.read().splitlines()
    for line in lines:
        if "timestamp" in line:
            print(line.split(":")[0] + ": <time>")
        else:
            print(line.replace(d, "DIR"))
    print(tf.train.latest_checkpoint(d).replace(d, "DIR"))
    shutil.rmtree(d)
""")

case("checkpoint_save_without_global_step", "checkpoint", """
    import os, shutil, tempfile
    d = tempfile.mkdtemp()
    v = tf.Variable(1.0, name="v")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(v.initializer)
        path = saver.save(sess, os.path.join(d, "model"))
        print(path.replace(d, "DIR"))
        path2 = saver.save(sess, os.path.join(d, "model"), global_step=tf.constant(3))
        print(path2.replace(d, "DIR"))
    print(sorted(os.listdir(d)))
    print(tf.train.latest_checkpoint(d).replace(d, "DIR"))
    shutil.rmtree(d)
""")

case("checkpoint_latest_checkpoint_empty_dir", "checkpoint", """
    import shutil, tempfile
    d = tempfile.mkdtemp()
    print(tf.train.latest_checkpoint(d))
    shutil.rmtree(d)
""")

case("checkpoint_max_to_keep", "checkpoint", """
    import os, shutil, tempfile
    d = tempfile.mkdtemp()
    v = tf.Variable(1.0, name="v")
    saver = tf.train.Saver(max_to_keep=2)
    with tf.Session() as sess:
        sess.run(v.initializer)
        for step in range(4):
            saver.save(sess, os.path.join(d, "m"), global_step=step)
    print(sorted(os.listdir(d)))
    print([p.replace(d, "DIR") for p in saver.last_checkpoints])
    shutil.rmtree(d)
""")

case("checkpoint_restore_counts_as_init", "checkpoint", """
    import os, shutil, tempfile
    d = tempfile.mkdtemp()
    v = tf.Variable([1.0, 2.0], name="v")
    w = tf.Variable(3, name="w", trainable=False)
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(v.assign([5.0, 6.0]))
        path = saver.save(sess, os.path.join(d, "model.ckpt"))
    with tf.Session() as sess:
        print(sess.run(tf.report_uninitialized_variables()))
        saver.restore(sess, path)
        print(sess.run(tf.report_uninitialized_variables()))
        print(*sess.run([v, w]))
    shutil.rmtree(d)
""")

case("checkpoint_restore_missing_variable", "checkpoint", """
    import os, shutil, tempfile
    d = tempfile.mkdtemp()
    v = tf.Variable(1.0, name="v")
    with tf.Session() as sess:
        sess.run(v.initializer)
        path = tf.train.Saver().save(sess, os.path.join(d, "model.ckpt"))
    extra = tf.Variable(2.0, name="extra")
    saver = tf.train.Saver()
    try:
        with tf.Session() as sess:
            saver.restore(sess, path)
    finally:
        shutil.rmtree(d)
""")

case("checkpoint_restore_shape_mismatch", "checkpoint", """
    import os, shutil, tempfile
    d = tempfile.mkdtemp()
    g1 = tf.Graph()
    with g1.as_default():
        v = tf.Variable([1.0, 2.0], name="v")
        with tf.Session() as sess:
            sess.run(v.initializer)
            path = tf.train.Saver().save(sess, os.path.join(d, "model.ckpt"))
    v2 = tf.Variable([1.0, 2.0, 3.0], name="v")
    saver = tf.train.Saver()
    try:
        with tf.Session() as sess:
            saver.restore(sess, path)
    finally:
        shutil.rmtree(d)
""")

case("checkpoint_restore_nonexistent_path", "checkpoint", """
    import os, shutil, tempfile
    d = tempfile.mkdtemp()
    v = tf.Variable(1.0, name="v")
    saver = tf.train.Saver()
    try:
        with tf.Session() as sess:
            saver.restore(sess, os.path.join(d, "nothing.ckpt"))
    except ValueError as e:
        print(type(e).__name__, str(e).replace(d, "DIR"))
    shutil.rmtree(d)
""")

case("checkpoint_list_variables", "checkpoint", """
    import os, shutil, tempfile
    d = tempfile.mkdtemp()
    with tf.variable_scope("layer"):
        w = tf.get_variable("w", [2, 3])
        b = tf.get_variable("b", [3], dtype=tf.float64)
    gs = tf.train.get_or_create_global_step()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = tf.train.Saver().save(sess, os.path.join(d, "model.ckpt"), global_step=7)
    print(tf.train.list_variables(d))
    print(tf.train.list_variables(path))
    b_val = tf.train.load_variable(path, "layer/b")
    print(tf.train.load_variable(d, "global_step"), b_val.shape, b_val.dtype)
    shutil.rmtree(d)
""")

case("checkpoint_saver_var_list_dict", "checkpoint", """
    import os, shutil, tempfile
    d = tempfile.mkdtemp()
    v = tf.Variable(1.5, name="v")
    u = tf.Variable(2.5, name="u")
    saver = tf.train.Saver({"renamed": v})
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = saver.save(sess, os.path.join(d, "model.ckpt"))
    print(tf.train.list_variables(path))
    tf.reset_default_graph()
    x = tf.Variable(0.0, name="x")
    with tf.Session() as sess:
        tf.train.Saver({"renamed": x}).restore(sess, path)
        print(sess.run(x))
    shutil.rmtree(d)
""")

case("checkpoint_saver_no_variables", "checkpoint", """
    tf.train.Saver()
""")

case("checkpoint_save_uninitialized", "checkpoint", """
    import os, shutil, tempfile
    d = tempfile.mkdtemp()
    v = tf.Variable(1.0, name="v")
    saver = tf.train.Saver()
    try:
        with tf.Session() as sess:
            saver.save(sess, os.path.join(d, "model.ckpt"))
    finally:
        shutil.rmtree(d)
""")

case("checkpoint_saver_default_var_list", "checkpoint", """
    import os, shutil, tempfile
    d = tempfile.mkdtemp()
    a = tf.Variable(1.0, name="a")
    b = tf.Variable(2.0, name="b", trainable=False)
    loc = tf.Variable(3.0, name="loc", collections=[tf.GraphKeys.LOCAL_VARIABLES])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = tf.train.Saver().save(sess, os.path.join(d, "model.ckpt"))
    print(tf.train.list_variables(path))
    shutil.rmtree(d)
""")


# --------------------------------------------------------------------------------------------
# breadth (issue 20): the rest of the TF1 API that tutorials use
# --------------------------------------------------------------------------------------------

case("breadth_dtype_strings", "breadth", """
    for name in ["float", "float32", "double", "float64", "half", "int32", "int64", "bool",
                 "uint8", "string"]:
        print(name, repr(tf.placeholder(name).dtype))
""")

case("breadth_dtype_string_unknown", "breadth", """
    tf.placeholder("floaty")
""")

case("breadth_tile_split_one_hot_range", "breadth", """
    x = tf.constant([[1, 2], [3, 4]])
    t = tf.tile(x, [1, 2])
    a, b = tf.split(x, 2, axis=1)
    h = tf.one_hot([0, 2], 3)
    r = tf.range(1, 10, 3)
    print(t.name, t.shape, a.name, b.name, h.name, h.dtype, r.name, r.dtype)
    with tf.Session() as sess:
        print(sess.run([t, a, b, h, r]))
""")

case("breadth_size_rank_argmax_names", "breadth", """
    x = tf.constant([[1.0, 5.0, 2.0]])
    print(tf.size(x).name, tf.rank(x).name, tf.argmax(x, 1).name, tf.arg_min(x, 1).name)
    with tf.Session() as sess:
        print(sess.run([tf.size(x), tf.rank(x), tf.argmax(x, 1), tf.arg_min(x, 1)]))
""")

case("breadth_strided_slice", "breadth", """
    x = tf.constant([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    y = x[1:, ::2]
    z = x[-1]
    print(y.name, y.op.type, y.shape, z.name, z.shape)
    with tf.Session() as sess:
        print(sess.run([y, z]))
""")

case("breadth_cond_while_loop_names", "breadth", """
    p = tf.placeholder(tf.bool, [])
    c = tf.cond(p, lambda: tf.constant(1.0), lambda: tf.constant(2.0))
    i, s = tf.while_loop(lambda i, s: i < 4, lambda i, s: (i + 1, s + i), [0, 0])
    print(c.name, c.op.type, i.name, s.name)
    with tf.Session() as sess:
        print(sess.run(c, {p: True}), sess.run(c, {p: False}), sess.run([i, s]))
""")

case("breadth_device_strings", "breadth", """
    with tf.device("/cpu:0"):
        a = tf.constant(1.0, name="a")
        with tf.device("/job:worker/task:1"):
            b = tf.constant(1.0, name="b")
    with tf.device("/device:GPU:1"):
        c = tf.constant(1.0, name="c")
    d = tf.constant(1.0, name="d")
    print(repr(a.device), repr(b.device), repr(c.device), repr(d.device))
""")

case("breadth_optimizer_slot_names", "breadth", """
    w = tf.Variable(tf.zeros([2]), name="w")
    loss = tf.reduce_sum(w * w)
    for opt in [tf.train.MomentumOptimizer(0.1, 0.9), tf.train.RMSPropOptimizer(0.1),
                tf.train.AdagradOptimizer(0.1), tf.train.AdamOptimizer(0.1)]:
        opt.minimize(loss)
    print([v.op.name for v in tf.global_variables()])
""")

case("breadth_learning_rate_schedules", "breadth", """
    step = tf.train.get_or_create_global_step()
    lr = tf.train.exponential_decay(0.1, step, 10, 0.5, staircase=True)
    smooth = tf.train.exponential_decay(0.1, step, 10, 0.5)
    piece = tf.train.piecewise_constant(step, [5, 15], [1.0, 0.5, 0.1])
    print(step.op.name, step.dtype, lr.op.name, piece.op.name)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for s in [0, 5, 9, 10, 16, 25]:
            sess.run(step.assign(s))
            print(s, [round(float(v), 6) for v in sess.run([lr, smooth, piece])])
""")

case("breadth_metrics_local_variables", "breadth", """
    labels = tf.constant([1, 0, 1, 1])
    preds = tf.constant([1, 1, 1, 0])
    acc, acc_op = tf.metrics.accuracy(labels, preds)
    prec, prec_op = tf.metrics.precision(labels, preds)
    print([v.op.name for v in tf.local_variables()])
    print(tf.global_variables(), acc.name, acc_op.name)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        print(sess.run([acc_op, prec_op]), sess.run([acc, prec]))
""")

case("breadth_data_iterator_names", "breadth", """
    ds = tf.data.Dataset.from_tensor_slices((np.zeros((5, 3), np.float32), np.arange(5)))
    x, y = ds.batch(2).make_one_shot_iterator().get_next()
    print(x, y)
    it = ds.make_initializable_iterator()
    print(it.get_next(), it.initializer.name, it.initializer.type)
    print(len(tf.get_collection("iterators")))
""")

case("breadth_data_iterator_uninitialized", "breadth", """
    it = tf.data.Dataset.from_tensor_slices([1, 2]).make_initializable_iterator()
    x = it.get_next()
    with tf.Session() as sess:
        sess.run(x)
""")

case("breadth_data_end_of_sequence", "breadth", """
    x = tf.data.make_one_shot_iterator(tf.data.Dataset.from_tensor_slices([1, 2])).get_next()
    with tf.Session() as sess:
        print(sess.run(x), sess.run(x))
        sess.run(x)
""")

case("breadth_data_one_shot_has_no_initializer", "breadth", """
    it = tf.data.Dataset.from_tensor_slices([1]).make_one_shot_iterator()
    it.initializer
""")

case("breadth_data_repeat_batch_values", "breadth", """
    ds = tf.data.Dataset.from_tensor_slices(np.arange(5)).repeat(2).batch(4)
    x = ds.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        print([sess.run(x).tolist() for _ in range(3)])
""")

case("breadth_lookup_table_names", "breadth", """
    init = tf.lookup.KeyValueTensorInitializer(["a", "b"], tf.constant([1, 2], tf.int64))
    table = tf.lookup.StaticHashTable(init, -1)
    out = table.lookup(tf.constant(["a", "c"]))
    print(out, [op.name for op in tf.get_default_graph().get_operations()])
    print(tf.get_collection(tf.GraphKeys.TABLE_INITIALIZERS), tf.tables_initializer().name)
""")

case("breadth_lookup_table_uninitialized", "breadth", """
    init = tf.lookup.KeyValueTensorInitializer(["a"], tf.constant([1], tf.int64))
    out = tf.lookup.StaticHashTable(init, -1).lookup(tf.constant(["a"]))
    with tf.Session() as sess:
        sess.run(out)
""")

case("breadth_nce_loss_shapes", "breadth", """
    w = tf.Variable(tf.zeros([10, 4]), name="nce_w")
    b = tf.Variable(tf.zeros([10]), name="nce_b")
    x = tf.placeholder(tf.float32, [None, 4])
    y = tf.placeholder(tf.int64, [None, 1])
    loss = tf.nn.nce_loss(w, b, y, x, num_sampled=3, num_classes=10)
    s = tf.get_default_graph().get_operation_by_name("nce_loss/LogUniformCandidateSampler")
    print(loss, s.outputs)
""")


case("breadth_nce_loss_remove_accidental_hits", "breadth", """
    weights = np.linspace(-1.0, 1.0, 24, dtype=np.float32).reshape(8, 3)
    biases = np.linspace(0.5, -0.5, 8, dtype=np.float32)
    inputs = np.array([[0.5, -1.0, 2.0], [1.0, 0.0, -1.0], [0.2, 0.3, 0.4]], np.float32)
    labels = np.array([[1], [2], [7]], np.int64)
    sampled = (np.array([2, 5, 1, 6], np.int64), np.full((3, 1), 0.3, np.float32),
               np.array([0.2, 0.4, 0.6, 0.8], np.float32))
    kept = tf.nn.nce_loss(weights, biases, labels, inputs, num_sampled=4, num_classes=8,
                          sampled_values=sampled)
    removed = tf.nn.nce_loss(weights, biases, labels, inputs, num_sampled=4, num_classes=8,
                             sampled_values=sampled, remove_accidental_hits=True)
    print(kept.shape, removed.shape)
    with tf.Session() as sess:
        print(np.round(sess.run(kept), 4).tolist(), np.round(sess.run(removed), 4).tolist())
""")

case("breadth_compute_accidental_hits", "breadth", """
    hits = tf.nn.compute_accidental_hits(tf.constant([[1, 2], [3, 4], [2, 2]], tf.int64),
                                         tf.constant([2, 9, 4, 1, 2], tf.int64), num_true=2)
    print(hits)
    with tf.Session() as sess:
        indices, ids, weights = sess.run(hits)
    print(indices.tolist(), ids.tolist(), weights.tolist())
    bad = tf.nn.compute_accidental_hits(tf.constant([[1, 2]], tf.int64),
                                        tf.constant([2], tf.int64), num_true=3)
    with tf.Session() as sess:
        sess.run(bad)
""")

case("breadth_constant_int_out_of_range", "breadth", """
    for value, dtype in [(2**31, tf.int32), (-2**31 - 1, tf.int32), ([1, 2**31], tf.int32),
                         (2**32 + 5, tf.int32), (2**63, tf.int64), (256, tf.uint8),
                         (-1, tf.uint8), (300, tf.int8), (2**31, None), (2**63, None),
                         (-2**63, None), (np.int64(2**31), tf.int32)]:
        c = tf.constant(value, dtype=dtype)
        with tf.Session() as sess:
            print(value, c.dtype.name, sess.run(c).tolist())
    x = tf.placeholder(tf.int32, [])
    with tf.Session() as sess:
        print(sess.run(x + 2**31, {x: 1}))
""")

case("breadth_constant_int_beyond_64_bits", "breadth", """
    for value in [2**64, -2**63 - 1, [1, None], object]:
        try:
            tf.constant(value)
        except TypeError as e:
            print(type(e).__name__, str(e).replace(repr(object), "<object>"))
    tf.constant(2**64, dtype=tf.int64)
""")

case("breadth_reduce_max_min_of_nothing", "breadth", """
    p = tf.placeholder(tf.float32)
    with tf.Session() as sess:
        for dtype in [tf.float32, tf.float64, tf.float16, tf.int32, tf.int64, tf.uint8, tf.int8]:
            x = tf.zeros([0, 3], dtype)
            print(dtype.name, sess.run([tf.reduce_max(x), tf.reduce_min(x)]),
                  sess.run([tf.reduce_max(x, 0), tf.reduce_min(x, axis=1),
                            tf.reduce_max(x, keepdims=True)]))
        print(sess.run([tf.reduce_max(p), tf.reduce_min(p)], {p: np.zeros((0,))}))
        print(sess.run([tf.reduce_max(p), tf.reduce_min(p)], {p: [1.0, 3.0]}))
""")


case("breadth_concat_of_one_tensor_and_table_name_in_a_scope", "breadth", """
    a = tf.constant([[1.0]])
    print(tf.concat([a], 1), tf.concat([a, a], 1), tf.concat([a], 1, name="c"), tf.concat(a, 1))
    with tf.name_scope("s"):
        init = tf.lookup.KeyValueTensorInitializer(["a", "b"], tf.constant([1, 2], tf.int64))
        table = tf.lookup.StaticHashTable(init, -1)
    print(table.name, table.resource_handle.name, table.lookup(tf.constant(["a"])).name)
""")


case("breadth_cross_entropy_arguments_and_dropout_errors", "breadth", """
    print(tf.nn.sigmoid_cross_entropy_with_logits([1.0], [2.0], "n"),
          tf.nn.softmax_cross_entropy_with_logits([[1.0]], [[2.0]]).shape,
          tf.nn.sparse_softmax_cross_entropy_with_logits([0], [[2.0]]))
    for f in [lambda: tf.nn.sigmoid_cross_entropy_with_logits(logits=[1.0]),
              lambda: tf.nn.softmax_cross_entropy_with_logits(labels=[[1.0]]),
              lambda: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[0]),
              lambda: tf.nn.dropout(tf.ones([2]), keep_prob=0.5, rate=0.5),
              lambda: tf.nn.dropout(tf.ones([2]))]:
        try:
            f()
        except ValueError as e:
            print(type(e).__name__, e)
""")

case("breadth_clip_by_global_norm", "breadth", """
    a, b = tf.constant([3.0, 4.0]), tf.constant([12.0])
    clipped, norm = tf.clip_by_global_norm([a, None, b], 6.5)
    print(clipped, norm)
    small, norm2 = tf.clip_by_global_norm([a, b], 100.0, name="c")
    given, _ = tf.clip_by_global_norm([a], 1.0, use_norm=tf.constant(10.0))
    x = tf.Variable([3.0, 4.0])
    grads = tf.gradients(tf.reduce_sum(tf.clip_by_global_norm([x * x], 5.0)[0][0]), x)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        print(sess.run([clipped[0], clipped[2], norm, tf.global_norm([a, b])]))
        print(sess.run(small + [norm2]), sess.run(given), np.round(sess.run(grads), 5).tolist())
    try:
        tf.clip_by_global_norm(a, 1.0)
    except TypeError as e:
        print(type(e).__name__, str(e).split(" Received")[0])
""")

case("breadth_reduce_any_all", "breadth", """
    b = tf.constant([[True, False], [True, True]])
    ops = [tf.reduce_any(b), tf.reduce_all(b), tf.reduce_all(b, 1), tf.reduce_any(b, 0, keepdims=True),
           tf.reduce_any(tf.zeros([0], tf.bool)), tf.reduce_all(tf.zeros([0], tf.bool))]
    print(ops[0], ops[1], ops[3])
    with tf.Session() as sess:
        print(sess.run(ops))
    tf.reduce_any(tf.constant([1.0]))
""")


case("breadth_more_activations", "breadth", """
    x = tf.constant([-20.0, -2.0, -0.5, 0.0, 0.5, 3.0, 7.0, 30.0])
    acts = [tf.nn.relu6(x), tf.nn.elu(x), tf.nn.selu(x), tf.nn.softplus(x), tf.nn.softsign(x),
            tf.nn.leaky_relu(x), tf.nn.leaky_relu(x, alpha=0.01, name="lr")]
    print([a.name for a in acts], tf.nn.leaky_relu(tf.constant([-1, 2])))
    grads = tf.gradients([tf.reduce_sum(a * tf.range(1.0, 9.0)) for a in acts], x)
    per_act = [tf.gradients(tf.reduce_sum(a), x)[0] for a in acts]
    with tf.Session() as sess:
        for a in sess.run(acts):
            print(np.round(a, 5).tolist())
        for g in sess.run(per_act):
            print(np.round(g, 5).tolist())
        print(np.round(sess.run(grads)[0], 4).tolist())
""")


case("breadth_in_top_k", "breadth", """
    p = tf.constant([[0.1, 0.5, 0.4], [0.3, 0.3, 0.4], [np.nan, 0.2, 0.1], [0.2, 0.2, 0.2]])
    t = tf.constant([2, 0, 1, 2])
    ops = [tf.nn.in_top_k(p, t, 1), tf.nn.in_top_k(p, t, 2), tf.nn.in_top_k(p, [2, 5, 1, -1], 1),
           tf.nn.in_top_k(predictions=p, targets=t, k=tf.constant(3)),
           tf.nn.in_top_k(p, tf.constant([2, 0, 1, 2], tf.int64), 0)]
    print(ops[0], ops[3])
    with tf.Session() as sess:
        print([sess.run(o).tolist() for o in ops])
    for bad in [lambda: tf.nn.in_top_k(p, [[1]], 1), lambda: tf.nn.in_top_k(tf.constant([1.0]), [1], 1),
                lambda: tf.nn.in_top_k(p, [1.0, 2.0, 1.0, 1.0], 1),
                lambda: tf.nn.in_top_k(tf.constant([[1, 2]]), [1], 1),
                lambda: tf.nn.in_top_k(p, [1, 2], 1)]:
        try:
            bad()
        except (TypeError, ValueError) as e:
            print(type(e).__name__, str(e).split(" for '")[0])
""")


case("breadth_l2_normalize", "breadth", """
    x = tf.constant([[3.0, 4.0], [0.0, 0.0], [1.0, -1.0]])
    ops = [tf.nn.l2_normalize(x, 1), tf.nn.l2_normalize(x, axis=0), tf.nn.l2_normalize(x),
           tf.nn.l2_normalize(x, dim=1, name="n"), tf.nn.l2_normalize(x, 1, epsilon=100.0)]
    print([o.name for o in ops])
    print([op.name + ":" + op.type for op in tf.get_default_graph().get_operations()][:8])
    g = tf.gradients(tf.reduce_sum(ops[0] * [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]), x)
    with tf.Session() as sess:
        for o in sess.run(ops):
            print(np.round(o, 5).tolist())
        print(np.round(sess.run(g[0]), 5).tolist())
    tf.nn.l2_normalize(x, 1, dim=1)
""")

# -- the rest of issue 20's list: every name it asks for has a recorded case --

case("breadth_clip_by_value_and_norm", "breadth", """
    x = tf.constant([[3.0, -4.0], [1.0, 0.5]])
    v = tf.clip_by_value(x, -1.0, 2.0)
    n = tf.clip_by_norm(x, 2.5)
    rows = tf.clip_by_norm(x, 1.0, axes=[1])
    print(v.name, v.op.type, n.name, rows.name, tf.arg_max(x, 1).name, tf.arg_min(x, 0).name)
    gv, gn = tf.gradients(tf.reduce_sum(v) + tf.reduce_sum(n * n), x)[0], None
    with tf.Session() as sess:
        for t in (v, n, rows, gv, tf.arg_max(x, 1), tf.arg_min(x, 0)):
            print(np.round(sess.run(t), 5).tolist())
""")

case("breadth_count_up_to", "breadth", """
    v = tf.Variable(0, name="counter")
    up = v.count_up_to(2)
    also = tf.count_up_to(v, 3)
    print(up.name, up.op.type, also.name)
    with tf.Session() as sess:
        sess.run(v.initializer)
        print(sess.run(up), sess.run(up))
        try:
            sess.run(up)
        except tf.errors.OutOfRangeError as e:
            print(type(e).__name__, [x for x in e.message.splitlines() if x.startswith("Reached")])
        print(sess.run(also), sess.run(v))
""")

case("breadth_assert_variables_initialized_and_collection_keys", "breadth", """
    print(tf.AggregationMethod.ADD_N, tf.AggregationMethod.DEFAULT,
          tf.AggregationMethod.EXPERIMENTAL_TREE, tf.AggregationMethod.EXPERIMENTAL_ACCUMULATE_N)
    g = tf.get_default_graph()
    print(g.get_all_collection_keys(), g.collections)
    a = tf.Variable([[1.0]], name="a")
    b = tf.Variable(2, name="b", trainable=False)
    tf.add_to_collection("mine", a)
    # sorted: TF adds a variable to its collections through a set, so their order follows
    # the process's string hashes; TF's collections also hold a tuple key of its
    # variable-scope store, hence strings only
    print(sorted(g.get_all_collection_keys()), sorted(k for k in g.collections if isinstance(k, str)))
    check = tf.assert_variables_initialized()
    print(check.name, check.op.type)
    with tf.Session() as sess:
        sess.run(b.initializer)  # one left: TF checks several in parallel, in no set order
        try:
            sess.run(check)
        except tf.errors.FailedPreconditionError as e:
            print(type(e).__name__, [x for x in e.message.splitlines() if x.startswith("Attempting")])
        sess.run(tf.global_variables_initializer())
        print(sess.run(check))
""")

case("breadth_adadelta_ftrl_steps", "breadth", """
    for make in [lambda: tf.train.AdadeltaOptimizer(1.0),
                 lambda: tf.train.FtrlOptimizer(0.5, l1_regularization_strength=0.01,
                                                l2_regularization_strength=0.1)]:
        tf.reset_default_graph()
        w = tf.Variable([1.0, -2.0], name="w")
        loss = tf.reduce_sum(w * w)
        train = make().minimize(loss)
        print(train.name, [v.op.name for v in tf.global_variables()])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(3):
                sess.run(train)
                print(np.round(sess.run(w), 6).tolist())
""")

case("breadth_data_map", "breadth", """
    ds = tf.data.Dataset.from_tensor_slices(np.arange(6)).map(lambda x: x * 10 + 1).batch(4)
    x = ds.make_one_shot_iterator().get_next()
    pairs = tf.data.Dataset.from_tensor_slices((np.arange(3), np.ones(3, np.int64)))
    y = pairs.map(lambda a, b: a + b).make_one_shot_iterator().get_next()
    print(x, y)
    with tf.Session() as sess:
        print(sess.run(x).tolist(), sess.run(x).tolist(), [sess.run(y) for _ in range(3)])
""")

case("breadth_constraints_applied_by_optimizers", "breadth", """
    clip = lambda t: tf.clip_by_value(t, -0.5, 0.5)
    a = tf.Variable([1.0, -1.0], name="a", constraint=clip)
    b = tf.get_variable("b", initializer=tf.constant([0.2, 2.0]), constraint=clip)
    with tf.variable_scope("s", constraint=clip):
        c = tf.get_variable("c", initializer=tf.constant([3.0]))
    print(a.constraint is clip, b.constraint is clip, c.constraint is clip)
    loss = tf.reduce_sum(a * a) + tf.reduce_sum(b) + tf.reduce_sum(c)
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        print(sess.run([a, b, c]))
        sess.run(train)
        print([np.round(t, 6).tolist() for t in sess.run([a, b, c])])
""")

case("breadth_saver_last_checkpoints_and_parent_file", "breadth", """
    import os, shutil, tempfile
    d = tempfile.mkdtemp()
    v = tf.Variable(1.0, name="v")
    saver = tf.train.Saver(max_to_keep=3)
    saver.set_last_checkpoints([os.path.join(d, "a"), os.path.join(d, "b")])
    print([p.replace(d, "DIR") for p in saver.last_checkpoints])
    saver.set_last_checkpoints_with_time([(os.path.join(d, "c"), 5.0)])
    print([p.replace(d, "DIR") for p in saver.last_checkpoints])
    open(os.path.join(d, "file"), "w").close()
    with tf.Session() as sess:
        sess.run(v.initializer)
        try:
            saver.save(sess, os.path.join(d, "file", "model"))
        except Exception as e:
            print(type(e).__name__, isinstance(e, tf.errors.OpError))
    shutil.rmtree(d)
""")

# -- more tf.data (issue 20) --

case("data_more_range_values_and_names", "breadth", """
    a = tf.data.Dataset.range(4)
    b = tf.data.Dataset.range(2, 10, 3)
    c = tf.data.Dataset.range(10, 2, -3, output_type=tf.int32)
    print(a.output_types, a.output_shapes, c.output_types)
    print([(op.name, op.type) for op in tf.get_default_graph().get_operations()])
    xs = [d.make_one_shot_iterator().get_next() for d in (a, b, c)]
    print(xs)
    with tf.Session() as sess:
        for x in xs:
            print([sess.run(x).item() for _ in range(3)])
""")

case("data_more_range_end_of_sequence", "breadth", """
    x = tf.data.Dataset.range(1, 3).make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        print(sess.run(x), sess.run(x))
        sess.run(x)
""")

case("data_more_range_bad_args", "breadth", """
    for args in [(), (1, 2, 3, 4), (2.5,)]:
        try:
            tf.data.Dataset.range(*args)
        except (TypeError, ValueError) as e:
            print(type(e).__name__, e)
""")

case("data_more_range_zero_step", "breadth", """
    x = tf.data.Dataset.range(0, 5, 0).make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        sess.run(x)
""")

case("data_more_zip", "breadth", """
    a = tf.data.Dataset.range(5)
    b = tf.data.Dataset.from_tensor_slices(np.ones((3, 2), np.float32))
    z = tf.data.Dataset.zip((a, b))
    d = tf.data.Dataset.zip({"y": a, "x": (b, a)})
    print(z.output_types, z.output_shapes)
    print(d.output_types, d.output_shapes)
    print([(op.name, op.type, [t.name for t in op.inputs]) for op in tf.get_default_graph().get_operations()][-2:])
    n, v = z.make_one_shot_iterator().get_next()
    e = d.make_one_shot_iterator().get_next()
    print(n, v, sorted(e))
    with tf.Session() as sess:
        print([sess.run([n, v]) for _ in range(3)])
        print(sess.run(e))
        try:
            sess.run(n)
        except tf.errors.OutOfRangeError as err:
            print(type(err).__name__, isinstance(err, tf.errors.OpError))
""")

case("data_more_zip_bad_input", "breadth", """
    a = tf.data.Dataset.range(2)
    for bad in [[a, a], (a, 3)]:
        try:
            tf.data.Dataset.zip(bad)
        except TypeError as e:
            print(e)
    print(tf.data.Dataset.zip(a, a).output_types)
""")

case("data_more_from_tensors", "breadth", """
    d = tf.data.Dataset.from_tensors((np.zeros((2, 3), np.float32), [1, 2]))
    print(d.output_types, d.output_shapes)
    print([(op.name, op.type) for op in tf.get_default_graph().get_operations()])
    x, y = d.make_one_shot_iterator().get_next()
    print(x, y)
    with tf.Session() as sess:
        print(sess.run([x, y]))
        sess.run(x)
""")

case("data_more_skip_take", "breadth", """
    d = tf.data.Dataset.range(10)
    parts = [d.skip(7), d.skip(-1), d.skip(2).take(3), d.skip(0)]
    print([(op.name, op.type) for op in tf.get_default_graph().get_operations()][4:])
    xs = [p.make_one_shot_iterator().get_next() for p in parts]
    with tf.Session() as sess:
        for x in xs:
            out = []
            try:
                while True:
                    out.append(sess.run(x).item())
            except tf.errors.OutOfRangeError:
                print(out)
""")

case("data_more_filter", "breadth", """
    d = tf.data.Dataset.range(10).filter(lambda x: tf.equal(x % 3, 0))
    pairs = tf.data.Dataset.from_tensor_slices((np.arange(4), np.array([0.5, 2.0, 3.0, 0.1])))
    big = pairs.filter(lambda i, v: v > 1.0)
    print(d.output_types, big.output_types, big.output_shapes)
    print([(op.name, op.type) for op in tf.get_default_graph().get_operations()])
    x = d.make_one_shot_iterator().get_next()
    i, v = big.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        print([sess.run(x).item() for _ in range(4)])
        print(sess.run([i, v]), sess.run([i, v]))
        sess.run(i)
""")

case("data_more_filter_double_equals", "breadth", """
    d = tf.data.Dataset.range(4).filter(lambda x: x % 2 == 0)
    x = d.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        sess.run(x)
""")

case("data_more_filter_bad_predicate", "breadth", """
    d = tf.data.Dataset.range(3)
    for predicate in [lambda x: x, lambda x: tf.equal(x, [1, 2])]:
        try:
            d.filter(predicate)
        except ValueError as e:
            print(e)
    print(len(tf.get_default_graph().get_operations()))
""")

case("data_more_concatenate", "breadth", """
    a = tf.data.Dataset.from_tensor_slices(np.zeros((2, 3), np.float32))
    b = tf.data.Dataset.from_tensor_slices(np.ones((1, 4), np.float32))
    c = a.concatenate(b)
    print(c.output_types, c.output_shapes)
    print([(op.name, op.type) for op in tf.get_default_graph().get_operations()][-1:])
    r = tf.data.Dataset.range(3).concatenate(tf.data.Dataset.range(7, 9))
    x = r.make_one_shot_iterator().get_next()
    y = c.make_one_shot_iterator().get_next()
    print(y)
    with tf.Session() as sess:
        print([sess.run(x).item() for _ in range(5)])
        print([sess.run(y).tolist() for _ in range(3)])
        sess.run(x)
""")

case("data_more_concatenate_incompatible", "breadth", """
    a = tf.data.Dataset.range(3)
    try:
        a.concatenate(tf.data.Dataset.from_tensor_slices([1.0]))
    except TypeError as e:
        print(e)
    a.concatenate(tf.data.Dataset.zip((a, a)))
""")

case("data_more_from_structure_train_validation", "breadth", """
    train = tf.data.Dataset.range(100).batch(4)
    valid = tf.data.Dataset.range(3).batch(4)
    it = tf.data.Iterator.from_structure(train.output_types, train.output_shapes)
    x = it.get_next()
    train_init = it.make_initializer(train)
    valid_init = it.make_initializer(valid)
    print(x, train_init.name, train_init.type, valid_init.name)
    print(tf.data.get_output_types(it), tf.data.get_output_shapes(valid))
    with tf.Session() as sess:
        sess.run(train_init)
        print(sess.run(x).tolist(), sess.run(x).tolist())
        sess.run(valid_init)
        print(sess.run(x).tolist())
        sess.run(x)
""")

case("data_more_missing_dataset_attribute", "breadth", """
    print(hasattr(tf.data.Dataset, "range"), hasattr(tf.data.Dataset, "zip"))
    print(hasattr(tf.data.Dataset, "no_such_method"))
""")

case("data_more_padded_batch", "breadth", """
    lengths = tf.data.Dataset.range(1, 4).map(lambda n: tf.fill([n], n))
    words = tf.data.Dataset.from_tensor_slices(["a", "bb", "c"])
    plain = lengths.padded_batch(2)
    fixed = lengths.padded_batch(2, padded_shapes=[4], padding_values=tf.constant(-1, tf.int64))
    pairs = tf.data.Dataset.zip((lengths, words)).padded_batch(3, drop_remainder=True)
    print(plain.output_shapes, fixed.output_shapes, pairs.output_types, pairs.output_shapes)
    print([(op.name, op.type) for op in tf.get_default_graph().get_operations()][-7:])
    xs = [d.make_one_shot_iterator().get_next() for d in (plain, fixed, pairs)]
    with tf.Session() as sess:
        for x in xs[:2]:
            print(sess.run(x).tolist(), sess.run(x).tolist())
        print([v.tolist() for v in sess.run(xs[2])])
        sess.run(xs[2])
""")

case("data_more_padded_batch_bad_arguments", "breadth", """
    lengths = tf.data.Dataset.range(1, 4).map(lambda n: tf.fill([n], n))
    for kwargs in [{"padded_shapes": [None, 3]}, {"padding_values": -1},
                   {"padded_shapes": [1, 2]}]:
        try:
            lengths.padded_batch(2, **kwargs)
        except (TypeError, ValueError) as e:
            print(type(e).__name__, e)
    try:
        lengths.padded_batch(2, padding_values=tf.constant([0, 0], tf.int64))
    except Exception as e:
        print(type(e).__name__, e)
""")

case("data_more_padded_batch_too_small", "breadth", """
    lengths = tf.data.Dataset.range(1, 4).map(lambda n: tf.fill([n], n))
    x = lengths.padded_batch(2, padded_shapes=[2]).make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        print(sess.run(x).tolist())
        sess.run(x)
""")

# -- moving averages and schedules (issue 20) --

case("train_more_ema_names_and_collections", "training", """
    w = tf.Variable([1.0, 2.0], name="w")
    with tf.variable_scope("layer"):
        b = tf.get_variable("b", initializer=3.0)
    ema = tf.train.ExponentialMovingAverage(0.9)
    print(ema.name, ema.average(w), ema.average_name(w), ema.average_name(b))
    op = ema.apply([w, b])
    print(op.name, op.type, sorted(i.name for i in op.control_inputs))
    print(ema.average(w).name, ema.average(b).name, ema.average(w).shape, ema.average(b).dtype)
    print(ema.average_name(w), ema.average_name(b))
    print([v.name for v in tf.global_variables()])
    print([v.name for v in tf.trainable_variables()])
    print([v.name for v in tf.moving_average_variables()])
    print(sorted((k, v.name) for k, v in ema.variables_to_restore().items()))
    again = ema.apply([w])
    print(again.name, len(tf.global_variables()), [v.name for v in tf.moving_average_variables()])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        print(sess.run([ema.average(w), ema.average(b)]))
""")

case("train_more_ema_values_over_steps", "training", """
    w = tf.Variable([1.0, -2.0], name="w")
    ema = tf.train.ExponentialMovingAverage(0.5)
    op = ema.apply([w])
    avg = ema.average(w)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for target in [3.0, 3.0, -1.0, 0.5]:
            sess.run(w.assign([target, 2 * target]))
            sess.run(op)
            print(np.round(sess.run(avg), 5).tolist())
""")

case("train_more_ema_num_updates_after_train_op", "training", """
    w = tf.Variable([1.0, 2.0], name="w")
    x = tf.constant([3.0, -1.0])
    loss = tf.reduce_sum(tf.square(w - x))
    step = tf.train.get_or_create_global_step()
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=step)
    ema = tf.train.ExponentialMovingAverage(0.9, num_updates=step)
    with tf.control_dependencies([train]):
        ema_op = ema.apply([w])
    avg = ema.average(w)
    print(ema_op.name, [v.name for v in tf.global_variables()])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for i in range(5):
            sess.run(ema_op)
            print(sess.run(step), np.round(sess.run(w), 5).tolist(),
                  np.round(sess.run(avg), 5).tolist())
""")

case("train_more_ema_num_updates_caps_decay", "training", """
    v = tf.Variable(0.0, name="v")
    n = tf.placeholder(tf.int32, [])
    ema = tf.train.ExponentialMovingAverage(0.99, num_updates=n)
    op = ema.apply([v])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(v.assign(10.0))
        for count in [0, 5, 90, 10000]:
            sess.run(ema.average(v).assign(0.0))
            sess.run(op, {n: count})
            print(count, round(float(sess.run(ema.average(v))), 5))
""")

case("train_more_ema_of_tensor_and_defaults", "training", """
    w = tf.Variable([1.0, 3.0], name="w")
    u = tf.Variable(5.0, name="u", trainable=False)
    m = tf.reduce_mean(w, name="m")
    ema = tf.train.ExponentialMovingAverage(0.75, name="avg")
    op = ema.apply()
    op2 = ema.apply([m])
    print(op.name, op2.name, ema.average(u), ema.average(m).name, ema.average_name(m))
    print([v.name for v in tf.global_variables()])
    print([v.name for v in tf.moving_average_variables()])
    print(sorted((k, v.name) for k, v in ema.variables_to_restore().items()))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        print(sess.run(ema.average(m)))
        for _ in range(3):
            sess.run([op, op2])
        sess.run(w.assign([5.0, 7.0]))
        sess.run([op, op2])
        print(np.round(sess.run(ema.average(w)), 5).tolist(), round(float(sess.run(ema.average(m))), 5))
""")

case("train_more_ema_errors", "training", """
    w = tf.Variable(1.0, name="w")
    i = tf.Variable(1, name="i")
    ema = tf.train.ExponentialMovingAverage(0.9)
    try:
        ema.apply([i])
    except TypeError as e:
        print("TypeError", e)
    print([v.name for v in tf.global_variables()], ema.average(i))
    op = ema.apply([w])
    print(op.name)
""")

case("train_more_ema_restore_averages_with_saver", "training", """
    import os, tempfile
    path = os.path.join(tempfile.mkdtemp(), "model")
    with tf.Graph().as_default():
        w = tf.Variable([1.0, 2.0], name="w")
        step = tf.Variable(0, name="step", trainable=False)
        ema = tf.train.ExponentialMovingAverage(0.5)
        op = ema.apply([w])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for target in [[3.0, 4.0], [5.0, 0.0]]:
                sess.run(w.assign(target))
                sess.run(op)
            sess.run(step.assign(7))
            print(sess.run([w, ema.average(w)]))
            tf.train.Saver().save(sess, path)
    with tf.Graph().as_default():
        w = tf.Variable([0.0, 0.0], name="w")
        step = tf.Variable(0, name="step", trainable=False)
        ema = tf.train.ExponentialMovingAverage(0.5)
        names = ema.variables_to_restore()
        print(sorted((k, v.name) for k, v in names.items()))
        with tf.Session() as sess:
            tf.train.Saver(names).restore(sess, path)
            print(sess.run([w, step]))
""")

case("train_more_schedules_names_and_dtypes", "training", """
    step = tf.train.get_or_create_global_step()
    rates = [
        tf.train.polynomial_decay(0.1, step, 10),
        tf.train.polynomial_decay(0.1, step, 10, cycle=True, name="poly"),
        tf.train.natural_exp_decay(0.1, step, 10, 0.5),
        tf.train.natural_exp_decay(0.1, step, 10, 0.5, staircase=True, name="nat"),
        tf.train.inverse_time_decay(0.1, step, 10, 0.5),
        tf.train.inverse_time_decay(0.1, step, 10, 0.5, name="inv"),
        tf.train.cosine_decay(0.1, step, 10),
        tf.train.cosine_decay(0.1, step, 10, alpha=0.2, name="cos"),
        tf.train.exponential_decay(0.1, step, 10, 0.5, name="exp"),
        tf.train.polynomial_decay(tf.constant(0.1, tf.float64), step, 10),
        tf.train.inverse_time_decay(np.float64(0.1), step, 10, 0.5),
        tf.train.natural_exp_decay(tf.constant(0.1, tf.float64), step, 10, 0.5),
    ]
    for r in rates:
        print(r.name, r.dtype.name, r.shape)
""")

case("train_more_schedules_values", "training", """
    step = tf.train.get_or_create_global_step()
    rates = [
        tf.train.polynomial_decay(0.1, step, 10),
        tf.train.polynomial_decay(0.1, step, 10, end_learning_rate=0.01, power=2.0),
        tf.train.polynomial_decay(0.1, step, 10, end_learning_rate=0.01, power=0.5, cycle=True),
        tf.train.natural_exp_decay(0.1, step, 10, 0.5),
        tf.train.natural_exp_decay(0.1, step, 10, 0.5, staircase=True),
        tf.train.inverse_time_decay(0.1, step, 10, 0.5),
        tf.train.inverse_time_decay(0.1, step, 10, 0.5, staircase=True),
        tf.train.cosine_decay(0.1, step, 10),
        tf.train.cosine_decay(0.1, step, 10, alpha=0.2),
        tf.train.polynomial_decay(tf.constant(0.1, tf.float64), step, 10, power=3.0),
    ]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for s in [0, 1, 5, 10, 11, 15, 20, 25]:
            sess.run(step.assign(s))
            print(s, [round(float(x), 6) for x in sess.run(rates)])
""")

case("train_more_schedules_drive_an_optimizer", "training", """
    w = tf.Variable(1.0, name="w")
    step = tf.train.get_or_create_global_step()
    lr = tf.train.cosine_decay(0.2, step, 4, alpha=0.1)
    train = tf.train.GradientDescentOptimizer(lr).minimize(tf.square(w), global_step=step)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(6):
            rate = sess.run(lr)
            sess.run(train)
            print(sess.run(step), round(float(rate), 6), round(float(sess.run(w)), 6))
""")

case("train_more_schedules_errors", "training", """
    step = tf.train.get_or_create_global_step()
    calls = [
        lambda: tf.train.polynomial_decay(0.1, None, 10),
        lambda: tf.train.natural_exp_decay(0.1, None, 10, 0.5),
        lambda: tf.train.inverse_time_decay(0.1, None, 10, 0.5),
        lambda: tf.train.cosine_decay(0.1, None, 10),
        lambda: tf.train.polynomial_decay(tf.constant(0.1, tf.float64), step, 10, cycle=True),
        lambda: tf.train.cosine_decay(tf.constant(0.1, tf.float64), step, 10),
    ]
    for call in calls:
        try:
            call()
        except (TypeError, ValueError) as e:
            print(type(e).__name__, e)
""")

case("train_more_random_namespace", "training", """
    r = tf.random
    print(r.normal is tf.random_normal, r.uniform is tf.random_uniform,
          r.truncated_normal is tf.truncated_normal, r.shuffle is tf.random_shuffle,
          r.multinomial is tf.multinomial, r.set_random_seed is tf.set_random_seed,
          r.categorical is tf.multinomial)
    tf.random.set_random_seed(7)
    print(tf.random.get_seed(None), tf.random.get_seed(3))
    ops = [tf.random.normal([2], seed=1), tf.random.uniform([2], maxval=4, dtype=tf.int32, seed=2),
           tf.random.truncated_normal([2], name="t", seed=3), tf.random.shuffle([1, 2, 3, 4], seed=4),
           tf.random.categorical([[0.0, 1.0, 2.0]], 5, seed=5),
           tf.random.categorical([[0.0, 1.0, 2.0]], 5, dtype=tf.int32, seed=5, name="c"),
           tf.random.multinomial([[0.0, 1.0, 2.0]], 5, seed=5)]
    for o in ops:
        print(o.name, o.dtype.name, o.shape)
    with tf.Session() as sess:
        for v in sess.run(ops):
            print(np.round(v, 5).tolist())
""")


# -- tf.losses (issue 20) --

case("losses_names_values_collection", "breadth", """
    onehot = tf.constant([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    logits = tf.constant([[1.0, 2.0, 0.5], [0.3, -1.0, 2.0]])
    probs = tf.constant([[0.1, 0.8, 0.3], [0.6, 0.2, 0.05]])
    made = [tf.losses.softmax_cross_entropy(onehot, logits),
            tf.losses.sparse_softmax_cross_entropy([1, 0], logits),
            tf.losses.sigmoid_cross_entropy(onehot, logits),
            tf.losses.absolute_difference(onehot, logits),
            tf.losses.log_loss(onehot, probs),
            tf.losses.huber_loss(onehot, logits),
            tf.losses.hinge_loss(onehot, logits),
            tf.losses.softmax_cross_entropy(onehot, logits)]
    for t in made:
        print(t.name, t.shape, t.dtype.name, t.op.type)
    print([t.name for t in tf.get_collection(tf.GraphKeys.LOSSES)])
    print([t.name for t in tf.losses.get_losses()])
    total = tf.losses.get_total_loss()
    print(total.name)
    with tf.Session() as sess:
        print([round(float(v), 5) for v in sess.run(made + [total])])
""")

case("losses_reductions_and_weights", "breadth", """
    R = tf.losses.Reduction
    labels = tf.constant([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    preds = tf.constant([[0.5, 2.0, -0.5], [0.25, -1.0, 3.0]])
    weightings = [1.0, 2.0, [[1.0], [0.0]], [[0.0, 1.0, 2.0]], [[1.0, 0.0, 3.0], [0.5, 0.0, 0.0]],
                  0.0]
    made = []
    for r in [R.NONE, R.SUM, R.MEAN, R.SUM_OVER_BATCH_SIZE, R.SUM_BY_NONZERO_WEIGHTS,
              R.SUM_OVER_NONZERO_WEIGHTS]:
        for w in weightings:
            made.append(tf.losses.absolute_difference(labels, preds, weights=w, reduction=r))
    made.append(tf.losses.softmax_cross_entropy(labels, preds, weights=[3.0, 0.0],
                                                reduction=R.MEAN))
    made.append(tf.losses.softmax_cross_entropy(labels, preds, weights=[0.5, 1.0]))
    made.append(tf.losses.sparse_softmax_cross_entropy([1, 0], preds, weights=[2.0, 1.0],
                                                       reduction=R.SUM))
    made.append(tf.losses.huber_loss(labels, preds, weights=[[2.0], [1.0]],
                                     reduction=R.SUM_OVER_BATCH_SIZE))
    print([t.name for t in made[:8]])
    print([str(t.shape) for t in made])
    with tf.Session() as sess:
        for v in sess.run(made):
            print(np.round(np.asarray(v, np.float64), 5).tolist())
""")

case("losses_label_smoothing", "breadth", """
    onehot = tf.constant([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    logits = tf.constant([[1.0, 2.0, 0.5], [0.3, -1.0, 2.0]])
    made = []
    for s in [0, 0.1, 0.5, 1.0, -0.2]:
        made.append(tf.losses.softmax_cross_entropy(onehot, logits, label_smoothing=s))
        made.append(tf.losses.sigmoid_cross_entropy(onehot, logits, label_smoothing=s))
    made.append(tf.losses.softmax_cross_entropy(onehot, logits, label_smoothing=0.2,
                                                reduction=tf.losses.Reduction.NONE))
    made.append(tf.losses.sigmoid_cross_entropy([[1, 0, 1], [0, 0, 1]], logits,
                                                label_smoothing=0.3,
                                                reduction=tf.losses.Reduction.NONE))
    print([t.name for t in made])
    with tf.Session() as sess:
        for v in sess.run(made):
            print(np.round(np.asarray(v, np.float64), 5).tolist())
""")

case("losses_other_arguments", "breadth", """
    labels = tf.constant([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    preds = tf.constant([[0.2, 0.9], [0.7, 0.3], [0.999, 1.0]])
    made = [tf.losses.log_loss(labels, preds, epsilon=0.1),
            tf.losses.log_loss(labels, preds, epsilon=0.0),
            tf.losses.huber_loss(labels, preds * 4.0, delta=0.5),
            tf.losses.huber_loss(labels, preds * 4.0, delta=2.0,
                                 reduction=tf.losses.Reduction.NONE),
            tf.losses.hinge_loss(labels, preds * 3.0 - 1.0, reduction=tf.losses.Reduction.NONE),
            tf.losses.absolute_difference([1, 2, 3], [1, 5, 0]),
            tf.losses.log_loss([1, 0], [0.9, 0.2], scope="ll"),
            tf.losses.huber_loss(labels, preds, scope="outer", loss_collection="mine"),
            tf.losses.hinge_loss(labels, preds, loss_collection=None)]
    for t in made:
        print(t.name, t.shape, t.dtype.name)
    print([t.name for t in tf.losses.get_losses()])
    print([t.name for t in tf.losses.get_losses(loss_collection="mine")])
    print([t.name for t in tf.losses.get_losses(scope="ll")])
    with tf.Session() as sess:
        for v in sess.run(made):
            print(np.round(np.asarray(v, np.float64), 5).tolist())
""")

case("losses_dtypes_and_sparse_shapes", "breadth", """
    logits64 = tf.constant([[1.0, 2.0, 0.5], [0.3, -1.0, 2.0]], tf.float64)
    logits3 = tf.constant(np.arange(12, dtype=np.float32).reshape(2, 2, 3) / 4.0)
    made = [tf.losses.softmax_cross_entropy([[0, 1, 0], [1, 0, 0]], logits64),
            tf.losses.sigmoid_cross_entropy([[0, 1, 0], [1, 0, 0]], logits64),
            tf.losses.sparse_softmax_cross_entropy([1, 2], logits64),
            tf.losses.absolute_difference([[0, 1, 0], [1, 0, 0]], logits64),
            tf.losses.sparse_softmax_cross_entropy(tf.constant([[1], [2]], tf.int64), logits64,
                                                   weights=[[1.0], [2.0]]),
            tf.losses.sparse_softmax_cross_entropy([[0, 2], [1, 1]], logits3,
                                                   weights=[[1.0, 0.0], [2.0, 1.0]]),
            tf.losses.sparse_softmax_cross_entropy([[0, 2], [1, 1]], logits3,
                                                   reduction=tf.losses.Reduction.NONE),
            tf.losses.softmax_cross_entropy(tf.one_hot([[0, 2], [1, 1]], 3), logits3,
                                            label_smoothing=0.1)]
    for t in made:
        print(t.name, t.shape, t.dtype.name)
    with tf.Session() as sess:
        for v in sess.run(made):
            print(np.round(np.asarray(v, np.float64), 5).tolist())
    bad = tf.losses.sparse_softmax_cross_entropy([1, 3], logits64)
    with tf.Session() as sess:
        sess.run(bad)
""")

case("losses_gradients", "breadth", """
    labels = tf.constant([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    x = tf.constant([[1.0, 2.0, 0.5], [0.3, -1.0, 1.0]])
    probs = tf.sigmoid(x)
    made = [tf.losses.softmax_cross_entropy(labels, x, label_smoothing=0.1),
            tf.losses.sparse_softmax_cross_entropy([1, 0], x, weights=[2.0, 1.0]),
            tf.losses.sigmoid_cross_entropy(labels, x, weights=[[1.0], [3.0]]),
            tf.losses.absolute_difference(labels, x),
            tf.losses.log_loss(labels, probs, reduction=tf.losses.Reduction.SUM),
            tf.losses.huber_loss(labels, x),
            tf.losses.hinge_loss(labels, x, reduction=tf.losses.Reduction.MEAN)]
    grads = [tf.gradients(t, x)[0] for t in made]
    print(tf.gradients(made[0], labels), tf.gradients(made[2], labels)[0] is not None)
    with tf.Session() as sess:
        for g in sess.run(grads):
            print(np.round(np.asarray(g, np.float64), 5).tolist())
""")

case("losses_errors", "breadth", """
    labels = tf.constant([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    x = tf.constant([[1.0, 2.0, 0.5], [0.3, -1.0, 1.0]])
    attempts = [
        lambda: tf.losses.softmax_cross_entropy(None, x),
        lambda: tf.losses.softmax_cross_entropy(labels, None),
        lambda: tf.losses.sigmoid_cross_entropy(None, x),
        lambda: tf.losses.sparse_softmax_cross_entropy(None, x),
        lambda: tf.losses.absolute_difference(labels, None),
        lambda: tf.losses.log_loss(None, x),
        lambda: tf.losses.huber_loss(None, x),
        lambda: tf.losses.hinge_loss(labels, None),
        lambda: tf.losses.softmax_cross_entropy(labels[:, :2], x),
        lambda: tf.losses.sigmoid_cross_entropy(labels[:1], x),
        lambda: tf.losses.absolute_difference(labels, x[:, :2]),
        lambda: tf.losses.huber_loss([1.0, 2.0], x),
        lambda: tf.losses.sparse_softmax_cross_entropy([[[1]]], x),
        lambda: tf.losses.sparse_softmax_cross_entropy([1.0, 0.0], x),
        lambda: tf.losses.absolute_difference(labels, x, reduction="mean"),
    ]
    for bad in attempts:
        try:
            bad()
            print("no error")
        except (TypeError, ValueError) as e:
            print(type(e).__name__, str(e).split(" for '")[0])
    weightings = [[1.0, 2.0], [[1.0, 2.0]], [[[1.0]]], [1.0, 2.0, 3.0]]
    for w in weightings:
        try:
            tf.losses.absolute_difference(labels, x, weights=w)
            print("no error")
        except ValueError as e:
            print(str(e).split(" Received")[0])
    tf.losses.huber_loss(labels, x, reduction="sum")
""")


# -- more array ops (issue 20) --

case("arrays_top_k", "breadth", """
    x = tf.constant([[1.0, 3.0, 3.0, 2.0], [5.0, 4.0, 5.0, 5.0]])
    v, i = tf.nn.top_k(x, 2)
    print(v, i, [op.name + ":" + op.type for op in tf.get_default_graph().get_operations()])
    top = tf.nn.top_k(x, k=3, sorted=False, name="t")
    print(top.values, top.indices)
    print(tf.nn.top_k(tf.placeholder(tf.float32, [None, None]), 2))
    print(tf.nn.top_k(tf.placeholder(tf.float32), 2))
    print(tf.nn.top_k(x, tf.placeholder(tf.int32)))
    ints = tf.nn.top_k(tf.constant([3, 1, 2, 3]))
    print(ints, tf.nn.top_k(x, tf.constant(4)).values)
    g = tf.gradients(tf.reduce_sum(v * [[1.0, 2.0], [3.0, 4.0]]), x)[0]
    g3 = tf.gradients(tf.reduce_sum(tf.nn.top_k(x, 4).values * [1.0, 2.0, 3.0, 4.0]), x)[0]
    with tf.Session() as sess:
        values, indices, unsorted, one = sess.run([v, i, top, ints])
        print(values.tolist(), indices.tolist(), one.values.tolist(), one.indices.tolist())
        print(np.sort(unsorted.values, -1).tolist(), np.sort(unsorted.indices, -1).tolist())
        print(sess.run(g).tolist(), sess.run(g3).tolist())
        print(sess.run(tf.nn.top_k(tf.constant([[2, 2, 9, 2, 9]], tf.int64), 4)))
        print(sess.run(tf.nn.top_k(x, 0)))
    for bad in [lambda: tf.nn.top_k(x, 5), lambda: tf.nn.top_k(x, -1),
                lambda: tf.nn.top_k(tf.constant(1.0), 1), lambda: tf.nn.top_k(tf.constant([True]), 1),
                lambda: tf.nn.top_k(x, 1.5)]:
        try:
            bad()
        except (TypeError, ValueError) as e:
            print(type(e).__name__, str(e).split(" for '")[0])
""")

case("arrays_top_k_too_few_columns_at_run_time", "breadth", """
    p = tf.placeholder(tf.float32, [None, None])
    with tf.Session() as sess:
        sess.run(tf.nn.top_k(p, 2), {p: [[1.0], [2.0]]})
""")

case("arrays_top_k_negative_k_at_run_time", "breadth", """
    k = tf.placeholder(tf.int32)
    with tf.Session() as sess:
        sess.run(tf.nn.top_k([1.0, 2.0], k), {k: -1})
""")

case("arrays_boolean_mask", "breadth", """
    x = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    rows = tf.boolean_mask(x, [True, False, True])
    print(rows, [op.type for op in tf.get_default_graph().get_operations()][-4:])
    cells = tf.boolean_mask(x, [[True, False], [False, True], [True, True]], name="bm")
    cols = tf.boolean_mask(x, [False, True], axis=1)
    ints = tf.boolean_mask(x, [1, 0, 1])
    print(cells, cols, ints)
    p = tf.placeholder(tf.float32, [None, 2])
    fed = tf.boolean_mask(p, tf.placeholder(tf.bool, [None]))
    print(fed, tf.boolean_mask(tf.placeholder(tf.float32), tf.placeholder(tf.bool, [None])))
    g = tf.gradients(tf.reduce_sum(cells * [1.0, 2.0, 3.0, 4.0]), x)[0]
    gp = tf.gradients(tf.reduce_sum(tf.boolean_mask(p, [False, True, True]) * [[1.0, 2.0], [3.0, 4.0]]), p)[0]
    with tf.Session() as sess:
        for t in sess.run([rows, cells, cols, ints]):
            print(t.tolist())
        print(sess.run(g).tolist(), sess.run(gp, {p: np.ones([3, 2])}).tolist())
        print(sess.run(tf.boolean_mask(p, [False, False, False]), {p: np.ones([3, 2])}).shape)
    for bad in [lambda: tf.boolean_mask(x, tf.placeholder(tf.bool)), lambda: tf.boolean_mask(x, [True, False]),
                lambda: tf.boolean_mask(x, True), lambda: tf.boolean_mask(x, [[[True]]]),
                lambda: tf.boolean_mask(x, [True, False, True, True], axis=1)]:
        try:
            bad()
        except (TypeError, ValueError) as e:
            print(type(e).__name__, str(e).split(" for '")[0])
""")

case("arrays_cumsum", "breadth", """
    a = tf.constant([[1, 2, 3], [4, 5, 6]])
    c = [tf.cumsum(a), tf.cumsum(a, 1), tf.cumsum(a, axis=1, exclusive=True), tf.cumsum(a, 1, reverse=True),
         tf.cumsum(a, -1, exclusive=True, reverse=True, name="cs"), tf.cumsum(a, tf.constant(1, tf.int64))]
    print([t.name for t in c], [op.name + ":" + op.type for op in tf.get_default_graph().get_operations()][:3])
    print(tf.cumsum(tf.placeholder(tf.float32, [None, 3]), 1), tf.cumsum(tf.placeholder(tf.float32)), c[0])
    f = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    w = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
    grads = [tf.gradients(tf.reduce_sum(tf.cumsum(f, 1, exclusive=e, reverse=r) * w), f)[0]
             for e in (False, True) for r in (False, True)]
    print(grads[0])
    with tf.Session() as sess:
        for t in sess.run(c):
            print(t.tolist())
        for t in sess.run(grads):
            print(t.tolist())
        print(sess.run(tf.cumsum([0.5, 0.25, 0.125], exclusive=True)).tolist())
    for bad in [lambda: tf.cumsum(a, 1.0), lambda: tf.cumsum(tf.constant([True]))]:
        try:
            bad()
        except (TypeError, ValueError) as e:
            print(type(e).__name__, str(e).split(" for '")[0])
""")

case("arrays_cumsum_axis_out_of_range", "breadth", """
    with tf.Session() as sess:
        sess.run(tf.cumsum(tf.constant([[1, 2, 3], [4, 5, 6]]), -3))
""")

case("arrays_cumsum_axis_must_be_a_scalar", "breadth", """
    c = tf.cumsum(tf.constant([1, 2, 3]), [0])
    print(c)
    with tf.Session() as sess:
        sess.run(c)
""")

case("arrays_cumsum_of_a_scalar", "breadth", """
    s = tf.cumsum(tf.constant(3.0))
    print(s)
    with tf.Session() as sess:
        sess.run(s)
""")

case("arrays_eye", "breadth", """
    e = [tf.eye(2), tf.eye(2, 3), tf.eye(3, dtype=tf.int32, name="I"), tf.eye(2, batch_shape=[2]),
         tf.eye(3, 2, batch_shape=[1], dtype=tf.float64), tf.eye(2, 2)]
    print(e)
    print([op.name + ":" + op.type for op in tf.get_default_graph().get_operations()][:10])
    n = tf.placeholder(tf.int32, [])
    dynamic = [tf.eye(n), tf.eye(2, n)]
    print(dynamic)
    with tf.Session() as sess:
        for t in sess.run(e):
            print(t.dtype.name, t.tolist())
        print(sess.run(dynamic, {n: 3})[0].tolist(), sess.run(dynamic, {n: 3})[1].tolist())
    for bad in [lambda: tf.eye(-1), lambda: tf.eye(2.5), lambda: tf.eye([2]), lambda: tf.eye(2, -3)]:
        try:
            bad()
        except (TypeError, ValueError) as e:
            print(type(e).__name__, str(e).split(" for '")[0])
""")

case("arrays_reverse", "breadth", """
    a = tf.constant([[1, 2, 3], [4, 5, 6]])
    r = [tf.reverse(a, [0]), tf.reverse(a, [-1]), tf.reverse(a, [0, 1], name="rv"), tf.reverse(a, axis=[1]),
         tf.reverse(a, []), tf.reverse(a, tf.constant([1], tf.int64))]
    print(r[:3], [op.name + ":" + op.type for op in tf.get_default_graph().get_operations()][:3])
    print(tf.reverse(tf.placeholder(tf.float32, [None, 3]), [1]), tf.reverse(tf.placeholder(tf.float32), [1]))
    f = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    g = tf.gradients(tf.reduce_sum(tf.reverse(f, [1]) * [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]), f)[0]
    print(g)
    with tf.Session() as sess:
        for t in sess.run(r):
            print(t.tolist())
        print(sess.run(g).tolist())
    for bad in [lambda: tf.reverse(a, [2]), lambda: tf.reverse(a, [0, 0]), lambda: tf.reverse(a, [1, -1]),
                lambda: tf.reverse(a, 1), lambda: tf.reverse(a, [1.0]), lambda: tf.reverse(a, [[1]])]:
        try:
            bad()
        except (TypeError, ValueError) as e:
            print(type(e).__name__, str(e).split(" for '")[0])
""")

case("arrays_reverse_axis_out_of_range_at_run_time", "breadth", """
    p = tf.placeholder(tf.float32)
    with tf.Session() as sess:
        sess.run(tf.reverse(p, [1]), {p: [1.0, 2.0]})
""")

case("arrays_gather_nd", "breadth", """
    p = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    gs = [tf.gather_nd(p, [[0, 1], [2, 0]]), tf.gather_nd(p, [[1], [0]]), tf.gather_nd(p, [1, 1], name="gn"),
          tf.gather_nd(p, [[[2]]]), tf.gather_nd(p, tf.constant([[2, 1]], tf.int64)),
          tf.gather_nd([[1, 2], [3, 4]], [[1, 0]])]
    print(gs, [op.name + ":" + op.type for op in tf.get_default_graph().get_operations()][:3])
    print(tf.gather_nd(tf.placeholder(tf.float32, [None, 2]), tf.placeholder(tf.int32, [None, 1])),
          tf.gather_nd(p, tf.placeholder(tf.int32, [5, None])), tf.gather_nd(tf.placeholder(tf.float32), [[1]]))
    g = tf.gradients(tf.reduce_sum(gs[0] * [1.0, 2.0]) + tf.reduce_sum(gs[1] * [[1.0, 2.0], [3.0, 4.0]]), p)[0]
    twice = tf.gradients(tf.reduce_sum(tf.gather_nd(p, [[0, 0], [0, 0], [1, 1]]) * [1.0, 2.0, 4.0]), p)[0]
    with tf.Session() as sess:
        for t in sess.run(gs):
            print(np.array(t).tolist())
        print(sess.run(g).tolist(), sess.run(twice).tolist())
    for bad in [lambda: tf.gather_nd(p, [[0, 1, 0]]), lambda: tf.gather_nd(p, [[0.0]]),
                lambda: tf.gather_nd(p, 1)]:
        try:
            bad()
        except (TypeError, ValueError) as e:
            print(type(e).__name__, str(e).split(" for '")[0])
""")

case("arrays_gather_nd_index_out_of_range", "breadth", """
    p = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    with tf.Session() as sess:
        sess.run(tf.gather_nd(p, [[1, 1], [0, -1]]))
""")

case("arrays_sequence_mask", "breadth", """
    sm = [tf.sequence_mask([1, 3, 2], 4), tf.sequence_mask([1, 3, 2]),
          tf.sequence_mask([[1], [2]], 3, dtype=tf.float32, name="sm"),
          tf.sequence_mask(tf.placeholder(tf.int32, [None]), 5), tf.sequence_mask(tf.placeholder(tf.int32, [None])),
          tf.sequence_mask([1.0, 2.0], 3), tf.sequence_mask([1, 2], 3.0), tf.sequence_mask([0, 0]),
          tf.sequence_mask(tf.constant([2, 1], tf.int64), tf.constant(3, tf.int64))]
    print(sm)
    print([op.name + ":" + op.type for op in tf.get_default_graph().get_operations()][:21])
    with tf.Session() as sess:
        for t in sess.run(sm[:3] + sm[5:]):
            print(t.dtype.name, t.tolist())
        lengths = tf.get_default_graph().get_tensor_by_name("Placeholder_1:0")
        print(sess.run(sm[4], {lengths: [2, 0, 1]}).tolist())
    tf.sequence_mask([1, 2], [3])
""")

case("arrays_linspace", "breadth", """
    a, b = tf.constant(0.5), tf.constant(2.0)
    ls = [tf.linspace(0.0, 1.0, 5), tf.lin_space(-1.0, 1.0, 3, name="ls"), tf.linspace(2.0, 3.0, 1),
          tf.linspace(tf.constant(0.0, tf.float64), 1.0, 4), tf.linspace(0, 1, 3), tf.linspace(0.0, 1.0, 0),
          tf.linspace(0.0, [1.0, 3.0], 3), tf.linspace(0.1, 0.7, 7), tf.linspace(a, b, 4),
          tf.linspace(0.0, 1.0, tf.constant(3, tf.int64))]
    print(ls)
    print(tf.linspace(0.0, 1.0, tf.placeholder(tf.int32, [])), tf.linspace([0.0], 1.0, 2))
    g = tf.gradients(tf.reduce_sum(ls[8] * [1.0, 2.0, 3.0, 4.0]), [a, b])
    with tf.Session() as sess:
        for t in sess.run(ls):
            print(t.dtype.name, t.tolist())
        print([float(v) for v in sess.run(g)])
    for bad in [lambda: tf.linspace(0.0, 1.0, 2.0), lambda: tf.linspace(0.0, 1.0, -2)]:
        try:
            bad()
        except (TypeError, ValueError) as e:
            print(type(e).__name__, str(e).split(" for '")[0])
""")

case("arrays_linspace_negative_num_at_run_time", "breadth", """
    n = tf.placeholder(tf.int32, [])
    with tf.Session() as sess:
        sess.run(tf.linspace(0.0, 1.0, n), {n: -2})
""")


# --------------------------------------------------------------------------------------------
# feature columns (TF1's tf.feature_column.input_layer)
# --------------------------------------------------------------------------------------------

case("feature_column_columns", "feature_column", """
    fc = tf.feature_column
    age = fc.numeric_column("age")
    color = fc.categorical_column_with_vocabulary_list("color", ["red", "green", "blue"])
    print(age, color, fc.indicator_column(color), sep="\\n")
    print(fc.numeric_column("x", shape=[2, 3], default_value=0.0, dtype=tf.float64))
    print(fc.numeric_column("x", default_value=0))
    print(fc.categorical_column_with_vocabulary_list("n", [3, 5, 9]))
    print(fc.categorical_column_with_vocabulary_list("n", [3, 5], dtype=tf.int32))
    emb = fc.embedding_column(color, 4)
    print(type(emb).__name__, emb.name, emb.dimension, emb.combiner, emb.trainable,
          type(emb.initializer).__name__)
    print([c.name for c in [age, color, fc.indicator_column(color), emb]])
    print(tf.get_default_graph().get_operations())
""")

case("feature_column_input_layer_names_collections_and_values", "feature_column", """
    tf.set_random_seed(7)
    fc = tf.feature_column
    color = fc.categorical_column_with_vocabulary_list("color", ["red", "green", "blue"])
    columns = [fc.numeric_column("age"), fc.indicator_column(color), fc.embedding_column(color, 2)]
    features = {"age": tf.constant([[30.0], [40.0], [50.0]]),
                "color": tf.constant([["red"], ["blue"], ["pink"]])}
    cols_to_vars = {}
    net = fc.input_layer(features, columns, cols_to_vars=cols_to_vars)
    print(net)
    print(sorted((c.name, v) for c, v in cols_to_vars.items()))
    print(tf.global_variables(), tf.trainable_variables(), tf.model_variables(),
          tf.local_variables(), sep="\\n")
    print(tf.get_collection(tf.GraphKeys.TABLE_INITIALIZERS))
    graph = tf.get_default_graph()
    for name in ["input_layer/color_embedding/color_lookup/hash_table/hash_table",
                 "input_layer/color_embedding/hash_table_Lookup/LookupTableFindV2",
                 "input_layer/age/Reshape", "input_layer/color_indicator/Reshape"]:
        print(name, graph.get_operation_by_name(name).type)
    print([op.name for op in graph.get_operations() if op.type == "HashTableV2"])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        try:
            sess.run(net)
        except tf.errors.FailedPreconditionError as e:
            print(type(e).__name__, e.op.name, "Table not initialized." in e.message)
        sess.run(tf.tables_initializer())
        print(sess.run(net).tolist())
        print(sess.run(tf.global_variables()[0]).tolist())
    again = fc.input_layer(features, columns)
    print(again, [v.op.name for v in tf.global_variables()])
""")

case("feature_column_table_not_initialized", "feature_column", """
    color = tf.feature_column.categorical_column_with_vocabulary_list("color", ["a", "b"])
    net = tf.feature_column.input_layer({"color": tf.constant([["a"]])},
                                        [tf.feature_column.indicator_column(color)])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(net)
""")

case("feature_column_indicator_counts_missing_and_unknown_values", "feature_column", """
    fc = tf.feature_column
    color = fc.categorical_column_with_vocabulary_list("color", ["red", "green", "blue"])
    size = fc.categorical_column_with_vocabulary_list("size", [3, 5, 9], default_value=0)
    words = tf.placeholder(tf.string, [None, 2], name="words")
    sizes = tf.placeholder(tf.int32, [None], name="sizes")
    age = tf.placeholder(tf.float32, [None], name="age")
    features = {"color": words, "size": sizes, "age": age}
    net = fc.input_layer(features, [fc.indicator_column(color), fc.indicator_column(size),
                                    fc.numeric_column("age", normalizer_fn=lambda x: x / 10)])
    print(net)
    with tf.Session() as sess:
        sess.run(tf.tables_initializer())
        print(sess.run(net, {words: [["red", "red"], ["", "blue"], ["pink", "green"]],
                             sizes: [5, 7, 9], age: [10, 20, 30]}).tolist())
""")

case("feature_column_embedding_combiners_and_training", "feature_column", """
    tf.set_random_seed(3)
    fc = tf.feature_column
    color = fc.categorical_column_with_vocabulary_list("color", ["red", "green", "blue", "gray"])
    words = tf.constant([["red", "blue"], ["green", ""], ["", ""], ["gray", "gray"]])
    outs = [fc.input_layer({"color": words}, [fc.embedding_column(color, 3, combiner=c)])
            for c in ["mean", "sqrtn", "sum"]]
    fixed = fc.input_layer({"color": words}, [fc.embedding_column(
        color, 2, initializer=tf.constant_initializer([[1, 2], [3, 4], [5, 6], [7, 8]]))])
    loss = tf.reduce_sum(tf.square(fixed))
    step = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    print([v.op.name for v in tf.trainable_variables()])
    with tf.Session() as sess:
        sess.run([tf.global_variables_initializer(), tf.tables_initializer()])
        for out in outs:
            print(np.round(sess.run(out), 5).tolist())
        print(sess.run(fixed).tolist())
        sess.run(step)
        print(np.round(sess.run(tf.trainable_variables()[-1]), 5).tolist())
""")

case("feature_column_errors", "feature_column", """
    fc = tf.feature_column
    color = fc.categorical_column_with_vocabulary_list("color", ["red", "green", "blue"])
    x = tf.constant([[1.0]])
    attempts = [
        lambda: fc.categorical_column_with_vocabulary_list("c", []),
        lambda: fc.categorical_column_with_vocabulary_list("c", ["a", "a"]),
        lambda: fc.categorical_column_with_vocabulary_list("c", ["a"], dtype=tf.int64),
        lambda: fc.categorical_column_with_vocabulary_list("c", [1.5]),
        lambda: fc.categorical_column_with_vocabulary_list(3, ["a"]),
        lambda: fc.categorical_column_with_vocabulary_list("c", ["a"], default_value=0,
                                                           num_oov_buckets=1),
        lambda: fc.numeric_column("x", dtype=tf.string),
        lambda: fc.numeric_column("x", shape=[0]),
        lambda: fc.numeric_column("x", default_value=[1, 2]),
        lambda: fc.numeric_column("x", normalizer_fn=3),
        lambda: fc.indicator_column(fc.numeric_column("x")),
        lambda: fc.embedding_column(color, 0),
        lambda: fc.embedding_column(color, 2, initializer=3),
        lambda: fc.input_layer({"color": x}, [color]),
        lambda: fc.input_layer({"color": x}, []),
        lambda: fc.input_layer({"color": x}, {"a": color}),
        lambda: fc.input_layer({"other": x}, [fc.indicator_column(color)]),
        lambda: fc.input_layer({"color": tf.constant([[1]])}, [fc.indicator_column(color)]),
        lambda: fc.input_layer({"color": tf.constant("red")}, [fc.indicator_column(color)]),
        lambda: fc.input_layer({"x": x, "color": tf.constant([["red"], ["blue"]])},
                               [fc.numeric_column("x"), fc.indicator_column(color)]),
    ]
    for attempt in attempts:
        try:
            attempt()
            print("no error")
        except (ValueError, TypeError) as e:
            print(type(e).__name__, str(e).split(" Given: ")[0])
""")


# --------------------------------------------------------------------------------------------
# metrics (tf.metrics needs no Keras: recorded in the main pass)
# --------------------------------------------------------------------------------------------

case("metrics_local_variables_names_and_streaming_values", "metrics", """
    labels = tf.placeholder(tf.int64, [None], name="labels")
    preds = tf.placeholder(tf.int64, [None], name="preds")
    acc, acc_op = tf.metrics.accuracy(labels, preds)
    mean, mean_op = tf.metrics.mean(tf.cast(preds, tf.float32))
    prec, prec_op = tf.metrics.precision(labels, preds)
    rec, rec_op = tf.metrics.recall(labels, preds)
    print([v.op.name for v in tf.local_variables()])
    print([v.op.name for v in tf.get_collection(tf.GraphKeys.METRIC_VARIABLES)])
    print(tf.global_variables(), tf.trainable_variables())
    print(acc, acc_op, mean, mean_op, prec, prec_op, rec, rec_op, sep="\\n")
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        print(sess.run([acc, mean, prec, rec]))
        for l, p in [([1, 0, 1, 1], [1, 1, 1, 0]), ([0, 0, 1], [0, 1, 1])]:
            print(sess.run([acc_op, mean_op, prec_op, rec_op], {labels: l, preds: p}))
        print(sess.run([acc, mean, prec, rec]))
        sess.run(tf.local_variables_initializer())
        print(sess.run([acc, mean, prec, rec]))
""")

case("metrics_weights_and_collections", "metrics", """
    values = tf.constant([1.0, 2.0, 3.0, 4.0])
    weights = tf.constant([1.0, 0.0, 2.0, 1.0])
    m, m_op = tf.metrics.mean(values, weights, metrics_collections=["my_metrics"],
                              updates_collections=["my_updates"], name="weighted")
    a, a_op = tf.metrics.accuracy([1, 2, 3, 4], [1, 2, 0, 4], weights=weights)
    print([v.op.name for v in tf.local_variables()])
    print(tf.get_collection("my_metrics"), tf.get_collection("my_updates"))
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        print(sess.run([m_op, a_op]), sess.run([m_op, a_op]), sess.run([m, a]))
""")

case("metrics_accuracy_without_local_initializer", "metrics", """
    acc, acc_op = tf.metrics.accuracy(tf.constant([1, 0]), tf.constant([1, 1]))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for fetch in [acc, acc_op]:
            try:
                sess.run(fetch)
            except tf.errors.FailedPreconditionError as e:
                # TF reads total and count in parallel: either may be the one it names
                print(type(e).__name__, any("Attempting to use uninitialized value accuracy/"
                                            + n in e.message for n in ["total", "count"]))
        sess.run(tf.local_variables_initializer())
        print(sess.run(acc_op), sess.run(acc))
""")


case("metrics_errors_and_outcome_counts", "metrics", """
    labels = tf.constant([1.0, 2.0, 3.0, 0.0])
    preds = tf.constant([1.5, 2.0, 1.0, 0.0])
    w = tf.constant([1.0, 2.0, 0.0, 1.0])
    made = [tf.metrics.mean_squared_error(labels, preds),
            tf.metrics.mean_absolute_error(labels, preds, weights=w),
            tf.metrics.root_mean_squared_error(labels, preds),
            tf.metrics.true_positives([1, 0, 1], [1, 1, 0]),
            tf.metrics.false_positives([1, 0, 1], [1, 1, 0]),
            tf.metrics.false_negatives([1, 0, 1], [1, 1, 0], name="fn"),
            tf.metrics.true_negatives([1, 0, 0], [1, 0, 0], weights=[1.0, 2.0, 3.0])]
    for value, update in made:
        print(value, update)
    print([v.op.name for v in tf.local_variables()])
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        print(sess.run([u for _, u in made]))
        print(sess.run([u for _, u in made]))
        print(sess.run([v for v, _ in made]))
""")


# --------------------------------------------------------------------------------------------
# layers: the second pass (TF_USE_LEGACY_KERAS=1, tf_keras installed)
# --------------------------------------------------------------------------------------------
# tf.layers exists in TF 2.21's compat.v1 only through tf_keras, with TF_USE_LEGACY_KERAS=1
# set before TensorFlow is imported. That setting also changes what tf.keras is (TF1's
# Keras instead of Keras 3), so the main pass runs without it (initializers_keras_* record
# Keras 3) and main() runs these cases in a second process with it set; they go into the
# fixture's "legacy_keras" section.

LEGACY_KERAS_CASES = []


def legacy_keras_case(id, topic, code):
    LEGACY_KERAS_CASES.append(Case(id, topic, textwrap.dedent(code).strip("\n") + "\n"))


legacy_keras_case("layers_dense_twice_names_and_seeded_values", "layers", """
    tf.set_random_seed(1)
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    h = tf.layers.dense(x, 4, activation=tf.nn.relu)
    out = tf.layers.dense(h, 2)
    print(h, out, sep="\\n")
    print(tf.global_variables())
    print([v.op.name for v in tf.trainable_variables()])
    kernel = tf.global_variables()[0]
    print(kernel.initializer.inputs[1].op.name)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for v in tf.global_variables():
            print(v.op.name, sess.run(v).ravel().tolist())
        print(np.round(sess.run(out, {x: [[1.0, 2.0, 3.0], [-1.0, 0.5, 0.0]]}), 5).tolist())
""")

legacy_keras_case("layers_dense_variable_scope_reuse", "layers", """
    x1 = tf.placeholder(tf.float32, [None, 3], name="x1")
    x2 = tf.placeholder(tf.float32, [None, 3], name="x2")
    with tf.variable_scope("model"):
        y1 = tf.layers.dense(x1, 2, name="fc")
    with tf.variable_scope("model", reuse=True):
        y2 = tf.layers.dense(x2, 2, name="fc")
    with tf.variable_scope("model", reuse=tf.AUTO_REUSE):
        y3 = tf.layers.dense(x2, 2, name="fc")
    y4 = tf.layers.dense(x2, 2, name="fc")
    y5 = tf.layers.dense(x1, 2, name="fc", reuse=True)
    print(y1.op.name, y2.op.name, y3.op.name, y4.op.name, y5.op.name)
    print([v.op.name for v in tf.global_variables()])
    with tf.variable_scope("other"):
        z1 = tf.layers.dense(x1, 2)
        z2 = tf.layers.dense(x1, 2)
    print(z1.op.name, z2.op.name)
    print([v.op.name for v in tf.global_variables()][4:])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        a, b = sess.run([y1, y2], {x1: [[1.0, 2.0, 3.0]], x2: [[1.0, 2.0, 3.0]]})
    print(np.array_equal(a, b))
""")

legacy_keras_case("layers_dense_exists_without_reuse", "layers", """
    x = tf.placeholder(tf.float32, [None, 3])
    tf.layers.dense(x, 2, name="fc")
    print([v.op.name for v in tf.global_variables()])
    tf.layers.dense(x, 2, name="fc")
""")

legacy_keras_case("layers_dense_reuse_missing", "layers", """
    x = tf.placeholder(tf.float32, [None, 3])
    with tf.variable_scope("model", reuse=True):
        tf.layers.dense(x, 2, name="fc")
""")

legacy_keras_case("layers_conv2d_pool_flatten_dense", "layers", """
    tf.set_random_seed(2)
    x = tf.placeholder(tf.float32, [None, 6, 6, 1], name="images")
    c = tf.layers.conv2d(x, 2, 3, padding="same", activation=tf.nn.relu)
    p = tf.layers.max_pooling2d(c, 2, 2)
    f = tf.layers.flatten(p)
    d = tf.layers.dense(f, 3)
    c2 = tf.layers.conv2d(x, 1, [2, 2], strides=2)
    print(c, p, f, d, c2, sep="\\n")
    print([(v.op.name, v.shape.as_list()) for v in tf.global_variables()])
    image = np.arange(36, dtype=np.float32).reshape(1, 6, 6, 1) / 36
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        print(sess.run(tf.global_variables()[0]).ravel().tolist())
        print(np.round(sess.run(p, {x: image}), 5).ravel().tolist())
        print(np.round(sess.run(d, {x: image}), 5).tolist())
""")

legacy_keras_case("layers_dropout_training_flag", "layers", """
    x = tf.ones([2, 5])
    off = tf.layers.dropout(x, rate=0.4, seed=3)
    on = tf.layers.dropout(x, rate=0.4, seed=3, training=True)
    flag = tf.placeholder_with_default(False, [], name="flag")
    maybe = tf.layers.dropout(x, rate=0.4, seed=3, training=flag)
    print(off, on.shape, maybe.shape)
    with tf.Session() as sess:
        print(sess.run(off).tolist())
        print(sess.run(on).tolist())
        print(sess.run(on).tolist())
        print(sess.run(maybe).tolist())
        print(sess.run(maybe, {flag: True}).tolist())
    with tf.Session() as sess:
        print(sess.run(on).tolist())
""")

legacy_keras_case("layers_batch_normalization_variables_and_update_ops", "layers", """
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    y = tf.layers.batch_normalization(x, training=True)
    z = tf.layers.batch_normalization(x)
    print(y.shape, z.shape)
    print([v.op.name for v in tf.global_variables()])
    print([v.op.name for v in tf.trainable_variables()])
    print([u.name for u in tf.get_collection(tf.GraphKeys.UPDATE_OPS)])
""")

legacy_keras_case("layers_batch_normalization_one_step_with_and_without_dependency", "layers", """
    data = np.arange(12, dtype=np.float32).reshape(4, 3) ** 1.5
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    training = tf.placeholder_with_default(False, [], name="training")
    y = tf.layers.batch_normalization(x, training=training, momentum=0.5)
    loss = tf.reduce_mean(tf.square(y - 1.0))
    optimizer = tf.train.GradientDescentOptimizer(0.1)
    forgot = optimizer.minimize(loss)
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        remembered = optimizer.minimize(loss)
    for train in [forgot, remembered]:
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(train, {x: data, training: True})
            for v in tf.global_variables():
                print(v.op.name, np.round(sess.run(v), 4).tolist())
            print(np.round(sess.run(y, {x: data[:2]}), 4).tolist())
""")

legacy_keras_case("layers_batch_normalization_images_fused", "layers", """
    images = np.arange(24, dtype=np.float32).reshape(2, 2, 2, 3) ** 1.5
    y = tf.layers.batch_normalization(images, training=True, momentum=0.5)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out = sess.run(y)
        sess.run(tf.get_collection(tf.GraphKeys.UPDATE_OPS))
        print(np.round(out[0, 0], 4).tolist())
        print([np.round(sess.run(v), 3).tolist() for v in tf.global_variables()[2:]])
""")

# the same code as initializers_keras_initializer_kind; here tf.keras is TF1's Keras
legacy_keras_case("layers_legacy_keras_initializer_kind", "initializers", KERAS_INITIALIZER_KIND)

# -- tf.layers classes (issue 20) --

legacy_keras_case("layers_classes_dense_shared_weights", "layers", """
    tf.set_random_seed(4)
    x1 = tf.placeholder(tf.float32, [None, 3], name="x1")
    x2 = tf.placeholder(tf.float32, [None, 3], name="x2")
    layer = tf.layers.Dense(2, activation=tf.nn.relu)
    print(layer.name, layer.built, layer.variables)
    y1 = layer(x1)
    y2 = layer(x2)
    y3 = layer.apply(x1)
    print(layer.name, layer.built)
    print(y1, y2, y3, sep="\\n")
    print(layer.kernel, layer.bias, sep="\\n")
    print([v.op.name for v in layer.variables], [v.op.name for v in layer.weights])
    print([v.op.name for v in layer.trainable_variables], [v.op.name for v in layer.trainable_weights])
    print(layer.non_trainable_variables)
    print([v.op.name for v in tf.global_variables()])
    data = [[1.0, -2.0, 3.0], [0.5, 0.25, -1.0]]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        a, b = sess.run([y1, y2], {x1: data, x2: data})
        print(np.array_equal(a, b), np.round(a, 5).tolist())
""")

legacy_keras_case("layers_classes_names_objects_functions_and_scopes", "layers", """
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    a = tf.layers.Dense(3)
    b = tf.layers.Dense(3)
    print(a.name, b.name)
    print(b(x).op.name, a(x).op.name, a(x).op.name)
    print(tf.layers.dense(x, 3).op.name)
    c = tf.layers.Dense(3)
    print(c.name, c(x).op.name)
    with tf.variable_scope("model"):
        d = tf.layers.Dense(3)
        print(d.name, d(x).op.name, tf.layers.dense(x, 3).op.name)
        e = tf.layers.Dense(2, name="fc")
        f = tf.layers.Dense(2, name="fc")
        print(e.name, f.name, e(x).op.name, f(x).op.name)
    with tf.variable_scope("other"):
        print(d(x).op.name)
    print(d(x).op.name)
    print([v.op.name for v in tf.global_variables()])
    print([v.op.name for v in d.variables])
""")

legacy_keras_case("layers_classes_conv_pool_flatten_dropout", "layers", """
    tf.set_random_seed(5)
    images = tf.placeholder(tf.float32, [None, 6, 6, 1], name="images")
    conv = tf.layers.Conv2D(2, 3, padding="same", activation=tf.nn.relu)
    pool = tf.layers.MaxPooling2D(2, 2)
    avg = tf.layers.AveragePooling2D([2, 2], [2, 2])
    flat = tf.layers.Flatten()
    drop = tf.layers.Dropout(0.5, seed=1)
    dense = tf.layers.Dense(2)
    layers = [conv, pool, avg, flat, drop, dense]
    print([layer.name for layer in layers])
    h = conv(images)
    p = pool(h)
    q = avg(h)
    f = flat(p)
    train = drop(f, training=True)
    test = drop(f)
    out = dense(test)
    print(h, p, q, f, test, out, sep="\\n")
    print(train.shape, train.dtype)  # the op behind it differs (tfteach: Where; TF: SelectV2)
    print([(v.op.name, v.shape.as_list()) for v in conv.variables], pool.variables, flat.weights)
    print(conv.kernel.op.name, conv.bias.op.name, dense.kernel.shape)
    again = conv(images)
    print(again.op.name, len(tf.global_variables()))
    image = np.arange(36, dtype=np.float32).reshape(1, 6, 6, 1) / 36
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        print(np.round(sess.run(p, {images: image}), 5).ravel().tolist())
        print(np.round(sess.run(q, {images: image}), 5).ravel().tolist())
        print(np.round(sess.run(out, {images: image}), 5).tolist())
        print(np.array_equal(*sess.run([h, again], {images: image})))
""")

legacy_keras_case("layers_classes_batch_normalization_updates", "layers", """
    data = np.arange(12, dtype=np.float32).reshape(4, 3) ** 1.5
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    bn = tf.layers.BatchNormalization(momentum=0.5)
    print(bn.name, bn.updates)
    y = bn(x, training=True)
    print([u.name for u in bn.updates])
    z = bn(x, training=True)
    inference = bn(x)
    print(y.op.name, z.op.name, inference.op.name)
    print([u.name for u in bn.updates])
    print([u.name for u in tf.get_collection(tf.GraphKeys.UPDATE_OPS)])
    print([v.op.name for v in bn.variables])
    print([v.op.name for v in bn.trainable_variables], [v.op.name for v in bn.non_trainable_variables])
    print([v.op.name for v in tf.trainable_variables()])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(bn.updates[:2], {x: data})
        print([np.round(sess.run(v), 4).tolist() for v in bn.non_trainable_variables])
        print(np.round(sess.run(inference, {x: data[:2]}), 4).tolist())
""")

legacy_keras_case("layers_classes_not_trainable", "layers", """
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    frozen = tf.layers.Dense(2, trainable=False, use_bias=False)
    frozen(x)
    print(frozen.bias, frozen.trainable_variables, [v.op.name for v in frozen.non_trainable_variables])
    print([v.op.name for v in frozen.variables], tf.trainable_variables())
    bn = tf.layers.BatchNormalization(trainable=False, center=False)
    bn(x)
    print([v.op.name for v in bn.variables], bn.trainable_weights)
    print([v.op.name for v in bn.non_trainable_weights])
""")

legacy_keras_case("layers_classes_incompatible_input", "layers", """
    layer = tf.layers.Dense(2, name="fc")
    layer(tf.placeholder(tf.float32, [None, 3]))
    print([v.op.name for v in tf.global_variables()])
    layer(tf.placeholder(tf.float32, [None, 4]))
""")

legacy_keras_case("layers_classes_kernel_before_first_call", "layers", """
    layer = tf.layers.Dense(2)
    print(layer.built, layer.weights)
    layer.kernel
""")

legacy_keras_case("layers_classes_reuse_scope_without_variables", "layers", """
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    with tf.variable_scope("model", reuse=True):
        layer = tf.layers.Dense(2, name="fc")
        print(layer.name, layer.built)
        layer(x)
""")

legacy_keras_case("layers_classes_reuse_scope_shares_with_function", "layers", """
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    with tf.variable_scope("model"):
        y1 = tf.layers.dense(x, 2, name="fc")
    with tf.variable_scope("model", reuse=True):
        layer = tf.layers.Dense(2, name="fc")
        y2 = layer(x)
    print(y1.op.name, y2.op.name, [v.op.name for v in layer.variables])
    print([v.op.name for v in tf.global_variables()])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        a, b = sess.run([y1, y2], {x: [[1.0, 2.0, 3.0]]})
    print(np.array_equal(a, b))
""")


# --------------------------------------------------------------------------------------------
# runner
# --------------------------------------------------------------------------------------------

GRAPH_EXEC_PREFIX = "Graph execution error:"
ORIGINAL_ERROR = "Original error:"


def _normalise(text):
    """Make messages stable across machines and edits of this file: absolute paths become
    <site-packages> / <repo>, and this recorder's own line numbers become N."""
    site = os.path.dirname(os.path.abspath(tf.__file__).split("/_api/")[0])
    text = text.replace(site, "<site-packages>")
    text = text.replace(REPO, "<repo>")
    return re.sub(r'(record_tf_reference\.py", line )\d+', r"\1N", text)


def _strip_banners(text):
    """Drop TF 2.x's 'Graph execution error:' banner and its 'Detected at node ... Node: 'x''
    traceback block, leaving the message TensorFlow 1.x printed."""
    if text.startswith(GRAPH_EXEC_PREFIX):
        text = text[len(GRAPH_EXEC_PREFIX):].lstrip("\n")
    if text.startswith("Detected at node"):
        m = re.search(r"^Node: '[^']*'\n", text, flags=re.M)
        if m:
            text = text[m.end():]
    return text


def message_head(msg):
    """First meaningful line, cut at the first newline, ' Originally defined at' or a
    '\t [[{{node ...}}]]' annotation."""
    text = _strip_banners(msg)
    cuts = [i for i in (text.find("\n"), text.find(" Originally defined at"),
                        text.find("\t [[")) if i >= 0]
    if cuts:
        text = text[:min(cuts)]
    return text.strip()


def message_core(msg):
    """For wrapped errors (Saver.restore: '... Original error:\n\n<op error>'), the head of the
    wrapped error; else None."""
    if ORIGINAL_ERROR not in msg:
        return None
    return message_head(msg.split(ORIGINAL_ERROR, 1)[1].lstrip("\n"))


def run_case(c):
    tf.reset_default_graph()
    saved_print = np.get_printoptions()
    ns = {"tf": tf, "np": np, "__name__": "__tfref_case__"}
    buf = io.StringIO()
    error = None
    try:
        with contextlib.redirect_stdout(buf):
            exec(compile(c.code, f"<{c.id}>", "exec"), ns)
    except Exception as e:  # recording the exception is the point
        # str(KeyError) adds quotes; keep the plain message
        text = str(e.args[0]) if isinstance(e, KeyError) and e.args else str(e)
        error = {"type": type(e).__name__, "message": _normalise(text)}
        if isinstance(e, KeyError):
            error["str"] = _normalise(str(e))
        raw = text
        if isinstance(e, tf.errors.OpError):
            error["op_error"] = True
            if e.message != str(e):
                error["op_message"] = _normalise(e.message)
            raw = e.message
        error["message_head"] = message_head(raw)
        core = message_core(raw)
        if core is not None:
            error["message_core"] = core
    finally:
        np.set_printoptions(**saved_print)
    if tf.get_default_session() is not None:
        raise RuntimeError(f"case {c.id} left a default session installed")
    return {"id": c.id, "topic": c.topic, "code": c.code, "stdout": buf.getvalue(),
            "error": error}


def check_cases():
    ids = [c.id for c in CASES + LEGACY_KERAS_CASES]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise SystemExit(f"duplicate case ids: {dupes}")
    for c in CASES + LEGACY_KERAS_CASES:
        if c.topic not in TOPICS:
            raise SystemExit(f"bad topic {c.topic!r} in {c.id}")


def legacy_keras_pass(path):
    """The child process: record LEGACY_KERAS_CASES (TF_USE_LEGACY_KERAS=1 is set) to ``path``."""
    import tf_keras

    if os.environ.get("TF_USE_LEGACY_KERAS") != "1" or not hasattr(tf, "layers"):
        raise SystemExit("the legacy Keras pass needs TF_USE_LEGACY_KERAS=1 and tf_keras")
    section = {
        "source": f"recorded from tensorflow-cpu=={tf.__version__} with "
                  f"tf_keras=={tf_keras.__version__} and TF_USE_LEGACY_KERAS=1 (tf.layers exists "
                  "only so) by tools/record_tf_reference.py, in a second process",
        "tf_keras_version": tf_keras.__version__,
        "cases": [],
    }
    for c in LEGACY_KERAS_CASES:  # a plain loop: the call stack is part of some messages
        section["cases"].append(run_case(c))
    with open(path, "w", encoding="utf-8") as f:
        json.dump(section, f)


def record_legacy_keras_section():
    """Runs the legacy Keras pass in a child process: the variable must be set before
    TensorFlow is imported, and this process has imported it without."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "legacy_keras.json")
        env = dict(os.environ, TF_USE_LEGACY_KERAS="1")
        subprocess.run([sys.executable, os.path.abspath(__file__), LEGACY_KERAS_PASS, path],
                       env=env, check=True)
        with open(path, encoding="utf-8") as f:
            return json.load(f)


def main():
    check_cases()
    if os.environ.get("TF_USE_LEGACY_KERAS") == "1":
        raise SystemExit("run without TF_USE_LEGACY_KERAS: it changes tf.keras for the main "
                         "cases; the recorder sets it itself for the legacy Keras cases")
    if "--legacy-keras-only" in sys.argv[1:]:  # refresh that section, keep the main cases
        with open(OUT, encoding="utf-8") as f:
            out = json.load(f)
        results = out["cases"]
    else:
        results = []
        for c in CASES:  # a plain loop: TF's messages quote the call stack
            results.append(run_case(c))
        version = tf.__version__
        out = {
            "source": f"recorded from tensorflow-cpu=={version} (tensorflow.compat.v1, "
                      "disable_v2_behavior) by tools/record_tf_reference.py",
            "tensorflow_version": version,
            "numpy_version": np.__version__,
            "python_version": "{}.{}.{}".format(*sys.version_info[:3]),
            "notes": [
                "KeyError messages are stored as e.args[0] in 'message'; 'str' holds str(e) "
                "(quoted).",
                "For tf.errors.OpError, TensorFlow 2.x prefixes the message with "
                "'Graph execution error:\\n\\n' and, for errors not raised by a fetch, a "
                "'Detected at node ... Node: 'name'' traceback block; message_head drops both, "
                "then cuts at the first newline, ' Originally defined at' or '\\t [[{{node ...}}]]'.",
                "message_core (only when present) is the head of the error wrapped after "
                "'Original error:' (Saver.restore failures).",
                "Absolute paths in messages are replaced by <site-packages> and <repo>; this "
                "recorder's own line numbers by N.",
                "'legacy_keras' holds the cases that need tf.layers, recorded in a second "
                "process with TF_USE_LEGACY_KERAS=1 and tf_keras (which also makes tf.keras "
                "TF1's Keras instead of Keras 3); its cases have the same format.",
            ],
            "cases": results,
        }
    out["legacy_keras"] = record_legacy_keras_section()
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1, ensure_ascii=False)
        f.write("\n")
    legacy = out["legacy_keras"]["cases"]
    counts = collections.Counter(c["topic"] for c in results + legacy)
    errors = sum(1 for r in results + legacy if r["error"])
    print(f"wrote {os.path.relpath(OUT, REPO)}: {len(results)} + {len(legacy)} legacy Keras "
          f"cases ({errors} raise) {dict(counts)}")


if __name__ == "__main__":
    if sys.argv[1:2] == [LEGACY_KERAS_PASS]:
        legacy_keras_pass(sys.argv[2])
    else:
        main()
