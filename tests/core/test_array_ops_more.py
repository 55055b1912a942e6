"""More array ops TF1 tutorials use (issue 20): top_k, boolean_mask, cumsum, eye, reverse,
gather_nd and sequence_mask — values as numpy computes them, TF's static shapes and
errors, a graph left as it was by a rejected call, and gradients against finite
differences. tests/fixtures/tf1_reference.json (ids ``arrays_*``) holds what real TF
printed for the same calls."""

import numpy as np
import pytest
from test_gradients import check_gradients, rand

import tfteach as tf


def run(*fetches, feed_dict=None):
    with tf.Session() as sess:
        return sess.run(list(fetches), feed_dict)


def ops():
    return [op.name for op in tf.get_default_graph().get_operations()]


def test_the_new_names_are_public():
    names = ["boolean_mask", "cumsum", "eye", "gather_nd", "linspace", "lin_space", "reverse"]
    for name in [*names, "sequence_mask"]:
        assert name in tf.__all__ and callable(getattr(tf, name))
    assert "top_k" in tf.nn.__all__ and callable(tf.nn.top_k)


# -- top_k ----------------------------------------------------------------------------------------


def test_top_k_gives_the_largest_values_and_their_indices_lowest_index_first_on_ties():
    x = np.array([[1.0, 3.0, 3.0, 2.0], [5.0, 4.0, 5.0, 5.0]], dtype=np.float32)
    values, indices = tf.nn.top_k(x, 3)
    assert values.name == "TopKV2:0" and indices.name == "TopKV2:1"
    assert values.shape.as_list() == [2, 3] and indices.dtype == tf.int32
    v, i = run(values, indices)
    np.testing.assert_array_equal(v, [[3, 3, 2], [5, 5, 5]])
    np.testing.assert_array_equal(i, [[1, 2, 3], [0, 2, 3]])


def test_top_k_matches_a_stable_numpy_sort_on_random_integers():
    x = np.random.RandomState(0).randint(-3, 4, size=(4, 5, 9)).astype(np.int64)
    result = tf.nn.top_k(x, k=6)
    v, i = run(result.values, result.indices)
    expected = np.argsort(-x, axis=-1, kind="stable")[..., :6]
    np.testing.assert_array_equal(i, expected)
    np.testing.assert_array_equal(v, np.take_along_axis(x, expected, -1))
    assert v.dtype == np.int64 and i.dtype == np.int32


def test_top_k_shapes_with_unknown_dimensions_and_a_fed_k():
    p = tf.placeholder(tf.float32, [None, 7])
    k = tf.placeholder(tf.int32)
    assert tf.nn.top_k(p, 2).values.shape.as_list() == [None, 2]
    assert tf.nn.top_k(p, k).indices.shape.as_list() == [None, None]
    assert tf.nn.top_k(tf.placeholder(tf.float32), 2).values.shape.ndims is None
    data = np.arange(14, dtype=np.float32).reshape(2, 7)
    (v,) = run(tf.nn.top_k(p, k).values, feed_dict={p: data, k: 2})
    np.testing.assert_array_equal(v, [[6, 5], [13, 12]])


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda x: tf.nn.top_k(x, 5), ValueError, "input must have last dimension >= k = 5"),
        (lambda x: tf.nn.top_k(x, -1), ValueError, "must be non-negative but is -1"),
        (lambda x: tf.nn.top_k(x[0, 0], 1), ValueError, "Shape must be at least rank 1"),
        (lambda x: tf.nn.top_k(x > 1, 1), TypeError, "DataType bool not in list"),
        (lambda x: tf.nn.top_k(x, 1.5), TypeError, "parameter 'k' has DataType float32"),
    ],
)
def test_top_k_rejects_mistakes_and_leaves_the_graph_as_it_was(call, error, message):
    x = tf.constant(np.ones((2, 4), np.float32))
    before = ops()
    with pytest.raises(error, match=message):
        call(x)
    names = ops()
    assert names[: len(before)] == before
    assert not any(n.startswith("TopKV2") for n in names)


def test_top_k_checks_k_when_the_graph_runs():
    p = tf.placeholder(tf.float32)
    k = tf.placeholder(tf.int32)
    top = tf.nn.top_k(p, k).values
    with pytest.raises(tf.errors.InvalidArgumentError, match="Had 1, needed 2"):
        run(top, feed_dict={p: [[1.0]], k: 2})
    with pytest.raises(tf.errors.InvalidArgumentError, match="Need k >= 0, got -1"):
        run(top, feed_dict={p: [1.0], k: -1})


