"""Strict nbval over the lessons: a fresh run must reproduce every stored output.

nbval runs in its own pytest process rather than through ``testpaths`` and
``addopts``: `--nbval` in addopts would change how every ``pytest`` invocation
collects (and fail where nbval is missing), the unit tests' conftest and
environment (``MPLBACKEND=Agg`` from scripts/test) would leak into the kernels,
and here one place owns the options and can check that nbval really compared
every code cell of every lesson instead of collecting nothing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

from lesson_tools import LESSONS, ROOT, code_cells, read

SANITIZE = ROOT / "tests" / "notebooks" / "sanitize.cfg"


def nbval_command(paths) -> list[str]:
    return [
        sys.executable,
        "-m",
        "pytest",
        "--nbval",  # strict: every output is compared, not only the marked ones
        "--nbval-current-env",  # the kernel is this interpreter, whatever kernel specs exist
        "--nbval-sanitize-with",
        str(SANITIZE),
        "--nbval-cell-timeout",
        "120",
        "-p",
        "no:cacheprovider",
        "-q",
        *map(str, paths),
    ]


def test_every_lesson_passes_strict_nbval(tmp_path):
    if shutil.which("dot") is None:
        # lesson 05's `%%graph --draw` output was recorded with Graphviz's drawing
        message = "Graphviz's dot is missing (`apt-get install graphviz`; scripts/test does it as root)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    env.update(IPYTHONDIR=str(tmp_path / "ipython"), MPLCONFIGDIR=str(tmp_path / "mpl"))
    result = subprocess.run(
        nbval_command(LESSONS),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"nbval failed:\n{output[-20000:]}"
    cells = sum(len(code_cells(read(p))) for p in LESSONS)
    passed = re.search(r"(\d+) passed", output)
    assert passed and int(passed.group(1)) == cells, (
        f"nbval should have compared {cells} cells of {len(LESSONS)} lessons:\n{output[-3000:]}"
    )
