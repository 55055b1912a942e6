"""Random ops: TF's op structure, exact distributions for every float dtype, TF's dtype errors,
and the seed rules of SEMANTICS.md (a new session restarts each sequence; a re-run continues it).

Op lists and error messages come from tests/fixtures/tf1_reference.json (TensorFlow 2.21,
tensorflow.compat.v1) or were checked against it.
"""

import math

import numpy as np
import pytest

import tfteach as tf
from tfteach.core import philox, random_ops

FLOATS = [tf.float16, tf.float32, tf.float64]


def run(t):
    with tf.Session() as sess:
        return sess.run(t)


def op_list():
    return [(op.name, op.type) for op in tf.get_default_graph().get_operations()]


def assert_mean_std(x, mean, std):
    """Sample mean and std within 5 standard errors of ``mean`` and ``std``: the std error
    of the sample std is std * sqrt((kurtosis - 1) / 4n); kurtosis 3 (the normal's) bounds
    the distributions here, all of which have lighter tails."""
    n = x.size
    x = x.astype(np.float64)
    assert abs(x.mean() - mean) <= 5 * std / math.sqrt(n)
    assert abs(x.std() - std) <= 5 * std * math.sqrt(2 / (4 * n))


# -- op structure ----------------------------------------------------------------------------


def test_random_normal_builds_tfs_ops():
    t = tf.random_normal([2, 3])
    assert t.name == "random_normal:0" and t.shape.as_list() == [2, 3]
    assert op_list() == [
        ("random_normal/shape", "Const"),
        ("random_normal/mean", "Const"),
        ("random_normal/stddev", "Const"),
        ("random_normal/RandomStandardNormal", "RandomStandardNormal"),
        ("random_normal/mul", "Mul"),
        ("random_normal", "AddV2"),
    ]


def test_truncated_normal_builds_tfs_ops():
    with tf.name_scope("layer"):
        t = tf.truncated_normal([2, 3])
    assert t.name == "layer/truncated_normal:0"
    assert [name for name, _ in op_list()] == [
        "layer/truncated_normal/shape",
        "layer/truncated_normal/mean",
        "layer/truncated_normal/stddev",
        "layer/truncated_normal/TruncatedNormal",
        "layer/truncated_normal/mul",
        "layer/truncated_normal",
    ]


@pytest.mark.parametrize(
    "args, output, ops",
    [
        ({}, "random_uniform/RandomUniform:0", ["shape", "RandomUniform"]),
        ({"maxval": 2}, "random_uniform/Mul:0", ["shape", "min", "max", "RandomUniform", "Mul"]),
        (
            {"minval": 0.0, "maxval": 1.0},
            "random_uniform:0",
            ["shape", "min", "max", "RandomUniform", "sub", "mul", ""],
        ),
        (
            {"minval": 0, "maxval": 5, "dtype": tf.int32},
            "random_uniform:0",
            ["shape", "min", "max", ""],
        ),
    ],
)
def test_random_uniform_builds_tfs_ops_skipping_arithmetic_for_int_0_and_1(args, output, ops):
    t = tf.random_uniform([4], **args)
    assert t.name == output
    assert [name for name, _ in op_list()] == [
        f"random_uniform/{n}" if n else "random_uniform" for n in ops
    ]


# -- distributions ---------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", FLOATS)
def test_truncated_normal_redraws_beyond_two_stddevs_for_every_dtype(dtype):
    x = run(tf.truncated_normal([200, 100], mean=1.0, stddev=0.5, dtype=dtype, seed=3))
    assert x.dtype == dtype.as_numpy_dtype
    z = (x.astype(np.float64) - 1.0) / 0.5
    assert np.all(np.abs(z) <= 2)
    # drawn again, not clipped: clipping would pile 4.6 % of the values onto +-2
    assert np.mean(np.abs(z) > 1.99) < 0.002
    assert_mean_std(x, 1.0, 0.5 * random_ops.TRUNCATED_NORMAL_STD)


@pytest.mark.parametrize("dtype", FLOATS)
def test_random_normal_has_the_requested_mean_and_stddev(dtype):
    x = run(tf.random_normal([200, 100], mean=-2.0, stddev=3.0, dtype=dtype, seed=4))
    assert x.dtype == dtype.as_numpy_dtype
    assert np.abs(x + 2.0).max() > 2 * 3.0  # an untruncated normal goes past 2 stddevs
    assert_mean_std(x, -2.0, 3.0)


