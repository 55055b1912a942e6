"""Loading and unloading the extension: load installs once, unload removes everything."""

import logging
import subprocess
import sys

from IPython.core.magic import Magics, line_magic, magics_class

import tfteach
from tfteach.core import events
from tfteach.notebook import extension, shell_input

MAGICS = {"line": {"init", "vars", "tfteach_explain"}, "cell": {"graph"}}


def ours(callbacks) -> list:
    return [
        cb for cb in callbacks if isinstance(getattr(cb, "__self__", None), extension.Extension)
    ]


def installed(shell) -> dict:
    """How many of each thing the extension installs are in place now."""
    tables = shell.magics_manager.magics
    return {
        "magics": sorted(n for kind, names in MAGICS.items() for n in names if n in tables[kind]),
        "registry": "TfteachMagics" in dict.keys(shell.magics_manager.registry),
        "pre_run_cell": len(ours(shell.events.callbacks["pre_run_cell"])),
        "post_run_cell": len(ours(shell.events.callbacks["post_run_cell"])),
        "observers": sum(len(ours(events._observers[e])) for e in events.EVENTS),
        "checkers": sum(
            isinstance(c, shell_input.PercentOnly) for c in shell.prefilter_manager.checkers
        ),
        "completers": shell.Completer.custom_matchers.count(shell_input.complete_magic_arguments),
    }


LOADED = {
    "magics": ["graph", "init", "tfteach_explain", "vars"],
    "registry": True,
    "pre_run_cell": 1,
    "post_run_cell": 1,
    "observers": 3,
    "checkers": 1,
    "completers": 1,
}
UNLOADED = {
    "magics": [],
    "registry": False,
    "pre_run_cell": 0,
    "post_run_cell": 0,
    "observers": 0,
    "checkers": 0,
    "completers": 0,
}


def test_load_ext_installs_the_magics_and_hooks_once(bare):
    assert installed(bare.shell) == UNLOADED
    bare.ok("%load_ext tfteach")
    assert installed(bare.shell) == LOADED
    bare.ok("%load_ext tfteach")
    tfteach.load_ipython_extension(bare.shell)  # called directly as well
    assert installed(bare.shell) == LOADED


def test_unload_ext_removes_every_magic_and_hook(bare):
    bare.ok("%load_ext tfteach")
    bare.ok("%unload_ext tfteach")
    assert installed(bare.shell) == UNLOADED
    ran = bare.run("%vars")
    assert "Line magic function `%vars` not found" in str(ran.error)


def test_unloaded_extension_explains_nothing(bare):
    bare.ok("%load_ext tfteach\n%unload_ext tfteach\nimport tfteach as tf")
    ran = bare.run("with tf.Session() as s:\n    s.run(tf.Variable(1.0))")
    assert isinstance(ran.error, tfteach.errors.FailedPreconditionError)
    assert ran.outputs == []


def test_reload_leaves_no_duplicates(bare):
    bare.ok("%load_ext tfteach")
    bare.ok("%reload_ext tfteach")
    bare.ok("%unload_ext tfteach\n%load_ext tfteach")
    assert installed(bare.shell) == LOADED


def test_unload_restores_a_magic_the_extension_shadowed(bare):
    @magics_class
    class Mine(Magics):
        @line_magic("vars")
        def my_vars(self, line):
            return "my own %vars"

    bare.shell.register_magics(Mine)
    try:
        bare.ok("%load_ext tfteach")
        assert "0 variables" in bare.ok("%vars").text
        bare.ok("%unload_ext tfteach")
        assert bare.shell.run_line_magic("vars", "") == "my own %vars"
    finally:
        del bare.shell.magics_manager.magics["line"]["vars"]
        del bare.shell.magics_manager.registry["Mine"]


def test_a_failing_explainer_never_breaks_the_cell(nb, monkeypatch, caplog):
    def broken(error, history):
        raise RuntimeError("explainer bug")

    monkeypatch.setattr(extension, "explain", broken)
    with caplog.at_level(logging.WARNING):
        ran = nb.run("tf.Session().run(tf.Variable(1.0, name='v'))")
    assert "Attempting to use uninitialized value v" in str(ran.error)
    assert ran.outputs == []
    assert "explainer bug" in caplog.text
    assert nb.ok("1 + 1").result.result == 2


def test_import_tfteach_loads_no_notebook_libraries():
    code = (
        "import sys, tfteach\n"
        "print(sorted(m for m in ('IPython', 'ipywidgets', 'matplotlib', 'tfteach.notebook') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
