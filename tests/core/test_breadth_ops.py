"""The ops TF1 tutorials use beyond the basics (issue 20): reductions over a tensor of
unknown rank, range/rank/size, tile, split, one_hot, slicing with ``[]``, the logical
operators, clipping, the logistic loss, tf.device and count_up_to — values as numpy
computes them, TF's op names, and gradients against finite differences."""

import numpy as np
import pytest
from test_gradients import away_from_zero, check_gradients, rand

import tfteach as tf


def run(*fetches, feed_dict=None):
    with tf.Session() as sess:
        return sess.run(list(fetches), feed_dict)


# -- reductions over a tensor of unknown rank (document 004's regression) ----------------------


@pytest.mark.parametrize(
    "reduce, numpy_fn",
    [
        (tf.reduce_sum, np.sum),
        (tf.reduce_mean, np.mean),
        (tf.reduce_max, np.max),
        (tf.reduce_min, np.min),
        (tf.reduce_prod, np.prod),
    ],
)
def test_reducing_a_placeholder_without_shape_gives_a_scalar_of_every_element(reduce, numpy_fn):
    x = tf.placeholder(tf.float32)
    y = reduce(x)
    assert y.shape.as_list() == []
    names = [op.name for op in tf.get_default_graph().get_operations()]
    assert names == ["Placeholder", "Rank", "range/start", "range/delta", "range", y.op.name]
    value = np.arange(1, 7, dtype=np.float32).reshape(2, 3)
    np.testing.assert_allclose(run(y, feed_dict={x: value})[0], numpy_fn(value))
    np.testing.assert_allclose(run(y, feed_dict={x: 5.0})[0], 5.0)


@pytest.mark.parametrize("reduce", [tf.reduce_sum, tf.reduce_mean, tf.reduce_max, tf.reduce_min])
def test_gradients_of_reductions_over_unknown_rank(reduce):
    check_gradients(lambda x: reduce(x), rand(2, 3), static_shapes=[None])
    check_gradients(lambda x: reduce(x, axis=1), rand(2, 3), static_shapes=[None])


def test_linear_regression_on_unknown_rank_placeholders_learns():
    """Document 004's regression: X and Y fed without a declared shape."""
    X = tf.placeholder(tf.float32, name="X")
    Y = tf.placeholder(tf.float32, name="Y")
    w = tf.Variable(0.0, name="weights")
    b = tf.Variable(0.0, name="bias")
    loss = tf.reduce_mean(tf.square(Y - (X * w + b)))
    train = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
    xs = np.linspace(0, 5, 50).astype(np.float32)
    ys = 2 * xs + 1
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(loss, {X: xs, Y: ys})
        for _ in range(500):
            sess.run(train, {X: xs, Y: ys})
        last, w_value = sess.run([loss, w], {X: xs, Y: ys})
    assert last < first / 50
    assert abs(w_value - 2) < 0.2


# -- range, rank, size -------------------------------------------------------------------------


def test_range_counts_like_python_and_infers_the_widest_dtype():
    a, b, c, d = tf.range(5), tf.range(1, 5, 2), tf.range(2.0), tf.range(3, 0, -1)
    assert [t.name for t in (a, b, c, d)] == ["range:0", "range_1:0", "range_2:0", "range_3:0"]
    assert (a.dtype, c.dtype) == (tf.int32, tf.float32)
    assert c.shape.as_list() == [2]
    values = run(a, b, c, d)
    for got, want in zip(values, [range(5), range(1, 5, 2), [0.0, 1.0], range(3, 0, -1)]):
        np.testing.assert_array_equal(got, list(want))


def test_range_with_zero_delta_is_rejected():
    with pytest.raises(ValueError, match="Requires delta != 0"):
        tf.range(0, 5, 0)
    assert tf.get_default_graph().get_operations() == []


def test_rank_and_size_are_constants_when_known_and_ops_when_not():
    known = tf.zeros([2, 3])
    assert (tf.rank(known).op.type, tf.size(known).op.type) == ("Const", "Const")
    x = tf.placeholder(tf.float32)
    r, n = tf.rank(x), tf.size(x)
    assert (r.op.type, n.op.type) == ("Rank", "Size")
    assert run(r, n, feed_dict={x: np.zeros((2, 3, 4))}) == [3, 24]


