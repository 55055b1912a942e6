"""The problem every optimizer test steps through: a float64 quadratic whose gradient is
known in closed form, so each update can be computed by hand in numpy."""

import numpy as np

import tfteach as tf

W0 = np.array([1.0, -2.0])
SCALE = np.array([1.0, 3.0])


def quadratic():
    """w (float64, [1, -2]) and loss = sum(scale * w**2); its gradient is 2 * scale * w."""
    w = tf.Variable(W0, dtype=tf.float64, name="w")
    loss = tf.reduce_sum(tf.square(w) * tf.constant(SCALE))
    return w, loss


def grad(w):
    return 2 * SCALE * w


def run_steps(train, fetch, steps=2):
    """Initializes, then runs ``train`` ``steps`` times, fetching ``fetch`` after each."""
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out = []
        for _ in range(steps):
            sess.run(train)
            out.append(sess.run(fetch))
        return out
