"""Speed and memory of the graph runtime (issue 2), each beside a numpy reference.

Run: .venv/bin/python benchmarks/bench_runtime.py
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import time
import timeit

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import tfteach as tf


def per_call(fn, number: int, repeat: int = 5) -> float:
    """Best seconds per call over ``repeat`` rounds of ``number`` calls."""
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number


def child(code: str) -> tuple[float, float]:
    """(seconds, peak RSS MB) of a fresh interpreter running ``code`` (best of 7)."""
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the forking parent
    probe = (
        "import time; t = time.perf_counter(); "
        + code
        + "; print(time.perf_counter() - t, [int(l.split()[1]) / 1024 for l in "
        "open('/proc/self/status') if l.startswith('VmHWM')][0])"
    )
    runs = []
    for _ in range(7):
        out = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, check=True
        ).stdout
        runs.append(tuple(float(x) for x in out.split()))
    return min(r[0] for r in runs), min(r[1] for r in runs)


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def row(what: str, ours: str, reference: str) -> None:
    print(f"| {what} | {ours} | {reference} |")


def main() -> None:
    # a user's installation has bytecode caches; this environment may forbid writing them on
    # import (PYTHONDONTWRITEBYTECODE), so compile once, as pip does when installing
    package = os.path.dirname(tf.__file__)
    subprocess.run([sys.executable, "-m", "compileall", "-q", package], check=True)
    print("| measurement | tfteach | numpy reference (same run) |")
    print("|---|---|---|")
    t_np, m_np = child("import numpy")
    t_tf, m_tf = child("import tfteach")
    heavy = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, tfteach; print(sorted(m for m in "
            "('IPython', 'ipywidgets', 'matplotlib', 'ipykernel') if m in sys.modules))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    row(
        "import time",
        f"{t_tf * 1e3:.0f} ms (+{(t_tf - t_np) * 1e3:.0f} ms)",
        f"import numpy {t_np * 1e3:.0f} ms",
    )
    row("import peak RSS", f"{m_tf:.1f} MB (+{m_tf - m_np:.1f} MB)", f"numpy {m_np:.1f} MB")
    row("Jupyter modules loaded by import tfteach", heavy, "")

    counter = tf.Variable(0, name="counter")
    increment = counter.assign_add(1)
    sess = tf.Session()
    sess.run(counter.initializer)
    ours = per_call(lambda: sess.run(increment), 20000)
    arr = np.zeros((), np.int32)
    ref = per_call(lambda: np.add(arr, 1), 20000)
    row(
        "sess.run(counter.assign_add(1))",
        f"{ours * 1e6:.2f} µs",
        f"np.add(a, 1) {ref * 1e6:.2f} µs",
    )

    rng = np.random.default_rng(0)
    x = tf.placeholder(tf.float32, [None, 8], name="x")
    W = tf.Variable(rng.standard_normal((8, 8)).astype(np.float32), name="W")
    b = tf.Variable(np.zeros(8, np.float32), name="b")
    y = tf.nn.relu(tf.matmul(x, W) + b)
    sess.run([W.initializer, b.initializer])
    xv = rng.standard_normal((1, 8)).astype(np.float32)
    feed = {x: xv}
    ours = per_call(lambda: sess.run(y, feed), 20000)
    Wv, bv = sess.run([W, b])
    ref = per_call(lambda: np.maximum(xv @ Wv + bv, 0), 20000)
    row(
        "sess.run(relu(matmul(x, W) + b), feed [1, 8])",
        f"{ours * 1e6:.2f} µs",
        f"numpy {ref * 1e6:.2f} µs",
    )
    sess.close()

    tf.reset_default_graph()
    gc.collect()
    base = rss_mb()
    start = time.perf_counter()
    variables = []
    for i in range(100):
        with tf.name_scope(f"layer{i}"):
            for j in range(100):
                variables.append(tf.Variable(np.full((10,), j, np.float32), name=f"v{j}"))
    build = time.perf_counter() - start
    init = tf.global_variables_initializer()
    sess = tf.Session()
    start = time.perf_counter()
    sess.run(init)
    first = time.perf_counter() - start
    start = time.perf_counter()
    sess.run(init)
    second = time.perf_counter() - start
    used = rss_mb() - base
    start = time.perf_counter()
    values = {f"v{i}": np.full((10,), i % 100, np.float32) for i in range(10000)}
    ref = time.perf_counter() - start
    arrays_mb = sum(v.nbytes for v in values.values()) / 2**20
    row(
        "build 10,000 tf.Variable (100 name scopes)",
        f"{build:.3f} s",
        f"10,000 numpy arrays {ref:.4f} s",
    )
    row(
        "first run of global_variables_initializer()",
        f"{first:.3f} s (second run {second:.3f} s)",
        "",
    )
    row(
        "memory for the 10,000-variable graph and session",
        f"{used:.1f} MB",
        f"the arrays alone {arrays_mb:.1f} MB",
    )
    sess.close()
    python = sys.version.split()[0]
    print(f"\nmachine: {os.cpu_count()} cores, Python {python}, numpy {np.__version__}")


if __name__ == "__main__":
    main()