# -- tile, split, one_hot -----------------------------------------------------------------------


def test_tile_repeats_along_each_axis():
    c = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    t = tf.tile(c, [2, 3])
    assert t.name == "Tile:0" and t.shape.as_list() == [4, 6]
    np.testing.assert_array_equal(run(t)[0], np.tile([[1, 2], [3, 4]], (2, 3)))
    check_gradients(lambda x: tf.tile(x, [3, 2]), rand(2, 3))
    check_gradients(lambda x: tf.tile(x, [2, 1]), rand(2, 3), static_shapes=[None])


def test_split_into_equal_pieces_and_given_sizes():
    c = tf.constant(np.arange(12.0).reshape(3, 4))
    halves = tf.split(c, 2, axis=1)
    parts = tf.split(c, [1, -1], axis=0)
    assert [t.name for t in halves] == ["split:0", "split:1"]
    assert [t.shape.as_list() for t in parts] == [[1, 4], [2, 4]]
    got = run(*halves, *parts)
    want = [*np.split(np.arange(12.0).reshape(3, 4), 2, axis=1)]
    want += np.split(np.arange(12.0).reshape(3, 4), [1], axis=0)
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g, w)
    check_gradients(lambda x: tf.split(x, 2, axis=1)[1] * 3, rand(3, 4))
    check_gradients(lambda x: tf.split(x, [1, 3], axis=1)[0], rand(3, 4))


def test_split_that_does_not_divide_is_rejected_and_leaves_the_graph_as_it_was():
    c = tf.constant([1.0, 2.0, 3.0])
    n_ops = len(tf.get_default_graph().get_operations())
    with pytest.raises(ValueError, match="Dimension size must be evenly divisible by 2 but is 3"):
        tf.split(c, 2)
    assert len(tf.get_default_graph().get_operations()) == n_ops


def test_one_hot_puts_on_value_at_each_index():
    h = tf.one_hot([0, 2, -1], 3)
    assert h.name == "one_hot:0" and h.dtype == tf.float32 and h.shape.as_list() == [3, 3]
    np.testing.assert_array_equal(run(h)[0], [[1, 0, 0], [0, 0, 1], [0, 0, 0]])
    h2 = tf.one_hot([1, 0], 2, on_value=5, off_value=-1, axis=0)
    assert h2.dtype == tf.int32
    np.testing.assert_array_equal(run(h2)[0], [[-1, 5], [5, -1]])


# -- slicing with [] -----------------------------------------------------------------------------


def test_slicing_builds_strided_slice_ops_with_numpy_results():
    value = np.arange(24.0).reshape(2, 3, 4)
    c = tf.constant(value)
    keys = [
        (0,),
        (slice(None), 1),
        (Ellipsis, tf.newaxis),
        (slice(None, None, -1),),
        (-1, slice(None, None, 2), slice(1, 3)),
        (0, Ellipsis, 2),
        (slice(1, None), tf.newaxis, -2),
    ]
    tensors = [c[k] for k in keys]
    assert tensors[0].name == "strided_slice:0"
    assert {t.op.type for t in tensors} == {"StridedSlice"}
    for t, k, got in zip(tensors, keys, run(*tensors)):
        assert t.shape.as_list() == list(value[k].shape)
        np.testing.assert_array_equal(got, value[k])


def test_slicing_with_a_tensor_index_and_on_a_variable():
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]], name="v")
    i = tf.placeholder(tf.int32, [])
    row = v[i]
    assert row.shape.as_list() == [2]
    with tf.Session() as sess:
        sess.run(v.initializer)
        np.testing.assert_array_equal(sess.run(row, {i: 1}), [3.0, 4.0])
        np.testing.assert_array_equal(sess.run(v[:, ::-1]), [[2.0, 1.0], [4.0, 3.0]])


def test_an_index_out_of_bounds_is_rejected_while_building():
    c = tf.constant([1.0, 2.0])
    with pytest.raises(ValueError, match="slice index 5 of dimension 0 out of bounds"):
        c[5]
    with pytest.raises(TypeError, match="are valid indices"):
        c[1.5]


