"""Sessions: values live in a session; fetches, feeds, errors, and what a failed run leaves."""

import collections

import numpy as np
import pytest

import tfteach as tf


@pytest.fixture
def sess():
    with tf.Session() as s:
        yield s


def test_two_sessions_hold_separate_values():
    v = tf.Variable(1.0, name="v")
    increment = v.assign_add(1.0)
    with tf.Session() as one, tf.Session() as two:
        one.run(v.initializer)
        two.run(v.initializer)
        one.run(increment)
        one.run(increment)
        assert (one.run(v), two.run(v)) == (3.0, 1.0)


def test_fetch_structures_are_rebuilt(sess):
    a = tf.constant(1, name="a")
    b = tf.constant(2.0, name="b")
    Pair = collections.namedtuple("Pair", "x y")
    result = sess.run({"list": [a, b], "tuple": (a,), "pair": Pair(a, [b]), "op": a.op})
    assert result["list"] == [1, 2.0]
    assert result["tuple"] == (1,)
    assert result["pair"] == Pair(1, [2.0]) and isinstance(result["pair"], Pair)
    assert result["op"] is None


def test_fetch_by_name_and_result_types(sess):
    tf.constant([1.5, 2.5], name="c")
    scalar = tf.constant(2.0, name="s")
    value = sess.run("c:0")
    assert isinstance(value, np.ndarray) and value.dtype == np.float32
    assert sess.run("c") is None  # an op name fetches the op
    s = sess.run(scalar)
    assert type(s) is np.float32
    assert type(sess.run(tf.constant(3))) is np.int32
    assert sess.run(tf.constant("hi")) == b"hi"


def test_fetched_arrays_are_copies(sess):
    v = tf.Variable([1.0, 2.0], name="v")
    c = tf.constant([1.0, 2.0], name="c")
    sess.run(v.initializer)
    fetched = sess.run(v)
    fetched[0] = 99.0
    sess.run(c)[0] = 99.0
    assert sess.run(v).tolist() == [1.0, 2.0]
    assert sess.run(c).tolist() == [1.0, 2.0]


@pytest.mark.parametrize("size", [3, 1000])  # small values are shared between constants
def test_a_constant_keeps_the_value_it_was_given(sess, size):
    given = np.zeros(size, np.float32)
    c = tf.constant(given)
    twin = tf.constant(np.zeros(size, np.float32))
    given[0] = 5.0  # as in TF, the graph holds a copy
    assert sess.run(c)[0] == 0.0
    assert sess.run(twin)[0] == 0.0
    v = tf.Variable(c)
    sess.run(v.initializer)
    sess.run(v.assign_add(np.ones(size, np.float32)))
    assert sess.run(c)[0] == 0.0 and sess.run(twin)[0] == 0.0 and sess.run(v)[0] == 1.0


def test_only_what_the_fetch_needs_runs(sess):
    x = tf.placeholder(tf.float32, name="x")
    y = tf.constant(1.0, name="y") * 2
    _unused = x + 1
    assert sess.run(y) == 2.0  # the placeholder is not needed, so not fed


def test_missing_feed_names_the_placeholder(sess):
    x = tf.placeholder(tf.float32, shape=[None, 8], name="x")
    with pytest.raises(tf.errors.InvalidArgumentError) as err:
        sess.run(x * 2)
    assert str(err.value) == (
        "You must feed a value for placeholder tensor 'x' with dtype float and shape [?,8]"
    )
    assert err.value.op is x.op


def test_feed_shape_is_checked(sess):
    x = tf.placeholder(tf.float32, shape=[None, 8], name="x")
    with pytest.raises(ValueError) as err:
        sess.run(x, {x: np.zeros(3)})
    assert (
        str(err.value) == "Cannot feed value of shape (3,) for Tensor x:0, which has shape (?, 8)"
    )
    assert sess.run(tf.reduce_sum(x), {x: np.ones((2, 8))}) == 16.0


def test_a_fed_tensor_comes_back_as_the_fed_array(sess):
    x = tf.placeholder(tf.int32, name="x")
    value = sess.run(x, {x: 1.7})
    assert type(value) is np.ndarray and value.dtype == np.int32 and value == 1


