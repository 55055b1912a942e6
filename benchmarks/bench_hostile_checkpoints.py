"""Hostile checkpoints (issue 15): what restoring each one costs, in a child process.

Each hostile file of tests/core/test_saver_hostile.py (an inflation bomb, a header of 10**12
values, an archive entry claiming 4 GiB, /dev/zero and FIFOs in place of the data or state
file) is made from a fresh checkpoint and restored by `restore_in_child`: a child process
whose address space is limited to what it has mapped plus 256 MiB, with a 20 s timeout.
Printed per file: its size, what restore raised, the time restore and load_variable took
together, and how much the child's peak resident memory grew meanwhile.

Run: .venv/bin/python benchmarks/bench_hostile_checkpoints.py
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "core"))
import test_saver_hostile as hostile  # the files are made as the tests make them


def main() -> None:
    print(f"{platform.machine()} · numpy {np.__version__} · Python {platform.python_version()}")
    print("| file | data file bytes | restore raised | seconds | peak RSS growth |")
    print("|---|---|---|---|---|")
    for name, (make_hostile, _) in hostile.HOSTILE.items():
        with tempfile.TemporaryDirectory() as directory:
            prefix = hostile.save_model(directory)
            make_hostile(prefix)
            path = hostile.data_path(prefix)
            size = os.path.getsize(path) if os.path.isfile(path) else "(not a file)"
            outcome = hostile.restore_in_child(prefix)
        raised = outcome["restore"].split(":")[0]
        print(
            f"| {name} | {size} | {raised} | {outcome['seconds']:.3f} | "
            f"{outcome['peak_growth_kb'] / 1024:.1f} MiB |"
        )


if __name__ == "__main__":
    main()