def test_gradient_of_slicing_puts_the_gradient_back_in_place():
    check_gradients(lambda x: x[1:, ::2] * x[0, 1], rand(3, 4))
    check_gradients(lambda x: x[..., tf.newaxis, -1], rand(2, 3))


def test_iterating_a_tensor_or_variable_is_not_allowed_in_graph_mode():
    c = tf.constant([1, 2])
    v = tf.Variable([1, 2])
    for thing in (c, v):
        with pytest.raises(TypeError, match="Iterating over a symbolic `tf.Tensor` is not allowed"):
            for _ in thing:
                pass


# -- operators ------------------------------------------------------------------------------------


def test_every_python_operator_of_tensors_and_variables():
    a = tf.constant([True, True, False])
    b = tf.constant([True, False, False])
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    v = tf.Variable([[2.0, 0.5], [1.0, 3.0]], name="v")
    ops = {
        "xor": a ^ b,
        "and": a & b,
        "or": a | b,
        "LogicalNot": ~a,
        "matmul": x @ v,
        "floordiv": x // 2.0,
        "mod": v % 2.0,
        "pow": x**2,
        "Less": x < v,
        "GreaterEqual": v >= 1.0,
        "Neg": -v,
        "Abs": abs(-x),
    }
    for name, t in ops.items():
        assert t.op.name == name
    with tf.Session() as sess:
        sess.run(v.initializer)
        got = sess.run(ops)
    xv, vv = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[2.0, 0.5], [1.0, 3.0]])
    np.testing.assert_array_equal(got["xor"], [False, True, False])
    np.testing.assert_array_equal(got["and"], [True, False, False])
    np.testing.assert_array_equal(got["or"], [True, True, False])
    np.testing.assert_array_equal(got["LogicalNot"], [False, False, True])
    np.testing.assert_allclose(got["matmul"], xv @ vv)
    np.testing.assert_array_equal(got["floordiv"], xv // 2)
    np.testing.assert_array_equal(got["mod"], vv % 2)
    np.testing.assert_array_equal(got["pow"], xv**2)
    np.testing.assert_array_equal(got["Less"], xv < vv)
    np.testing.assert_array_equal(got["GreaterEqual"], vv >= 1)
    np.testing.assert_array_equal(got["Neg"], -vv)


# -- clipping and the logistic loss ---------------------------------------------------------------


def test_clip_by_value_and_clip_by_norm():
    value = np.array([[1.0, -2.0], [3.0, 4.0]])
    c = tf.constant(value)
    by_value = tf.clip_by_value(c, -1.0, 2.5)
    by_norm = tf.clip_by_norm(c, 1.0)
    rows = tf.clip_by_norm(c, 3.0, axes=[1])
    assert (by_value.name, by_norm.name) == ("clip_by_value:0", "clip_by_norm:0")
    got = run(by_value, by_norm, rows)
    np.testing.assert_allclose(got[0], np.clip(value, -1.0, 2.5))
    np.testing.assert_allclose(got[1], value / np.linalg.norm(value))
    norms = np.linalg.norm(value, axis=1, keepdims=True)
    np.testing.assert_allclose(got[2], value * 3.0 / np.maximum(norms, 3.0))
    check_gradients(lambda x: tf.clip_by_value(x, -1.0, 1.0), rand(3, 4) * 0.9 + 0.05)
    check_gradients(lambda x: tf.clip_by_norm(x, 1.0), away_from_zero(2, 3))


def test_sigmoid_cross_entropy_matches_the_formula_and_never_overflows():
    logits = np.array([-100.0, -1.0, 0.0, 2.0, 100.0])
    labels = np.array([0.0, 1.0, 0.5, 0.0, 1.0])
    loss = tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)
    assert loss.name == "logistic_loss:0"
    want = np.maximum(logits, 0) - logits * labels + np.log1p(np.exp(-np.abs(logits)))
    np.testing.assert_allclose(run(loss)[0], want)
    assert np.all(np.isfinite(run(loss)[0]))
    check_gradients(
        lambda x, z: tf.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x),
        away_from_zero(2, 3),
        rand(2, 3, low=0, high=1),
    )
    with pytest.raises(ValueError, match="logits and labels must have the same shape"):
        tf.nn.sigmoid_cross_entropy_with_logits(labels=[1.0, 0.0], logits=[[1.0]])