@pytest.mark.parametrize("dtype", FLOATS)
def test_random_uniform_stays_in_its_half_open_range_for_every_dtype(dtype):
    x = run(tf.random_uniform([100_000], dtype=dtype, seed=5))
    assert x.dtype == dtype.as_numpy_dtype
    assert x.min() >= 0 and x.max() < 1
    assert_mean_std(x, 0.5, 1 / math.sqrt(12))


def test_random_uniform_between_bounds():
    x = run(tf.random_uniform([200, 100], -1.0, 3.0, seed=6))
    assert x.min() >= -1.0 and x.max() < 3.0
    assert_mean_std(x, 1.0, 4.0 / math.sqrt(12))


def test_random_uniform_int_draws_integers_in_range():
    x = run(tf.random_uniform([10_000], 3, 7, dtype=tf.int64, seed=7))
    assert x.dtype == np.int64
    assert set(np.unique(x)) == {3, 4, 5, 6}


@pytest.mark.parametrize("size", [0, 1, 5, (1 << 14) + 1, 3 * (1 << 14) - 5])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_truncated_sampler_fills_every_value_whatever_the_size(size, dtype):
    x, offset = philox.truncated_normal(1, 2, 0, (size,), dtype)
    assert x.shape == (size,) and x.dtype == dtype
    assert np.all(np.abs(x) < 2)
    assert offset == 256 * size  # TF reserves 256 blocks a value, whatever it used
    if size > 1000:
        assert_mean_std(x, 0.0, random_ops.TRUNCATED_NORMAL_STD)


@pytest.mark.parametrize(
    "make, args",
    [
        (tf.truncated_normal, (0.5, 0.02)),
        (tf.random_normal, (-1.0, 3.0)),
        (tf.random_uniform, (-0.1, 0.3)),
    ],
)
@pytest.mark.parametrize("dtype", [tf.float16, tf.float32])
def test_fused_scaling_gives_what_the_mul_and_addv2_ops_would(make, args, dtype):
    out = make((3, 1001), *args, dtype=dtype, seed=1)
    rnd = out.op.inputs[0].op.inputs[0]  # AddV2(Mul(random, scale), shift)
    assert rnd.op.type in ("TruncatedNormal", "RandomStandardNormal", "RandomUniform")
    scaled, raw = run(out), run(rnd)  # two sessions: both start the stream afresh
    kind = dtype.as_numpy_dtype
    if make is tf.random_uniform:  # minval + (maxval - minval) * u, as TF's ops
        low, high = (kind(v) for v in args)
        expected = raw * (high - low) + low
    else:  # mean + stddev * z
        mean, stddev = (kind(v) for v in args)
        expected = raw * stddev + mean
    assert scaled.dtype == kind
    assert np.array_equal(scaled, expected)


def test_scalar_and_empty_shapes():
    s = tf.truncated_normal([], seed=1)
    e = tf.random_uniform([0, 3], seed=1)
    sv, ev = run([s, e])
    assert sv.shape == () and abs(sv) <= 2
    assert ev.shape == (0, 3)


# -- dtype errors (TF's wording) -------------------------------------------------------------


def test_random_normal_with_an_int_dtype_fails_converting_the_float_mean():
    with pytest.raises(TypeError, match=r"Expected int32, but got 0.0 of type 'float'."):
        tf.random_normal([2], dtype=tf.int32)
    assert op_list() == []


def test_truncated_normal_with_int_mean_and_int_dtype_fails_on_the_op_dtype():
    message = (
        "Value passed to parameter 'dtype' has DataType int32 not in list of allowed "
        "values: float16, bfloat16, float32, float64"
    )
    with pytest.raises(TypeError) as info:
        tf.truncated_normal([2], mean=0, stddev=1, dtype=tf.int32)
    assert str(info.value) == message
    assert op_list() == []


def test_random_uniform_rejects_a_bool_dtype():
    with pytest.raises(ValueError) as info:
        tf.random_uniform([2], dtype=tf.bool)
    assert str(info.value) == (
        "Argument `dtype` got invalid value <dtype: 'bool'>. Accepted dtypes are "
        "(tf.float16, tf.bfloat16, tf.float32, tf.float64, tf.int32, tf.int64)."
    )


def test_random_uniform_int_needs_maxval():
    with pytest.raises(ValueError, match="Must specify maxval for integer dtype tf.int32"):
        tf.random_uniform([2], dtype=tf.int32)


# -- seeds ------------------------------------------------------------------------------------


def test_without_seeds_each_session_and_each_run_differ():
    r = tf.random_uniform([5])
    with tf.Session() as one:
        a, b = one.run(r), one.run(r)
    with tf.Session() as two:
        c = two.run(r)
    assert not np.array_equal(a, b) and not np.array_equal(a, c)


