#!/usr/bin/env python3
"""Record TensorFlow's own random numbers, bit for bit, as a JSON fixture for tfteach's tests.

Run with a Python that has TensorFlow installed (never needed by tfteach itself):

    /work/tfvenv/bin/python tools/record_tf_random.py

Each case's code runs on a fresh default graph in a namespace holding ``tf``
(``tensorflow.compat.v1`` after ``tf.disable_v2_behavior()``) and ``np``, and appends the
arrays it fetched to ``results``. The same source must run unchanged with
``import tfteach as tf``. The fixture stores each array's dtype, shape and raw bytes (hex),
so tests/core/test_exact_random.py compares them bit for bit.

The fixture is written to tests/fixtures/tf_random_reference.json.

``multinomial`` splits its rows among TensorFlow's CPU worker threads, and the split decides
which random words a row gets, so the recorder fixes their number (``TF_NUM_INTRAOP_THREADS``,
stored in the fixture); the tests set the same number for tfteach.
"""

import contextlib
import io
import json
import os
import platform
import textwrap

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
INTRA_OP_THREADS = 2  # read by TensorFlow when it makes its CPU device
os.environ["TF_NUM_INTRAOP_THREADS"] = str(INTRA_OP_THREADS)

import numpy as np  # noqa: E402  (after TF_NUM_INTRAOP_THREADS is set)
import tensorflow.compat.v1 as tf  # noqa: E402

tf.disable_v2_behavior()
tf.logging.set_verbosity(tf.logging.ERROR)

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(REPO, "tests", "fixtures", "tf_random_reference.json")

CASES = []


def case(case_id, code):
    CASES.append((case_id, textwrap.dedent(code).strip("\n") + "\n"))


# -- the ops, each run twice in one session (the generator advances) ----------------------
for dtype, shape in [("float32", [7, 5]), ("float64", [3, 3, 3]), ("float16", [13])]:
    case(f"uniform_{dtype}", f"""
        r = tf.random_uniform({shape}, dtype=tf.{dtype}, seed=3)
        with tf.Session() as sess:
            results.append(sess.run(r))
            results.append(sess.run(r))
    """)
    case(f"normal_{dtype}", f"""
        r = tf.random_normal({shape}, mean=0.5, stddev=2.0, dtype=tf.{dtype}, seed=4)
        with tf.Session() as sess:
            results.append(sess.run(r))
            results.append(sess.run(r))
    """)
    case(f"truncated_normal_{dtype}", f"""
        r = tf.truncated_normal({shape}, mean=-1.0, stddev=0.1, dtype=tf.{dtype}, seed=5)
        with tf.Session() as sess:
            results.append(sess.run(r))
            results.append(sess.run(r))
    """)

case("uniform_between_bounds", """
    r = tf.random_uniform([5, 7], -3.0, 2.5, seed=6)
    with tf.Session() as sess:
        results.extend(sess.run([r, r]))  # one run: the same values twice
        results.append(sess.run(r))
""")
case("uniform_int32", """
    r = tf.random_uniform([11], -7, 13, dtype=tf.int32, seed=7)
    with tf.Session() as sess:
        results.append(sess.run(r))
        results.append(sess.run(r))
""")
case("uniform_int32_full_range", """
    r = tf.random_uniform([1001], -2**31, 2**31 - 1, dtype=tf.int32, seed=8)
    with tf.Session() as sess:
        results.append(sess.run(r))
""")
case("uniform_int64", """
    r = tf.random_uniform([5, 3], 0, 2**40, dtype=tf.int64, seed=9)
    with tf.Session() as sess:
        results.append(sess.run(r))
        results.append(sess.run(r))
""")
case("scalar_and_large", """
    a = tf.random_normal([], seed=10)
    b = tf.truncated_normal([4099], seed=11)
    c = tf.truncated_normal([1027], dtype=tf.float64, seed=11)
    with tf.Session() as sess:
        results.extend(sess.run([a, b, c]))
""")
case("op_seed_beyond_int32", """
    r = tf.random_uniform([6], seed=2**40 + 5)
    with tf.Session() as sess:
        results.append(sess.run(r))
""")
case("seeds_zero_zero_are_fixed", """
    tf.set_random_seed(0)
    r = tf.random_uniform([6], seed=0)
    print(r.op.get_attr("seed"), r.op.get_attr("seed2"))
    with tf.Session() as sess:
        results.append(sess.run(r))
""")