def test_log1p_and_its_gradient():
    check_gradients(lambda x: tf.log1p(x), rand(3, low=-0.5, high=2.0))


# -- tf.device and count_up_to -------------------------------------------------------------------


def test_device_records_the_canonical_device_string_and_changes_nothing_else():
    with tf.device("/gpu:1"):
        with tf.device("/job:worker"):
            a = tf.constant(1.0)
        with tf.device(None):
            b = tf.constant(2.0)
        with tf.device("/cpu:0"):
            c = tf.constant(3.0)
        d = a + c
    e = tf.constant(4.0)
    devices = [t.device for t in (a, b, c, d, e)]
    assert devices == ["/job:worker/device:GPU:1", "", "/device:CPU:0", "/device:GPU:1", ""]
    assert d.op.device == "/device:GPU:1"
    assert run(d, b) == [4.0, 2.0]


def test_count_up_to_counts_then_raises_out_of_range():
    n = tf.Variable(0, name="n")
    step = n.count_up_to(2)
    assert step.name == "CountUpTo:0"
    assert tf.count_up_to(n, 5).name == "CountUpTo_1:0"
    with tf.Session() as sess:
        sess.run(n.initializer)
        assert [sess.run(step), sess.run(step)] == [0, 1]
        with pytest.raises(tf.errors.OutOfRangeError, match="Reached limit of 2"):
            sess.run(step)
        assert sess.run(n) == 2


def test_count_up_to_needs_an_int_scalar_variable():
    with pytest.raises(TypeError, match="not in list of allowed values: int32, int64"):
        tf.Variable(0.0).count_up_to(3)


# -- random_shuffle and multinomial ----------------------------------------------------------------


def test_random_shuffle_permutes_rows_and_follows_the_seed_rules():
    value = np.arange(20.0).reshape(10, 2)
    s = tf.random_shuffle(tf.constant(value), seed=7)
    assert s.name == "RandomShuffle:0" and s.shape.as_list() == [10, 2]
    with tf.Session() as sess:
        first, second = sess.run(s), sess.run(s)
    with tf.Session() as sess:
        again = sess.run(s)
    assert sorted(map(tuple, first)) == sorted(map(tuple, value))
    assert not np.array_equal(first, second)  # a new order each run
    np.testing.assert_array_equal(first, again)  # a new session starts the sequence afresh


def test_multinomial_draws_classes_with_softmax_probabilities():
    logits = tf.log([[0.5, 0.5], [0.1, 0.9]])
    m = tf.multinomial(logits, 4000, seed=3)
    assert m.name == "multinomial/Multinomial:0"
    assert (m.dtype, m.shape.as_list()) == (tf.int64, [2, 4000])
    draws = run(m)[0]
    assert set(np.unique(draws)) <= {0, 1}
    np.testing.assert_allclose(draws.mean(axis=1), [0.5, 0.9], atol=0.03)


def test_the_mean_of_nothing_is_nan_without_a_warning(recwarn):
    """TF 2.21: reduce_mean of an empty float tensor is nan, and nothing is printed (numpy's
    own mean warns "Mean of empty slice"; the random-program campaign met it)."""
    empty = tf.constant([], dtype=tf.float32)
    with tf.Session() as sess:
        value = sess.run(tf.reduce_mean(empty))
    assert np.isnan(value) and value.dtype == np.float32
    assert [str(w.message) for w in recwarn] == []