def test_an_op_seed_repeats_the_first_values_in_every_new_session_and_continues_in_one():
    r = tf.random_normal([5], seed=42)
    with tf.Session() as one:
        a, a2 = one.run(r), one.run(r)
    with tf.Session() as two:
        b = two.run(r)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, a2)


def test_two_ops_with_the_same_op_seed_draw_the_same_values():
    r1 = tf.random_uniform([5], seed=42)
    r2 = tf.random_uniform([5], seed=42)
    a, b = run([r1, r2])
    assert np.array_equal(a, b)


def test_a_graph_seed_gives_each_op_its_own_deterministic_seed():
    def program():
        tf.set_random_seed(1)
        return tf.random_uniform([5]), tf.truncated_normal([5])

    r1, r2 = program()
    first = run([r1, r2])
    tf.reset_default_graph()
    r1, r2 = program()
    second = run([r1, r2])
    sampler = tf.get_default_graph().get_operation_by_name("truncated_normal/TruncatedNormal")
    assert r1.op.get_attr("seed") == sampler.get_attr("seed") == 1
    assert r1.op.get_attr("seed2") != sampler.get_attr("seed2")
    assert all(np.array_equal(a, b) for a, b in zip(first, second))


def test_a_seeded_variable_reinitialized_in_one_session_draws_anew():
    tf.set_random_seed(3)
    v = tf.Variable(tf.random_normal([4]), name="v")
    init = tf.global_variables_initializer()
    with tf.Session() as one:
        one.run(init)
        a = one.run(v)
        one.run(init)
        b = one.run(v)
    with tf.Session() as two:
        two.run(init)
        c = two.run(v)
    assert not np.array_equal(a, b)
    assert np.array_equal(a, c)


@pytest.mark.parametrize(
    "make",
    [
        lambda: tf.random_uniform([300, 300], -2.0, 3.0, seed=4),
        lambda: tf.random_normal([300, 300], 1.5, 0.5, seed=4),
        lambda: tf.truncated_normal([300, 300], -1.0, 2.0, seed=4),
    ],
)
def test_a_large_sampler_fused_with_its_mul_and_add_gives_what_the_three_ops_give(
    make, monkeypatch
):
    """The session runs ``random * scale + shift`` of a large draw as one step (a plan
    rewrite of random_ops); fetching the product too keeps the three ops apart. Both runs
    draw from a fresh session with the same seed: the values must be bitwise equal."""
    fused_runs = []
    make_fused = random_ops.fused_scale_shift_kernel

    def counting(op_type):
        kernel = make_fused(op_type)
        return lambda *args: fused_runs.append(op_type) or kernel(*args)

    monkeypatch.setattr(random_ops, "fused_scale_shift_kernel", counting)
    out = make()
    product = out.op.inputs[0]
    assert product.op.type == "Mul" and product.op.inputs[0].op.type in random_ops._SAMPLERS
    with tf.Session() as sess:
        fused = sess.run(out)
    assert len(fused_runs) == 1
    with tf.Session() as sess:
        apart, _ = sess.run([out, product])
    assert len(fused_runs) == 1  # the second run computed the three ops apart
    assert fused.shape == (300, 300)
    assert fused.tobytes() == apart.tobytes()


def test_small_draws_made_together_give_what_each_op_gives_alone(monkeypatch):
    """The session makes the small uniform and normal draws of one run in one vectorised
    step (a plan rewrite of random_ops, for 10,000-variable initializers); each op must get
    exactly what it gets when it runs alone, in a first and in a second run."""
    from tfteach.core import philox

    batches = []
    sample_many = philox.sample_many
    monkeypatch.setattr(philox, "sample_many", lambda *a: batches.append(a[0]) or sample_many(*a))
    tf.set_random_seed(7)
    draws = [
        tf.random_uniform([4, 4]),
        tf.random_uniform([3], dtype=tf.float64),
        tf.random_normal([5, 2]),
        tf.random_uniform([2, 3]),
        tf.random_normal([7], dtype=tf.float64, seed=3),
        tf.random_normal([]),
        tf.random_uniform([1, 9], seed=11),
    ]
    with tf.Session() as sess:
        together = [sess.run(draws), sess.run(draws)]
    assert sorted(batches) == sorted(["uniform", "normal"] * 2)  # float32 groups, twice
    batches.clear()
    for i, draw in enumerate(draws):
        with tf.Session() as sess:
            alone = [sess.run(draw), sess.run(draw)]
        for run in range(2):
            assert together[run][i].dtype == alone[run].dtype
            assert together[run][i].tobytes() == alone[run].tobytes(), (i, run)
    assert batches == []  # one op alone is drawn by its own kernel


