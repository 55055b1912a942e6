"""`tf.gradients`: every op's gradient against central finite differences, and the sweep itself
(sums over several ys, None where unconnected, grad_ys, names under ``gradients/``)."""

import numpy as np
import pytest

import tfteach as tf

RNG_SEED = 20240607


def numeric_gradient(f, values, i, weights, h=1e-6):
    """d sum(weights * f(values)) / d values[i], by central differences."""
    x = values[i]
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        saved = x[index]
        x[index] = saved + h
        up = np.sum(weights * f(values))
        x[index] = saved - h
        down = np.sum(weights * f(values))
        x[index] = saved
        grad[index] = (up - down) / (2 * h)
    return grad


def check_gradients(build, *inputs, static_shapes=None, atol=1e-6, rtol=1e-5, h=1e-6):
    """Builds ``y = build(*placeholders)`` on float64 placeholders fed ``inputs`` and checks
    ``gradients(y, placeholders, grad_ys=W)`` against finite differences of sum(W * y)
    (steps of ``h``: larger for a ``y`` computed in float32, as tf.losses computes)."""
    values = [np.array(v, dtype=np.float64) for v in inputs]
    shapes = static_shapes or [v.shape for v in values]
    xs = [tf.placeholder(tf.float64, shape) for shape in shapes]
    y = build(*xs)
    with tf.Session() as sess:

        def f(vals):
            return sess.run(y, dict(zip(xs, vals)))

        out = f(values)
        weights = np.random.RandomState(RNG_SEED).uniform(0.5, 1.5, np.shape(out))
        grads = tf.gradients(y, xs, grad_ys=tf.constant(weights))
        assert all(g is not None for g in grads)
        symbolic = sess.run(grads, dict(zip(xs, values)))
        for i, g in enumerate(symbolic):
            assert g.shape == values[i].shape
            expected = numeric_gradient(f, values, i, weights, h)
            np.testing.assert_allclose(g, expected, atol=atol, rtol=rtol)


def rand(*shape, low=-2.0, high=2.0, seed=0):
    return np.random.RandomState(seed).uniform(low, high, shape)


def away_from_zero(*shape, seed=0):
    x = rand(*shape, low=0.3, high=2.0, seed=seed)
    return x * np.where(np.random.RandomState(seed + 1).rand(*shape) < 0.5, -1, 1)


# -- elementwise ops, with broadcasting ------------------------------------------------------

BROADCAST_SHAPES = [
    ((3, 4), (3, 4)),
    ((3, 4), (4,)),
    ((3, 1), (1, 4)),
    ((), (2, 3)),
    ((2, 1, 3), (4, 1)),
]


@pytest.mark.parametrize("shapes", BROADCAST_SHAPES, ids=str)
@pytest.mark.parametrize(
    "fn",
    [tf.add, tf.subtract, tf.multiply, tf.maximum, tf.minimum, tf.squared_difference],
    ids=lambda f: f.__name__,
)
def test_binary_op_gradients_sum_over_broadcast_axes(fn, shapes):
    a, b = rand(*shapes[0], seed=1), rand(*shapes[1], seed=2)
    check_gradients(fn, a, b)


@pytest.mark.parametrize("shapes", BROADCAST_SHAPES, ids=str)
def test_division_gradient(shapes):
    check_gradients(tf.divide, rand(*shapes[0], seed=3), away_from_zero(*shapes[1], seed=4))


def test_operators_and_pow_gradients():
    x, y = rand(2, 3, low=0.5, high=2.0, seed=5), rand(3, low=-1.5, high=1.5, seed=6)
    check_gradients(lambda a, b: a**b, x, y)
    check_gradients(lambda a, b: -a * 3.0 + b / 2.0 - tf.reduce_sum(a @ tf.transpose(a)), x, y)


def test_floormod_gradient_away_from_jumps():
    x, y = np.array([[5.3, -2.2], [7.9, 1.4]]), np.array([2.0, 3.0])
    check_gradients(tf.mod, x, y)


def test_div_no_nan_gradient():
    check_gradients(tf.div_no_nan, rand(2, 3, seed=7), away_from_zero(2, 3, seed=8))


