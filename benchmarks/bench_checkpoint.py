"""Speed of checkpoints (issue 9): Saver.save / Saver.restore of 100 MB of float32 variables.

25 variables of 1,000,000 float32 each (100 MB, MB = 10**6 bytes), saved and restored by
`tf.train.Saver`, beside the reference: the same 25 arrays written with `numpy.save` (one
`.npy` file each) and read back with `numpy.load`, in the same run, in a temporary directory
on the same disk.

fsync is in BOTH: the Saver fsyncs its files (that is part of an atomic save), so the
reference fsyncs each `.npy` file too. Reads come from the page cache for both (the files were
just written), so the restore figures measure the software path, not the disk. Each figure is
the best of REPEATS runs.

Run: .venv/bin/python benchmarks/bench_checkpoint.py [directory for the temporary files]
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import tfteach as tf

COUNT = 25
SIZE = 1_000_000  # float32 values per variable
MEGABYTES = COUNT * SIZE * 4 / 1e6
REPEATS = 5


def best_seconds(fn) -> float:
    best = float("inf")
    for _ in range(REPEATS):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def numpy_save(directory: str, arrays: list) -> None:
    for i, a in enumerate(arrays):
        with open(os.path.join(directory, f"a{i}.npy"), "wb") as f:
            np.save(f, a, allow_pickle=False)
            f.flush()
            os.fsync(f.fileno())


def numpy_load(directory: str) -> list:
    return [np.load(os.path.join(directory, f"a{i}.npy"), allow_pickle=False) for i in range(COUNT)]


def main() -> None:
    root = tempfile.mkdtemp(
        prefix="bench_checkpoint_", dir=sys.argv[1] if len(sys.argv) > 1 else None
    )
    try:
        rng = np.random.default_rng(0)
        arrays = [rng.random(SIZE, dtype=np.float32) for _ in range(COUNT)]
        variables = [tf.Variable(tf.zeros([SIZE]), name=f"v{i}") for i in range(COUNT)]
        saver = tf.train.Saver()
        with tf.Session() as sess:
            for v, a in zip(variables, arrays):
                v.load(a, sess)
            prefix = os.path.join(root, "model.ckpt")
            save = best_seconds(lambda: saver.save(sess, prefix))
            restore = best_seconds(lambda: saver.restore(sess, prefix))
            for v, a in zip(variables, arrays):
                assert np.array_equal(sess.variable_value(v), a)
        reference = os.path.join(root, "npy")
        os.mkdir(reference)
        np_save = best_seconds(lambda: numpy_save(reference, arrays))
        np_load = best_seconds(lambda: numpy_load(reference))
        print(f"{COUNT} float32 variables x {SIZE:,} = {MEGABYTES:.0f} MB; best of {REPEATS}")
        print(f"temporary directory: {root} (fsync in both)")
        for label, ours, ref, ref_label in (
            ("save", save, np_save, "numpy.save"),
            ("restore", restore, np_load, "numpy.load"),
        ):
            print(
                f"{label:8s} Saver.{label:8s}{MEGABYTES / ours:6.0f} MB/s   "
                f"{ref_label} {MEGABYTES / ref:6.0f} MB/s"
            )
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