# -- graph seeds: op seeds counted per graph ------------------------------------------------
case("graph_seed_2017_variable", """
    tf.set_random_seed(2017)
    v = tf.Variable(tf.random_normal([6]))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        results.append(sess.run(v))
""")
case("graph_seed_many_ops_before", """
    tf.set_random_seed(1)
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    w = tf.Variable(tf.zeros([3, 2]))
    y = tf.nn.relu(tf.matmul(x, w) + tf.constant([1.0, 2.0]))
    loss = tf.reduce_mean(tf.square(y))
    with tf.name_scope("noise"):
        n = tf.random_uniform([4, 3])
    m = tf.random_normal([5])
    with tf.Session() as sess:
        results.extend(sess.run([n, m]))
""")
case("graph_seed_three_ops_two_sessions", """
    tf.set_random_seed(123)
    a = tf.random_uniform([3])
    b = tf.random_uniform([3])
    c = tf.truncated_normal([2, 2])
    with tf.Session() as s1:
        results.extend(s1.run([a, b, c]))
        results.append(s1.run(a))
    with tf.Session() as s2:
        results.append(s2.run(a))  # a new session starts again
""")
case("graph_seed_with_op_seed", """
    tf.set_random_seed(5)
    r = tf.random_normal([7], seed=9)
    with tf.Session() as sess:
        results.append(sess.run(r))
""")
case("graph_seed_after_other_graph", """
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(1)
        tf.random_uniform([2])
    tf.set_random_seed(1)
    r = tf.random_uniform([2])  # this graph counts its own op seeds
    with tf.Session() as sess:
        results.append(sess.run(r))
""")

# -- initializers ---------------------------------------------------------------------------
case("get_variable_default_glorot_uniform", """
    tf.set_random_seed(42)
    w = tf.get_variable("w", [5, 3])
    k = tf.get_variable("k", [3, 3, 2, 4])
    d = tf.get_variable("d", [4, 6], dtype=tf.float64)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        results.extend(sess.run([w, k, d]))
        sess.run(tf.global_variables_initializer())  # drawn again: the next values
        results.extend(sess.run([w, k, d]))
""")
for name, call in [
    ("glorot_normal", "tf.glorot_normal_initializer(seed=1)"),
    ("glorot_uniform", "tf.glorot_uniform_initializer(seed=1)"),
    ("he_normal", "tf.initializers.he_normal(seed=2)"),
    ("he_uniform", "tf.initializers.he_uniform(seed=2)"),
    ("lecun_normal", "tf.initializers.lecun_normal(seed=3)"),
    ("lecun_uniform", "tf.initializers.lecun_uniform(seed=3)"),
    ("variance_scaling_untruncated",
     "tf.variance_scaling_initializer(2.0, 'fan_out', 'untruncated_normal', seed=4)"),
    ("variance_scaling_uniform_fan_avg",
     "tf.variance_scaling_initializer(1.0, 'fan_avg', 'uniform', seed=4)"),
    ("random_normal_initializer", "tf.random_normal_initializer(1.0, 0.5, seed=5)"),
    ("random_uniform_initializer", "tf.random_uniform_initializer(-1.0, 1.0, seed=5)"),
    ("truncated_normal_initializer", "tf.truncated_normal_initializer(0.0, 0.02, seed=6)"),
    ("uniform_unit_scaling_initializer", "tf.uniform_unit_scaling_initializer(1.5, seed=7)"),
]:
    case(f"initializer_{name}", f"""
        init = {call}
        a = tf.get_variable("a", [7, 3], initializer=init)
        b = tf.get_variable("b", [2, 3, 5], initializer=init, dtype=tf.float64)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            results.extend(sess.run([a, b]))
    """)
case("initializer_orthogonal", """
    a = tf.get_variable("a", [4, 3], initializer=tf.orthogonal_initializer(seed=1))
    b = tf.get_variable("b", [3, 5], initializer=tf.orthogonal_initializer(gain=2.0, seed=2))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        results.extend(sess.run([a, b]))
""")
case("variable_scope_initializer_graph_seed", """
    tf.set_random_seed(7)
    with tf.variable_scope("layer", initializer=tf.truncated_normal_initializer(stddev=0.1)):
        w = tf.get_variable("w", [4, 3])
        b = tf.get_variable("b", [3], initializer=tf.zeros_initializer())
        v = tf.get_variable("v", [3, 3])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        results.extend(sess.run([w, v]))
""")

# -- random_shuffle: TF's Fisher-Yates swaps, size - 1 words a run ----------------------------
case("random_shuffle_1d_sizes", """
    xs = [tf.random_shuffle(tf.range(n), seed=n) for n in (1, 2, 3, 5, 1000)]
    fs = [tf.random_shuffle(np.linspace(0, 1, n).astype(d), seed=9) for n, d in
          [(2, np.float32), (5, np.float64), (1000, np.float32)]]
    with tf.Session() as sess:
        results.extend(sess.run(xs + fs))
        results.extend(sess.run(xs + fs))  # the stream advances
    with tf.Session() as sess:
        results.extend(sess.run(xs))  # a new session starts again
""")
case("random_shuffle_rows", """
    a = tf.random_shuffle(np.arange(15.0, dtype=np.float32).reshape(5, 3), seed=1)
    b = tf.random_shuffle(np.arange(24, dtype=np.int64).reshape(4, 2, 3), seed=2)
    c = tf.random_shuffle(np.arange(2000, dtype=np.int32).reshape(1000, 2), seed=3)
    d = tf.random_shuffle(np.ones((1, 4), dtype=np.float32), seed=4)  # one row: as it is
    e = tf.random_shuffle(np.zeros((3, 0), dtype=np.float32), seed=5)  # no elements
    with tf.Session() as sess:
        results.extend(sess.run([a, b, c, d, e]))
        results.extend(sess.run([a, b, c]))
""")
case("random_shuffle_graph_seed", """
    tf.set_random_seed(11)
    r = tf.random_uniform([3])
    s = tf.random_shuffle(tf.range(7))
    t = tf.random_shuffle(tf.constant([[1.5, 2.5], [3.5, 4.5], [5.5, 6.5]]))
    with tf.Session() as sess:
        results.extend(sess.run([r, s, t]))
        results.extend(sess.run([s, t]))
""")