@pytest.mark.parametrize(
    "fn, make_input",
    [
        (tf.negative, rand),
        (tf.abs, away_from_zero),
        (tf.square, rand),
        (tf.sqrt, lambda *s, seed: rand(*s, low=0.5, high=3.0, seed=seed)),
        (tf.rsqrt, lambda *s, seed: rand(*s, low=0.5, high=3.0, seed=seed)),
        (tf.exp, rand),
        (tf.log, lambda *s, seed: rand(*s, low=0.5, high=3.0, seed=seed)),
        (tf.tanh, rand),
        (tf.sigmoid, rand),
        (tf.nn.relu, away_from_zero),
        (tf.reciprocal, away_from_zero),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_unary_op_gradients(fn, make_input):
    check_gradients(fn, make_input(3, 4, seed=9))


def test_sign_has_zero_gradient():
    x = tf.constant([-1.5, 2.0])
    with tf.Session() as sess:
        assert sess.run(tf.gradients(tf.sign(x), x)[0]).tolist() == [0.0, 0.0]


@pytest.mark.parametrize("ta", [False, True])
@pytest.mark.parametrize("tb", [False, True])
def test_matmul_gradients_with_transpose_flags(ta, tb):
    a = rand(*((4, 3) if ta else (3, 4)), seed=10)
    b = rand(*((5, 4) if tb else (4, 5)), seed=11)
    check_gradients(lambda x, y: tf.matmul(x, y, transpose_a=ta, transpose_b=tb), a, b)


def test_add_n_and_cast_gradients():
    x = rand(2, 3, seed=12)
    check_gradients(lambda a: tf.add_n([a, a * 2.0, tf.square(a)]), x)
    # float32 rounding defeats finite differences: the gradient of a float cast is exact
    p = tf.placeholder(tf.float64, [2])
    g = tf.gradients(tf.cast(tf.cast(p, tf.float32) * 3.0, tf.float64), p)[0]
    with tf.Session() as sess:
        assert sess.run(g, {p: [1.0, 2.0]}).tolist() == [3.0, 3.0]


# -- reductions -------------------------------------------------------------------------------


@pytest.mark.parametrize("reduce", [tf.reduce_sum, tf.reduce_mean, tf.reduce_max, tf.reduce_min])
@pytest.mark.parametrize("axis", [None, 0, 1, -1, [0, 2]])
@pytest.mark.parametrize("keepdims", [False, True])
def test_reduction_gradients(reduce, axis, keepdims):
    x = rand(2, 3, 4, seed=13)  # distinct values: max and min are unique
    check_gradients(lambda a: reduce(a, axis=axis, keepdims=keepdims), x)


def test_max_gradient_is_shared_between_ties():
    # same values from TensorFlow 2.21 (compat.v1), checked by hand
    x = tf.constant([[1.0, 3.0, 3.0], [2.0, 0.0, -1.0]])
    with tf.Session() as sess:
        grad = sess.run(tf.gradients(tf.reduce_max(x, axis=1), x)[0])
    assert grad.tolist() == [[0.0, 0.5, 0.5], [1.0, 0.0, 0.0]]


def test_gradients_with_an_unknown_batch_dimension():
    x, b = rand(5, 3, seed=14), rand(3, seed=15)
    shapes = [(None, 3), (3,)]
    check_gradients(lambda a, c: tf.reduce_mean(tf.square(a + c)), x, b, static_shapes=shapes)
    check_gradients(lambda a, c: tf.reduce_sum(a * c, axis=1), x, b, static_shapes=shapes)


def test_gradients_when_only_the_run_knows_the_broadcast():
    x, y = rand(4, 1, seed=16), rand(1, 3, seed=17)
    check_gradients(tf.multiply, x, y, static_shapes=[(None, None), (None, None)])
    check_gradients(
        lambda a: tf.reduce_mean(a, axis=0), rand(4, 3, seed=18), static_shapes=[(None, None)]
    )


# -- shapes and slicing ----------------------------------------------------------------------


def test_reshape_transpose_expand_squeeze_gradients():
    x = rand(2, 3, 4, seed=19)
    check_gradients(lambda a: tf.reshape(a, [4, -1]) * 2.0, x)
    check_gradients(lambda a: tf.transpose(a, [2, 0, 1]) * tf.constant(rand(4, 2, 3)), x)
    check_gradients(lambda a: tf.transpose(a) * 1.5, x)
    check_gradients(lambda a: tf.expand_dims(a, 1) * 3.0, x)
    check_gradients(lambda a: tf.squeeze(a, axis=[1]) * 3.0, rand(2, 1, 3, seed=20))


def test_concat_slice_pad_gradients():
    a, b = rand(2, 3, seed=21), rand(2, 5, seed=22)
    check_gradients(lambda x, y: tf.concat([x, tf.square(y), x], axis=1), a, b)
    check_gradients(
        lambda x, y: tf.concat([x, y], axis=-1), a, b, static_shapes=[(None, None), (2, None)]
    )
    check_gradients(lambda x: tf.slice(x, [0, 1], [2, -1]) * 2.0, b)
    check_gradients(lambda x: tf.pad(x, [[1, 0], [2, 1]]) * 2.0, a)


def test_stack_unstack_gather_where_broadcast_to_gradients():
    a, b = rand(2, 3, seed=23), rand(2, 3, seed=24)
    check_gradients(lambda x, y: tf.stack([x, y * y], axis=1), a, b)
    check_gradients(lambda x: tf.concat([tf.unstack(x, axis=1)[2] * 3.0, tf.unstack(x)[0]], 0), a)
    check_gradients(lambda x: tf.gather(x, [2, 0, 2], axis=1), a)
    check_gradients(lambda x, y: tf.where(x > y, x, y * 2.0), a, b)
    check_gradients(lambda x: tf.broadcast_to(x, [4, 2, 3]), a)
    check_gradients(lambda x: tf.fill([2, 2], tf.reduce_sum(x)), a)


# -- layer ops --------------------------------------------------------------------------------


def test_softmax_and_cross_entropy_gradients():
    logits, labels = rand(4, 5, seed=25), rand(4, 5, low=0.0, high=1.0, seed=26)
    # TF's gradient for the logits (softmax - labels) assumes each row of labels sums to 1
    labels /= labels.sum(axis=1, keepdims=True)
    check_gradients(tf.nn.softmax, logits)
    check_gradients(lambda x: tf.nn.softmax(x, axis=0), logits)
    check_gradients(tf.nn.log_softmax, logits)
    check_gradients(
        lambda x, y: tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=x), logits, labels
    )
    check_gradients(
        lambda x, y: tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=x, axis=0),
        logits.T,
        labels.T,
    )


