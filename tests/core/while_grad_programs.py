"""Small programs that take gradients through tf.while_loop, written once for both
TensorFlow and tfteach: ``tools/record_tf_while_grad.py`` runs them on TF 2.21 and writes
tests/fixtures/while_grad_reference.json; tests/core/test_while_grad.py runs them on tfteach
and compares.

Each program takes the module ``tf`` (``tensorflow.compat.v1`` or ``tfteach``) and returns
``{"values": {key: number or list}, "names": {key: tensor name or None}}``: the values it
computed and the names of the gradient tensors that `tf.gradients` returned (None where
it returned None).
"""

from __future__ import annotations

import numpy as np


def _name(t):
    return None if t is None else t.name


def _plain(value):
    return np.asarray(value, dtype=np.float64).tolist()


def _result(sess, named: dict, feed=None) -> dict:
    """Runs every tensor of ``named`` that is not None; returns their values and names."""
    present = {k: t for k, t in named.items() if t is not None}
    values = sess.run(present, feed)
    return {
        "values": {k: _plain(v) for k, v in sorted(values.items())},
        "names": {k: _name(t) for k, t in sorted(named.items())},
    }


def power(tf):
    """y = x * x * x * x by a loop that multiplies by x three times (x is both the initial
    value and read by the body); the counter gets no gradient."""
    x = tf.placeholder(tf.float32, [], name="x")
    i0 = tf.constant(0)
    _, y = tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, y * x), [i0, x])
    (g,) = tf.gradients(y, x)
    (gi,) = tf.gradients(y, i0)
    with tf.Session() as sess:
        return _result(sess, {"y": y, "dy_dx": g, "dy_di0": gi}, {x: 2.0})


def read_only_or_initial_only(tf):
    """x only read by the body, or only the initial value: TF's names for the two kinds."""
    x = tf.placeholder(tf.float32, [], name="x")
    c = tf.constant(1.5)
    read = tf.while_loop(lambda y: y < 100.0, lambda y: y * x, [c])
    initial = tf.while_loop(lambda y: y < 100.0, lambda y: y * c, [x])
    _, b = tf.while_loop(lambda a, b: a < 100.0, lambda a, b: (a * 2.0, b * a), [c, x])
    (g_read,) = tf.gradients(read, x)
    (g_initial,) = tf.gradients(initial, x)
    g_c, g_x = tf.gradients(b, [c, x])
    with tf.Session() as sess:
        return _result(
            sess,
            {"read": g_read, "initial": g_initial, "b_wrt_c": g_c, "b_wrt_x": g_x},
            {x: 2.0},
        )


def independent_loop_variables(tf):
    """a and b do not depend on each other: None where no path exists (TF's rule)."""
    x = tf.placeholder(tf.float32, [], name="x")
    z = tf.constant(5.0)
    a, b = tf.while_loop(lambda a, b: a < 100.0, lambda a, b: (a * x, b + 1.0), [x, z])
    b_x, b_z = tf.gradients(b, [x, z])
    a_x, a_z = tf.gradients(a, [x, z])
    with tf.Session() as sess:
        named = {"b_wrt_x": b_x, "b_wrt_z": b_z, "a_wrt_x": a_x, "a_wrt_z": a_z}
        return _result(sess, named, {x: 2.0})


def maximum_iterations(tf):
    """The loop stops after maximum_iterations (a number, then a fed tensor)."""
    x = tf.placeholder(tf.float32, [], name="x")
    n = tf.placeholder(tf.int32, [], name="n")
    capped = tf.while_loop(lambda y: y < 1e9, lambda y: y * x, [x], maximum_iterations=4)
    fed = tf.while_loop(lambda y: y < 1e9, lambda y: y * x, [x], maximum_iterations=n)
    (g_capped,) = tf.gradients(capped, x)
    g_fed, g_n = tf.gradients(fed, [x, n])
    with tf.Session() as sess:
        named = {"capped": capped, "d_capped": g_capped, "fed": fed, "d_fed": g_fed, "d_n": g_n}
        return _result(sess, named, {x: 1.5, n: 2})


def zero_iterations(tf):
    """A loop that never runs passes the gradient through unchanged."""
    x = tf.placeholder(tf.float32, [], name="x")
    y = tf.while_loop(lambda y: y < 0.0, lambda y: y * x, [x])
    (g,) = tf.gradients(y * 3.0, x)
    with tf.Session() as sess:
        return _result(sess, {"y": y, "dy3_dx": g}, {x: 2.0})


def no_back_prop(tf):
    """back_prop=False: no gradient flows back through the loop."""
    x = tf.placeholder(tf.float32, [], name="x")
    y = tf.while_loop(lambda y: y < 100.0, lambda y: y * x, [x], back_prop=False)
    (g,) = tf.gradients(y, x)
    (g_both,) = tf.gradients(y + x, x)
    with tf.Session() as sess:
        return _result(sess, {"through_loop": g, "around_loop": g_both}, {x: 2.0})


