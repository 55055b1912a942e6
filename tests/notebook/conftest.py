"""An in-process IPython shell that runs cells as a notebook would, and reports what they show."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import pytest
from IPython.core.interactiveshell import ExecutionResult, InteractiveShell
from IPython.utils.capture import capture_output
from traitlets.config import Config

import tfteach as tf


@dataclass
class Ran:
    """One cell run: its result, the rich outputs it displayed, and its printed text."""

    result: ExecutionResult
    outputs: list[dict] = field(default_factory=list)
    stdout: str = ""

    @property
    def error(self) -> BaseException | None:
        return self.result.error_before_exec or self.result.error_in_exec

    @property
    def text(self) -> str:
        """Every displayed text/plain, one after another."""
        return "\n".join(o["text/plain"] for o in self.outputs if "text/plain" in o)

    @property
    def html(self) -> str:
        return "\n".join(o["text/html"] for o in self.outputs if "text/html" in o)

    def panels(self) -> list[str]:
        """The text of each explainer note the cell showed."""
        return [o["text/plain"] for o in self.outputs if o["text/plain"].startswith("tfteach:")]


class Notebook:
    """Runs cells in a shell like a kernel does (numbered, stored in history)."""

    def __init__(self, shell: InteractiveShell):
        self.shell = shell

    def run(self, source: str) -> Ran:
        with capture_output() as captured:
            result = self.shell.run_cell(source, store_history=True)
        outputs = [dict(o.data) for o in captured.outputs]
        return Ran(result, outputs, captured.stdout)

    def ok(self, source: str) -> Ran:
        """Runs a cell that must succeed."""
        ran = self.run(source)
        assert ran.error is None, f"cell failed: {ran.error!r}\n{ran.stdout}"
        return ran


@pytest.fixture(scope="session")
def ipython(tmp_path_factory) -> InteractiveShell:
    # a fresh profile: no stale configuration can load the extension behind the tests' back
    os.environ["IPYTHONDIR"] = str(tmp_path_factory.mktemp("ipython"))
    config = Config()
    config.HistoryManager.hist_file = ":memory:"
    shell = InteractiveShell.instance(config=config)
    shell.colors = "nocolor"
    return shell


def _close_default_sessions() -> None:
    session = tf.get_default_session()
    while session is not None:
        session.close()
        following = tf.get_default_session()
        if following is session:
            break
        session = following


@pytest.fixture
def bare(ipython):
    """A notebook with a fresh namespace, without the extension."""
    ipython.reset(new_session=True)
    yield Notebook(ipython)
    if "tfteach" in ipython.extension_manager.loaded:
        ipython.run_line_magic("unload_ext", "tfteach")
    _close_default_sessions()


@pytest.fixture
def nb(bare):
    """A notebook that has run `%load_ext tfteach` and `import tfteach as tf`."""
    bare.ok("%load_ext tfteach\nimport tfteach as tf\nimport numpy as np")
    return bare