# -- multinomial: doubles from word pairs, rows split among the CPU threads ------------------
case("multinomial_rows_samples_dtypes", """
    logits = [[0.0, 1.0, 2.0], [1.0, -np.inf, 0.5], [-3.0, 0.25, 0.0]]
    ops = []
    for n in (1, 4, 7, 10):
        ops.append(tf.multinomial(tf.constant(logits, tf.float32), n, seed=n))
        ops.append(tf.multinomial(tf.constant(logits, tf.float64), n, seed=n,
                                  output_dtype=tf.int32))
    h = tf.multinomial(tf.constant(logits, tf.float16), 6, seed=12)
    with tf.Session() as sess:
        results.extend(sess.run(ops + [h]))
        results.extend(sess.run(ops + [h]))  # the stream advances
    with tf.Session() as sess:
        results.extend(sess.run(ops[:2]))  # a new session starts again
""")
case("multinomial_nonfinite_logits", """
    logits = tf.constant([[-np.inf, 0.0, -np.inf, 1.0], [np.inf, 0.0, 1.0, 2.0],
                          [-np.inf, -np.inf, -np.inf, -np.inf], [np.nan, 1.0, 1.0, 0.0]])
    m = tf.multinomial(logits, 9, seed=13)
    with tf.Session() as sess:
        results.append(sess.run(m))
""")
case("multinomial_nothing_to_draw_keeps_the_stream", """
    n = tf.placeholder(tf.int32, [])
    m = tf.multinomial([[0.5, 0.25, 1.0], [0.0, 0.0, 0.0]], n, seed=14)
    with tf.Session() as sess:
        results.append(sess.run(m, {n: 0}))
        results.append(sess.run(m, {n: 5}))  # the first values: nothing was reserved
        results.append(sess.run(m, {n: 5}))
""")
case("multinomial_rows_split_among_threads", """
    rng = np.random.RandomState(0)
    ops = [tf.multinomial(rng.normal(size=(batch, classes)).astype(np.float32), n, seed=15)
           for batch, n, classes in [(8, 1000, 10), (3, 100, 1000), (40, 64, 50), (200, 10, 5)]]
    with tf.Session() as sess:
        results.extend(sess.run(ops))
        results.extend(sess.run(ops))
""")
case("multinomial_graph_seed", """
    tf.set_random_seed(16)
    a = tf.random_normal([2])
    m = tf.multinomial(tf.log([[0.2, 0.3, 0.5]]), 12)
    with tf.Session() as sess:
        results.extend(sess.run([a, m]))
        results.append(sess.run(m))
""")


def record(case_id, code):
    results, out = [], io.StringIO()
    with tf.Graph().as_default(), contextlib.redirect_stdout(out):
        exec(compile(code, f"<{case_id}>", "exec"), {"tf": tf, "np": np, "results": results})
    arrays = [
        {"dtype": str(a.dtype), "shape": list(a.shape), "hex": a.tobytes().hex()}
        for a in map(np.ascontiguousarray, results)
    ]
    return {"id": case_id, "code": code, "stdout": out.getvalue(), "results": arrays}


def main():
    cases = [record(case_id, code) for case_id, code in CASES]
    fixture = {
        "source": "recorded from tensorflow-cpu==2.21.0 (tensorflow.compat.v1, "
        "disable_v2_behavior) by tools/record_tf_random.py",
        "tensorflow_version": tf.__version__,
        "machine": f"{platform.machine()}, {' '.join(platform.libc_ver())}",
        "tf_num_intraop_threads": INTRA_OP_THREADS,
        "notes": ["Each result is an array fetched by the case, as dtype, shape and raw "
                  "little-endian bytes (hex); stdout is what the case printed.",
                  "TensorFlow ran with TF_NUM_INTRAOP_THREADS=tf_num_intraop_threads: "
                  "multinomial's values depend on its CPU thread count."],
        "cases": cases,
    }
    with open(OUT, "w") as f:
        json.dump(fixture, f, indent=1)
        f.write("\n")
    print(f"{len(cases)} cases written to {OUT}")


if __name__ == "__main__":
    main()
