"""Initializers: TF1's classes, ops and configs; the exact mathematics for the shapes of a
dense layer ([784, 200]), a convolution kernel ([5, 5, 32, 64]), a bias ([1000]) and a
scalar ([]); what ``explain`` reports; and seeds.

Expected op names, configs and error messages come from tests/fixtures/tf1_reference.json
(TensorFlow 2.21, tensorflow.compat.v1) or were checked against that TensorFlow. Expected
parameters are computed by hand here from TF1's formulas.
"""

import collections
import math

import numpy as np
import pytest

import tfteach as tf
from tfteach.core import init_ops

TRUNC = 0.87962566103423978  # the std of a unit normal truncated at +-2
SHAPES = [[784, 200], [5, 5, 32, 64], [1000], []]
# fans by TF's rule: 2-D (rows, cols); kernels times the receptive field 5 * 5
FANS = {(784, 200): (784, 200), (5, 5, 32, 64): (800, 1600), (1000,): (1000, 1000), (): (1, 1)}


def draw(init, shape, dtype=None):
    """The values a variable made with ``init`` gets when initialized."""
    v = tf.Variable(lambda: init(shape, dtype), name="v")
    with tf.Session() as sess:
        sess.run(v.initializer)
        return sess.run(v)


def op_list():
    return [(op.name, op.type) for op in tf.get_default_graph().get_operations()]


def assert_mean_std(x, mean, std):
    """Sample mean and std within 5 standard errors (fixed seeds: no flakiness). The std
    error of the sample std is std * sqrt((kurtosis - 1) / 4n); kurtosis 3 (the normal's)
    bounds every distribution here."""
    n = x.size
    x = x.astype(np.float64)
    assert abs(x.mean() - mean) <= 5 * std / math.sqrt(n)
    assert abs(x.std() - std) <= 5 * std * math.sqrt(2 / (4 * n))


# -- hand-computed parameters for every variance-scaling recipe ------------------------------
# name -> (initializer factory, scale, mode, distribution)
RECIPES = {
    "glorot_uniform": (tf.glorot_uniform_initializer, 1.0, "fan_avg", "uniform"),
    "glorot_normal": (tf.glorot_normal_initializer, 1.0, "fan_avg", "truncated_normal"),
    "he_normal": (tf.initializers.he_normal, 2.0, "fan_in", "truncated_normal"),
    "he_uniform": (tf.initializers.he_uniform, 2.0, "fan_in", "uniform"),
    "lecun_normal": (tf.initializers.lecun_normal, 1.0, "fan_in", "truncated_normal"),
    "lecun_uniform": (tf.initializers.lecun_uniform, 1.0, "fan_in", "uniform"),
    "variance_scaling": (tf.variance_scaling_initializer, 1.0, "fan_in", "truncated_normal"),
}


