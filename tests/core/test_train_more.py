"""tf.train.ExponentialMovingAverage and the learning-rate schedules polynomial_decay,
natural_exp_decay, inverse_time_decay and cosine_decay, checked against the formulas TF 2.21
documents, computed here by hand in numpy; and the tf.random namespace of compat.v1."""

import os

import numpy as np
import pytest

import tfteach as tf

STEPS = (0, 1, 5, 10, 11, 15, 20, 25)


def schedule_values(rates, steps=STEPS):
    """Runs ``rates`` with the global step set to each of ``steps``: one row per step."""
    step = tf.train.get_global_step()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        rows = []
        for s in steps:
            sess.run(step.assign(s))
            rows.append(sess.run(rates))
    return np.array(rows, dtype=np.float64)


def graph_size():
    return len(tf.get_default_graph().get_operations())


# -- ExponentialMovingAverage ---------------------------------------------------------------


def test_ema_shadow_variables_names_and_collections():
    w = tf.Variable([1.0, 2.0], name="w")
    with tf.variable_scope("layer"):
        b = tf.get_variable("b", initializer=3.0)
    ema = tf.train.ExponentialMovingAverage(0.9)
    assert ema.average(w) is None
    assert ema.average_name(w) == "w/ExponentialMovingAverage"
    op = ema.apply([w, b])
    assert (op.name, op.type) == ("ExponentialMovingAverage", "NoOp")
    assert ema.average(w).name == "w/ExponentialMovingAverage:0"
    assert ema.average(b).name == "layer/b/ExponentialMovingAverage:0"
    assert ema.average_name(b) == "layer/b/ExponentialMovingAverage"
    assert [v.name for v in tf.trainable_variables()] == ["w:0", "layer/b:0"]
    # TF lists the averaged variables themselves, not their shadows
    assert tf.moving_average_variables() == [w, b]
    assert [v.name for v in tf.global_variables()] == [
        "w:0",
        "layer/b:0",
        "w/ExponentialMovingAverage:0",
        "layer/b/ExponentialMovingAverage:0",
    ]
    # a second apply reuses the shadows and makes only a new update op
    again = ema.apply([w])
    assert again.name == "ExponentialMovingAverage_1"
    assert len(tf.global_variables()) == 4 and len(tf.moving_average_variables()) == 2


def test_ema_shadow_starts_at_the_initial_value_and_follows_the_formula():
    w = tf.Variable([1.0, -2.0], name="w")
    decay = 0.75
    ema = tf.train.ExponentialMovingAverage(decay)
    op = ema.apply([w])
    targets = [[3.0, 3.0], [-1.0, 5.0], [0.5, 0.25]]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(ema.average(w)), [1.0, -2.0])
        shadow = np.array([1.0, -2.0])
        for target in targets:
            sess.run(w.assign(target))
            sess.run(op)
            shadow = decay * shadow + (1 - decay) * np.array(target)
            np.testing.assert_allclose(sess.run(ema.average(w)), shadow, rtol=1e-6)


def test_ema_num_updates_caps_the_decay():
    v = tf.Variable(0.0, name="v")
    n = tf.placeholder(tf.int32, [])
    ema = tf.train.ExponentialMovingAverage(0.99, num_updates=n)
    op = ema.apply([v])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(v.assign(10.0))
        for count in (0, 5, 90, 10_000):
            sess.run(ema.average(v).assign(0.0))
            sess.run(op, {n: count})
            decay = min(0.99, (1 + count) / (10 + count))
            assert sess.run(ema.average(v)) == pytest.approx(10.0 * (1 - decay), rel=1e-6)


