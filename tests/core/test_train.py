"""Optimizers: one and two steps against updates computed by hand in numpy, slot variables
with TF's names, the global step, TF's errors, the classic Adam initialization mistake, and
the linear regression of document 004."""

import numpy as np
import pytest
from optimizer_cases import W0, grad, quadratic, run_steps

import tfteach as tf


def test_gradient_descent_steps():
    w, loss = quadratic()
    train = tf.train.GradientDescentOptimizer(0.125).minimize(loss)
    got = run_steps(train, w, 2)
    expected = W0
    for step in range(2):
        expected = expected - 0.125 * grad(expected)
        np.testing.assert_array_equal(got[step], expected)


def test_momentum_steps_and_slot():
    w, loss = quadratic()
    opt = tf.train.MomentumOptimizer(0.125, 0.5)
    train = opt.minimize(loss)
    got = run_steps(train, [w, opt.get_slot(w, "momentum")], 2)
    var, accum = W0, np.zeros(2)
    for step in range(2):
        accum = 0.5 * accum + grad(var)
        var = var - 0.125 * accum
        np.testing.assert_array_equal(got[step][0], var)
        np.testing.assert_array_equal(got[step][1], accum)


def test_nesterov_momentum_steps():
    w, loss = quadratic()
    train = tf.train.MomentumOptimizer(0.125, 0.5, use_nesterov=True).minimize(loss)
    got = run_steps(train, w, 2)
    var, accum = W0, np.zeros(2)
    for step in range(2):
        g = grad(var)
        accum = 0.5 * accum + g
        var = var - 0.125 * (g + 0.5 * accum)
        np.testing.assert_allclose(got[step], var, rtol=1e-15)


def test_adam_steps_slots_and_beta_powers():
    w, loss = quadratic()
    lr, beta1, beta2, eps = 0.25, 0.5, 0.75, 2.0**-10
    opt = tf.train.AdamOptimizer(lr, beta1=beta1, beta2=beta2, epsilon=eps)
    train = opt.minimize(loss)
    b1, b2 = tf.global_variables()[1:3]
    got = run_steps(train, [w, opt.get_slot(w, "m"), opt.get_slot(w, "v"), b1, b2], 2)
    var, m, v = W0, np.zeros(2), np.zeros(2)
    for t in range(1, 3):
        g = grad(var)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        alpha = lr * np.sqrt(1 - beta2**t) / (1 - beta1**t)
        var = var - alpha * m / (np.sqrt(v) + eps)
        np.testing.assert_allclose(got[t - 1][0], var, rtol=1e-14)
        np.testing.assert_allclose(got[t - 1][1], m, rtol=1e-14)
        np.testing.assert_allclose(got[t - 1][2], v, rtol=1e-14)
        assert (got[t - 1][3], got[t - 1][4]) == (beta1 ** (t + 1), beta2 ** (t + 1))


def test_hyperparameters_are_float32_constants_cast_to_the_variable_dtype():
    # recorded from TensorFlow 2.21 (compat.v1): training_hyperparameters_are_float32
    w = tf.Variable([1.0], dtype=tf.float64, name="w")
    loss = tf.reduce_sum(tf.square(w))
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        assert float(sess.run(w)[0]) == 1.0 - 2 * float(np.float32(0.1))


def test_adam_slot_variables_are_global_not_trainable_with_tf_names():
    # recorded from TensorFlow 2.21 (compat.v1): training_adam_two_variables_slots_order
    a = tf.Variable(1.0, name="a")
    b = tf.Variable([1.0, 2.0], name="b")
    tf.Variable(0.0, name="c", trainable=False)
    opt = tf.train.AdamOptimizer()
    train = opt.minimize(a * a + tf.reduce_sum(b))
    assert [v.name for v in tf.global_variables()] == [
        "a:0", "b:0", "c:0", "beta1_power:0", "beta2_power:0",
        "a/Adam:0", "a/Adam_1:0", "b/Adam:0", "b/Adam_1:0",
    ]  # fmt: skip
    assert [v.name for v in tf.trainable_variables()] == ["a:0", "b:0"]
    assert repr(tf.global_variables()[3]) == (
        "<tf.Variable 'beta1_power:0' shape=() dtype=float32_ref>"
    )
    assert (train.name, train.type) == ("Adam", "NoOp")
    assert opt.get_slot_names() == ["m", "v"]
    assert opt.get_slot(b, "v").name == "b/Adam_1:0"
    assert tf.get_collection(tf.GraphKeys.TRAIN_OP) == [train]


def test_slot_names_ignore_name_scopes_but_beta_powers_do_not():
    # recorded from TensorFlow 2.21 (compat.v1)
    w = tf.Variable([1.0, 2.0], name="w")
    with tf.name_scope("train"):
        tf.train.AdamOptimizer(0.1).minimize(tf.reduce_sum(w * w))
    assert [v.name for v in tf.global_variables()] == [
        "w:0", "train/beta1_power:0", "train/beta2_power:0", "w/Adam:0", "w/Adam_1:0",
    ]  # fmt: skip


