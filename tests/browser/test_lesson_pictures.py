"""Lessons 2, 6 and 8 as a reader of the stored notebooks sees them (nbviewer, GitHub, a
course page): exported to HTML with their stored outputs, opened in Debian's Chromium, and
a screenshot of each kept in tests/artifacts/ (``lesson_02.png``, ...), beside the
JupyterLab screenshots of the inspector, the explorer and a drawing.

Outside CI the test skips without Chromium; in CI (``CI=true``) a missing Chromium fails it.
"""

from __future__ import annotations

import os
import pathlib
import subprocess

import matplotlib.image
import numpy as np
import pytest
from test_lab_inspector import CHROMIUM, CHROMIUM_FLAGS

pytestmark = pytest.mark.browser

HERE = pathlib.Path(__file__).resolve().parent
ARTIFACTS = HERE.parent / "artifacts"
LESSONS = HERE.parent.parent / "notebooks"
# the same Chromium, with the flags that keep it quiet on a closed network
FLAGS = ["--headless", *CHROMIUM_FLAGS, "--hide-scrollbars"]
WIDTH, HEIGHT = 1200, 5000


@pytest.fixture(scope="module")
def chromium():
    if not os.access(CHROMIUM, os.X_OK):
        message = f"the lesson pictures need chromium ({CHROMIUM}; `apt-get install chromium`)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI installs it: see scripts/test)")
        pytest.skip(message)
    return CHROMIUM


@pytest.mark.parametrize("number", ["02", "06", "08"])
def test_a_lesson_renders_in_a_real_browser_with_its_pictures(chromium, number, tmp_path):
    from nbconvert import HTMLExporter

    (lesson,) = LESSONS.glob(f"{number}_*.ipynb")
    html, _ = HTMLExporter(template_name="lab").from_filename(str(lesson))
    assert "<svg" in html or "<img" in html  # the lesson shows at least one picture
    page = tmp_path / "lesson.html"
    page.write_text(html, encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"lesson_{number}.png"
    shot.unlink(missing_ok=True)
    subprocess.run(
        [
            chromium,
            *FLAGS,
            f"--window-size={WIDTH},{HEIGHT}",
            f"--screenshot={shot}",
            page.as_uri(),
        ],
        check=True,
        timeout=120,
        capture_output=True,
    )
    pixels = matplotlib.image.imread(shot)
    assert pixels.shape[:2] == (HEIGHT, WIDTH)
    # not a blank page: a real share of the page is text, tables and plots
    ink = np.mean(pixels[..., :3].mean(axis=-1) < 0.9)
    assert ink > 0.02, ink
