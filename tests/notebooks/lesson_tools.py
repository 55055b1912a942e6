"""Helpers for the lesson tests: the list of lessons, a notebook runner, cell checks.

`run_notebook` executes a notebook with nbclient in a fresh kernel of a given Python,
isolated from the user's IPython profile and kernel specs, and returns the executed
notebook and the seconds it took.
"""

from __future__ import annotations

import json
import pathlib
import sys
import time
from dataclasses import dataclass, field

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parents[2]
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
# a cell expected to raise carries this tag: nbval, nbclient and nbconvert all read it, and
# unlike a `# NBVAL_RAISES_EXCEPTION` comment a learner never sees it
RAISES_TAG = "raises-exception"
# nbval's comment markers: a learner would read them, so lessons use cell tags instead
NBVAL_COMMENT = "# NBVAL_"
CELL_TIMEOUT = 120  # seconds; a lesson cell that needs longer is a bug in the lesson

# "what ran where -> seconds", printed at the end of the pytest run
TIMINGS: dict[str, float] = {}


def read(path: pathlib.Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def code_cells(nb) -> list:
    return [c for c in nb.cells if c.cell_type == "code"]


def marked_raises(cell) -> bool:
    """The cell is expected to raise: it carries the ``raises-exception`` tag."""
    return RAISES_TAG in cell.metadata.get("tags", [])


def cell_label(nb, cell) -> str:
    index = nb.cells.index(cell)
    first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
    return f"cell {index} ({first[:60]!r})"


def errors_of(cell) -> list:
    return [o for o in cell.get("outputs", []) if o.output_type == "error"]


def stderr_of(cell) -> str:
    return "".join(
        o.text for o in cell.get("outputs", []) if o.output_type == "stream" and o.name == "stderr"
    )


def kernel_manager(python: str, name: str, workdir: pathlib.Path) -> KernelManager:
    """A manager for a kernel named ``name`` that runs ``python``, with a throwaway
    IPython profile (stale startup files or extensions in a personal profile would
    hide a missing ``%load_ext``) and matplotlib's inline backend (as a learner gets)."""
    spec_dir = workdir / "kernels" / name
    spec_dir.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [python, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": f"{name} (test)",
        "language": "python",
        "env": {
            "IPYTHONDIR": str(workdir / "ipython"),
            "MPLCONFIGDIR": str(workdir / "mpl"),
            "MPLBACKEND": "module://matplotlib_inline.backend_inline",
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        },
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec))
    specs = KernelSpecManager(kernel_dirs=[str(workdir / "kernels")], ensure_native_kernel=False)
    return KernelManager(kernel_name=name, kernel_spec_manager=specs)


@dataclass
class Run:
    """An executed copy of a notebook, the seconds it took, and the error each failing
    cell's execute reply named (a magic's UsageError only reaches stderr, yet its reply
    says "error")."""

    nb: nbformat.NotebookNode
    seconds: float
    errors: dict[int, str] = field(default_factory=dict)


def run_notebook(nb, cwd: pathlib.Path, workdir: pathlib.Path, python: str = sys.executable) -> Run:
    """Executes ``nb`` (a copy is made) top to bottom in a fresh kernel of ``python``.

    Errors do not stop the run: the caller checks which cells raised.
    """
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    name = nb.metadata.get("kernelspec", {}).get("name", "python3")
    errors: dict[int, str] = {}

    def executed(cell, cell_index, execute_reply):
        content = execute_reply.get("content", {})
        if content.get("status") == "error":
            errors[cell_index] = f"{content.get('ename')}: {content.get('evalue')}"

    km = kernel_manager(python, name, workdir)
    client = NotebookClient(
        nb,
        km=km,
        timeout=CELL_TIMEOUT,
        startup_timeout=120,
        allow_errors=True,
        on_cell_executed=executed,
        resources={"metadata": {"path": str(cwd)}},
    )
    start = time.perf_counter()
    try:
        client.execute()
        seconds = time.perf_counter() - start
    finally:
        if km.has_kernel:  # nbclient leaves a kernel it was handed running
            km.shutdown_kernel(now=True)
    return Run(nb, seconds, errors)


def unexpected_outcomes(nb, errors: dict[int, str] | None = None) -> list[str]:
    """Cells that raised without the marker, or carry the marker and did not raise.

    ``errors`` (cell index -> error) comes from a run; without it the stored outputs
    tell which cells raised.
    """
    if errors is None:
        errors = {
            i: f"{e[0].ename}: {e[0].evalue}"
            for i, c in enumerate(nb.cells)
            if c.cell_type == "code" and (e := errors_of(c))
        }
    problems = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if i in errors and not marked_raises(cell):
            problems.append(f"{cell_label(nb, cell)} raised {errors[i]}")
        elif marked_raises(cell) and i not in errors:
            problems.append(f"{cell_label(nb, cell)} is tagged {RAISES_TAG!r} but did not raise")
    return problems
