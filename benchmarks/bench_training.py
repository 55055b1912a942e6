"""Speed of one training step (issue 8), beside the same computation written in numpy;
and the cost of writing a scalar summary every step (issue 16).

A 784-256-10 MLP (relu hidden layer, softmax cross-entropy on one-hot labels, mean over a
batch of 64, plain SGD) in float32: forward, gradients and update of the four variables.
tfteach runs ``sess.run(train, feed_dict)`` on the op built by
``GradientDescentOptimizer.minimize``; the reference is the hand-derived forward and
backward pass in numpy, updating its arrays the way the optimizer does (new arrays, no
in-place update). Both see the same data and start from the same weights; the script first
checks that five steps of each give the same weights.

Each figure is the best of ROUNDS timings of STEPS steps, the two alternating round by round
so that both see the same load (the machine is shared).

The summary figures put three loops side by side, alternating the same way: the plain step;
the step that also fetches the loss (``sess.run([train, loss])``, as most training loops do);
and ``sess.run([train, merged])`` (``merge_all`` of a scalar summary of the loss) followed by
``FileWriter.add_summary(summary, step)`` (the writer in a temporary directory, with its
default max_queue and flush_secs, so it writes to the file every 10 events).

Run: .venv/bin/python benchmarks/bench_training.py [--profile]
"""

from __future__ import annotations

import cProfile
import gc
import os
import pstats
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import tfteach as tf

BATCH, N_IN, N_HIDDEN, N_OUT = 64, 784, 256, 10
LEARNING_RATE = 0.1
STEPS = 100  # per timing
ROUNDS = 15


def data():
    rng = np.random.RandomState(0)
    x = rng.rand(BATCH, N_IN).astype(np.float32)
    y = np.eye(N_OUT, dtype=np.float32)[rng.randint(0, N_OUT, BATCH)]
    w1 = (rng.randn(N_IN, N_HIDDEN) * np.sqrt(2.0 / N_IN)).astype(np.float32)
    w2 = (rng.randn(N_HIDDEN, N_OUT) * np.sqrt(2.0 / N_HIDDEN)).astype(np.float32)
    b1 = np.zeros(N_HIDDEN, np.float32)
    b2 = np.zeros(N_OUT, np.float32)
    return x, y, [w1, b1, w2, b2]


class NumpyMLP:
    """The reference: the same step written directly in numpy."""

    def __init__(self, params):
        self.w1, self.b1, self.w2, self.b2 = (p.copy() for p in params)
        self.lr = np.float32(LEARNING_RATE)

    def step(self, x, y):
        h_pre = x @ self.w1 + self.b1
        h = np.maximum(h_pre, 0)
        logits = h @ self.w2 + self.b2
        z = logits - logits.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        d_logits = (p - y) / np.float32(BATCH)
        d_w2 = h.T @ d_logits
        d_b2 = d_logits.sum(axis=0)
        d_h = (d_logits @ self.w2.T) * (h_pre > 0)
        d_w1 = x.T @ d_h
        d_b1 = d_h.sum(axis=0)
        self.w1 = self.w1 - d_w1 * self.lr
        self.b1 = self.b1 - d_b1 * self.lr
        self.w2 = self.w2 - d_w2 * self.lr
        self.b2 = self.b2 - d_b2 * self.lr


def build(params):
    """The same MLP in tfteach; returns (session, train op, x, y, variables); the graph also
    holds a scalar summary of the loss (unused unless fetched)."""
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None, N_IN], name="x")
    y = tf.placeholder(tf.float32, [None, N_OUT], name="y")
    w1, b1, w2, b2 = (tf.Variable(p, name=n) for p, n in zip(params, ["w1", "b1", "w2", "b2"]))
    hidden = tf.nn.relu(tf.matmul(x, w1) + b1)
    logits = tf.matmul(hidden, w2) + b2
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=logits))
    train = tf.train.GradientDescentOptimizer(LEARNING_RATE).minimize(loss)
    tf.summary.scalar("loss", loss)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    return sess, train, x, y, [w1, b1, w2, b2]