def hand_n(shape, mode):
    fan_in, fan_out = FANS[tuple(shape)]
    return max(1.0, {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[mode])


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("name", RECIPES)
def test_variance_scaling_recipes_draw_what_their_formula_says(name, shape):
    factory, scale, mode, distribution = RECIPES[name]
    tf.set_random_seed(11)
    x = draw(factory(), shape)
    assert x.shape == tuple(shape) and x.dtype == np.float32
    variance = scale / hand_n(shape, mode)
    if distribution == "uniform":
        limit = math.sqrt(3 * variance)
        assert np.all(np.abs(x) <= limit)
        assert_mean_std(x, 0.0, limit / math.sqrt(3))
    else:
        param_stddev = math.sqrt(variance) / TRUNC
        assert np.all(np.abs(x) <= 2 * param_stddev)
        assert_mean_std(x, 0.0, math.sqrt(variance))


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("name", RECIPES)
def test_explain_resolves_the_recipes_parameters(name, shape):
    factory, scale, mode, distribution = RECIPES[name]
    info = factory().explain(shape)
    variance = scale / hand_n(shape, mode)
    assert list(info) == list(init_ops.EXPLAIN_KEYS)
    assert (info["fan_in"], info["fan_out"]) == FANS[tuple(shape)]
    assert info["name"] == name
    assert (info["mode"], info["scale"], info["mean"]) == (mode, scale, 0.0)
    assert info["n"] == hand_n(shape, mode)
    assert info["distribution"] == distribution
    assert info["stddev"] == pytest.approx(math.sqrt(variance))
    if distribution == "uniform":
        assert info["limit"] == pytest.approx(math.sqrt(3 * variance))
        assert info["param_stddev"] is None
    else:
        assert info["param_stddev"] == pytest.approx(math.sqrt(variance) / TRUNC)
        assert info["limit"] is None


def test_explain_formulas_read_as_the_lesson_writes_them():
    glorot = init_ops.explain("glorot_uniform", [784, 200])
    assert glorot["formula"] == "limit = sqrt(6 / (784 + 200)) = 0.0781"
    he = init_ops.explain(tf.initializers.he_normal(), [784, 200])
    assert he["formula"] == "stddev = sqrt(2 / 784) / 0.8796 = 0.0574 (realized std 0.0505)"
    untruncated = tf.variance_scaling_initializer(2.0, "fan_out", "untruncated_normal")
    assert untruncated.explain([784, 200])["formula"] == "stddev = sqrt(2 / 200) = 0.1"


# -- the plain distributions -----------------------------------------------------------------


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_truncated_normal_initializer(shape):
    init = tf.truncated_normal_initializer(mean=0.5, stddev=0.2, seed=1)
    x = draw(init, shape)
    assert x.shape == tuple(shape) and x.dtype == np.float32
    assert np.all(np.abs(x - 0.5) <= 2 * 0.2 + 1e-7)
    assert_mean_std(x, 0.5, 0.2 * TRUNC)
    info = init.explain(shape)
    assert (info["distribution"], info["mean"], info["param_stddev"]) == (
        "truncated_normal",
        0.5,
        0.2,
    )
    assert info["stddev"] == pytest.approx(0.2 * TRUNC)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_random_normal_initializer(shape):
    init = tf.random_normal_initializer(mean=-1.0, stddev=2.0, seed=2)
    x = draw(init, shape)
    assert x.shape == tuple(shape) and x.dtype == np.float32
    assert_mean_std(x, -1.0, 2.0)
    info = init.explain(shape)
    assert (info["distribution"], info["mean"], info["stddev"]) == ("normal", -1.0, 2.0)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_random_uniform_initializer(shape):
    init = tf.random_uniform_initializer(-3.0, 1.0, seed=3)
    x = draw(init, shape)
    assert x.shape == tuple(shape) and x.dtype == np.float32
    assert x.min() >= -3.0 and x.max() < 1.0
    assert_mean_std(x, -1.0, 4.0 / math.sqrt(12))
    info = init.explain(shape)
    assert (info["distribution"], info["mean"], info["limit"]) == ("uniform", -1.0, 3.0)
    assert info["stddev"] == pytest.approx(4.0 / math.sqrt(12))


def test_random_uniform_initializer_defaults_to_zero_one_and_draws_integers():
    x = draw(tf.random_uniform_initializer(seed=4), [1000])
    assert x.min() >= 0 and x.max() < 1
    ints = draw(tf.random_uniform_initializer(0, 10, dtype=tf.int32, seed=5), [1000])
    assert ints.dtype == np.int32 and set(np.unique(ints)) == set(range(10))
    info = tf.random_uniform_initializer(0, 10, dtype=tf.int32).explain([1000])
    assert info["mean"] == 4.5 and info["stddev"] == pytest.approx(math.sqrt(99 / 12))


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_uniform_unit_scaling_uses_the_product_of_all_but_the_last_dimension(shape):
    init = tf.uniform_unit_scaling_initializer(factor=1.43, seed=6)
    x = draw(init, shape)
    input_size = max(1, math.prod(shape[:-1]))
    limit = math.sqrt(3 / input_size) * 1.43
    assert np.all(np.abs(x) <= limit)
    assert_mean_std(x, 0.0, limit / math.sqrt(3))
    info = init.explain(shape)
    assert (info["n"], info["scale"]) == (input_size, 1.43)
    assert info["limit"] == pytest.approx(limit)


@pytest.mark.parametrize("dtype", [tf.float16, tf.float64])
def test_the_call_dtype_overrides_the_initializers(dtype):
    x = draw(tf.glorot_uniform_initializer(seed=7), [784, 200], dtype)
    assert x.dtype == dtype.as_numpy_dtype
    assert np.all(np.abs(x.astype(np.float64)) <= math.sqrt(6 / 984) * (1 + 1e-3))


# -- constants --------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_zeros_and_ones(shape):
    assert np.array_equal(draw(tf.zeros_initializer(), shape), np.zeros(shape, np.float32))
    assert np.array_equal(draw(tf.ones_initializer(), shape), np.ones(shape, np.float32))
    info = tf.ones_initializer().explain(shape)
    assert (info["distribution"], info["mean"], info["stddev"]) == ("constant", 1.0, 0.0)


def test_zeros_and_ones_build_tfs_ops_with_their_dtype():
    z = tf.zeros_initializer()([2, 3])
    o = tf.ones_initializer(dtype=tf.int64)([2])
    c = tf.constant_initializer(3.0)([2, 2])
    assert (z.name, o.name, o.dtype, c.name) == ("zeros:0", "ones:0", tf.int64, "Const:0")
    assert [t for _, t in op_list()] == ["Const", "Const", "Const"]


def test_constant_initializer_lays_values_out_row_major():
    value = np.array([[1, 2, 3], [2, 3, 4]])
    assert draw(tf.constant_initializer(value), [6]).tolist() == [1, 2, 3, 2, 3, 4]
    assert draw(tf.constant_initializer([1, 2, 3, 4, 5, 6]), [3, 2]).tolist() == [
        [1, 2],
        [3, 4],
        [5, 6],
    ]
    assert draw(tf.constant_initializer(7), [2, 2]).tolist() == [[7, 7], [7, 7]]


def test_constant_initializer_repeats_the_last_value_when_given_fewer():
    assert draw(tf.constant_initializer([1.0, 2.0, 3.0]), [2, 3]).tolist() == [
        [1, 2, 3],
        [3, 3, 3],
    ]
    info = tf.constant_initializer([1.0, 2.0, 3.0]).explain([2, 3])
    assert info["mean"] == pytest.approx(2.5)
    assert info["stddev"] == pytest.approx(np.std([1, 2, 3, 3, 3, 3]))


def test_constant_initializer_rejects_more_values_than_the_shape_holds():
    init = tf.constant_initializer([1, 2, 3, 4, 5, 6])
    with pytest.raises(ValueError) as info:
        init([4])
    assert str(info.value) == "Too many elements provided. Takes at most 4, but got 6."
    assert op_list() == []


def test_constant_initializer_verify_shape():
    init = tf.constant_initializer([1, 2], verify_shape=True)
    assert init([2]).name == "Const:0"
    with pytest.raises(TypeError) as info:
        init([4])
    assert str(info.value) == "Expected Tensor's shape: (4,), but got (2,)."


def test_constant_initializer_checks_the_value_type_and_dtype():
    with pytest.raises(TypeError, match=r"Invalid type for initial value=\{1: 2\} of type: dict"):
        tf.constant_initializer({1: 2})
    with pytest.raises(TypeError, match="Expected int32, but got 1.5 of type 'float'."):
        tf.constant_initializer(1.5, dtype=tf.int32)([2])


def test_constant_initializer_with_a_zero_size_shape():
    assert draw(tf.constant_initializer([1, 2, 3]), [0, 2]).shape == (0, 2)


# -- orthogonal and identity ------------------------------------------------------------------


@pytest.mark.parametrize("shape", [[784, 200], [200, 784], [5, 5, 32, 64], [3, 3]], ids=str)
def test_orthogonal_gives_orthonormal_columns_or_rows_times_gain(shape):
    x = draw(tf.orthogonal_initializer(gain=2.0, seed=8), shape)
    assert x.shape == tuple(shape)
    m = x.reshape(-1, shape[-1]).astype(np.float64)
    small = min(m.shape)
    gram = m.T @ m if m.shape[0] >= m.shape[1] else m @ m.T
    assert np.allclose(gram, 4.0 * np.eye(small), atol=1e-4)
    info = tf.orthogonal_initializer(gain=2.0).explain(shape)
    assert info["stddev"] == pytest.approx(np.sqrt(np.mean(m**2)))


def test_orthogonal_is_q_of_the_qr_of_its_normal_draw_with_signs_fixed():
    q_t = tf.orthogonal_initializer(seed=9)([6, 4])
    a_t = tf.get_default_graph().get_tensor_by_name("random_normal:0")
    with tf.Session() as sess:
        q, a = sess.run([q_t, a_t])
    r = q.T.astype(np.float64) @ a  # a = q r with r upper triangular
    assert np.allclose(np.tril(r, -1), 0, atol=1e-5)
    assert np.all(np.diag(r) > 0)  # the sign fix makes Q uniformly (Haar) distributed


def test_orthogonal_builds_tfs_ops():
    tf.orthogonal_initializer()([2, 3])
    assert op_list() == [
        ("random_normal/shape", "Const"),
        ("random_normal/mean", "Const"),
        ("random_normal/stddev", "Const"),
        ("random_normal/RandomStandardNormal", "RandomStandardNormal"),
        ("random_normal/mul", "Mul"),
        ("random_normal", "AddV2"),
        ("Qr", "Qr"),
        ("DiagPart", "DiagPart"),
        ("Sign", "Sign"),
        ("mul", "Mul"),
        ("matrix_transpose/transpose/perm", "Const"),
        ("matrix_transpose/transpose", "Transpose"),
        ("Reshape/shape", "Const"),
        ("Reshape", "Reshape"),
        ("mul_1/x", "Const"),
        ("mul_1", "Mul"),
    ]


@pytest.mark.parametrize("shape", [[3], [], [2, 2, 2]], ids=str)
def test_orthogonal_and_identity_need_matrices(shape):
    message = (
        "The tensor to initialize, specified by argument `shape` must be at least "
        f"two-dimensional. Received shape={shape}"
    )
    if len(shape) < 2:
        with pytest.raises(ValueError) as info:
            tf.orthogonal_initializer()(shape)
        assert str(info.value) == message
    with pytest.raises(ValueError) as info:
        tf.initializers.identity()(shape)
    assert str(info.value) == message
    assert op_list() == []


def test_identity_is_gain_times_eye():
    assert draw(tf.initializers.identity(gain=2.0), [2, 3]).tolist() == [[2, 0, 0], [0, 2, 0]]
    info = tf.initializers.identity(gain=2.0).explain([2, 3])
    values = [2, 0, 0, 0, 2, 0]
    assert info["distribution"] == "identity"
    assert info["mean"] == pytest.approx(np.mean(values))
    assert info["stddev"] == pytest.approx(np.std(values))


# -- TF1's names, classes, configs -----------------------------------------------------------

# TF 2.21's get_config() for each default-constructed initializer (recorded fixture)
TF_CONFIGS = [
    (tf.zeros_initializer, {"dtype": "float32"}),
    (tf.ones_initializer, {"dtype": "float32"}),
    (tf.random_normal_initializer, {"mean": 0.0, "stddev": 1.0, "seed": None, "dtype": "float32"}),
    (
        tf.truncated_normal_initializer,
        {"mean": 0.0, "stddev": 1.0, "seed": None, "dtype": "float32"},
    ),
    (
        tf.random_uniform_initializer,
        {"minval": 0.0, "maxval": None, "seed": None, "dtype": "float32"},
    ),
    (tf.uniform_unit_scaling_initializer, {"factor": 1.0, "seed": None, "dtype": "float32"}),
    (tf.orthogonal_initializer, {"gain": 1.0, "seed": None, "dtype": "float32"}),
    (
        tf.variance_scaling_initializer,
        {
            "scale": 1.0,
            "mode": "fan_in",
            "distribution": "truncated_normal",
            "seed": None,
            "dtype": "float32",
        },
    ),
    (tf.glorot_uniform_initializer, {"seed": None, "dtype": "float32"}),
    (tf.glorot_normal_initializer, {"seed": None, "dtype": "float32"}),
    (tf.initializers.identity, {"gain": 1.0, "dtype": "float32"}),
]


@pytest.mark.parametrize("cls, config", TF_CONFIGS, ids=lambda x: getattr(x, "__name__", ""))
def test_get_config_has_tfs_keys_and_round_trips(cls, config):
    assert cls().get_config() == config
    again = cls.from_config(cls().get_config())
    assert type(again) is cls and again.get_config() == config


def test_configured_initializers_round_trip():
    for init in [
        tf.constant_initializer([1, 2], dtype=tf.float64),
        tf.variance_scaling_initializer(2.0, "fan_avg", "uniform", seed=3, dtype=tf.float64),
        tf.random_uniform_initializer(-1, 1, seed=4),
        tf.orthogonal_initializer(gain=0.5, seed=5),
    ]:
        again = type(init).from_config(init.get_config())
        assert again.get_config() == init.get_config()


def test_tf1_names_are_classes_deriving_from_initializer():
    assert tf.zeros_initializer.__name__ == "Zeros"
    assert tf.glorot_uniform_initializer.__name__ == "GlorotUniform"
    assert tf.initializers.glorot_uniform is tf.glorot_uniform_initializer
    assert tf.initializers.variance_scaling is tf.variance_scaling_initializer
    assert isinstance(tf.ones_initializer(), init_ops.Initializer)
    assert tf.ones_initializer()([3]).name == "ones:0"


def test_tf_initializers_he_and_lecun_are_functions_returning_variance_scaling():
    init = tf.initializers.he_uniform(seed=3)
    assert type(init) is tf.variance_scaling_initializer
    assert init.get_config() == {
        "scale": 2.0,
        "mode": "fan_in",
        "distribution": "uniform",
        "seed": 3,
        "dtype": "float32",
    }


def test_glorot_ignores_its_dtype_argument_as_tf_does():
    assert tf.glorot_uniform_initializer(dtype=tf.float64).get_config()["dtype"] == "float32"


def test_keras_initializers_as_tf1_exposes_them():
    k = tf.keras.initializers
    assert k.glorot_uniform is tf.glorot_uniform_initializer
    assert k.he_normal().get_config() == {"seed": None}
    assert k.truncated_normal().get_config()["stddev"] == 0.05
    assert k.RandomUniform().get_config()["minval"] == -0.05
    assert k.get("he_uniform").explain([784, 200])["limit"] == pytest.approx(math.sqrt(6 / 784))
    restored = k.deserialize(k.serialize(k.VarianceScaling(2.0, "fan_out", seed=1)))
    assert restored.get_config()["mode"] == "fan_out"
    with pytest.raises(ValueError, match="Unknown initializer: 'nope'"):
        k.get("nope")


# -- bad arguments (TF's wording) -------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"scale": 0.0}, "Argument `scale` must be a positive float. Received: 0.0"),
        (
            {"mode": "fan_middle"},
            "Argument `mode` should be one of ('fan_in', 'fan_out', 'fan_avg'). "
            "Received: fan_middle",
        ),
        (
            {"distribution": "gamma"},
            "Argument `distribution` should be one of ('normal', uniform', 'truncated_normal', "
            "'untruncated_normal'). Received: gamma",
        ),
    ],
)
def test_variance_scaling_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError) as info:
        tf.variance_scaling_initializer(**kwargs)
    assert str(info.value) == message