def test_gradient_of_top_k_values_goes_to_the_chosen_entries():
    x = np.random.RandomState(1).permutation(24).reshape(2, 3, 4).astype(np.float64)
    check_gradients(lambda t: tf.nn.top_k(t, 2).values, x)
    check_gradients(lambda t: tf.nn.top_k(t, 3).values, x[0], static_shapes=[[None, None]])
    # the indices carry no gradient
    t = tf.constant(x)
    assert tf.gradients(tf.cast(tf.nn.top_k(t, 2).indices, tf.float64), t) == [None]


# -- boolean_mask ---------------------------------------------------------------------------------


def test_boolean_mask_keeps_the_entries_where_the_mask_is_true():
    x = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    rows = np.array([True, False])
    cells = np.array([[True, False, True], [False, False, True]])
    by_axis = np.array([False, True, True])
    outs = [
        tf.boolean_mask(x, rows),
        tf.boolean_mask(x, cells),
        tf.boolean_mask(x, by_axis, axis=1),
        tf.boolean_mask(x, cells.astype(np.int32)),  # as TF: nonzero counts as true
    ]
    assert outs[0].name == "boolean_mask/GatherV2:0"
    assert [t.shape.as_list() for t in outs] == [[None, 3, 4], [None, 4], [2, None, 4], [None, 4]]
    got = run(*outs)
    for g, expected in zip(got, [x[rows], x[cells], x[:, by_axis], x[cells]]):
        np.testing.assert_array_equal(g, expected)


def test_boolean_mask_of_fed_tensors_and_its_gradient():
    p = tf.placeholder(tf.float32, [None, 2])
    m = tf.placeholder(tf.bool, [None])
    out = tf.boolean_mask(p, m)
    assert out.shape.as_list() == [None, 2]
    data = np.arange(6, dtype=np.float32).reshape(3, 2)
    (v,) = run(out, feed_dict={p: data, m: [True, False, True]})
    np.testing.assert_array_equal(v, data[[0, 2]])
    mask = np.array([[True, False], [True, True], [False, True]])
    check_gradients(lambda t: tf.boolean_mask(t, mask), rand(3, 2))
    check_gradients(lambda t: tf.boolean_mask(t, mask[0], axis=1), rand(3, 2))
    check_gradients(lambda t: tf.boolean_mask(t, mask[:, 0]), rand(3, 2), static_shapes=[[None, 2]])


@pytest.mark.parametrize(
    "mask, message",
    [
        (lambda: tf.placeholder(tf.bool), "Number of mask dimensions must be specified"),
        (lambda: [True, False], r"Shapes \(3,\) and \(2,\) are incompatible"),
        (lambda: True, "mask cannot be scalar."),
    ],
)
def test_boolean_mask_rejects_mistakes_and_leaves_the_graph_as_it_was(mask, message):
    x = tf.constant(np.ones((3, 2), np.float32))
    m = mask()
    before = ops()
    with pytest.raises(ValueError, match=message):
        tf.boolean_mask(x, m)
    assert ops() == before


# -- cumsum ---------------------------------------------------------------------------------------


def _numpy_cumsum(x, axis, exclusive, reverse):
    if reverse:
        x = np.flip(x, axis)
    out = np.cumsum(x, axis)
    if exclusive:
        out = out - x
    return np.flip(out, axis) if reverse else out


@pytest.mark.parametrize("exclusive", [False, True])
@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("axis", [0, 1, -1])
def test_cumsum_values_and_gradients(axis, exclusive, reverse):
    x = np.arange(1, 13, dtype=np.int32).reshape(3, 4)
    c = tf.cumsum(x, axis, exclusive=exclusive, reverse=reverse)
    assert c.op.type == "Cumsum" and c.shape.as_list() == [3, 4] and c.dtype == tf.int32
    (v,) = run(c)
    np.testing.assert_array_equal(v, _numpy_cumsum(x, axis, exclusive, reverse))
    check_gradients(lambda t: tf.cumsum(t, axis, exclusive=exclusive, reverse=reverse), rand(3, 4))


def test_cumsum_errors():
    a = tf.constant([[1, 2, 3], [4, 5, 6]])
    with pytest.raises(TypeError, match="parameter 'axis' has DataType float32"):
        tf.cumsum(a, 1.0)
    with pytest.raises(TypeError, match="parameter 'x' has DataType bool"):
        tf.cumsum(tf.constant([True]))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"range \[-2, 2\), but got 2"):
        run(tf.cumsum(a, 2))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"axis must be a scalar, not \[1\]"):
        run(tf.cumsum(a, [0]))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"range \[0, 0\), but got 0"):
        run(tf.cumsum(tf.constant(3.0)))


