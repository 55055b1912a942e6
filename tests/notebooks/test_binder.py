"""Replays what Binder (repo2docker) does with binder/, without Docker.

repo2docker reads binder/ when it exists: it installs ``binder/requirements.txt``
with pip from the repository root (so the line ``.`` installs this package, not in
editable mode), then runs ``binder/postBuild`` if present, and the lessons run in
that environment's kernel. Here: a copy of the working tree, a fresh virtual
environment, the same two steps with a throwaway HOME, then every lesson executed
with that environment's Python as the kernel. Skipped, with the reason, when the
package index cannot be reached.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import venv

import pytest
from lesson_tools import ROOT, TIMINGS, read, run_notebook, unexpected_outcomes

pytestmark = pytest.mark.slow

BINDER = ROOT / "binder"
# what a copy of the repository for Binder leaves out: local state, never committed
NOT_COPIED = shutil.ignore_patterns(
    ".git",
    ".venv",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    ".ipynb_checkpoints",
    "*.egg-info",
    "build",
    "dist",
)
PIP_TIMEOUT = 240


def test_binder_config_is_what_repo2docker_reads():
    assert (BINDER / "requirements.txt").is_file()
    requirements = (BINDER / "requirements.txt").read_text().split()
    assert "." in requirements, "with binder/ present, requirements.txt must install the repo: '.'"
    runtime = (BINDER / "runtime.txt").read_text().strip()
    assert re.fullmatch(r"python-3\.\d+", runtime), (
        f"runtime.txt must read python-3.X, not {runtime!r}"
    )
    if (BINDER / "apt.txt").exists():
        for line in (BINDER / "apt.txt").read_text().splitlines():
            line = line.strip()
            assert not line or line.startswith("#") or re.fullmatch(r"[a-z0-9][a-z0-9+.-]+", line)


def run(cmd, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


@pytest.fixture(scope="module")
def binder_env(tmp_path_factory):
    """(repository copy, python of the built environment), built once for the module."""
    base = tmp_path_factory.mktemp("binder")
    repo = base / "repo"
    shutil.copytree(ROOT, repo, ignore=NOT_COPIED)
    env_dir = base / "env"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = str(env_dir / "bin" / "python")

    environ = dict(os.environ, HOME=str(base / "home"), PIP_NO_INPUT="1")
    environ["PATH"] = f"{env_dir / 'bin'}{os.pathsep}{environ.get('PATH', '')}"
    environ.pop("PYTHONPATH", None)
    environ.pop("MPLBACKEND", None)
    (base / "home").mkdir()
    try:
        pip = run(
            [python, "-m", "pip", "install", "-r", "binder/requirements.txt"],
            cwd=repo,
            env=environ,
            timeout=PIP_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        pytest.skip(
            f"pip install -r binder/requirements.txt took over {PIP_TIMEOUT} s (slow index?)"
        )
    if pip.returncode != 0:
        # pip reports an unreachable index as "no matching distribution": ask it for a
        # package that surely exists to tell a network problem from a broken requirement
        probe = run(
            [python, "-m", "pip", "download", "--no-deps", "-d", str(base / "probe"), "hatchling"],
            env=environ,
            timeout=PIP_TIMEOUT,
        )
        if probe.returncode != 0:
            pytest.skip("the package index is unreachable (pip cannot download hatchling)")
        output = pip.stdout + pip.stderr
        pytest.fail(f"pip install -r binder/requirements.txt failed:\n{output[-5000:]}")

    post_build = repo / "binder" / "postBuild"
    if post_build.exists():
        done = run(["bash", str(post_build)], cwd=repo, env=environ, timeout=300)
        assert done.returncode == 0, f"postBuild failed:\n{done.stdout}\n{done.stderr}"
    return repo, python


def test_binder_environment_installs_the_package_itself(binder_env):
    repo, python = binder_env
    where = run([python, "-c", "import tfteach; print(tfteach.__file__)"], cwd=repo / "notebooks")
    assert where.returncode == 0, where.stderr
    assert "site-packages" in where.stdout, f"tfteach should come from the install: {where.stdout}"
    runtime = (BINDER / "runtime.txt").read_text().strip()
    print(f"Binder asks for {runtime}; replayed with Python {sys.version.split()[0]}")


def test_lesson_runs_in_the_binder_environment(binder_env, lesson, tmp_path):
    repo, python = binder_env
    copy = repo / "notebooks" / lesson.name
    run_ = run_notebook(read(copy), copy.parent, tmp_path, python=python)
    TIMINGS[f"{lesson.name} (Binder replay)"] = run_.seconds
    problems = unexpected_outcomes(run_.nb, run_.errors)
    assert not problems, problems
