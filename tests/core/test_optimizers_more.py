"""RMSProp, Adagrad, Adadelta and FTRL: two steps against TF's update formulas computed by hand
in numpy, slot variables named as TF 2.21 names them; the learning-rate schedules; and
``constraint=`` applied after each update."""

import numpy as np
import pytest
from optimizer_cases import W0, grad, quadratic, run_steps

import tfteach as tf


def slot_names(opt, w):
    return {n: opt.get_slot(w, n).op.name for n in opt.get_slot_names()}


def test_rmsprop_steps_and_slots():
    w, loss = quadratic()
    lr, decay, momentum, eps = 0.125, 0.75, 0.5, 2.0**-8
    opt = tf.train.RMSPropOptimizer(lr, decay=decay, momentum=momentum, epsilon=eps)
    train = opt.minimize(loss)
    assert slot_names(opt, w) == {"rms": "w/RMSProp", "momentum": "w/RMSProp_1"}
    got = run_steps(train, [w, opt.get_slot(w, "rms"), opt.get_slot(w, "momentum")])
    var, ms, mom = W0, np.ones(2), np.zeros(2)  # TF starts the mean square at ones
    for step in range(2):
        g = grad(var)
        ms = decay * ms + (1 - decay) * g**2
        mom = momentum * mom + lr * g / np.sqrt(ms + eps)
        var = var - mom
        np.testing.assert_allclose(got[step], [var, ms, mom], rtol=1e-14)


def test_centered_rmsprop_steps_and_slots():
    w, loss = quadratic()
    lr, decay, momentum, eps = 0.125, 0.75, 0.5, 2.0**-8
    opt = tf.train.RMSPropOptimizer(lr, decay, momentum, eps, centered=True)
    train = opt.minimize(loss)
    assert slot_names(opt, w) == {
        "rms": "w/RMSProp",
        "mg": "w/RMSProp_1",
        "momentum": "w/RMSProp_2",
    }
    got = run_steps(train, w)
    var, ms, mg, mom = W0, np.ones(2), np.zeros(2), np.zeros(2)
    for step in range(2):
        g = grad(var)
        ms = decay * ms + (1 - decay) * g**2
        mg = decay * mg + (1 - decay) * g
        mom = momentum * mom + lr * g / np.sqrt(ms - mg**2 + eps)
        var = var - mom
        np.testing.assert_allclose(got[step], var, rtol=1e-14)


def test_adagrad_steps_and_slot():
    w, loss = quadratic()
    opt = tf.train.AdagradOptimizer(0.25, initial_accumulator_value=0.5)
    train = opt.minimize(loss)
    assert slot_names(opt, w) == {"accumulator": "w/Adagrad"}
    got = run_steps(train, [w, opt.get_slot(w, "accumulator")])
    var, accum = W0, np.full(2, 0.5)
    for step in range(2):
        g = grad(var)
        accum = accum + g**2
        var = var - 0.25 * g / np.sqrt(accum)
        np.testing.assert_allclose(got[step], [var, accum], rtol=1e-14)


def test_adagrad_refuses_a_non_positive_accumulator():
    with pytest.raises(ValueError, match="initial_accumulator_value must be positive: 0.0"):
        tf.train.AdagradOptimizer(0.1, initial_accumulator_value=0.0)


def test_adadelta_steps_and_slots():
    w, loss = quadratic()
    lr, rho, eps = 1.0, 0.5, 2.0**-10  # exact in float32, as TF casts hyperparameters
    opt = tf.train.AdadeltaOptimizer(lr, rho=rho, epsilon=eps)
    train = opt.minimize(loss)
    assert slot_names(opt, w) == {"accum": "w/Adadelta", "accum_update": "w/Adadelta_1"}
    got = run_steps(train, w)
    var, accum, accum_update = W0, np.zeros(2), np.zeros(2)
    for step in range(2):
        g = grad(var)
        accum = rho * accum + (1 - rho) * g**2
        update = np.sqrt(accum_update + eps) / np.sqrt(accum + eps) * g
        accum_update = rho * accum_update + (1 - rho) * update**2
        var = var - lr * update
        np.testing.assert_allclose(got[step], var, rtol=1e-14)


