#!/usr/bin/env python3
"""Record what real TensorFlow 1.x graph mode makes of tf.summary programs, as a JSON fixture.

Run with a Python that has TensorFlow installed (never needed by tfteach itself):

    /work/tfvenv/bin/python tools/record_tf_summaries.py

Each case's code runs in a fresh namespace holding only ``tf`` (``tensorflow.compat.v1`` after
``tf.disable_v2_behavior()``) and ``np``, on a fresh default graph; the same code must run with
``import tfteach as tf``. A case sets ``fetch`` (a summary tensor) and the recorder stores:
- ``ops``: name, type and inputs of every op whose type ends in "Summary" or "SummaryV2";
- ``summary``: ``sess.run(fetch)`` decoded (``json_format.MessageToDict`` of the `Summary`),
  or ``error``: the exception's type and the first line of its message (TF's prefix dropped);
- ``graph``: when the case sets ``graph_scope``, the nodes of ``as_graph_def(add_shapes=True)``
  under that scope: name, op, inputs, ``_class``, ``_output_shapes`` and the other attr keys.

The fixture is written to tests/fixtures/tf_summaries.json.
"""

import json
import os
import platform
import textwrap

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np
import tensorflow.compat.v1 as tf
from google.protobuf import json_format

tf.disable_v2_behavior()
tf.logging.set_verbosity(tf.logging.ERROR)

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(REPO, "tests", "fixtures", "tf_summaries.json")

CASES = {
    "merged": """
        x = tf.constant(3.0, name="x")
        tf.summary.scalar("loss", x)
        with tf.name_scope("train"):
            tf.summary.histogram("weights", tf.constant([1.0, 2.0, -0.5, 0.0, 1e-13, 7.5]))
        tf.summary.text("note", tf.constant("hello"))
        tf.summary.scalar("bad name!", x * 2.0)
        tf.summary.scalar("f", x, family="fam")
        fetch = tf.summary.merge_all()
    """,
    "histogram_many_values": """
        values = np.random.RandomState(0).randn(1000).astype(np.float32) * 3.0
        fetch = tf.summary.histogram("normal", tf.constant(values))
    """,
    "histogram_empty": """
        fetch = tf.summary.histogram("empty", tf.zeros([0]))
    """,
    "scalar_dtypes": """
        fetch = tf.summary.merge([
            tf.summary.scalar("i", tf.constant(7)),
            tf.summary.scalar("d", tf.constant(0.1, tf.float64)),
            tf.summary.scalar("py", 2.5),
        ], name="numbers")
    """,
    "text_vector": """
        fetch = tf.summary.text("lines", tf.constant(["a", "b"]))
    """,
    "scalar_not_scalar": """
        fetch = tf.summary.scalar("vec", tf.constant([1.0, 2.0]))
    """,
    "histogram_nan": """
        fetch = tf.summary.histogram("h", tf.constant([1.0, np.nan]))
    """,
    "histogram_inf": """
        fetch = tf.summary.histogram("h", tf.constant([1.0, -np.inf]))
    """,
    "merge_duplicate_tag": """
        a = tf.summary.scalar("a", 1.0)
        fetch = tf.summary.merge([a, a])
    """,
    "graph_layer": """
        x = tf.placeholder(tf.float32, [None, 3], name="x")
        with tf.variable_scope("layer"):
            w = tf.get_variable("w", [3, 2])
            b = tf.Variable(tf.zeros([2]), name="b")
        y = tf.matmul(x, w) + b
        with tf.control_dependencies([y]):
            done = tf.no_op(name="done")
        fetch = tf.summary.scalar("b_sum", tf.reduce_sum(b))
        graph_scope = ("layer/", "x", "MatMul", "add", "done")
        needs_init = True
    """,
}


def first_line(e: Exception) -> str:
    message = getattr(e, "message", str(e))
    # TF 2.x wraps a run-time error in a "Graph execution error" block naming the node
    noise = ("Graph execution", "Detected", "  ", "Node:", "\t")
    lines = [line for line in message.split("\n") if line and not line.startswith(noise)]
    return lines[0] if lines else message


def node_record(node) -> dict:
    attrs = node.attr
    return {
        "name": node.name,
        "op": node.op,
        "input": list(node.input),
        "_class": [s.decode() for s in attrs["_class"].list.s] if "_class" in attrs else [],
        "_output_shapes": [
            [d.size for d in s.dim] if not s.unknown_rank else None
            for s in attrs["_output_shapes"].list.shape
        ]
        if "_output_shapes" in attrs
        else [],
        "attrs": sorted(k for k in attrs if not k.startswith("_")),
    }


def record(code: str) -> dict:
    tf.reset_default_graph()
    ns = {"tf": tf, "np": np}
    exec(textwrap.dedent(code), ns)
    fetch = ns["fetch"]
    graph = tf.get_default_graph()
    out = {
        "code": textwrap.dedent(code).strip("\n") + "\n",
        "ops": [
            {"name": op.name, "type": op.type, "inputs": [t.name for t in op.inputs]}
            for op in graph.get_operations()
            if op.type.endswith(("Summary", "SummaryV2"))
        ],
        "summary": None,
        "error": None,
    }
    with tf.Session() as sess:
        if ns.get("needs_init"):
            sess.run(tf.global_variables_initializer())
        try:
            value = sess.run(fetch)
            out["summary"] = json_format.MessageToDict(tf.Summary.FromString(value))
        except Exception as e:
            out["error"] = {"type": type(e).__name__, "message": first_line(e)}
    scope = ns.get("graph_scope")
    if scope:
        nodes = graph.as_graph_def(add_shapes=True).node
        out["graph"] = [
            node_record(n)
            for n in nodes
            if any(n.name == s or (s.endswith("/") and n.name.startswith(s)) for s in scope)
        ]
    return out


def main() -> None:
    fixture = {
        "source": "recorded from tensorflow-cpu==2.21.0 (tensorflow.compat.v1, "
        "disable_v2_behavior) by tools/record_tf_summaries.py",
        "tensorflow_version": tf.__version__,
        "numpy_version": np.__version__,
        "python_version": platform.python_version(),
        "cases": {name: record(code) for name, code in CASES.items()},
    }
    with open(OUT, "w") as f:
        json.dump(fixture, f, indent=1, sort_keys=False)
        f.write("\n")
    print(f"wrote {len(CASES)} cases to {OUT}")


if __name__ == "__main__":
    main()
