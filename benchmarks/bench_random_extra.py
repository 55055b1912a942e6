"""Speed of seeded `random_shuffle` and `multinomial` (issue 18: TensorFlow's own numbers,
tfteach.core.philox.shuffle_permutation and philox.multinomial).

TF's shuffle is a Fisher-Yates shuffle whose swaps depend on each other, so tfteach runs
them one by one in Python (the random words and the swap targets come from numpy in bulk).
Each figure stands beside a numpy reference measured in the same run, best of REPEATS:

- shuffle: ``sess.run`` of ``tf.random_shuffle`` on a float32 vector of n = 10^3, 10^5 and
  10^6 values, beside numpy's ``Generator.permutation`` of the same vector; also the
  permutation alone (``philox.shuffle_permutation``) and, of that, its Python swap loop;
- multinomial: ``sess.run`` of ``tf.multinomial`` for 64 rows of 10 classes, 1,000 samples
  a row, beside numpy's ``Generator.choice`` row by row with the softmax probabilities.

Run: .venv/bin/python benchmarks/bench_random_extra.py
"""

from __future__ import annotations

import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import tfteach as tf
from tfteach.core import philox

REPEATS = 5


def best(fn, repeats=REPEATS) -> float:
    """The fastest of ``repeats`` calls of ``fn``, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:.1f} ms"


def swap_loop(size: int):
    """The part of `philox.shuffle_permutation` that is plain Python, the swaps, as a
    function to time (its targets computed beforehand, as that function computes them)."""
    spans = np.arange(size, 1, -1, dtype=np.uint32)
    targets = (np.arange(size - 1) + philox.words(1, 2, 0, size - 1) % spans).tolist()

    def swaps() -> None:
        order = list(range(size))
        for i, j in enumerate(targets):
            order[i], order[j] = order[j], order[i]

    return swaps


def shuffle_row(n: int, rng) -> str:
    values = np.arange(n, dtype=np.float32)
    with tf.Graph().as_default():
        shuffled = tf.random_shuffle(values, seed=1)
        with tf.Session() as sess:
            op = best(lambda: sess.run(shuffled))
    alone = best(lambda: philox.shuffle_permutation(1, 2, 0, n))
    loop = best(swap_loop(n))
    reference = best(lambda: rng.permutation(values))
    return f"| {n:,} | {ms(op)} | {ms(alone)} | {ms(loop)} | {ms(reference)} |"


def multinomial_row(rng) -> str:
    logits = rng.normal(size=(64, 10)).astype(np.float32)
    with tf.Graph().as_default():
        drawn = tf.multinomial(logits, 1000, seed=1)
        with tf.Session() as sess:
            op = best(lambda: sess.run(drawn))
    probs = np.exp(logits - logits.max(axis=1, keepdims=True)).astype(np.float64)
    probs /= probs.sum(axis=1, keepdims=True)
    reference = best(lambda: [rng.choice(10, size=1000, p=p) for p in probs])
    return f"| 64 x 1,000 samples, 10 classes | {ms(op)} | {ms(reference)} |"


def main() -> None:
    rng = np.random.default_rng(0)
    columns = "sess.run(random_shuffle) | shuffle_permutation | of which the swap loop"
    print(f"| n | {columns} | numpy permutation |")
    print("|---|---|---|---|---|")
    for n in (1_000, 100_000, 1_000_000):
        print(shuffle_row(n, rng))
    print()
    print("| multinomial | sess.run | numpy choice, row by row |")
    print("|---|---|---|")
    print(multinomial_row(rng))


if __name__ == "__main__":
    main()