def test_sparse_cross_entropy_l2_loss_bias_add_gradients():
    logits = rand(4, 5, seed=27)
    labels = tf.constant([0, 4, 2, 2])
    check_gradients(
        lambda x: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=x), logits
    )
    check_gradients(tf.nn.l2_loss, logits)
    check_gradients(tf.nn.bias_add, rand(2, 3, 5, seed=28), rand(5, seed=29))


@pytest.mark.parametrize("padding", ["SAME", "VALID"])
@pytest.mark.parametrize("stride", [1, 2])
def test_conv2d_gradients(padding, stride):
    x, k = rand(2, 5, 6, 3, seed=30), rand(3, 2, 3, 4, seed=31)
    check_gradients(
        lambda a, f: tf.nn.conv2d(a, f, strides=[1, stride, stride, 1], padding=padding), x, k
    )


@pytest.mark.parametrize("padding", ["SAME", "VALID"])
def test_max_pool_gradient(padding):
    x = rand(2, 5, 5, 3, seed=32)  # continuous values: no ties in a window
    check_gradients(lambda a: tf.nn.max_pool(a, [1, 2, 3, 1], [1, 2, 2, 1], padding=padding), x)


def test_embedding_lookup_gradient_sums_repeated_rows():
    params = rand(5, 3, seed=33)
    check_gradients(lambda p: tf.nn.embedding_lookup(p, [[1, 3], [1, 1]]), params)
    p = tf.constant(params)
    with tf.Session() as sess:
        grad = sess.run(tf.gradients(tf.nn.embedding_lookup(p, [1, 3, 1]), p)[0])
    assert grad.tolist() == [[0.0] * 3, [2.0] * 3, [0.0] * 3, [1.0] * 3, [0.0] * 3]


def test_mean_squared_error_gradient():
    # the loss is float32 (as in TF), too coarse for finite differences: exact values instead
    predictions = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    labels = tf.constant([[0.0, 0.0], [1.0, 1.0]])
    grads = tf.gradients(tf.losses.mean_squared_error(labels, predictions), [predictions, labels])
    with tf.Session() as sess:
        dp, dl = sess.run(grads)
    assert dp.tolist() == [[0.5, 1.0], [1.0, 1.5]]  # 2 (p - l) / 4
    assert dl.tolist() == [[-0.5, -1.0], [-1.0, -1.5]]


# -- the sweep ------------------------------------------------------------------------------


def test_values_and_none_for_an_unconnected_x():
    # recorded from TensorFlow 2.21 (compat.v1): training_gradients_values
    x = tf.constant([1.0, 2.0, 3.0], dtype=tf.float64)
    y = tf.reduce_sum(x * x) + tf.reduce_mean(3.0 * x)
    z = tf.constant(1.0, dtype=tf.float64)
    g = tf.gradients(y, [x, z])
    assert g[1] is None
    with tf.Session() as sess:
        assert sess.run(g[0]).tolist() == [3.0, 5.0, 7.0]