def per_step(fn) -> float:
    gc.collect()
    t = time.perf_counter()
    for _ in range(STEPS):
        fn()
    return (time.perf_counter() - t) / STEPS


def same_weights_after_five_steps(x, y, params) -> bool:
    reference = NumpyMLP(params)
    sess, train, xp, yp, variables = build(params)
    for _ in range(5):
        sess.run(train, {xp: x, yp: y})
        reference.step(x, y)
    values = sess.run(variables)
    sess.close()
    mine = [reference.w1, reference.b1, reference.w2, reference.b2]
    return all(np.allclose(a, b, rtol=1e-5, atol=1e-6) for a, b in zip(values, mine))


def main() -> None:
    x, y, params = data()
    agree = same_weights_after_five_steps(x, y, params)
    reference = NumpyMLP(params)
    sess, train, xp, yp, _ = build(params)
    feed = {xp: x, yp: y}

    def tf_step():
        sess.run(train, feed)

    def np_step():
        reference.step(x, y)

    tf_step(), np_step()  # warm up: compile the plan, touch the memory
    if "--profile" in sys.argv:
        profiler = cProfile.Profile()
        profiler.runcall(lambda: [tf_step() for _ in range(STEPS)])
        pstats.Stats(profiler).sort_stats("tottime").print_stats(15)
        return
    tf_times, np_times = [], []
    for _ in range(ROUNDS):
        tf_times.append(per_step(tf_step))
        np_times.append(per_step(np_step))
    t_tf, t_np = min(tf_times), min(np_times)
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "default")
    print(
        f"MLP {N_IN}-{N_HIDDEN}-{N_OUT}, batch {BATCH}, float32 SGD step, best of {ROUNDS} "
        f"x {STEPS} steps, OPENBLAS_NUM_THREADS={threads}:"
    )
    print(f"  tfteach Session.run(train): {t_tf * 1e3:8.3f} ms/step")
    print(f"  numpy reference:            {t_np * 1e3:8.3f} ms/step")
    print(f"  ratio tfteach / numpy:      {t_tf / t_np:8.2f}")
    print(f"  same weights after 5 steps: {agree}")
    summary_cost(sess, train, feed)
    sess.close()


def summary_cost(sess, train, feed) -> None:
    """The step alone and the step that also fetches the loss, beside the step that
    fetches the merged loss summary and writes it to a FileWriter."""
    summary = tf.summary.merge_all()
    loss = summary.op.inputs[0].op.inputs[1]  # merge <- ScalarSummary(tags, loss)
    with tempfile.TemporaryDirectory() as logdir:
        writer = tf.summary.FileWriter(logdir, sess.graph)
        step = [0]

        def summary_step():
            _, value = sess.run([train, summary], feed)
            writer.add_summary(value, step[0])
            step[0] += 1

        loops = {
            "step alone": lambda: sess.run(train, feed),
            "step + fetch the loss": lambda: sess.run([train, loss], feed),
            "step + write loss summary": summary_step,
        }
        times = {name: [] for name in loops}
        for fn in loops.values():
            fn()  # warm up the plans and the proto modules
        for _ in range(ROUNDS):
            for name, fn in loops.items():
                times[name].append(per_step(fn))
        writer.close()
    best = {name: min(t) for name, t in times.items()}
    for name, t in best.items():
        print(f"  {name + ':':<27} {t * 1e3:8.3f} ms/step")
    plain, with_loss = best["step alone"], best["step + fetch the loss"]
    written = best["step + write loss summary"]
    print(f"  summary vs step alone:       {(written / plain - 1) * 100:+7.1f} %")
    print(f"  summary vs step + loss:      {(written / with_loss - 1) * 100:+7.1f} %")


if __name__ == "__main__":
    main()