def recurrent_matrix(tf):
    """A vector state through tanh(state @ w) * 3 + state until its sum passes 100."""
    x = tf.placeholder(tf.float32, [2], name="x")
    w = tf.constant([[1.0, 2.0], [0.5, -1.0]])

    def body(y):
        return tf.tanh(tf.matmul(tf.reshape(y, [1, 2]), w)[0]) * 3.0 + y

    y = tf.while_loop(lambda y: tf.reduce_sum(y) < 100.0, body, [x])
    g_x, g_w = tf.gradients(y, [x, w])
    with tf.Session() as sess:
        return _result(sess, {"y": y, "dy_dx": g_x, "dy_dw": g_w}, {x: [1.0, 2.0]})


def nested_loops(tf):
    """A loop inside a loop's body, both reading x."""
    x = tf.placeholder(tf.float32, [], name="x")

    def outer_body(i, y):
        _, z = tf.while_loop(lambda j, z: j < 2, lambda j, z: (j + 1, z * x), [0, y])
        return i + 1, z + y

    _, y = tf.while_loop(lambda i, y: i < 3, outer_body, [0, x])
    (g,) = tf.gradients(y, x)
    with tf.Session() as sess:
        return _result(sess, {"y": y, "dy_dx": g}, {x: 1.5})


def nested_structure(tf):
    """Loop variables in a nested structure: (counter, (a, [b, c]))."""
    x = tf.placeholder(tf.float32, [3], name="x")
    s = tf.placeholder(tf.float32, [], name="s")

    def body(i, state):
        a, (b, c) = state
        return i + 1, (a + b * s, [b * c, tf.tanh(c)])

    _, (a, (b, c)) = tf.while_loop(
        lambda i, state: i < 4, body, (tf.constant(0), (x, [x * 2.0, s + 0.5]))
    )
    loss = tf.reduce_sum(a) + tf.reduce_sum(b) * c
    g_x, g_s = tf.gradients(loss, [x, s])
    (g_c,) = tf.gradients(c, x)
    with tf.Session() as sess:
        named = {"loss": loss, "dloss_dx": g_x, "dloss_ds": g_s, "dc_dx": g_c}
        return _result(sess, named, {x: [0.5, -1.0, 0.25], s: 0.75})


def sequence_reader(tf):
    """An RNN-style loop: the counter indexes a sequence the body reads from outside."""
    xs = tf.placeholder(tf.float32, [4, 3], name="xs")
    w = tf.constant([[0.5, -0.2, 0.1], [0.3, 0.8, -0.5], [-0.4, 0.2, 0.6]])
    h0 = tf.zeros([3])

    def body(i, h):
        step = tf.gather(xs, i)
        return i + 1, tf.tanh(tf.reshape(tf.matmul(tf.reshape(h, [1, 3]), w), [3]) + step)

    _, h = tf.while_loop(lambda i, h: i < 4, body, [tf.constant(0), h0])
    loss = tf.reduce_sum(tf.square(h))
    g_xs, g_w = tf.gradients(loss, [xs, w])
    g_xs = tf.convert_to_tensor(g_xs)  # TF's gradient of gather is IndexedSlices: dense now
    values = np.arange(12, dtype=np.float32).reshape(4, 3) / 10.0 - 0.5
    with tf.Session() as sess:
        named = {"loss": loss, "dloss_dxs": g_xs, "dloss_dw": g_w}
        return _result(sess, named, {xs: values})


def growing_shape(tf):
    """A loop variable that grows each iteration (shape_invariants): the result has the
    invariant's shape, and the gradient of the initial value has the initial value's."""
    x = tf.placeholder(tf.float32, [2], name="x")

    def body(i, y):
        return i + 1, tf.concat([y, tf.tanh(y) * x[0]], 0)

    invariants = [tf.TensorShape([]), tf.TensorShape([None])]
    _, y = tf.while_loop(lambda i, y: i < 3, body, [0, x], shape_invariants=invariants)
    (g,) = tf.gradients(tf.reduce_sum(y * y), x)
    with tf.Session() as sess:
        out = _result(sess, {"y": y, "dloss_dx": g}, {x: [0.5, -0.3]})
    out["names"]["shapes"] = [str(y.shape), str(g.shape)]
    return out


def train_through_loop(tf):
    """GradientDescentOptimizer.minimize on a loss computed by a loop (x = w; x = x * w
    while i < 3): the loss falls and w moves as TF moves it."""
    w = tf.Variable(1.5, name="w")
    _, x = tf.while_loop(
        lambda i, x: i < 3, lambda i, x: (i + 1, x * w), [tf.constant(0), tf.identity(w)]
    )
    loss = tf.square(x - 2.0)
    (g,) = tf.gradients(loss, w)
    train = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first_loss, first_grad = sess.run([loss, g])
        losses = []
        for _ in range(10):
            sess.run(train)
            losses.append(sess.run(loss))
        out = _result(sess, {"w": w, "dloss_dw": g})
    out["values"].update({"first_loss": float(first_loss), "losses": _plain(losses)})
    out["values"]["first_grad"] = float(first_grad)
    return out


PROGRAMS = {
    f.__name__: f
    for f in (
        power,
        read_only_or_initial_only,
        independent_loop_variables,
        maximum_iterations,
        zero_iterations,
        no_back_prop,
        recurrent_matrix,
        nested_loops,
        nested_structure,
        sequence_reader,
        growing_shape,
        train_through_loop,
    )
}
