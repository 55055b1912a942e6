"""Speed of a training step through tf.while_loop (gradients through a loop, issue 20),
beside the same computation written in numpy.

A plain recurrent network: ``h = tanh(h @ W + xs[t])`` for T steps from ``h = 0``
(``xs[t]`` read with ``tf.gather`` by the loop's counter), loss ``mean(h ** 2)``, plain SGD
on ``W``, in float32. tfteach runs ``sess.run(train)`` on the op built by
``GradientDescentOptimizer.minimize`` (forward loop, then the `WhileGrad` op walking the
iterations back); the reference is backpropagation through time written by hand in numpy.
The script first checks that five steps of each give the same W.

Each figure is the best of ROUNDS timings of STEPS steps, the two alternating round by round
so that both see the same load (the machine is shared).

Run: .venv/bin/python benchmarks/bench_while_grad.py
"""

from __future__ import annotations

import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import tfteach as tf

T, BATCH, HIDDEN = 20, 32, 64
LEARNING_RATE = 0.1
STEPS = 20  # per timing
ROUNDS = 7


def data():
    rng = np.random.RandomState(0)
    xs = (rng.randn(T, BATCH, HIDDEN) * 0.5).astype(np.float32)
    w = (rng.randn(HIDDEN, HIDDEN) / np.sqrt(HIDDEN)).astype(np.float32)
    return xs, w


class NumpyRNN:
    """The reference: forward and backpropagation through time in numpy."""

    def __init__(self, xs, w):
        self.xs, self.w = xs, w.copy()

    def step(self):
        hs = [np.zeros((BATCH, HIDDEN), np.float32)]
        for t in range(T):
            hs.append(np.tanh(hs[-1] @ self.w + self.xs[t]))
        g = 2.0 * hs[-1] / hs[-1].size
        dw = np.zeros_like(self.w)
        for t in range(T - 1, -1, -1):
            pre = g * (1.0 - hs[t + 1] ** 2)
            dw += hs[t].T @ pre
            g = pre @ self.w.T
        self.w = self.w - LEARNING_RATE * dw


def tfteach_rnn(xs, w):
    tf.reset_default_graph()
    inputs = tf.constant(xs)
    weights = tf.Variable(w, name="W")

    def body(t, h):
        return t + 1, tf.tanh(tf.matmul(h, weights) + tf.gather(inputs, t))

    _, h = tf.while_loop(lambda t, h: t < T, body, [tf.constant(0), tf.zeros([BATCH, HIDDEN])])
    loss = tf.reduce_mean(tf.square(h))
    train = tf.train.GradientDescentOptimizer(LEARNING_RATE).minimize(loss)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    return sess, train, weights


def main() -> None:
    xs, w = data()
    reference = NumpyRNN(xs, w)
    sess, train, weights = tfteach_rnn(xs, w)
    for _ in range(5):
        reference.step()
        sess.run(train)
    np.testing.assert_allclose(sess.run(weights), reference.w, rtol=1e-4, atol=1e-5)
    best_tf = best_np = float("inf")
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for _ in range(STEPS):
            sess.run(train)
        best_tf = min(best_tf, (time.perf_counter() - start) / STEPS)
        start = time.perf_counter()
        for _ in range(STEPS):
            reference.step()
        best_np = min(best_np, (time.perf_counter() - start) / STEPS)
    print(f"T={T}, batch {BATCH}, hidden {HIDDEN}: one SGD step")
    print(f"  tfteach sess.run(train): {best_tf * 1e3:.2f} ms")
    print(f"  numpy by hand:           {best_np * 1e3:.2f} ms  (ratio {best_tf / best_np:.1f})")


if __name__ == "__main__":
    main()