@pytest.mark.parametrize(("l1", "l2"), [(0.0, 0.0), (0.5, 0.25), (50.0, 0.0)])
def test_ftrl_steps_and_slots(l1, l2):
    w, loss = quadratic()
    lr = 0.5
    opt = tf.train.FtrlOptimizer(lr, l1_regularization_strength=l1, l2_regularization_strength=l2)
    train = opt.minimize(loss)
    assert slot_names(opt, w) == {"accum": "w/Ftrl", "linear": "w/Ftrl_1"}
    got = run_steps(train, w)
    var, accum, linear = W0, np.full(2, 0.1), np.zeros(2)
    for step in range(2):
        g = grad(var)
        new_accum = accum + g**2
        linear = linear + g - (np.sqrt(new_accum) - np.sqrt(accum)) / lr * var
        quadratic_ = np.sqrt(new_accum) / lr + 2 * l2
        var = np.where(np.abs(linear) > l1, (np.sign(linear) * l1 - linear) / quadratic_, 0.0)
        accum = new_accum
        np.testing.assert_allclose(got[step], var, rtol=1e-14)
    if l1 == 50.0:  # a strong L1 term makes the weights exactly zero: FTRL's sparsity
        np.testing.assert_array_equal(got[-1], [0.0, 0.0])


def test_ftrl_refuses_what_it_does_not_teach_and_bad_strengths():
    with pytest.raises(NotImplementedError, match="l2_shrinkage"):
        tf.train.FtrlOptimizer(0.1, l2_shrinkage_regularization_strength=0.1)
    with pytest.raises(ValueError, match="l1_regularization_strength -1.000000 needs to be"):
        tf.train.FtrlOptimizer(0.1, l1_regularization_strength=-1.0)


@pytest.mark.parametrize(
    "make",
    [
        lambda: tf.train.RMSPropOptimizer(0.01),
        lambda: tf.train.AdagradOptimizer(0.1),
        lambda: tf.train.AdadeltaOptimizer(1.0),
        lambda: tf.train.FtrlOptimizer(0.1),
    ],
)
def test_slots_are_global_non_trainable_and_made_after_an_earlier_initializer(make):
    w, loss = quadratic()
    early_init = tf.global_variables_initializer()
    train = make().minimize(loss)
    assert tf.trainable_variables() == [w]
    slots = [v for v in tf.global_variables() if v is not w]
    assert slots and all(v.op.name.startswith("w/") for v in slots)
    with tf.Session() as sess:
        sess.run(early_init)
        with pytest.raises(tf.errors.FailedPreconditionError, match="uninitialized value w/"):
            sess.run(train)


def test_a_float32_network_trains_with_each_new_optimizer():
    rng = np.random.default_rng(0)
    xs = rng.normal(size=(64, 3)).astype(np.float32)
    ys = xs @ np.array([[1.0], [-2.0], [0.5]], np.float32) + 0.25
    for make in (
        lambda: tf.train.RMSPropOptimizer(0.05),
        lambda: tf.train.RMSPropOptimizer(0.05, momentum=0.5, centered=True),
        lambda: tf.train.AdagradOptimizer(0.5),
        lambda: tf.train.AdadeltaOptimizer(0.3, epsilon=1e-2),  # 1.0 oscillates here
        lambda: tf.train.FtrlOptimizer(0.5),
    ):
        tf.reset_default_graph()
        tf.set_random_seed(1)
        x = tf.placeholder(tf.float32, [None, 3])
        y = tf.placeholder(tf.float32, [None, 1])
        w = tf.get_variable("w", [3, 1])
        b = tf.get_variable("b", [1], initializer=tf.zeros_initializer())
        loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - y))
        train = make().minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            first = sess.run(loss, {x: xs, y: ys})
            for _ in range(200):
                sess.run(train, {x: xs, y: ys})
            assert sess.run(loss, {x: xs, y: ys}) < first / 4, train.name


# -- schedules ------------------------------------------------------------------------------


