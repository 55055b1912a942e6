"""The extension through a real Jupyter kernel (nbclient), as a learner's notebook runs it."""

from __future__ import annotations

import json
import pathlib

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

pytestmark = pytest.mark.slow

REPO = pathlib.Path(__file__).resolve().parents[2]
KERNEL_JSON = REPO / "share" / "jupyter" / "kernels" / "tfteach" / "kernel.json"

LOAD = "%load_ext tfteach\nimport tfteach as tf\nimport numpy as np"
HOOKS = """from tfteach.core import events
from tfteach.notebook import extension
ip = get_ipython()
def ours(callbacks):
    return sum(isinstance(getattr(c, '__self__', None), extension.Extension) for c in callbacks)
print(ours(ip.events.callbacks['pre_run_cell']), ours(ip.events.callbacks['post_run_cell']),
      sum(ours(cbs) for cbs in events._observers.values()))"""


@pytest.fixture
def run_notebook(tmp_path, monkeypatch):
    """Executes cells in a fresh kernel; returns the executed cells."""
    # fresh profile and config folders: stale configuration cannot load the extension for us
    for var in ("IPYTHONDIR", "MPLCONFIGDIR", "JUPYTER_CONFIG_DIR"):
        monkeypatch.setenv(var, str(tmp_path / var.lower()))

    def run(cells: list[str], kernel: str = "python3", allow_errors: bool = True):
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(source) for source in cells]
        client = NotebookClient(
            nb,
            kernel_name=kernel,
            timeout=120,
            allow_errors=allow_errors,
            resources={"metadata": {"path": str(tmp_path)}},
        )
        client.execute()
        return nb.cells

    return run


def outputs(cell) -> list[tuple[str, str]]:
    """(kind, text) per output: "error" with "Name: message", else the text shown."""
    found = []
    for o in cell.outputs:
        if o.output_type == "error":
            found.append(("error", f"{o.ename}: {o.evalue}"))
        elif o.output_type == "stream":
            found.append((o.name, o.text))
        else:
            found.append((o.output_type, o.data.get("text/plain", "")))
    return found


def text(cell) -> str:
    return "\n".join(t for kind, t in outputs(cell) if kind != "error")


def errors(cell) -> list[str]:
    return [t for kind, t in outputs(cell) if kind == "error"]


GRAPH_CELL = """%%graph --seed 1
with tf.variable_scope('layer1'):
    w = tf.get_variable('w', [2, 3])
c = tf.Variable(1.0, name='c')"""


def test_a_lesson_runs_rerun_safe_with_init_and_vars(run_notebook):
    cells = run_notebook(
        [
            LOAD,
            GRAPH_CELL,
            GRAPH_CELL,  # the same cell run again
            "%vars",
            "%init",
            "%vars",
            "tf.get_default_session().run(c.assign(2.0))",
            "%init c",
            "%vars --scope layer1",
        ]
    )
    assert all(errors(cell) == [] for cell in cells)
    assert text(cells[2]).startswith("%%graph: a new default graph with")
    assert "Variables created (2):\n  - layer1: w\n  - (root): c" in text(cells[2])
    assert "no session" in text(cells[3]) and "initialized" not in text(cells[3])
    assert "uninitialized  initialized: 1" in text(cells[4])
    assert "Opened an InteractiveSession" in text(cells[4])
    assert text(cells[5]).count("initialized") == 2
    assert "assigned: 2  initialized: 1" in text(cells[7])
    assert text(cells[8]).splitlines()[0] == (
        "1 variable under scope 'layer1' in the default graph"
    )
    rich = [o for o in cells[5].outputs if o.output_type == "display_data"]
    assert {"text/plain", "text/html"} <= set(rich[0].data)


def test_a_rerun_without_graph_is_explained_after_the_traceback(run_notebook):
    cell = "v = tf.get_variable('v', [1])"
    cells = run_notebook([LOAD, cell, cell])
    kinds = [kind for kind, _ in outputs(cells[2])]
    assert kinds == ["error", "display_data"]
    assert errors(cells[2])[0].startswith("ValueError: Variable v already exists, disallowed.")
    note = text(cells[2])
    assert note.startswith("tfteach: `v` already exists")
    assert "This cell was run twice and creates the same variable: its first run (In [2])" in note