def test_ema_after_the_train_op_sees_the_trained_variable_and_step():
    w = tf.Variable([1.0, 2.0], name="w")
    loss = tf.reduce_sum(tf.square(w - tf.constant([3.0, -1.0])))
    step = tf.train.get_or_create_global_step()
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=step)
    ema = tf.train.ExponentialMovingAverage(0.9, num_updates=step)
    with tf.control_dependencies([train]):
        ema_op = ema.apply([w])
    var, shadow = np.array([1.0, 2.0]), np.array([1.0, 2.0])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for n in range(1, 5):
            sess.run(ema_op)
            var = var - 0.1 * 2 * (var - [3.0, -1.0])
            decay = min(0.9, (1 + n) / (10 + n))  # the step already incremented
            shadow = decay * shadow + (1 - decay) * var
            np.testing.assert_allclose(sess.run(w), var, rtol=1e-6)
            np.testing.assert_allclose(sess.run(ema.average(w)), shadow, rtol=1e-6)


def test_ema_of_a_tensor_starts_at_zero_and_default_var_list_is_trainable():
    w = tf.Variable([1.0, 3.0], name="w")
    u = tf.Variable(5.0, name="u", trainable=False)
    m = tf.reduce_mean(w, name="m")
    ema = tf.train.ExponentialMovingAverage(0.5, name="avg")
    op = ema.apply()
    ema.apply([m])
    assert ema.average(u) is None and ema.average(w).op.name == "w/avg"
    assert ema.average(m).op.name == "m/avg"
    assert tf.moving_average_variables() == [w]  # a tensor is not put there
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(ema.average(m)) == 0.0
        sess.run(w.assign([5.0, 7.0]))
        sess.run(op)
        np.testing.assert_allclose(sess.run(ema.average(w)), [3.0, 5.0])


def test_ema_refuses_non_float_variables_and_leaves_the_graph_as_it_was():
    w = tf.Variable(1.0, name="w")
    i = tf.Variable(1, name="i")
    ema = tf.train.ExponentialMovingAverage(0.9)
    before = graph_size()
    with pytest.raises(TypeError, match="The variables must be half, float, or double: i:0"):
        ema.apply([w, i])
    assert graph_size() == before and ema.average(w) is None
    assert tf.moving_average_variables() == []
    assert ema.apply([w]).name == "ExponentialMovingAverage"  # no name was used up


def test_ema_zero_debias_of_a_tensor_says_it_is_missing():
    m = tf.reduce_sum(tf.Variable([1.0, 2.0], name="w"), name="m")
    before = graph_size()
    with pytest.raises(NotImplementedError, match="zero_debias=True for tensors"):
        tf.train.ExponentialMovingAverage(0.9, zero_debias=True).apply([m])
    assert graph_size() == before


def test_ema_variables_to_restore_loads_the_averages_through_a_saver(tmp_path):
    path = os.path.join(tmp_path, "model")
    with tf.Graph().as_default():
        w = tf.Variable([1.0, 2.0], name="w")
        step = tf.Variable(0, name="step", trainable=False)
        ema = tf.train.ExponentialMovingAverage(0.5)
        op = ema.apply([w])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for target in ([3.0, 4.0], [5.0, 0.0]):
                sess.run(w.assign(target))
                sess.run(op)
            sess.run(step.assign(7))
            tf.train.Saver().save(sess, path)
    with tf.Graph().as_default():
        w = tf.Variable([0.0, 0.0], name="w")
        step = tf.Variable(0, name="step", trainable=False)
        names = tf.train.ExponentialMovingAverage(0.5).variables_to_restore()
        assert names == {"w/ExponentialMovingAverage": w, "step": step}
        with tf.Session() as sess:
            tf.train.Saver(names).restore(sess, path)
            # (1 -> 2 -> 3.5, 2 -> 3 -> 1.5): the average, not w's last value
            np.testing.assert_array_equal(sess.run(w), [3.5, 1.5])
            assert sess.run(step) == 7


# -- schedules -------------------------------------------------------------------------------