# -- random_shuffle and multinomial: TF's kernels (bit for bit: test_exact_random.py) ----------


def test_unseeded_shuffle_and_multinomial_differ_between_sessions_and_runs():
    s = tf.random_shuffle(tf.range(50))
    m = tf.multinomial(tf.zeros([2, 10]), 50)
    with tf.Session() as one:
        (s1, m1), (s2, m2) = one.run([s, m]), one.run([s, m])
    with tf.Session() as two:
        s3, m3 = two.run([s, m])
    for a, b in [(s1, s2), (s1, s3), (m1, m2), (m1, m3)]:
        assert not np.array_equal(a, b)
    assert sorted(s1) == list(range(50))


@pytest.mark.parametrize("size", [2, 3, 4, 5, 9, 257])
def test_a_shuffle_is_a_permutation_and_uses_size_minus_one_words(size):
    order, offset = philox.shuffle_permutation(7, 8, 100, size)
    assert sorted(order.tolist()) == list(range(size))
    assert offset == 100 + math.ceil((size - 1) / 4)  # ReserveSamples32(size - 1)


@pytest.mark.parametrize(
    "batch, num_samples, classes, threads, starts",
    [
        # Splits that reproduced TensorFlow 2.21's values with TF_NUM_INTRAOP_THREADS=3 and
        # 1 (checked by hand; the fixture records 2 threads, the number of CPUs it ran on).
        (3, 100, 1000, 3, [0, 1, 2]),
        (40, 64, 50, 3, [0, 7, 14, 21, 28, 35]),
        (200, 10, 5, 3, [0, 34, 68, 102, 136, 170]),
        (5, 2000, 3, 3, [0, 2, 4]),
        (8, 1000, 10, 1, [0]),
        (7, 10, 5, 3, [0]),  # too little work to share: one piece whatever the threads
    ],
)
def test_multinomial_rows_are_split_among_threads_as_tensorflow_splits_them(
    batch, num_samples, classes, threads, starts
):
    cost = int(50 * (num_samples * math.log(classes) / math.log(2) + classes))
    assert philox.parallel_for_shards(batch, cost, threads) == starts


def test_multinomial_on_one_thread_reads_one_stream_row_after_row():
    logits = np.log(np.array([[0.2, 0.3, 0.5], [0.5, 0.25, 0.25]], dtype=np.float32))
    samples, offset = philox.multinomial(1, 2, 0, logits, 3, threads=1)
    words = philox.words(1, 2, 0, 12).astype(np.uint64)
    u = philox.uint64_to_double(words[0::2], words[1::2]).reshape(2, 3)
    cdf = np.cumsum(np.exp(logits.astype(np.float64)), axis=1)
    expected = [np.searchsorted(c, r * c[-1], side="right") for c, r in zip(cdf, u)]
    assert samples.tolist() == np.array(expected).tolist()
    assert offset == 256 * 2 * 2 * 4  # 2 doubles per sample, 3 samples rounded up to 4


def test_multinomial_output_dtype_and_the_thread_count_tensorflow_would_use(monkeypatch):
    from tfteach.core import random_extra_ops

    monkeypatch.setenv("TF_NUM_INTRAOP_THREADS", "5")
    assert random_extra_ops.tensorflow_cpu_threads() == 5
    monkeypatch.setenv("TF_NUM_INTRAOP_THREADS", "0")  # not set: the CPUs we may run on
    assert random_extra_ops.tensorflow_cpu_threads() >= 1
    m = tf.multinomial([[0.0, 1.0]], 3, seed=1, output_dtype=tf.int32)
    assert run(m).dtype == np.int32


def test_multinomial_rejects_negative_sample_counts_and_integer_logits():
    with pytest.raises(ValueError, match="must be non-negative but is -3 for 'multinomial/"):
        tf.multinomial([[0.5, 1.0]], -3, seed=1)
    assert op_list() == []  # the failed call left nothing behind
    n = tf.placeholder(tf.int32, [])
    m = tf.multinomial([[0.5, 1.0]], n, seed=1)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match="got -2"):
            sess.run(m, {n: -2})
        assert sess.run(m, {n: 2}).shape == (1, 2)
        integer = tf.multinomial([[1, 2]], 3, seed=1)
        with pytest.raises(tf.errors.InvalidArgumentError, match="No OpKernel .* dtype int32"):
            sess.run(integer)