def test_normal_is_a_deprecated_alias_of_truncated_normal():
    init = tf.variance_scaling_initializer(distribution="NORMAL", seed=1)
    assert init.get_config()["distribution"] == "normal"
    assert init([3, 3]).name == "truncated_normal:0"
    assert init.explain([3, 3])["distribution"] == "truncated_normal"


@pytest.mark.parametrize(
    "factory",
    [
        tf.random_normal_initializer,
        tf.truncated_normal_initializer,
        tf.uniform_unit_scaling_initializer,
        tf.variance_scaling_initializer,
        tf.orthogonal_initializer,
        tf.initializers.identity,
    ],
)
def test_float_only_initializers_reject_an_int_dtype(factory):
    with pytest.raises(ValueError) as info:
        factory(dtype=tf.int32)
    assert str(info.value) == (
        "Argument `dtype` is expected to be floating point. Received: <dtype: 'int32'>."
    )


def test_a_failed_call_leaves_the_graph_as_it_was():
    with pytest.raises(TypeError, match="Expected int32, but got -1.22474487139158"):
        tf.glorot_uniform_initializer()([2, 2], dtype=tf.int32)
    assert op_list() == []


def test_get_by_name_and_bad_names():
    assert isinstance(init_ops.get("glorot_uniform"), tf.glorot_uniform_initializer)
    assert init_ops.get("zeros_initializer").explain([2])["name"] == "zeros"
    init = tf.ones_initializer()
    assert init_ops.get(init) is init
    with pytest.raises(ValueError, match="Unknown initializer name 'xavier'. Valid names: "):
        init_ops.get("xavier")
    with pytest.raises(ValueError, match="he_normal"):
        init_ops.explain("xavier", [2, 2])