def test_slots_go_into_the_current_variable_scope():
    # recorded from TensorFlow 2.21 (compat.v1)
    w = tf.Variable([1.0, 2.0], name="w")
    with tf.variable_scope("train"):
        tf.train.AdamOptimizer(0.1).minimize(tf.reduce_sum(w * w))
    assert [v.name for v in tf.global_variables()] == [
        "w:0", "train/beta1_power:0", "train/beta2_power:0", "train/w/Adam:0", "train/w/Adam_1:0",
    ]  # fmt: skip


def test_a_gradient_of_the_wrong_shape_leaves_graph_and_optimizer_unchanged():
    w = tf.Variable([1.0, 2.0], name="w")
    g = tf.constant([1.0, 2.0, 3.0])
    graph = tf.get_default_graph()
    n_ops = len(graph.get_operations())
    opt = tf.train.AdamOptimizer(0.1)
    # TF's wording, recorded from TensorFlow 2.21 (which then names the node differently)
    with pytest.raises(
        ValueError,
        match=r"^Dimension 0 in both shapes must be equal, but are 2 and 3. Shapes are \[2\] "
        r"and \[3\]. for 'Adam/update_w/ApplyAdam'",
    ):
        opt.apply_gradients([(g, w)])
    assert len(graph.get_operations()) == n_ops
    assert tf.global_variables() == [w] and opt.get_slot_names() == []


def test_momentum_slot_and_gradient_descent_op_names():
    # recorded from TensorFlow 2.21 (compat.v1): training_momentum_slot_names,
    # training_gradient_descent_op
    w = tf.Variable([1.0, 2.0], name="w")
    loss = tf.reduce_sum(tf.square(w))
    opt = tf.train.MomentumOptimizer(0.1, 0.9)
    train = opt.minimize(loss)
    assert [v.name for v in tf.global_variables()] == ["w:0", "w/Momentum:0"]
    assert opt.get_slot(w, "momentum").name == "w/Momentum:0"
    assert (train.name, train.type) == ("Momentum", "NoOp")
    gd = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    assert (gd.name, gd.type) == ("GradientDescent", "NoOp")
    update = gd.control_inputs[0]
    assert (update.name, update.type) == ("GradientDescent/update_w/ApplyGradientDescent",
                                          "ApplyGradientDescent")  # fmt: skip


def test_the_classic_mistake_initializer_made_before_adam_minimize():
    # recorded from TensorFlow 2.21 (compat.v1): training_adam_classic_mistake_init_before_minimize
    # TF names beta1_power or beta2_power (whichever its executor reads first); tfteach: beta1
    w = tf.Variable([1.0, 2.0], name="w")
    loss = tf.reduce_sum(tf.square(w))
    init = tf.global_variables_initializer()
    train = tf.train.AdamOptimizer(0.1).minimize(loss)
    with tf.Session() as sess:
        sess.run(init)
        with pytest.raises(tf.errors.FailedPreconditionError) as info:
            sess.run(train)
        assert info.value.message == "Attempting to use uninitialized value beta1_power"
        assert sess.run(w).tolist() == [1.0, 2.0]  # the failed step changed nothing
        assert sess.run(tf.report_uninitialized_variables()).tolist() == [
            b"beta1_power", b"beta2_power", b"w/Adam", b"w/Adam_1",
        ]  # fmt: skip
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        assert sess.run(w)[0] < 1.0


def test_global_step():
    # recorded from TensorFlow 2.21 (compat.v1): training_global_step,
    # training_minimize_increments_global_step
    gs = tf.train.get_or_create_global_step()
    assert repr(gs) == "<tf.Variable 'global_step:0' shape=() dtype=int64_ref>"
    assert not gs.trainable and tf.trainable_variables() == []
    assert tf.get_collection(tf.GraphKeys.GLOBAL_STEP) == [gs]
    assert tf.train.get_or_create_global_step() is gs and tf.train.get_global_step() is gs
    assert [op.name for op in tf.get_default_graph().get_operations()] == [
        "global_step/Initializer/zeros", "global_step", "global_step/Assign", "global_step/read",
    ]  # fmt: skip
    with pytest.raises(ValueError, match='^"global_step" already exists.$'):
        tf.train.create_global_step()
    w = tf.Variable(1.0, dtype=tf.float64, name="w")
    train = tf.train.GradientDescentOptimizer(0.5).minimize(tf.square(w), global_step=gs)
    assert (train.name, train.type) == ("GradientDescent", "AssignAdd")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        sess.run(train)
        assert tf.train.global_step(sess, gs) == 2 and sess.run(w) == 0.0


def test_compute_gradients_pairs_and_names():
    # recorded from TensorFlow 2.21 (compat.v1): training_compute_gradients
    a = tf.Variable(2.0, name="a")
    b = tf.Variable(3.0, name="b")
    c = tf.Variable(4.0, name="c")
    opt = tf.train.GradientDescentOptimizer(0.1)
    gv = opt.compute_gradients(a * b)
    assert [(g if g is None else g.name, v.name) for g, v in gv] == [
        ("gradients/mul_grad/tuple/control_dependency:0", "a:0"),
        ("gradients/mul_grad/tuple/control_dependency_1:0", "b:0"),
        (None, "c:0"),
    ]
    assert gv[2][1] is c
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run([gv[0][0], gv[1][0]]) == [3.0, 2.0]