EXPLAINED = [
    (
        "with tf.variable_scope('t', reuse=True):\n    tf.get_variable('missing', [1])",
        "tfteach: `t/missing` does not exist",
    ),
    ("v = tf.Variable(1.0, name='v')\ntf.Session().run(v)", "tfteach: `v` is uninitialized"),
    (
        "x = tf.placeholder(tf.float32, [None, 8], name='x')\ntf.Session().run(x)",
        "tfteach: no value fed for placeholder `x`",
    ),
    (
        "tf.Session().run(x, feed_dict={x: np.zeros(3)})",
        "tfteach: wrong shape fed for `x:0`",
    ),
    ("%%graph\ny = tf.constant(1.0)\ntf.Session().run(x)", "tfteach: an element of another graph"),
    ("with tf.Session() as s:\n    pass\ns.run(y)", "tfteach: the session is closed"),
    ("y.eval()", "tfteach: no default session"),
]


def test_every_known_error_is_explained(run_notebook):
    cells = run_notebook([LOAD] + [source for source, _ in EXPLAINED])
    for cell, (source, title) in zip(cells[1:], EXPLAINED):
        kinds = [kind for kind, _ in outputs(cell)]
        assert kinds[:2] == ["error", "display_data"], source
        assert text(cell).startswith(title), source
        assert sum(t.startswith("tfteach:") for _, t in outputs(cell)) == 1, source


def test_a_failing_graph_cell_fails_the_notebook(run_notebook):
    with pytest.raises(CellExecutionError, match="ZeroDivisionError"):
        run_notebook(
            [LOAD, "%%graph\nv = tf.Variable(1.0)\n1 / 0", "print('not reached')"],
            allow_errors=False,
        )


def usage_error(cell) -> str:
    """The UsageError message a cell printed (IPython shows it on stderr, not as a traceback)."""
    printed = [t for kind, t in outputs(cell) if kind == "stderr" and t.startswith("UsageError")]
    assert printed, f"no UsageError from {cell.source!r}: {outputs(cell)}"
    return printed[0]


def test_bad_arguments_are_usage_errors(run_notebook):
    cells = run_notebook(
        [LOAD, "%init nope", "%vars --limit -2", "%%graph --seed x\n1", "%vars a b"]
    )
    assert "no variable or scope named 'nope'" in usage_error(cells[1])
    assert "--limit must be 0 (all) or more, not -2" in usage_error(cells[2])
    assert "argument --seed: invalid int value: 'x'" in usage_error(cells[3])
    assert "unrecognized arguments: b" in usage_error(cells[4])


def test_a_usage_error_fails_the_notebook(run_notebook):
    with pytest.raises(CellExecutionError, match="UsageError"):
        run_notebook([LOAD, "%init nope"], allow_errors=False)


def test_switching_the_explainer_off(run_notebook):
    cells = run_notebook([LOAD, "%tfteach_explain off", "tf.Session().run(tf.Variable(1.0))"])
    assert text(cells[1]) == "The tfteach error explainer is off.\n"
    assert [kind for kind, _ in outputs(cells[2])] == ["error"]


def test_unload_and_reload_leave_no_duplicate_hooks(run_notebook):
    cells = run_notebook(
        [
            "%load_ext tfteach",
            "%load_ext tfteach\n%reload_ext tfteach\n%unload_ext tfteach\n%load_ext tfteach",
            HOOKS,
            "%unload_ext tfteach\n" + HOOKS,
            "%vars",
            "import tfteach as tf\ntf.Session().run(tf.Variable(1.0))",
        ]
    )
    assert text(cells[2]) == "1 1 3\n"  # runtime observers: variables, graphs, sessions
    assert text(cells[3]) == "0 0 0\n"
    assert usage_error(cells[4]) == "UsageError: Line magic function `%vars` not found.\n"
    assert [kind for kind, _ in outputs(cells[5])] == ["error"]  # no explainer any more


def test_the_kernelspec_is_installed_with_the_package():
    spec = KernelSpecManager().get_kernel_spec("tfteach")
    assert spec.display_name == "Python 3 (tfteach)"
    assert spec.argv == json.loads(KERNEL_JSON.read_text())["argv"]
    assert "--ext=tfteach" in spec.argv


def test_the_tfteach_kernel_loads_the_extension(run_notebook, monkeypatch):
    # the kernel.json this checkout ships, whatever is installed
    monkeypatch.setenv("JUPYTER_PATH", str(REPO / "share" / "jupyter"))
    cells = run_notebook(
        ["import tfteach as tf\nv = tf.Variable(1.0, name='v')", "%vars", HOOKS],
        kernel="tfteach",
    )
    assert all(errors(cell) == [] for cell in cells)
    assert text(cells[1]).startswith("1 variable in the default graph")
    assert text(cells[2]) == "1 1 3\n"  # runtime observers: variables, graphs, sessions
