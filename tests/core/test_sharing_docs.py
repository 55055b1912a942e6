"""The sharing examples of documents 002 and 003 (../shared/seeds/), as a learner runs them.

Each test is the document's code with `import tfteach as tf`; the expected output is
what TensorFlow 2.21 (tensorflow.compat.v1) printed for it (recorded cases with topic
"sharing" in tests/fixtures/tf1_reference.json), which is also what the documents show.
Document 002's conv_relu uses tf.nn.conv2d; here the same layer is a dense one
(matmul), which keeps every variable name and every sharing rule of the example.
"""

import re

import numpy as np
import pytest

import tfteach as tf

EXISTS = (
    "already exists, disallowed. Did you mean to set reuse=True or reuse=tf.AUTO_REUSE in VarScope?"
)
MISSING = (
    "does not exist, or was not created with tf.get_variable(). "
    "Did you mean to set reuse=tf.AUTO_REUSE in VarScope?"
)


def starts(message: str) -> str:
    """A pytest.raises pattern: the error message starts with ``message``."""
    return "^" + re.escape(message)


def names(variables):
    return [v.name for v in variables]


# -- document 002 -----------------------------------------------------------------------


def test_doc002_create_and_initialize():
    my_variable = tf.get_variable("my_variable", [1, 2, 3])
    my_int_variable = tf.get_variable(
        "my_int_variable", [1, 2, 3], dtype=tf.int32, initializer=tf.zeros_initializer
    )
    other_variable = tf.get_variable(
        "other_variable", dtype=tf.int32, initializer=tf.constant([23, 42])
    )
    assert repr(my_variable) == "<tf.Variable 'my_variable:0' shape=(1, 2, 3) dtype=float32_ref>"
    assert str(my_variable.dtype) == "<dtype: 'float32_ref'>"
    assert (
        repr(my_int_variable) == "<tf.Variable 'my_int_variable:0' shape=(1, 2, 3) dtype=int32_ref>"
    )
    assert repr(other_variable) == "<tf.Variable 'other_variable:0' shape=(2,) dtype=int32_ref>"
    session = tf.Session()
    session.run(tf.global_variables_initializer())
    session.run(my_variable.initializer)
    assert session.run(tf.report_uninitialized_variables()).tolist() == []
    assert session.run(my_int_variable).tolist() == [[[0, 0, 0], [0, 0, 0]]]
    assert session.run(other_variable).tolist() == [23, 42]
    session.close()


def test_doc002_initialized_value_in_another_graph():
    graph_tensor = tf.Graph()
    with graph_tensor.as_default():
        v = tf.get_variable("v", shape=(), initializer=tf.zeros_initializer())
        w = tf.get_variable("w", initializer=v.initialized_value() + 1)
    assert (repr(v), repr(w)) == (
        "<tf.Variable 'v:0' shape=() dtype=float32_ref>",
        "<tf.Variable 'w:0' shape=() dtype=float32_ref>",
    )
    assert tf.global_variables() == []  # the default graph is another graph
    with tf.Session(graph=graph_tensor) as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(v + 1) == 1.0
        assert sess.run(w) == 1.0
    with tf.Session(graph=graph_tensor) as sess:
        assignment = v.assign_add(1)
        sess.run(tf.global_variables_initializer())
        assert sess.run(assignment) == 1.0


def dense_relu(input, kernel_shape, bias_shape):
    # document 002's conv_relu, with matmul in place of conv2d
    weights = tf.get_variable("weights", kernel_shape, initializer=tf.random_normal_initializer())
    biases = tf.get_variable("biases", bias_shape, initializer=tf.constant_initializer(0.0))
    return tf.nn.relu(tf.matmul(input, weights) + biases)


def my_image_filter(input_images):
    with tf.variable_scope("conv1"):
        relu1 = dense_relu(input_images, [32, 32], [32])
    with tf.variable_scope("conv2"):
        return dense_relu(relu1, [32, 32], [32])