def test_explain_needs_a_known_shape():
    with pytest.raises(TypeError, match="every dimension must be known"):
        tf.glorot_uniform_initializer().explain([None, 3])


# -- seeds ------------------------------------------------------------------------------------


def test_one_seeded_initializer_gives_two_variables_the_same_values():
    init = tf.random_normal_initializer(seed=7)
    a = tf.Variable(lambda: init([10]), name="a")
    b = tf.Variable(lambda: init([10]), name="b")
    unseeded = tf.glorot_uniform_initializer()
    c = tf.Variable(lambda: unseeded([10]), name="c")
    d = tf.Variable(lambda: unseeded([10]), name="d")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        av, bv, cv, dv = sess.run([a, b, c, d])
    assert np.array_equal(av, bv)
    assert not np.array_equal(cv, dv)


def test_a_graph_seed_makes_initial_values_repeat_in_each_new_session():
    tf.set_random_seed(5)
    v = tf.Variable(lambda: tf.glorot_normal_initializer()([30, 20]), name="v")
    with tf.Session() as one:
        one.run(v.initializer)
        first = one.run(v)
        one.run(v.initializer)
        second = one.run(v)
    with tf.Session() as two:
        two.run(v.initializer)
        again = two.run(v)
    assert np.array_equal(first, again)
    assert not np.array_equal(first, second)


