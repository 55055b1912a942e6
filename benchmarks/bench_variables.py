"""Speed of get_variable / variable_scope (issue 3), each beside a dict + numpy reference.

10,000 variables made with get_variable in a chain of 100 nested variable scopes
(100 variables in each), then a reuse pass over the same 10,000 under reuse=True.
The reference does the same bookkeeping by hand: scoped names in a dict, each new
entry holding its initial value drawn with numpy (glorot uniform); its reuse pass
looks the names up again. A third figure, tf.Variable with the same initializer in
the same scopes, is the floor that get_variable builds on (the graph runtime's cost).
The end-to-end row is what a learner meets: the first pass, then the first
``sess.run(tf.global_variables_initializer())``.

Run: .venv/bin/python benchmarks/bench_variables.py [--profile]
"""

from __future__ import annotations

import contextlib
import cProfile
import functools
import gc
import math
import os
import pstats
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import tfteach as tf

DEPTH = 100  # nested scopes
PER_SCOPE = 100  # variables in each scope
SHAPE = [4, 4]
N = DEPTH * PER_SCOPE


def in_nested_scopes(make, reuse=None) -> list:
    """``make(i)`` for PER_SCOPE values of i in each of DEPTH nested variable scopes."""
    out = []
    with contextlib.ExitStack() as stack:
        for depth in range(DEPTH):
            stack.enter_context(tf.variable_scope(f"s{depth}", reuse=reuse if depth == 0 else None))
            out.extend(make(i) for i in range(PER_SCOPE))
    return out


def get_variables(initializer=None, reuse=None) -> list:
    return in_nested_scopes(
        lambda i: tf.get_variable(f"v{i}", SHAPE, initializer=initializer), reuse
    )


def tf_variables(initializer) -> list:
    make = functools.partial(initializer, SHAPE, dtype=tf.float32)
    return in_nested_scopes(lambda i: tf.Variable(make, name=f"v{i}", dtype=tf.float32))


def reference(store: dict, create: bool, rng) -> list:
    """The same names and values kept by hand in a dict, values drawn with numpy."""
    out = []
    prefix = ""
    limit = math.sqrt(6.0 / (SHAPE[0] + SHAPE[1]))
    for depth in range(DEPTH):
        prefix = f"{prefix}s{depth}/"
        for i in range(PER_SCOPE):
            name = f"{prefix}v{i}"
            if create:
                if name in store:
                    raise ValueError(name)
                store[name] = rng.uniform(-limit, limit, SHAPE).astype(np.float32)
            out.append(store[name])
    return out


def timed(fn, collect_garbage: bool = True) -> float:
    gc.collect()
    if not collect_garbage:
        gc.disable()
    try:
        t = time.perf_counter()
        made = fn()  # kept until timed: freeing it is not part of the figure
        elapsed = time.perf_counter() - t
        del made
        return elapsed
    finally:
        gc.enable()


def best_passes(initializer=None, repeat: int = 5, collect_garbage: bool = True):
    """Best seconds of (first pass, reuse pass), each on a fresh graph."""
    firsts, reuses = [], []
    for _ in range(repeat):
        tf.reset_default_graph()
        firsts.append(timed(lambda: get_variables(initializer), collect_garbage))
        reuses.append(timed(lambda: get_variables(initializer, reuse=True), collect_garbage))
    return min(firsts), min(reuses)


def best_end_to_end(repeat: int = 5) -> float:
    """Best seconds of a first pass followed by the first run of the global initializer
    in a new session: what a learner waits for."""

    def build_and_initialize():
        get_variables()
        init = tf.global_variables_initializer()
        with tf.Session() as sess:
            sess.run(init)

    runs = []
    for _ in range(repeat):
        tf.reset_default_graph()
        runs.append(timed(build_and_initialize))
    return min(runs)


def best_tf_variables(initializer, repeat: int = 5) -> float:
    runs = []
    for _ in range(repeat):
        tf.reset_default_graph()
        runs.append(timed(lambda: tf_variables(initializer)))
    return min(runs)


def best_reference(repeat: int = 5) -> tuple[float, float]:
    rng = np.random.default_rng(0)
    firsts, reuses = [], []
    for _ in range(repeat):
        store: dict = {}
        firsts.append(timed(functools.partial(reference, store, True, rng)))
        reuses.append(timed(functools.partial(reference, store, False, rng)))
    return min(firsts), min(reuses)


class _BareOp:
    """As many slots as `Operation` (see `object_floor`)."""

    __slots__ = (
        "graph", "name", "type", "inputs", "control", "first", "rest", "attrs", "id",
        "opdef", "reads", "device", "__weakref__",
    )  # fmt: skip


class _BareTensor:
    __slots__ = ("op", "index", "dtype", "shape", "__weakref__")


def object_floor(ops_per_var: int = 10) -> list:
    """The least a graph of Python objects can cost: for each of the 10,000 variables'
    ``ops_per_var`` ops, an op object and its output tensor (slotted, as tfteach's), its
    scoped name lower-cased and checked in a dict, entered in a name index and an op list,
    and its first input as a 1-tuple. No shape rules, no checks, no get_variable logic."""
    ops, by_name, used = [], {}, {}
    previous = None
    for v in range(N):
        scope = f"s/v{v}/"
        for j in range(ops_per_var):
            name = scope + f"op{j}"
            key = name.lower()
            if key in used:
                raise AssertionError(name)
            used[key] = 1
            op = _BareOp()
            op.name, op.inputs = name, (previous,) if previous is not None else ()
            previous = op.first = _BareTensor()
            previous.op = op
            op.id = len(ops) + 1
            ops.append(op)
            by_name[name] = op
    return ops


def row(what: str, ours: float, ref: float) -> None:
    print(
        f"| {what} | {ours * 1e3:.0f} ms ({ours / N * 1e6:.1f} us/var) "
        f"| {ref * 1e3:.1f} ms | {ours / ref:.0f}x |"
    )


def main() -> None:
    print(f"{N} variables, {DEPTH} nested scopes, shape {SHAPE}; best of 5")
    print()
    print("| measurement | tfteach | dict + numpy reference (same run) | ratio |")
    print("|---|---|---|---|")
    ref_first, ref_reuse = best_reference()
    glorot, zeros = tf.glorot_uniform_initializer(), tf.zeros_initializer()
    first, reuse = best_passes()
    row("get_variable, first pass (default: glorot_uniform, 10 ops/var)", first, ref_first)
    row("get_variable, reuse pass (reuse=True)", reuse, ref_reuse)
    whole = best_end_to_end()
    row("get_variable, first pass, then the first global init run (end to end)", whole, ref_first)
    row("tf.Variable, glorot_uniform, same scopes (floor)", best_tf_variables(glorot), ref_first)
    first_z, reuse_z = best_passes(zeros)
    row("get_variable, first pass (zeros_initializer, 4 ops/var)", first_z, ref_first)
    row("get_variable, reuse pass, zeros (reuse=True)", reuse_z, ref_reuse)
    row("tf.Variable, zeros_initializer, same scopes (floor)", best_tf_variables(zeros), ref_first)
    no_gc, _ = best_passes(collect_garbage=False)
    row("get_variable, first pass, glorot, garbage collector off", no_gc, ref_first)
    floor = min(timed(object_floor) for _ in range(5))
    row("floor: 100,000 bare op + tensor objects, named (no TF logic)", floor, ref_first)
    if "--profile" in sys.argv:
        tf.reset_default_graph()
        profile = cProfile.Profile()
        profile.runcall(get_variables)
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