def test_feeds_convert_lists_and_can_replace_any_tensor(sess):
    x = tf.placeholder(tf.float32, shape=[2], name="x")
    c = tf.constant(1.0, name="c")
    y = c * 10
    assert sess.run(x, {x: [1, 2]}).dtype == np.float32
    assert sess.run(y, {c: 5.0}) == 50.0
    assert sess.run(y, {"c:0": 2.0}) == 20.0


def test_bad_feeds_are_rejected(sess):
    x = tf.placeholder(tf.float32, name="x")
    with pytest.raises(TypeError, match="The value of a feed cannot be a tf.Tensor object"):
        sess.run(x, {x: tf.constant(1.0)})
    with pytest.raises(ValueError, match="Cannot feed value 'abc'"):
        sess.run(x, {x: "abc"})
    with pytest.raises(TypeError, match="Cannot interpret feed_dict key as Tensor"):
        sess.run(x, {3: 1.0})
    assert sess.run(x, {x: 1.0}) == 1.0


def test_bad_fetches_are_rejected(sess):
    tf.constant(1, name="here")
    with pytest.raises(TypeError, match='Argument `fetch` = None has invalid type "NoneType"'):
        sess.run(None)
    with pytest.raises(TypeError, match='Argument `fetch` = 3 has invalid type "int"'):
        sess.run(3)
    with pytest.raises(ValueError, match="Argument `fetch` = nope:0 cannot be interpreted as a"):
        sess.run("nope:0")


def test_an_empty_graph_cannot_run(sess):
    with pytest.raises(RuntimeError, match="The Session graph is empty"):
        sess.run([])


def test_a_tensor_of_another_graph_is_rejected(sess):
    tf.constant(1, name="here")
    other = tf.Graph()
    with other.as_default():
        foreign = tf.constant(1.0, name="a")
    with pytest.raises(ValueError, match=r"is not an element of this graph"):
        sess.run(foreign)
    assert sess.run(tf.constant(2.0)) == 2.0


def test_closed_session_refuses_to_run():
    c = tf.constant(1)
    sess = tf.Session()
    sess.close()
    with pytest.raises(RuntimeError, match="Attempted to use a closed Session."):
        sess.run(c)


def test_with_block_makes_session_and_its_graph_default():
    g = tf.Graph()
    with tf.Session(graph=g) as sess:
        assert tf.get_default_session() is sess
        assert tf.get_default_graph() is g
    assert tf.get_default_session() is None
    assert tf.get_default_graph() is not g


def test_interactive_session_installs_itself_as_default():
    v = tf.Variable(3, name="v")
    sess = tf.InteractiveSession()
    try:
        v.initializer.run()
        assert v.eval() == 3
    finally:
        sess.close()
    assert tf.get_default_session() is None


def test_eval_with_a_session_of_another_graph_is_refused():
    c = tf.constant(1)
    with tf.Session(graph=tf.Graph()) as other:
        with pytest.raises(ValueError, match="the tensor's graph is different"):
            c.eval(session=other)


def test_a_failed_run_commits_no_writes(sess):
    v = tf.Variable(1.0, name="v")
    x = tf.placeholder(tf.float32, name="x")
    sess.run(v.initializer)
    with pytest.raises(tf.errors.InvalidArgumentError):
        sess.run([v.assign(5.0), x])
    assert sess.run(v) == 1.0


def test_a_numpy_failure_inside_a_kernel_is_an_invalid_argument_error(sess):
    a = tf.placeholder(tf.float32, shape=[None, None], name="a")
    product = tf.matmul(a, a)
    with pytest.raises(tf.errors.InvalidArgumentError, match="MatMul"):
        sess.run(product, {a: np.ones((2, 3))})
    assert sess.run(product, {a: np.ones((2, 2))}).tolist() == [[2, 2], [2, 2]]


def test_random_ops_differ_per_run_and_per_unseeded_session():
    r = tf.random_normal([4], name="r")
    with tf.Session() as one:
        first, second = one.run(r), one.run(r)
    with tf.Session() as two:
        third = two.run(r)
    assert not np.array_equal(first, second)
    assert not np.array_equal(first, third)


