"""Speed of the pictures (issue 7): draw_graph and the initialization plots, each beside a
reference measured in the same run (Graphviz's `dot` alone on the same DOT source; numpy
drawing or computing the same values).

Run: .venv/bin/python benchmarks/bench_drawing.py
"""

from __future__ import annotations

import io
import os
import sys
import timeit

import graphviz
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import tfteach as tf
from tfteach.notebook import plots
from tfteach.notebook.drawing import _html_view, _picture, _render_svg, draw_graph


def best(fn, repeat: int = 5) -> float:
    """Best seconds of one call over ``repeat`` calls."""
    return min(timeit.repeat(fn, number=1, repeat=repeat))


def row(what: str, ours: float, reference: float, ref_what: str) -> None:
    print(f"| {what} | {ours * 1e3:.1f} ms | {reference * 1e3:.1f} ms ({ref_what}) |")


def lesson_graph() -> tf.Graph:
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float32, [None, 784], name="x")
        h = x
        for i, width in enumerate((200, 100, 10)):
            with tf.name_scope(f"layer{i + 1}"):
                w = tf.Variable(tf.glorot_uniform_initializer()((int(h.shape[1]), width)), name="w")
                b = tf.Variable(tf.zeros([width]), name="b")
                h = tf.nn.relu(tf.matmul(h, w) + b)
        tf.global_variables_initializer()
    return graph


def wide_graph(n: int) -> tf.Graph:
    graph = tf.Graph()
    with graph.as_default():
        for i in range(n):
            tf.Variable(0.0, name=f"v{i}")
        tf.global_variables_initializer()
    return graph


def graph_rows() -> None:
    small = lesson_graph()
    drawing = draw_graph(small)
    dot_source = graphviz.Source(drawing.dot)
    row(
        f"draw_graph, 3-layer model ({len(small.get_operations())} ops)",
        best(lambda: draw_graph(small)),
        best(lambda: _render_svg(dot_source, {})),
        "dot alone, same DOT",
    )
    big = wide_graph(10_000)
    drawing = draw_graph(big)
    dot_source = graphviz.Source(drawing.dot)
    row(
        f"draw_graph, 10,000 variables ({len(big.get_operations()):,} ops, max_nodes=150)",
        best(lambda: draw_graph(big), repeat=3),
        best(lambda: _render_svg(dot_source, {}), repeat=3),
        "dot alone, same DOT",
    )
    row(
        "the HTML list (no dot), 10,000 variables",
        best(lambda: _html_view(_picture(big, None, 150), ""), repeat=3),
        best(lambda: wide_graph(10_000), repeat=1),
        "building that graph",
    )


def plot_rows() -> None:
    size = 784 * 200
    rng = np.random.default_rng(0)
    row(
        "initializer_values glorot_uniform (784, 200)",
        best(lambda: plots.initializer_values("glorot_uniform", (784, 200))),
        best(lambda: rng.uniform(-0.078, 0.078, size).astype(np.float32)),
        "numpy uniform, same count",
    )

    def png(fig) -> bytes:
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        return buffer.getvalue()

    row(
        "plot_initializers default, figure + PNG",
        best(lambda: png(plots.plot_initializers()), repeat=3),
        best(lambda: png(plots._new_figure(1, 2)[0]), repeat=3),
        "empty 2-panel figure + PNG",
    )
    limit = np.sqrt(6 / 1000)

    def numpy_forward():
        h = rng.standard_normal((1000, 500), dtype=np.float32)
        outputs = []
        for _ in range(30):
            w = rng.uniform(-limit, limit, (500, 500)).astype(np.float32)
            h = np.maximum(h @ w, 0)
            outputs.append(h)
        return outputs

    row(
        "activations_at_init relu, 30 layers of 500, 1,000 inputs",
        best(lambda: plots.activations_at_init("glorot_uniform", depth=30, activation="relu"), 3),
        best(numpy_forward, repeat=3),
        "numpy: draw weights, forward",
    )


def main() -> None:
    print("| measurement | tfteach | reference (same run) |")
    print("|---|---|---|")
    graph_rows()
    plot_rows()


if __name__ == "__main__":
    main()
