"""The learning-rate schedules polynomial_decay, natural_exp_decay, inverse_time_decay and
cosine_decay, checked against the formulas TF 2.21 documents, computed here by hand in numpy."""

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
