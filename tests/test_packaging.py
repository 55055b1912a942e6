"""What gets published: the wheel and sdist that `python -m build` makes, PyPI's page built
from the README, the kernel spec's logos, and the Binder link pattern in the README.

The build runs with build isolation, as `python -m build` does for a maintainer, so it needs
the package index for hatchling and hatch-fancy-pypi-readme; without it those tests skip.
"""

from __future__ import annotations

import pathlib
import re
import struct
import subprocess
import sys
import tarfile
import zipfile

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
KERNEL_DIR = ROOT / "share" / "jupyter" / "kernels" / "tfteach"
tomllib = pytest.importorskip("tomllib")  # Python 3.11+; the checks below need no more
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
SOURCE_URL = PYPROJECT["project"]["urls"]["Source"]
LINK = re.compile(r"\]\(([^)\s]+)\)")


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    return struct.unpack(">II", data[16:24])  # the IHDR chunk: width, height


def test_kernel_logos_are_pngs_of_the_sizes_jupyter_looks_for():
    for pixels in (32, 64):
        logo = KERNEL_DIR / f"logo-{pixels}x{pixels}.png"
        assert png_size(logo.read_bytes()) == (pixels, pixels)


def test_readme_starts_with_the_two_commands_that_work_on_a_fresh_clone():
    lines = (ROOT / "README.md").read_text().splitlines()
    assert lines[:4] == ["# tfteach", "", "```bash", lines[3]]
    assert lines[3].startswith("./scripts/lab ")
    assert lines[4].startswith("./scripts/test ")


def test_readme_has_no_placeholder_outside_the_publishing_instructions():
    readme = (ROOT / "README.md").read_text()
    before, _, publishing = readme.partition("## Publishing")
    assert "OWNER" not in before and "REPO/" not in before
    # the instructions give the exact Binder pattern, opening lesson 1 in JupyterLab
    assert "https://mybinder.org/v2/gh/OWNER/REPO/HEAD?labpath=notebooks%2F01_" in publishing
    assert (ROOT / "notebooks" / "01_graphs_and_sessions.ipynb").is_file()


def test_pypi_links_point_into_the_repository_named_in_project_urls():
    hook = PYPROJECT["tool"]["hatch"]["metadata"]["hooks"]["fancy-pypi-readme"]
    (substitution,) = hook["substitutions"]
    assert substitution["replacement"].startswith(f"]({SOURCE_URL}/blob/")
    assert SOURCE_URL in hook["fragments"][0]["text"]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> pathlib.Path:
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        output = done.stdout + done.stderr
        if "No matching distribution" in output or "Could not find a version" in output:
            pytest.skip("the package index is unreachable: cannot install the build backend")
        pytest.fail(f"python -m build failed:\n{output[-5000:]}")
    return out


@pytest.mark.slow
def test_wheel_ships_the_license_and_the_kernel_with_its_logos(built):
    (wheel,) = built.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    for name in ("kernel.json", "logo-32x32.png", "logo-64x64.png"):
        assert any(n.endswith(f".data/data/share/jupyter/kernels/tfteach/{name}") for n in names)


@pytest.mark.slow
def test_pypi_page_puts_pip_first_and_links_absolutely(built):
    (wheel,) = built.glob("*.whl")
    with zipfile.ZipFile(wheel) as z:
        metadata = z.read(next(n for n in z.namelist() if n.endswith("METADATA"))).decode()
    description = metadata.partition("\n\n")[2]
    assert description.index("pip install tfteach") < description.index("./scripts/lab")
    assert "## Publishing" not in description and "github-only" not in description
    links = LINK.findall(description)
    assert links, "the lessons and docs should be linked"
    relative = [link for link in links if not link.startswith(("https://", "#"))]
    assert not relative, f"relative links do not work on PyPI: {relative}"


@pytest.mark.slow
def test_sdist_holds_everything_its_tests_read(built):
    (sdist,) = built.glob("*.tar.gz")
    with tarfile.open(sdist) as tar:
        names = {n.partition("/")[2] for n in tar.getnames()}
    assert "LICENSE" in names
    tracked = subprocess.run(
        ["git", "ls-files", "tfteach", "tests", "notebooks", "share", "docs"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if tracked.returncode != 0:
        pytest.skip("not a git checkout: cannot list the tracked files")
    missing = sorted(set(tracked.stdout.split()) - names)
    assert not missing, f"the sdist lacks files its tests or lessons need: {missing}"