# -- eye ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, kwargs, expected",
    [
        ((3,), {}, np.eye(3)),
        ((2, 3), {}, np.eye(2, 3)),
        ((3, 2), {"dtype": tf.int32}, np.eye(3, 2)),
        ((2,), {"batch_shape": [2, 1]}, np.broadcast_to(np.eye(2), (2, 1, 2, 2))),
        ((0,), {}, np.eye(0)),
    ],
)
def test_eye_is_numpys_eye(args, kwargs, expected):
    e = tf.eye(*args, **kwargs)
    assert e.shape.as_list() == list(expected.shape)
    assert e.op.type == ("MatrixDiagV3" if args[0] == args[-1] else "MatrixSetDiagV3")
    (v,) = run(e)
    assert v.dtype == kwargs.get("dtype", tf.float32).as_numpy_dtype
    np.testing.assert_array_equal(v, expected)


def test_eye_of_fed_sizes():
    n = tf.placeholder(tf.int32, [])
    square, wide = tf.eye(n), tf.eye(2, n)
    assert square.shape.as_list() == [None, None] and wide.shape.as_list() == [2, None]
    s, w = run(square, wide, feed_dict={n: 3})
    np.testing.assert_array_equal(s, np.eye(3))
    np.testing.assert_array_equal(w, np.eye(2, 3))


def test_eye_rejects_bad_sizes_and_leaves_the_graph_as_it_was():
    for size, error, message in [
        (2.5, TypeError, "must be positive integer values"),
        (-1, ValueError, "Fill dimensions must be >= 0 for 'eye/ones'"),
        (-3, ValueError, "Invalid value in tensor used for shape: -3"),
    ]:
        with pytest.raises(error, match=message):
            tf.eye(size)
    assert ops() == []


# -- reverse --------------------------------------------------------------------------------------


def test_reverse_is_numpys_flip_and_its_own_gradient():
    x = np.arange(24).reshape(2, 3, 4)
    outs = [tf.reverse(x, [0]), tf.reverse(x, [-1, 1]), tf.reverse(x, [])]
    assert [t.name for t in outs] == ["ReverseV2:0", "ReverseV2_1:0", "ReverseV2_2:0"]
    got = run(*outs)
    for g, axes in zip(got, [(0,), (2, 1), ()]):
        np.testing.assert_array_equal(g, np.flip(x, axes))
    check_gradients(lambda t: tf.reverse(t, [1, 2]), rand(2, 3, 4))
    check_gradients(lambda t: tf.reverse(t, [0]), rand(2, 3), static_shapes=[None])


@pytest.mark.parametrize(
    "axis, error, message",
    [
        ([2], ValueError, r"'axis'\[0\] = 2 is out of valid range \[0, 1"),
        ([1, -1], ValueError, "axis 1 specified more than once."),
        (1, ValueError, "Shape must be rank 1 but is rank 0"),
        ([1.0], TypeError, "parameter 'axis' has DataType float32"),
    ],
)
def test_reverse_rejects_bad_axes_and_leaves_the_graph_as_it_was(axis, error, message):
    a = tf.constant([[1, 2, 3], [4, 5, 6]])
    with pytest.raises(error, match=message):
        tf.reverse(a, axis)
    assert ops() == ["Const"]


def test_reverse_checks_fed_axes_when_the_graph_runs():
    axes = tf.placeholder(tf.int32, [None])
    r = tf.reverse(tf.constant([[1, 2], [3, 4]]), axes)
    np.testing.assert_array_equal(run(r, feed_dict={axes: [-1]})[0], [[2, 1], [4, 3]])
    for fed, message in [([1, -1], "axis 1 specified more than once."), ([2], r"\[0, 1$")]:
        with pytest.raises(tf.errors.InvalidArgumentError, match=message):
            run(r, feed_dict={axes: fed})


# -- gather_nd ------------------------------------------------------------------------------------


def test_gather_nd_picks_elements_and_slices():
    p = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    idx = np.array([[[1, 2], [0, 0]], [[1, 0], [0, 2]]])
    outs = [tf.gather_nd(p, idx), tf.gather_nd(p, [[1]]), tf.gather_nd(p, [1, 2, 3])]
    assert outs[0].name == "GatherNd:0"
    assert [t.shape.as_list() for t in outs] == [[2, 2, 4], [1, 3, 4], []]
    got = run(*outs)
    np.testing.assert_array_equal(got[0], p[idx[..., 0], idx[..., 1]])
    np.testing.assert_array_equal(got[1], p[[1]])
    assert got[2] == p[1, 2, 3]