def test_polynomial_decay_linear_power_and_cycle():
    step = tf.train.get_or_create_global_step()
    rates = [
        tf.train.polynomial_decay(0.1, step, 10),
        tf.train.polynomial_decay(0.1, step, 10, end_learning_rate=0.01, power=2.0),
        tf.train.polynomial_decay(0.1, step, 10, 0.01, power=0.5, cycle=True, name="poly"),
    ]
    assert [r.op.name for r in rates] == ["PolynomialDecay", "PolynomialDecay_1", "poly"]
    got = schedule_values(rates)
    for row, s in zip(got, STEPS):
        p = min(s, 10) / 10
        horizon = 10 * max(1, np.ceil(s / 10))
        want = [
            (0.1 - 0.0001) * (1 - p) + 0.0001,
            (0.1 - 0.01) * (1 - p) ** 2 + 0.01,
            (0.1 - 0.01) * (1 - s / horizon) ** 0.5 + 0.01,
        ]
        np.testing.assert_allclose(row, want, rtol=1e-5, atol=1e-7)


def test_natural_exp_and_inverse_time_decay_smooth_and_staircase():
    step = tf.train.get_or_create_global_step()
    rates = [
        tf.train.natural_exp_decay(0.1, step, 10, 0.5),
        tf.train.natural_exp_decay(0.1, step, 10, 0.5, staircase=True, name="nat"),
        tf.train.inverse_time_decay(0.1, step, 10, 0.5),
        tf.train.inverse_time_decay(0.1, step, 10, 0.5, staircase=True),
    ]
    names = ["ExponentialDecay", "nat", "InverseTimeDecay", "InverseTimeDecay_1"]
    assert [r.op.name for r in rates] == names
    got = schedule_values(rates)
    for row, s in zip(got, STEPS):
        want = [
            0.1 * np.exp(-0.5 * s / 10),
            0.1 * np.exp(-0.5 * (s // 10)),
            0.1 / (1 + 0.5 * s / 10),
            0.1 / (1 + 0.5 * (s // 10)),
        ]
        np.testing.assert_allclose(row, want, rtol=1e-5)


def test_cosine_decay_with_and_without_alpha():
    step = tf.train.get_or_create_global_step()
    rates = [
        tf.train.cosine_decay(0.1, step, 10),
        tf.train.cosine_decay(0.1, step, 10, alpha=0.2, name="cos"),
    ]
    assert [r.name for r in rates] == ["CosineDecay/Mul_3:0", "cos/Mul_3:0"]  # as TF names
    got = schedule_values(rates)
    for row, s in zip(got, STEPS):
        cosine = 0.5 * (1 + np.cos(np.pi * min(s, 10) / 10))
        want = [0.1 * cosine, 0.1 * (0.8 * cosine + 0.2)]
        np.testing.assert_allclose(row, want, rtol=1e-5, atol=1e-7)


def test_schedules_keep_the_learning_rate_dtype():
    step = tf.train.get_or_create_global_step()
    lr64 = tf.constant(0.1, tf.float64)
    rates = [
        tf.train.polynomial_decay(lr64, step, 10, power=3.0),
        tf.train.inverse_time_decay(np.float64(0.1), step, 10, 0.5),
        tf.train.natural_exp_decay(lr64, step, 10, 0.5),
        tf.train.cosine_decay(0.1, step, 10),
    ]
    assert [r.dtype for r in rates] == [tf.float64, tf.float64, tf.float64, tf.float32]
    got = schedule_values(rates[:1], steps=(4,))
    end = float(np.float32(0.0001))  # TF casts the Python float through float32, as here
    assert got[0, 0] == pytest.approx((0.1 - end) * 0.6**3 + end, rel=1e-12)


@pytest.mark.parametrize(
    "call",
    [
        lambda: tf.train.polynomial_decay(0.1, None, 10),
        lambda: tf.train.natural_exp_decay(0.1, None, 10, 0.5),
        lambda: tf.train.inverse_time_decay(0.1, None, 10, 0.5),
        lambda: tf.train.cosine_decay(0.1, None, 10),
    ],
)
def test_schedules_need_a_step_and_leave_the_graph_as_it_was(call):
    before = graph_size()
    with pytest.raises(ValueError, match="None values not supported."):
        call()
    assert graph_size() == before


def test_float64_rate_fails_where_tensorflow_mixes_in_float32():
    step = tf.train.get_or_create_global_step()
    lr64 = tf.constant(0.1, tf.float64)
    before = graph_size()
    with pytest.raises(TypeError, match="Input 'e' of 'SelectV2' Op has type float64"):
        tf.train.polynomial_decay(lr64, step, 10, cycle=True)
    assert graph_size() == before
    with pytest.raises(TypeError, match="Input 'y' of 'Mul' Op has type float64"):
        tf.train.cosine_decay(lr64, step, 10)
    assert graph_size() == before


def test_a_schedule_drives_gradient_descent():
    w = tf.Variable(1.0, name="w")
    step = tf.train.get_or_create_global_step()
    lr = tf.train.cosine_decay(0.2, step, 4, alpha=0.1)
    train = tf.train.GradientDescentOptimizer(lr).minimize(tf.square(w), global_step=step)
    var = 1.0
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for s in range(6):
            rate = 0.2 * (0.9 * 0.5 * (1 + np.cos(np.pi * min(s, 4) / 4)) + 0.1)
            sess.run(train)
            var -= rate * 2 * var
            assert sess.run(w) == pytest.approx(var, rel=1e-5)


# -- the ops the schedules are built from ------------------------------------------------------


def test_cos_gradient_and_rounding_without_gradient():
    from tfteach.core.math_ops import ceil, cos, floor, sin

    x = tf.constant([0.25, 1.5, -2.75])
    y = tf.reduce_sum(3.0 * cos(x) + sin(x))
    (dx,) = tf.gradients(y, x)
    assert tf.gradients(tf.reduce_sum(floor(x) + ceil(x)), x) == [None]  # as TF: no gradient
    with tf.Session() as sess:
        got_dx, got_floor, got_ceil = sess.run([dx, floor(x), ceil(x)])
    xs = np.array([0.25, 1.5, -2.75])
    np.testing.assert_allclose(got_dx, -3.0 * np.sin(xs) + np.cos(xs), rtol=1e-6)
    np.testing.assert_array_equal(got_floor, [0.0, 1.0, -3.0])
    np.testing.assert_array_equal(got_ceil, [1.0, 2.0, -2.0])


# -- tf.random -------------------------------------------------------------------------------


def test_tf_random_holds_the_top_level_random_ops():
    assert tf.random.normal is tf.random_normal and tf.random.uniform is tf.random_uniform
    assert tf.random.shuffle is tf.random_shuffle and tf.random.multinomial is tf.multinomial
    assert tf.random.truncated_normal is tf.truncated_normal
    assert tf.random.set_random_seed is tf.set_random_seed
    assert tf.compat.v1.random is tf.random


def test_tf_random_set_random_seed_and_get_seed():
    tf.random.set_random_seed(7)
    assert tf.random.get_seed(None) == (7, 0) and tf.random.get_seed(3) == (7, 3)


def test_categorical_is_multinomial_with_its_own_name_and_dtype_argument():
    logits = [[0.0, 1.0, 2.0], [2.0, 0.0, -1.0]]
    drawn = tf.random.categorical(logits, 6, seed=5)
    small = tf.random.categorical(logits, 6, dtype=tf.int32, seed=5, name="c")
    same = tf.random.multinomial(logits, 6, seed=5)
    assert (drawn.name, drawn.dtype, drawn.shape.as_list()) == (
        "categorical/Multinomial:0",
        tf.int64,
        [2, 6],
    )
    assert (small.name, small.dtype) == ("c/Multinomial:0", tf.int32)
    with tf.Session() as sess:
        a, b, c = sess.run([drawn, small, same])
    np.testing.assert_array_equal(a, c)  # the same seeds draw the same classes
    np.testing.assert_array_equal(a, b)
    assert a.min() >= 0 and a.max() <= 2


def test_categorical_refuses_bad_logits_and_leaves_the_graph_as_it_was():
    before = graph_size()
    with pytest.raises(TypeError, match="parameter 'logits' has DataType string not in list"):
        tf.random.categorical([["a", "b"]], 2)
    assert graph_size() == before
