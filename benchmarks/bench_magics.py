"""Speed of the notebook extension (issue 5), each figure beside a numpy reference.

1. ``%vars`` on a graph of 10,000 get_variable variables before any session, then on the
   same 10,000 initialized (shape [4, 4], 20 scopes of 500),
   display included (text/plain and text/html are both formatted), with the default page
   of 50 rows; then ``--limit 0`` (all 10,000 rows) and ``%init`` of all 10,000.
   Reference: numpy computing mean, std, min and max of the 10,000 values, which is what an
   unpaginated table must at least do.
2. ``%load_ext tfteach`` in a fresh process that has imported numpy and IPython (as a
   kernel has), ``import tfteach`` included (and shown apart from the notebook layer's share).
   Reference: ``import numpy`` in a fresh process.

Run: .venv/bin/python benchmarks/bench_magics.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
from traitlets.config import Config

import tfteach as tf

N, SCOPES, SHAPE = 10_000, 20, (4, 4)
REPEATS = 5


def best(fn, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def build_graph() -> list:
    variables = []
    for s in range(SCOPES):
        with tf.variable_scope(f"layer{s}"):
            for i in range(N // SCOPES):
                variables.append(tf.get_variable(f"w{i}", SHAPE))
    return variables


def magic_timer(shell, line: str):
    name, _, args = line.partition(" ")

    def run():
        with capture_output():  # display formats text/plain and text/html
            shell.run_line_magic(name, args)

    return run


LOAD_EXT = """
import time, sys
import numpy, IPython
from IPython.core.interactiveshell import InteractiveShell
from traitlets.config import Config
c = Config(); c.HistoryManager.hist_file = ':memory:'
shell = InteractiveShell.instance(config=c)
start = time.perf_counter()
import tfteach
middle = time.perf_counter()
shell.run_line_magic('load_ext', 'tfteach')
print(middle - start, time.perf_counter() - middle)
"""
IMPORT_NUMPY = """
import time
start = time.perf_counter()
import numpy
print(time.perf_counter() - start)
"""


def in_fresh_process(code: str) -> tuple[float, ...]:
    """The figures (seconds) that ``code`` prints on its last line, run in a new process."""
    env = dict(os.environ, PYTHONPATH=os.path.join(os.path.dirname(__file__), ".."))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    out.check_returncode()
    return tuple(float(x) for x in out.stdout.strip().splitlines()[-1].split())


def main() -> None:
    config = Config()
    config.HistoryManager.hist_file = ":memory:"
    shell = InteractiveShell.instance(config=config)
    shell.run_line_magic("load_ext", "tfteach")
    variables = build_graph()
    fresh = best(magic_timer(shell, "vars"))  # before any session
    print(f"{N:,} variables of shape {list(SHAPE)}, best of {REPEATS}")
    print(f"  %vars, no session yet {fresh * 1000:.1f} ms")
    tf.InteractiveSession().run(tf.global_variables_initializer())
    session = tf.get_default_session()
    values = [session.variable_value(v) for v in variables]

    def numpy_stats():
        return [(a.mean(), a.std(), a.min(), a.max()) for a in values]

    ref = best(numpy_stats)
    print("  initialized:")
    for line in ("vars", "vars --limit 0", "init"):
        t = best(magic_timer(shell, line), repeats=REPEATS if line == "vars" else 3)
        reference = f"numpy stats of all {N:,} values: {ref * 1000:.1f} ms"
        print(f"  %{line:<16} {t * 1000:8.1f} ms   ({reference})")

    runs = [in_fresh_process(LOAD_EXT) for _ in range(REPEATS)]
    load = min(sum(r) for r in runs)
    package, extension = min(r[0] for r in runs), min(r[1] for r in runs)
    numpy_import = min(in_fresh_process(IMPORT_NUMPY)[0] for _ in range(REPEATS))
    print(
        f"  %load_ext tfteach {load * 1000:8.1f} ms   (import numpy: {numpy_import * 1000:.1f} ms)"
        f"\n    of which import tfteach {package * 1000:.1f} ms, "
        f"the notebook layer and its hooks {extension * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