def test_var_list_limits_what_is_trained():
    a = tf.Variable(1.0, dtype=tf.float64, name="a")
    b = tf.Variable(1.0, dtype=tf.float64, name="b")
    train = tf.train.GradientDescentOptimizer(0.25).minimize(
        tf.square(a) + tf.square(b), var_list=[b]
    )
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        assert sess.run([a, b]) == [1.0, 0.5]


def test_no_gradients_error_leaves_the_graph_unchanged():
    # TF's wording, recorded from TensorFlow 2.21: training_minimize_no_gradients_error
    tf.Variable(2.0, name="a")
    loss = tf.constant(1.0) * 2.0
    n_ops = len(tf.get_default_graph().get_operations())
    with pytest.raises(ValueError) as info:
        tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    assert str(info.value) == (
        "No gradients provided for any variable, check your graph for ops that do not support "
        "gradients, between variables [\"<tf.Variable 'a:0' shape=() dtype=float32_ref>\"] and "
        'loss Tensor("mul:0", shape=(), dtype=float32).'
    )
    assert len(tf.get_default_graph().get_operations()) == n_ops
    assert tf.train.GradientDescentOptimizer(0.1).minimize(tf.square(tf.Variable(1.0))).name == (
        "GradientDescent"
    )


def test_no_variables_to_optimize():
    with pytest.raises(ValueError, match=r"^No variables to optimize.$"):
        tf.train.AdamOptimizer().minimize(tf.constant(1.0))


def test_linear_regression_of_document_004_reaches_least_squares():
    # the data of document 004: XX = arange(50), YY = randint(-20, 20) + 2 XX, RandomState(0)
    n = 50
    xx = np.arange(n)
    yy = np.random.RandomState(0).randint(-20, 20, size=(n,)) + 2.0 * xx
    # as a lesson would: standardize X so that gradient descent converges quickly
    x_mean, x_std = xx.mean(), xx.std()
    x = tf.placeholder(tf.float32, [None], name="X")
    y = tf.placeholder(tf.float32, [None], name="Y")
    w = tf.Variable(0.0, name="weights")
    b = tf.Variable(0.0, name="bias")
    loss = tf.reduce_mean(tf.square(y - (w * x + b)))
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    feed = {x: (xx - x_mean) / x_std, y: yy}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(loss, feed)
        for _ in range(200):
            sess.run(train, feed)
        w_std, b_std, last = sess.run([w, b, loss], feed)
    slope = w_std / x_std
    intercept = b_std - w_std * x_mean / x_std
    (expected_slope, expected_intercept), *_ = np.linalg.lstsq(
        np.stack([xx, np.ones(n)], axis=1), yy, rcond=None
    )
    np.testing.assert_allclose([slope, intercept], [expected_slope, expected_intercept], rtol=1e-4)
    assert last < first


def test_a_small_network_trains_with_every_optimizer():
    rng = np.random.RandomState(0)
    data = rng.randn(64, 4).astype(np.float32)
    labels = (data[:, 0] + data[:, 1] > 0).astype(np.int32)
    for make in (
        lambda: tf.train.GradientDescentOptimizer(0.5),
        lambda: tf.train.MomentumOptimizer(0.1, 0.9),
        lambda: tf.train.AdamOptimizer(0.05),
    ):
        tf.reset_default_graph()
        tf.set_random_seed(1)
        x = tf.placeholder(tf.float32, [None, 4])
        y = tf.placeholder(tf.int32, [None])
        w1 = tf.Variable(tf.random_normal([4, 8], stddev=0.5))
        b1 = tf.Variable(tf.zeros([8]))
        w2 = tf.Variable(tf.random_normal([8, 2], stddev=0.5))
        logits = tf.matmul(tf.nn.relu(tf.matmul(x, w1) + b1), w2)
        loss = tf.reduce_mean(
            tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)
        )
        train = make().minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            first = sess.run(loss, {x: data, y: labels})
            for _ in range(100):
                sess.run(train, {x: data, y: labels})
            assert sess.run(loss, {x: data, y: labels}) < first / 3


def test_a_failed_apply_gradients_leaves_slot_names_free_for_the_retry():
    w = tf.Variable([1.0, 2.0], name="w")
    wrong_shape = tf.constant([1.0, 2.0, 3.0])  # fails after the slots were made
    with pytest.raises(ValueError):
        tf.train.AdamOptimizer(0.1).apply_gradients([(wrong_shape, w)])
    tf.train.AdamOptimizer(0.1).minimize(tf.reduce_sum(w * w))
    names = [v.op.name for v in tf.global_variables()]
    assert "w/Adam" in names and "w/Adam_1" in names and "w/Adam_2" not in names