def test_initializers_build_in_the_current_name_scope():
    with tf.name_scope("layer1"):
        w = tf.glorot_uniform_initializer()([3, 2])
        b = tf.zeros_initializer()([2])
    assert (w.name, b.name) == ("layer1/random_uniform:0", "layer1/zeros:0")


def test_partition_info_full_shape_sets_the_fans():
    Partition = collections.namedtuple("Partition", "full_shape var_offset")
    part = Partition(full_shape=[784, 200], var_offset=[0, 0])
    x = tf.glorot_uniform_initializer(seed=1)([10, 200], partition_info=part)
    with tf.Session() as sess:
        values = sess.run(x)
    assert np.abs(values).max() <= math.sqrt(6 / 984)


def test_explain_refuses_what_it_cannot_describe():
    with pytest.raises(ValueError, match="glorot_uniform draws floating-point values"):
        tf.glorot_uniform_initializer().explain([3, 3], dtype=tf.int32)

    class Custom(init_ops.Initializer):
        def __call__(self, shape, dtype=None, partition_info=None):
            return tf.zeros(shape, dtype or tf.float32)

    assert Custom()([2]).name == "zeros:0"
    with pytest.raises(TypeError, match="Custom does not describe what it draws"):
        Custom().explain([2])


def test_an_initializer_prints_as_its_arguments():
    assert repr(tf.glorot_uniform_initializer(seed=3)) == ("GlorotUniform(seed=3, dtype='float32')")
    assert repr(tf.constant_initializer(0.5)).startswith("Constant(value=0.5")
