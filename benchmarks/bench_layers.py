"""Build cost of ``tf.layers.dense`` (issue 20) beside the same layer written by hand.

Builds an MLP of LAYERS dense layers (64 -> 64, ReLU) on a fresh graph, REPEATS times, once
with ``tf.layers.dense`` and once with what it does written out: ``variable_scope`` with a
default name, ``get_variable`` for kernel and bias, ``matmul``, ``bias_add``, ``relu``.
The target: ``tf.layers.dense`` within 1.5x of the hand-written build.

Run: .venv/bin/python benchmarks/bench_layers.py
"""

from __future__ import annotations

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import tfteach as tf

LAYERS = 50
REPEATS = 20


def with_layers():
    x = tf.placeholder(tf.float32, [None, 64])
    for _ in range(LAYERS):
        x = tf.layers.dense(x, 64, activation=tf.nn.relu)
    return x


def by_hand():
    x = tf.placeholder(tf.float32, [None, 64])
    for _ in range(LAYERS):
        with tf.variable_scope(None, default_name="dense"):
            w = tf.get_variable("kernel", [64, 64])
            b = tf.get_variable("bias", [64], initializer=tf.zeros_initializer())
            x = tf.nn.relu(tf.nn.bias_add(tf.matmul(x, w), b))
    return x


def best_time(build) -> float:
    best = float("inf")
    for _ in range(REPEATS):
        with tf.Graph().as_default():
            start = time.perf_counter()
            build()
            best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    layers, hand = best_time(with_layers), best_time(by_hand)
    print(f"{LAYERS} dense layers, best of {REPEATS}:")
    print(f"  tf.layers.dense        {layers * 1e3:7.2f} ms ({layers / LAYERS * 1e6:.0f} us/layer)")
    print(f"  get_variable + matmul  {hand * 1e3:7.2f} ms ({hand / LAYERS * 1e6:.0f} us/layer)")
    print(f"  ratio                  {layers / hand:7.2f}x (target: at most 1.5x)")


if __name__ == "__main__":
    main()
