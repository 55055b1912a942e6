"""Speed and memory of running a seeded [4096, 4096] float32 variable's initializer
(issues 4 and 18: TensorFlow's own random numbers, computed by tfteach.core.philox).

Each figure stands beside its numpy reference, measured in the same run, best of REPEATS:

- truncated normal: ``sess.run(v.initializer)`` for a variable made with
  ``tf.truncated_normal_initializer(stddev=0.02, seed=1)``, beside the fastest plain-numpy
  truncated normal written here (cache-sized blocks, only rejected values redrawn, scale and
  shift applied to each block while it is in cache);
- glorot uniform: the same for ``tf.glorot_uniform_initializer(seed=1)``, beside numpy's
  own ``Generator.random(size, dtype=float32)``.

Also measured: the sampler alone (Philox words and TF's conversion, what the op's
``mul``/``AddV2`` come on top of), the sampler with the scaling (what the session's fused
random -> mul -> AddV2 step runs), and, by tracemalloc, the peak memory beyond the 64 MiB
result. A last line times a small seeded draw ([4, 4]), which 10,000-variable graphs pay
10,000 times.

Run: .venv/bin/python benchmarks/bench_initializers.py
"""

from __future__ import annotations

import gc
import math
import os
import sys
import time
import tracemalloc

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import tfteach as tf
from tfteach.core import philox

SHAPE = (4096, 4096)
STDDEV = 0.02
REPEATS = 7
BLOCK = 1 << 16
MIB = 1 << 20


def numpy_truncated_normal(rng, size, mean, stddev) -> np.ndarray:
    """The fastest plain-numpy truncated normal here: block-wise, redrawing only rejects."""
    out = np.empty(size, np.float32)
    flat = out.reshape(-1)
    scale, shift = np.float32(stddev), np.float32(mean)
    for start in range(0, flat.size, BLOCK):
        block = flat[start : start + BLOCK]
        rng.standard_normal(out=block, dtype=np.float32)
        bad = np.flatnonzero(np.abs(block) > 2)
        while bad.size:
            redraw = rng.standard_normal(bad.size, dtype=np.float32)
            block[bad] = redraw
            bad = bad[np.abs(redraw) > 2]
        block *= scale
        block += shift
    return out


def best_ms(*timed) -> list[float]:
    """Best time of each ``(fn, before)`` over REPEATS rounds, in ms; the functions take
    turns within a round, so a burst of load on the shared machine hits them alike.
    ``before()`` runs untimed ahead of its ``fn()``."""
    best = [float("inf")] * len(timed)
    for _ in range(REPEATS):
        for i, (fn, before) in enumerate(timed):
            if before is not None:
                before()
            gc.collect()
            t = time.perf_counter()
            fn()
            best[i] = min(best[i], time.perf_counter() - t)
    return [1e3 * b for b in best]


def peak_mib(fn) -> float:
    """Peak memory traced while ``fn`` runs, in MiB (numpy reports its buffers)."""
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / MIB
    finally:
        tracemalloc.stop()


class FreshSession:
    """A new session before each timed run, so every run is a first initialization that
    allocates its result (as the references do) and no old value is freed while timed."""

    def __init__(self):
        self.sess = tf.Session()

    def renew(self) -> None:
        self.sess.close()
        self.sess = tf.Session()

    def run(self, op) -> None:
        self.sess.run(op)


def scaled(sampler, scale, shift):
    """The sampler, then ``* scale + shift`` in place: the session's fused step."""

    def draw():
        values, _ = sampler(1, 2, 0, SHAPE, np.float32)
        values *= np.float32(scale)
        values += np.float32(shift)
        return values

    return draw


def small_draw_us(sampler, repeats: int = 2000) -> float:
    """Best time of a [4, 4] float32 draw, in microseconds."""
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        sampler(1, 2, 0, (4, 4), np.float32)
        best = min(best, time.perf_counter() - t)
    return 1e6 * best


def main() -> None:
    tn_init = tf.truncated_normal_initializer(stddev=STDDEV, seed=1)
    tn_var = tf.Variable(lambda: tn_init(SHAPE), name="tn")
    gu_var = tf.Variable(lambda: tf.glorot_uniform_initializer(seed=1)(SHAPE), name="gu")
    session = FreshSession()
    rng = np.random.default_rng(0)
    limit = math.sqrt(6 / (SHAPE[0] + SHAPE[1]))
    cases = [
        (
            "truncated normal",
            tn_var,
            lambda: philox.truncated_normal(1, 2, 0, SHAPE, np.float32),
            scaled(philox.truncated_normal, STDDEV, 0.0),
            lambda: numpy_truncated_normal(rng, SHAPE, 0.0, STDDEV),
            "numpy block-wise truncated normal",
        ),
        (
            "glorot uniform",
            gu_var,
            lambda: philox.uniform(1, 2, 0, SHAPE, np.float32),
            scaled(philox.uniform, 2 * limit, -limit),
            lambda: rng.random(SHAPE, dtype=np.float32),
            "numpy Generator.random",
        ),
    ]
    size_mib = np.prod(SHAPE) * 4 / MIB
    print(f"[4096, 4096] float32 ({size_mib:.0f} MiB), best of {REPEATS}, numpy {np.__version__}")
    for name, var, kernel, fused, reference, ref_name in cases:
        init = lambda var=var: session.run(var.initializer)  # noqa: E731
        for fn in (init, kernel, fused, reference):  # warm up: code paths, pages touched once
            session.renew()
            fn()
        t_init, t_kernel, t_fused, t_ref = best_ms(
            (init, session.renew), (kernel, None), (fused, None), (reference, None)
        )
        session.renew()
        extra_init = peak_mib(init) - size_mib
        extra_fused = peak_mib(fused) - size_mib
        extra_ref = peak_mib(reference) - size_mib
        print(f"{name}:")
        for label, ms in [
            ("initializer op run", t_init),
            ("its sampler alone", t_kernel),
            ("sampler with mul+AddV2 fused", t_fused),
            (ref_name, t_ref),
        ]:
            print(f"  {label:<34} {ms:7.1f} ms  ({ms / t_ref:.2f}x)")
        print(
            f"  peak memory beyond the result: initializer op {extra_init:.1f} MiB, "
            f"fused {extra_fused:.1f} MiB, reference {extra_ref:.1f} MiB"
        )
    session.sess.close()
    small = ", ".join(
        f"{f.__name__} {small_draw_us(f):.0f} us"
        for f in (philox.uniform, philox.normal, philox.truncated_normal)
    )
    print(f"a seeded [4, 4] float32 draw: {small}")


if __name__ == "__main__":
    main()