def test_several_ys_are_summed():
    x = tf.constant([1.0, 2.0])
    a = tf.constant(3.0)
    with tf.Session() as sess:
        both = sess.run(tf.gradients([a * x, tf.square(x)], x)[0])
        gx, ga = sess.run(tf.gradients([a * x, x], [x, a]))
    assert both.tolist() == [5.0, 7.0]
    assert gx.tolist() == [4.0, 4.0] and ga == 3.0


def test_grad_ys_weight_each_y():
    # same values from TensorFlow 2.21 (compat.v1), checked by hand
    x = tf.constant([1.0, 2.0])
    y1, y2 = 2.0 * x, tf.reduce_sum(x)
    g = tf.gradients([y1, y2], x, grad_ys=[tf.constant([10.0, 100.0]), None])[0]
    with tf.Session() as sess:
        assert sess.run(g).tolist() == [21.0, 201.0]
    with pytest.raises(ValueError, match=r"^Length mismatch. Passed 1 grad_ys for 2 ys$"):
        tf.gradients([y1, y2], x, grad_ys=[1.0])


def test_no_gradient_through_stop_gradient_or_integers():
    x = tf.constant([1.5, 2.5])
    assert tf.gradients(tf.stop_gradient(x) * 2.0, x) == [None]
    assert tf.gradients(tf.cast(tf.cast(x, tf.int32), tf.float32), x) == [None]
    assert tf.gradients(x * tf.stop_gradient(x), x)[0] is not None
    assert tf.gradients(tf.zeros_like(x), x) == [None]


def test_stop_gradients_argument_and_zero_for_unconnected():
    # same values from TensorFlow 2.21 (compat.v1), checked by hand
    x = tf.constant(2.0)
    y = x * x
    z = y * x
    with tf.Session() as sess:
        assert sess.run(tf.gradients(z, x, stop_gradients=[y])[0]) == 4.0
        zero = tf.gradients(y, tf.constant(1.0), unconnected_gradients="zero")[0]
        assert sess.run(zero) == 0.0


def test_gradient_with_respect_to_a_variable_counts_every_read():
    # same values from TensorFlow 2.21 (compat.v1), checked by hand
    v = tf.Variable(3.0, name="v")
    y = v * v.read_value()
    g = tf.gradients(y, v)[0]
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(g) == 6.0


def test_gradient_ops_live_under_gradients_as_in_tensorflow():
    # recorded from TensorFlow 2.21 (compat.v1): training_gradient_op_names
    x = tf.constant(3.0, name="x")
    w = tf.constant(2.0, name="w")
    y = tf.multiply(w, x, name="y")
    before = set(tf.get_default_graph().get_operations())
    g = tf.gradients(y, [w, x])
    new = [(op.name, op.type) for op in tf.get_default_graph().get_operations() if op not in before]
    assert new == [
        ("gradients/Shape", "Const"),
        ("gradients/grad_ys_0/Const", "Const"),
        ("gradients/grad_ys_0", "Fill"),
        ("gradients/y_grad/Mul", "Mul"),
        ("gradients/y_grad/Mul_1", "Mul"),
    ]
    assert [t.name for t in g] == ["gradients/y_grad/Mul:0", "gradients/y_grad/Mul_1:0"]
    second = tf.gradients(y, x)[0]
    assert second.name.startswith("gradients_1/")
    with tf.Session() as sess:
        assert sess.run(g) == [3.0, 2.0]


def test_gradients_reaching_one_tensor_twice_are_added_with_add_n():
    # same values from TensorFlow 2.21 (compat.v1), checked by hand
    x = tf.constant(1.0, name="x")
    y = tf.square(x) + tf.exp(x)
    g = tf.gradients(y, x)[0]
    assert g.op.type == "AddN" and g.op.name == "gradients/AddN"


def test_a_deep_graph_needs_no_recursion():
    x = tf.constant(1.0)
    y = x
    for _ in range(3000):
        y = y * 1.0001
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(tf.gradients(y, x)[0]), 1.0001**3000, rtol=1e-4)


def test_missing_gradient_raises_lookup_error_and_leaves_the_graph_unchanged():
    x = tf.constant([1.0, 2.0])
    y = tf.reduce_prod(x, name="p")
    graph = tf.get_default_graph()
    n_ops = len(graph.get_operations())
    with pytest.raises(
        LookupError, match=r"^No gradient defined for operation'p' \(op type: Prod\)"
    ):
        tf.gradients(y, x)
    assert len(graph.get_operations()) == n_ops
    assert tf.gradients(tf.square(x), x)[0].name.startswith("gradients/")