def test_gather_nd_gradient_adds_up_entries_picked_twice():
    idx = [[0, 1], [2, 0], [0, 1]]
    check_gradients(lambda t: tf.gather_nd(t, idx), rand(3, 2))
    check_gradients(lambda t: tf.gather_nd(t, [[1], [1]]), rand(3, 2), static_shapes=[None])


def test_gather_nd_errors():
    p = tf.constant(np.ones((3, 2), np.float32))
    with pytest.raises(ValueError, match=r"indices.shape\[-1\] must be <= params.rank"):
        tf.gather_nd(p, [[0, 1, 0]])
    with pytest.raises(TypeError, match="parameter 'indices' has DataType float32"):
        tf.gather_nd(p, [[0.0]])
    assert ops() == ["Const"]
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"indices\[1\] = \[0, -1\] does not index into param shape \[3,2\]",
    ):
        run(tf.gather_nd(p, [[1, 1], [0, -1]]))


# -- sequence_mask --------------------------------------------------------------------------------


def test_sequence_mask_values_shapes_and_names():
    lengths = np.array([1, 3, 0])
    masks = [
        tf.sequence_mask(lengths, 4),
        tf.sequence_mask(lengths),
        tf.sequence_mask(lengths, 2, dtype=tf.float32),
    ]
    assert [t.name for t in masks] == [
        "SequenceMask/Less:0",
        "SequenceMask_1/Less:0",
        "SequenceMask_2/Cast_1:0",
    ]
    assert [t.shape.as_list() for t in masks] == [[3, 4], [3, 3], [3, 2]]
    got = run(*masks)
    for g, n in zip(got, [4, 3, 2]):
        np.testing.assert_array_equal(g, np.arange(n) < lengths[:, None])
    assert got[2].dtype == np.float32
    p = tf.placeholder(tf.int32, [None])
    fed = tf.sequence_mask(p)
    assert fed.shape.as_list() == [None, None]
    np.testing.assert_array_equal(run(fed, feed_dict={p: [2, 1]})[0], [[True, True], [True, False]])
    with pytest.raises(ValueError, match="Argument `maxlen` must be scalar"):
        tf.sequence_mask([1, 2], [3])


# -- linspace -------------------------------------------------------------------------------------


@pytest.mark.parametrize("num", [0, 1, 2, 5, 11])
def test_linspace_includes_both_ends(num):
    t = tf.linspace(-1.0, 3.0, num)
    assert t.name == "linspace/Slice:0" and t.shape.as_list() == [num]
    (v,) = run(t)
    np.testing.assert_allclose(v, np.linspace(-1.0, 3.0, num, dtype=np.float32), rtol=1e-6)
    if num:
        assert v[0] == -1.0 and v[-1] == (3.0 if num > 1 else -1.0)


def test_linspace_dtypes_shapes_and_gradient():
    assert tf.lin_space(0, 1, 3).dtype == tf.float64  # integers are divided in float64
    assert tf.linspace(0.0, [1.0, 3.0], 3).shape.as_list() == [3, 2]
    n = tf.placeholder(tf.int32, [])
    fed = tf.linspace(0.0, 1.0, n)
    assert fed.shape.as_list() == [None]
    np.testing.assert_allclose(run(fed, feed_dict={n: 3})[0], [0.0, 0.5, 1.0])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Requires start <= limit"):
        run(fed, feed_dict={n: -2})
    check_gradients(lambda a, b: tf.linspace(a, b, 5), 0.5, 2.0)


def test_linspace_rejects_a_bad_num_and_leaves_the_graph_as_it_was():
    with pytest.raises(TypeError, match=r"\(name: num\) must be of type integer"):
        tf.linspace(0.0, 1.0, 2.0)
    with pytest.raises(ValueError, match="Requires start <= limit when delta > 0: 1/-1"):
        tf.linspace(0.0, 1.0, -2)
    assert ops() == []


# -- a gather whose params have an unknown first dimension -----------------------------------


def test_gradient_of_gather_from_params_of_unknown_length():
    check_gradients(lambda t: tf.gather(t, [2, 0, 2]), rand(4, 3), static_shapes=[[None, 3]])
    check_gradients(lambda t: tf.gather(t, [1, 1], axis=1), rand(4, 3), static_shapes=[[4, None]])