@pytest.mark.parametrize(
    ("dtype", "lowest", "highest"),
    [
        (tf.float32, -np.inf, np.inf),
        (tf.float64, -np.inf, np.inf),
        (tf.int32, -(2**31), 2**31 - 1),
        (tf.int64, -(2**63), 2**63 - 1),
        (tf.uint8, 0, 255),
    ],
)
def test_the_max_and_min_of_nothing_are_the_dtypes_extremes(dtype, lowest, highest):
    # as TF: the identity of the reduction, not numpy's "zero-size array" error
    x = tf.zeros([0, 3], dtype)
    with tf.Session() as sess:
        big, small, columns, rows = sess.run(
            [tf.reduce_max(x), tf.reduce_min(x), tf.reduce_max(x, 0), tf.reduce_min(x, 1)]
        )
    assert (big, small) == (lowest, highest)
    np.testing.assert_array_equal(columns, [lowest] * 3)
    assert rows.shape == (0,) and rows.dtype == dtype.as_numpy_dtype


def test_max_and_min_of_values_and_their_gradients_are_unchanged():
    x = tf.constant([[1.0, 5.0], [3.0, -2.0]])
    with tf.Session() as sess:
        assert sess.run([tf.reduce_max(x), tf.reduce_min(x)]) == [5.0, -2.0]
    check_gradients(lambda t: tf.reduce_max(t, 1) + tf.reduce_min(t, 1), rand(3, 4))


@pytest.mark.parametrize(
    ("value", "dtype", "expected"),
    [
        (2**31, tf.int32, -(2**31)),
        (-(2**31) - 1, tf.int32, 2**31 - 1),
        ([1, 2**31], tf.int32, [1, -(2**31)]),
        (2**63, tf.int64, -(2**63)),
        (256, tf.uint8, 0),
        (-1, tf.uint8, 255),
    ],
)
def test_an_int_beyond_the_dtypes_range_wraps_around_as_in_tensorflow(value, dtype, expected):
    x = tf.placeholder(dtype, [])
    with tf.Session() as sess:
        assert sess.run(tf.constant(value, dtype=dtype)).tolist() == expected
        # an operand converts the same way: x + 2**31 on an int32 x builds, as in TF
        np.testing.assert_array_equal(sess.run(x + value, {x: 0}), expected)


def test_ints_without_a_dtype_widen_to_int64_then_uint64_and_beyond_is_a_type_error():
    assert tf.constant(2**31).dtype == tf.int64
    assert tf.constant(2**63).dtype == tf.uint64
    with tf.Session() as sess:
        assert sess.run(tf.constant(2**63)) == 2**63
    before = len(tf.get_default_graph().get_operations())
    for value in (2**64, -(2**63) - 1, [1, None]):
        with pytest.raises(TypeError, match=r"^Failed to convert elements of .* to Tensor\."):
            tf.constant(value)
    with pytest.raises(OverflowError):  # TF's own error here, too
        tf.constant(2**64, dtype=tf.int64)
    assert len(tf.get_default_graph().get_operations()) == before


def test_clip_by_global_norm_scales_every_tensor_by_one_factor():
    a, b = tf.constant([3.0, 4.0]), tf.constant([12.0])
    (ca, none, cb), norm = tf.clip_by_global_norm([a, None, b], 6.5)
    assert none is None
    (kept,), _ = tf.clip_by_global_norm([a], 100.0)
    with tf.Session() as sess:
        clipped_a, clipped_b, got_norm = sess.run([ca, cb, norm])
        np.testing.assert_allclose(clipped_a, [1.5, 2.0])
        np.testing.assert_allclose(clipped_b, [6.0])
        assert got_norm == 13.0
        np.testing.assert_array_equal(sess.run(kept), [3.0, 4.0])  # within the norm: as it was
    with pytest.raises(TypeError, match="`t_list` should be a sequence of tensors"):
        tf.clip_by_global_norm(a, 1.0)


def test_clip_by_global_norm_gradient():
    def build(x, y):
        (cx, cy), norm = tf.clip_by_global_norm([x, y], 1.5)
        return tf.concat([cx, cy, tf.reshape(norm, [1])], 0)

    check_gradients(build, rand(3), rand(2, seed=1))