def test_exponential_decay_smooth_and_staircase():
    step = tf.train.get_or_create_global_step()
    smooth = tf.train.exponential_decay(0.1, step, 10, 0.5)
    stairs = tf.train.exponential_decay(0.1, step, 10, 0.5, staircase=True)
    assert smooth.op.name == "ExponentialDecay" and stairs.op.name == "ExponentialDecay_1"
    assert smooth.dtype == tf.float32
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for s in (0, 5, 10, 15, 25):
            sess.run(step.assign(s))
            got_smooth, got_stairs = sess.run([smooth, stairs])
            np.testing.assert_allclose(got_smooth, 0.1 * 0.5 ** (s / 10), rtol=1e-6)
            np.testing.assert_allclose(got_stairs, 0.1 * 0.5 ** (s // 10), rtol=1e-6)


def test_exponential_decay_follows_the_global_step_that_minimize_increments():
    _, loss = quadratic()
    step = tf.train.get_or_create_global_step()
    lr = tf.train.exponential_decay(0.1, step, 1, 0.5, staircase=True)
    train = tf.train.GradientDescentOptimizer(lr).minimize(loss, global_step=step)
    got = run_steps(train, [step, lr], steps=3)
    assert [int(s) for s, _ in got] == [1, 2, 3]
    np.testing.assert_allclose([r for _, r in got], [0.05, 0.025, 0.0125], rtol=1e-6)


def test_exponential_decay_needs_a_step():
    with pytest.raises(ValueError, match="None values not supported."):
        tf.train.exponential_decay(0.1, None, 10, 0.5)


def test_piecewise_constant_boundaries_belong_to_the_lower_piece():
    step = tf.train.get_or_create_global_step()
    rate = tf.train.piecewise_constant(step, [5, 10], [1.0, 0.5, 0.1])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got = []
        for s in (0, 5, 6, 10, 11, 100):
            sess.run(step.assign(s))
            got.append(float(sess.run(rate)))
    np.testing.assert_array_equal(got, np.float32([1.0, 1.0, 0.5, 0.5, 0.1, 0.1]))


def test_piecewise_constant_errors_as_tensorflow():
    step = tf.train.get_or_create_global_step()
    ops_before = len(tf.get_default_graph().get_operations())
    with pytest.raises(ValueError, match="The length of boundaries should be 1 less"):
        tf.train.piecewise_constant(step, [5], [1.0, 0.5, 0.1])
    assert len(tf.get_default_graph().get_operations()) == ops_before
    with pytest.raises(ValueError) as e:
        tf.train.piecewise_constant(step, [5], [1, 0.5])
    assert str(e.value) == (
        "Values must have elements all with the same dtype "
        "(<dtype: 'int32'> vs <dtype: 'float32'>)."
    )


# -- constraints ----------------------------------------------------------------------------


def unit_norm(v):
    return v / tf.sqrt(tf.reduce_sum(tf.square(v)))


def test_constraint_is_stored_and_applied_after_each_update():
    v = tf.Variable([3.0, 4.0], name="v", constraint=unit_norm)
    u = tf.get_variable("u", initializer=tf.constant([0.0, 2.0]), constraint=unit_norm)
    assert v.constraint is unit_norm and u.constraint is unit_norm
    assert tf.Variable(1.0).constraint is None
    train = tf.train.GradientDescentOptimizer(0.5).minimize(tf.reduce_sum(v) + tf.reduce_sum(u))
    names = [op.name for op in tf.get_default_graph().get_operations()]
    assert "GradientDescent/update_v/ApplyGradientDescent" in names
    assert "GradientDescent/update_v/Assign" in names  # the projection, after the update
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(v), [3.0, 4.0])  # initializing does not project
        sess.run(train)
        np.testing.assert_allclose(sess.run(v), np.array([2.5, 3.5]) / np.hypot(2.5, 3.5))
        np.testing.assert_allclose(sess.run(u), np.array([-0.5, 1.5]) / np.hypot(0.5, 1.5))


def test_variable_scope_constraint_is_the_default_for_get_variable():
    with tf.variable_scope("s", constraint=unit_norm):
        w = tf.get_variable("w", [2])
    assert w.constraint is unit_norm


def test_a_constraint_that_is_not_callable_is_refused_before_building():
    with pytest.raises(ValueError, match="The `constraint` argument must be a callable."):
        tf.Variable(1.0, constraint=3)
    assert tf.get_default_graph().get_operations() == []