def test_seeded_random_ops_restart_in_each_new_session():
    tf.set_random_seed(1)
    r = tf.random_uniform([4], name="r")
    with tf.Session() as one:
        first, second = one.run(r), one.run(r)
    with tf.Session() as two:
        again = two.run(r)
    assert np.array_equal(first, again)
    assert not np.array_equal(first, second)


def test_one_run_computes_each_tensor_once(sess):
    r = tf.random_normal([3], name="r")
    a, b = sess.run([r, r + 0])
    assert np.array_equal(a, b)


def test_repeated_runs_of_one_fetch_each_take_effect(sess):
    v = tf.Variable(0, name="counter")
    increment = v.assign_add(1)
    sess.run(v.initializer)
    values = [sess.run(increment) for _ in range(5)]
    assert values == [1, 2, 3, 4, 5]
    # one run, no order promised: the add before the reset (6) or after it (1; what
    # TF 2.21 gave in 20 runs of 20, as tfteach, which runs ops in creation order)
    assert sess.run([increment, v.initializer])[0] in (6, 1)


@pytest.mark.parametrize("dtype", [tf.float16, tf.float32, tf.float64])
@pytest.mark.parametrize(
    "make",
    [
        lambda d: tf.random_normal([3000], mean=2.0, stddev=3.0, dtype=d, seed=1),
        lambda d: tf.truncated_normal([3000], mean=-1.0, stddev=0.5, dtype=d, seed=2),
        lambda d: tf.random_uniform([3000], minval=-0.25, maxval=0.75, dtype=d, seed=3),
    ],
)
def test_random_scale_shift_chains_give_the_same_values_run_as_one_step(make, dtype):
    # Fetching only the result lets the plan run random * scale + shift as one blockwise
    # step; fetching the product as well keeps the ops apart. Both draw the same stream.
    result = make(dtype)
    product = result.op.inputs[0]
    with tf.Session() as sess:
        alone = sess.run(result)
    with tf.Session() as sess:
        together, _ = sess.run([result, product])
    assert alone.dtype == dtype.as_numpy_dtype
    np.testing.assert_array_equal(alone, together)


def test_float_overflow_gives_inf_and_nan_without_warnings(sess, recwarn):
    big = tf.constant([1e30, 0.0], name="big")
    squared = big * big
    ratio = big / tf.constant([0.0, 0.0])
    assert sess.run(squared).tolist() == [float("inf"), 0.0]
    result = sess.run(ratio)
    assert result[0] == float("inf") and np.isnan(result[1])
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_an_unhashable_fetch_gets_tf_error_not_a_python_one(sess):
    tf.constant(1, name="here")
    with pytest.raises(TypeError, match='Argument `fetch` = .* has invalid type "ndarray"'):
        sess.run(np.array([1, 2]))


def test_a_read_consumed_after_an_assign_sees_the_assigned_value():
    """TF's ``w/read`` shares the variable's buffer: an op that runs after an assign it
    depends on sees the new value, however early the read was built (recorded on TF 2.21:
    session_read_after_update_in_control_dependencies)."""
    tf.reset_default_graph()
    w = tf.Variable(1.0, name="w")
    before = w * 2  # no dependency on the update: the run's value as it started
    train = w.assign_add(1.0)
    early = tf.identity(w)
    with tf.control_dependencies([train]):
        after = w * 2
        through_identity = early * 10
    with tf.Session() as sess:
        sess.run(w.initializer)
        assert sess.run([before, train, after]) == [2.0, 2.0, 4.0]
        assert sess.run(through_identity) == 30.0
        # a fed read is the fed value, not the variable
        assert sess.run(after, {w.value(): 7.0}) == 14.0
        assert sess.run(w) == 4.0


def test_a_read_of_an_uninitialized_variable_names_it_when_its_consumer_runs():
    tf.reset_default_graph()
    w = tf.Variable(1.0, name="w")
    y = tf.identity(tf.identity(w)) + 1.0
    with (
        tf.Session() as sess,
        pytest.raises(tf.errors.FailedPreconditionError, match="uninitialized value w$"),
    ):
        sess.run(y)