def test_reduce_any_and_all_of_booleans_only():
    b = tf.constant([[True, False], [True, True]])
    with tf.Session() as sess:
        got = sess.run([tf.reduce_any(b), tf.reduce_all(b), tf.reduce_all(b, 1)])
        empty = sess.run(
            [tf.reduce_any(tf.zeros([0], tf.bool)), tf.reduce_all(tf.zeros([0], tf.bool))]
        )
    assert got[:2] == [True, False] and got[2].tolist() == [False, True]
    assert empty == [False, True]
    before = len(tf.get_default_graph().get_operations())
    with pytest.raises(TypeError, match="Input 'input' of 'Any' Op has type float32"):
        tf.reduce_any([1.0])
    assert len(tf.get_default_graph().get_operations()) == before


def test_cross_entropies_take_labels_and_logits_in_order_as_tf_2():
    loss = tf.nn.sigmoid_cross_entropy_with_logits([1.0, 0.0], [0.0, 0.0])
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(loss), [np.log(2), np.log(2)], rtol=1e-6)
    with pytest.raises(ValueError, match="Both `labels` and `logits` must be provided"):
        tf.nn.softmax_cross_entropy_with_logits(labels=[[1.0]])


@pytest.mark.parametrize(
    "activation",
    [
        tf.nn.relu6,
        tf.nn.elu,
        tf.nn.selu,
        tf.nn.softplus,
        tf.nn.softsign,
        tf.nn.leaky_relu,
        lambda x: tf.nn.leaky_relu(x, alpha=0.01),
    ],
)
def test_activation_gradients_match_finite_differences(activation):
    # away from the kinks at 0 (and relu6's at 6: the values stay within +-2)
    check_gradients(activation, away_from_zero(3, 4))


def test_activations_against_their_formulas():
    x = np.array([-30.0, -2.0, -0.5, 0.5, 3.0, 7.0, 40.0])
    scale, alpha = 1.0507009873554805, 1.6732632423543772
    expected = {
        tf.nn.relu6: np.clip(x, 0, 6),
        tf.nn.elu: np.where(x < 0, np.exp(x) - 1, x),
        tf.nn.selu: scale * np.where(x < 0, alpha * (np.exp(x) - 1), x),
        tf.nn.softplus: np.log1p(np.exp(x)),  # finite at 40: float64 here
        tf.nn.softsign: x / (1 + np.abs(x)),
        tf.nn.leaky_relu: np.where(x > 0, x, 0.2 * x),
    }
    with tf.Session() as sess:
        for fn, want in expected.items():
            np.testing.assert_allclose(sess.run(fn(x)), want, rtol=1e-12, atol=1e-15)


def test_in_top_k_agrees_with_numpy_and_counts_ties_in():
    rng = np.random.RandomState(4)
    logits = rng.randn(50, 10).astype(np.float32)
    labels = rng.randint(0, 10, 50)
    top1, top3 = tf.nn.in_top_k(logits, labels, 1), tf.nn.in_top_k(logits, labels, 3)
    tied = tf.nn.in_top_k([[0.2, 0.2, 0.2], [np.nan, 1.0, 0.0]], [2, 1], 1)
    with tf.Session() as sess:
        got1, got3, got_tied = sess.run([top1, top3, tied])
    rank = (logits > logits[np.arange(50), labels][:, None]).sum(axis=1)
    np.testing.assert_array_equal(got1, logits.argmax(axis=1) == labels)
    np.testing.assert_array_equal(got3, rank < 3)
    assert got_tied.tolist() == [True, False]  # a tie counts in; a nan row cannot say
    before = len(tf.get_default_graph().get_operations())
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 50 and 2"):
        tf.nn.in_top_k(logits, [1, 2], 1)
    assert len(tf.get_default_graph().get_operations()) == before


def test_l2_normalize_gives_unit_rows_and_its_gradient():
    x = np.array([[3.0, 4.0], [0.0, 0.0], [1.0, -1.0]])
    with tf.Session() as sess:
        rows = sess.run(tf.nn.l2_normalize(x, axis=1))
    np.testing.assert_allclose(rows, [[0.6, 0.8], [0.0, 0.0], [2**-0.5, -(2**-0.5)]])
    check_gradients(lambda t: tf.nn.l2_normalize(t, 1), away_from_zero(3, 4))
    check_gradients(lambda t: tf.nn.l2_normalize(t), away_from_zero(2, 3))