def test_doc002_calling_the_layer_twice_fails():
    input1 = tf.random_normal([1, 32])
    x = dense_relu(input1, kernel_shape=[32, 32], bias_shape=[32])
    assert repr(x) == "<tf.Tensor 'Relu:0' shape=(1, 32) dtype=float32>"
    with pytest.raises(ValueError, match=starts(f"Variable weights {EXISTS}")):
        dense_relu(x, kernel_shape=[32, 32], bias_shape=[32])  # This fails.


def shares_weights(output1, output2, input1, input2):
    """Both outputs are the same function: equal outputs for one fed input."""
    x = np.random.default_rng(0).normal(size=(1, 32)).astype(np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        a, b = sess.run([output1, output2], {input1: x, input2: x})
    return np.array_equal(a, b)


def test_doc002_my_image_filter_shared_with_reuse_true():
    input1 = tf.placeholder(tf.float32, [1, 32])
    input2 = tf.placeholder(tf.float32, [1, 32])
    with tf.variable_scope("model"):
        output1 = my_image_filter(input1)
    with tf.variable_scope("model", reuse=True):
        output2 = my_image_filter(input2)
    assert names(tf.global_variables()) == [
        "model/conv1/weights:0",
        "model/conv1/biases:0",
        "model/conv2/weights:0",
        "model/conv2/biases:0",
    ]
    assert (output1.name, output2.name) == ("model/conv2/Relu:0", "model_1/conv2/Relu:0")
    assert shares_weights(output1, output2, input1, input2)


def test_doc002_my_image_filter_shared_with_reuse_variables():
    input1 = tf.placeholder(tf.float32, [1, 32])
    input2 = tf.placeholder(tf.float32, [1, 32])
    with tf.variable_scope("model") as scope:
        output1 = my_image_filter(input1)
        scope.reuse_variables()
        output2 = my_image_filter(input2)
    assert len(tf.global_variables()) == 4
    assert (output1.name, output2.name) == ("model/conv2/Relu:0", "model/conv2_1/Relu:0")
    assert shares_weights(output1, output2, input1, input2)


# -- document 003 -----------------------------------------------------------------------


def test_doc003_get_variable_ignores_name_scope():
    vocab_size, embed_size = 10, 4
    with tf.name_scope("embed"):
        embed_matrix = tf.get_variable("embed_matrix", shape=[vocab_size, embed_size])
    with tf.name_scope("loss"):
        nce_bias = tf.get_variable("nce_bias", initializer=tf.zeros([vocab_size]))
    assert (embed_matrix.name, nce_bias.name) == ("embed_matrix:0", "nce_bias:0")
    assert nce_bias.shape.as_list() == [vocab_size]
    assert nce_bias.initial_value.name == "loss/zeros:0"  # made by tf.zeros, in the name scope


def two_hidden_layers_variable(x):
    w1 = tf.Variable(tf.random_normal([100, 50]), name="h1_weights")
    b1 = tf.Variable(tf.zeros([50]), name="h1_biases")
    h1 = tf.matmul(x, w1) + b1
    w2 = tf.Variable(tf.random_normal([50, 10]), name="h2_weights")
    b2 = tf.Variable(tf.zeros([10]), name="2_biases")
    return tf.matmul(h1, w2) + b2


def two_hidden_layers(x):
    assert x.shape.as_list() == [200, 100]
    w1 = tf.get_variable("h1_weights", [100, 50], initializer=tf.random_normal_initializer())
    b1 = tf.get_variable("h1_biases", [50], initializer=tf.constant_initializer(0.0))
    h1 = tf.matmul(x, w1) + b1
    assert h1.shape.as_list() == [200, 50]
    w2 = tf.get_variable("h2_weights", [50, 10], initializer=tf.random_normal_initializer())
    b2 = tf.get_variable("h2_biases", [10], initializer=tf.constant_initializer(0.0))
    return tf.matmul(h1, w2) + b2


@pytest.fixture
def inputs():
    return (
        tf.placeholder(tf.float32, [200, 100], name="x1"),
        tf.placeholder(tf.float32, [200, 100], name="x2"),
    )


def test_doc003_tf_variable_makes_two_sets_of_parameters(inputs):
    x1, x2 = inputs
    logits1 = two_hidden_layers_variable(x1)
    logits2 = two_hidden_layers_variable(x2)
    assert names(tf.global_variables()) == [
        "h1_weights:0",
        "h1_biases:0",
        "h2_weights:0",
        "2_biases:0",
        "h1_weights_1:0",
        "h1_biases_1:0",
        "h2_weights_1:0",
        "2_biases_1:0",
    ]
    assert (logits1.name, logits2.name) == ("add_1:0", "add_3:0")


def test_doc003_plain_get_variable_refuses_the_second_call(inputs):
    x1, x2 = inputs
    two_hidden_layers(x1)
    with pytest.raises(ValueError, match=starts(f"Variable h1_weights {EXISTS}")):
        two_hidden_layers(x2)


def test_doc003_reuse_variables_shares_both_layers(inputs):
    x1, x2 = inputs
    with tf.variable_scope("two_layers") as scope:
        logits1 = two_hidden_layers(x1)
        scope.reuse_variables()
        logits2 = two_hidden_layers(x2)
    assert names(tf.global_variables()) == [
        "two_layers/h1_weights:0",
        "two_layers/h1_biases:0",
        "two_layers/h2_weights:0",
        "two_layers/h2_biases:0",
    ]
    assert (logits1.name, logits2.name) == ("two_layers/add_1:0", "two_layers/add_3:0")
    x = np.random.default_rng(1).normal(size=(200, 100)).astype(np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        a, b = sess.run([logits1, logits2], {x1: x, x2: x})
    assert np.array_equal(a, b)


def fully_connected(x, output_dim, scope):
    with tf.variable_scope(scope, reuse=tf.AUTO_REUSE) as scope:
        w = tf.get_variable(
            "weights", [x.shape[1], output_dim], initializer=tf.random_normal_initializer()
        )
        b = tf.get_variable("biases", [output_dim], initializer=tf.constant_initializer(0.0))
        return tf.matmul(x, w) + b


def two_hidden_layers_auto(x):
    h1 = fully_connected(x, 50, "h1")
    return fully_connected(h1, 10, "h2")


def test_doc003_fully_connected_with_auto_reuse(inputs):
    x1, x2 = inputs
    with tf.variable_scope("two_layers"):
        logits1 = two_hidden_layers_auto(x1)
        logits2 = two_hidden_layers_auto(x2)
    assert sorted(names(tf.global_variables())) == [
        "two_layers/h1/biases:0",
        "two_layers/h1/weights:0",
        "two_layers/h2/biases:0",
        "two_layers/h2/weights:0",
    ]
    matmuls = [op.name for op in tf.get_default_graph().get_operations() if op.type == "MatMul"]
    assert sorted(matmuls) == [
        "two_layers/h1/MatMul",
        "two_layers/h1_1/MatMul",
        "two_layers/h2/MatMul",
        "two_layers/h2_1/MatMul",
    ]
    assert logits1.shape.as_list() == logits2.shape.as_list() == [200, 10]


def test_doc003_constant_variable_and_get_variable_twice():
    assert [tf.constant([1, 2], name="c").name for _ in range(2)] == ["c:0", "c_1:0"]
    a = [repr(tf.Variable(tf.constant([1, 2]), name="a")) for _ in range(2)]
    assert a == [
        "<tf.Variable 'a:0' shape=(2,) dtype=int32_ref>",
        "<tf.Variable 'a_1:0' shape=(2,) dtype=int32_ref>",
    ]
    b = tf.get_variable(name="b", initializer=tf.constant([1, 2]))
    assert repr(b) == "<tf.Variable 'b:0' shape=(2,) dtype=int32_ref>"
    with pytest.raises(ValueError, match=starts(f"Variable b {EXISTS} Originally defined at:")):
        tf.get_variable(name="b", initializer=tf.constant([1, 2]))


def test_doc003_scope1_get_variable_is_shared_tf_variable_is_not():
    with tf.variable_scope("scope1"):
        w1 = tf.get_variable("w1", shape=[])
        w2 = tf.Variable(0.0, name="w2")
    with tf.variable_scope("scope1", reuse=True):
        w1_p = tf.get_variable("w1", shape=[])
        w2_p = tf.Variable(1.0, name="w2")
    assert (w1 is w1_p, w2 is w2_p) == (True, False)
    assert (repr(w1), repr(w1_p)) == (
        "<tf.Variable 'scope1/w1:0' shape=() dtype=float32_ref>",
        "<tf.Variable 'scope1/w1:0' shape=() dtype=float32_ref>",
    )
    assert (repr(w2), repr(w2_p)) == (
        "<tf.Variable 'scope1/w2:0' shape=() dtype=float32_ref>",
        "<tf.Variable 'scope1_1/w2:0' shape=() dtype=float32_ref>",
    )


def test_doc003_scope1_all_get_variable_then_a_missing_one():
    with tf.variable_scope("scope1"):
        w1 = tf.get_variable("w1", shape=[])
        w2 = tf.get_variable("w2", shape=[])
    with tf.variable_scope("scope1", reuse=True):
        assert tf.get_variable("w1", shape=[]) is w1
        assert tf.get_variable("w2", shape=[]) is w2
        with pytest.raises(ValueError, match=starts(f"Variable scope1/w3 {MISSING}")):
            tf.get_variable("w3", shape=[])


def doc003_test(mode):
    w = tf.get_variable(name=mode + "w", shape=[1, 2])
    u = tf.get_variable(name="u", shape=[1, 2])
    return w, u


def test_doc003_test_mode_without_reuse():
    with tf.variable_scope("test"):
        doc003_test("mode1")
        with pytest.raises(ValueError, match=starts(f"Variable test/u {EXISTS}")):
            doc003_test("mode2")


def test_doc003_test_mode_with_reuse_true():
    with tf.variable_scope("test", reuse=True):
        with pytest.raises(ValueError, match=starts(f"Variable test/mode1w {MISSING}")):
            doc003_test("mode1")


def test_doc003_test_mode_reuse_variables_in_the_middle():
    with tf.variable_scope("test") as scope:
        doc003_test("mode1")
        scope.reuse_variables()
        with pytest.raises(ValueError, match=starts(f"Variable test/mode2w {MISSING}")):
            doc003_test("mode2")


def test_doc003_test_mode_reuse_variables_at_the_start():
    with tf.variable_scope("test") as scope:
        scope.reuse_variables()
        with pytest.raises(ValueError, match=starts(f"Variable test/mode1w {MISSING}")):
            doc003_test("mode1")


def test_doc003_test_mode_with_auto_reuse():
    with tf.variable_scope("test", reuse=tf.AUTO_REUSE) as scope:
        w1, u1 = doc003_test("mode1")
        w2, u2 = doc003_test("mode2")
    assert names([w1, u1, w2, u2]) == ["test/mode1w:0", "test/u:0", "test/mode2w:0", "test/u:0"]
    assert (w1 is w2, u1 is u2) == (False, True)
    assert names(tf.global_variables()) == ["test/mode1w:0", "test/u:0", "test/mode2w:0"]
    assert scope.reuse is tf.AUTO_REUSE


def test_doc003_constant_initializer_lays_a_matrix_out_into_the_shape():
    value = np.array([[1, 2, 3], [2, 3, 4]])
    init = tf.constant_initializer(value)
    with tf.Session() as sess:
        x = tf.get_variable(initializer=init, shape=[6], name="x")
        x.initializer.run()
        assert sess.run(x).tolist() == [1.0, 2.0, 3.0, 2.0, 3.0, 4.0]
