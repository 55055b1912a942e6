"""How long each lesson takes to execute, top to bottom, in a fresh kernel (nbclient).

The reference, measured in the same run, is the fixed cost every lesson pays: a fresh
kernel executing a notebook whose only cell is the lessons' first cell (``%load_ext
tfteach`` and the imports). Each figure is the best of ``REPEATS`` runs.

    .venv/bin/python benchmarks/bench_lessons.py
"""

from __future__ import annotations

import pathlib
import sys
import tempfile

import nbformat

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "notebooks"))
from lesson_tools import LESSONS, code_cells, read, run_notebook  # the tests' own runner

REPEATS = 3


def best_seconds(nb, cwd: pathlib.Path) -> float:
    times = []
    for _ in range(REPEATS):
        with tempfile.TemporaryDirectory() as scratch:
            times.append(run_notebook(nb, cwd, pathlib.Path(scratch)).seconds)
    return min(times)


def setup_only(nb) -> nbformat.NotebookNode:
    """The lesson reduced to its first code cell (the fixed cost of any lesson)."""
    trimmed = nbformat.from_dict(dict(nb))
    trimmed.cells = [nbformat.from_dict(dict(code_cells(nb)[0]))]
    return trimmed


def main() -> None:
    cwd = ROOT / "notebooks"
    reference = best_seconds(setup_only(read(LESSONS[0])), cwd)
    print(f"reference: fresh kernel + first cell only      {reference:6.2f} s")
    total = 0.0
    for path in LESSONS:
        seconds = best_seconds(read(path), cwd)
        total += seconds
        cells = len(code_cells(read(path)))
        print(f"{path.name:42} {seconds:6.2f} s  ({cells} code cells)")
    print(f"{'all lessons, one after another':42} {total:6.2f} s")


if __name__ == "__main__":
    main()
