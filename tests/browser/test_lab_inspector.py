"""The widgets and the drawing in a real browser: JupyterLab on a free localhost port,
`inspector.ipynb` opened in Debian's Chromium through Playwright, all cells run. The
inspector's rows seen, "initialize all" clicked, the state column seen to change; the
explorer's histogram sharp and redrawn for another initializer, a bad shape refused; the
drawing inside the cell's width, initializers collapsed, a node's tooltip under the
pointer; no console errors. Screenshots of the three are kept in tests/artifacts/.

Outside CI the test skips, naming what is missing (chromium, playwright, jupyterlab); in CI
(``CI=true``) a missing tool fails it.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import pathlib
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

pytestmark = pytest.mark.browser

HERE = pathlib.Path(__file__).resolve().parent
ARTIFACTS = HERE.parent / "artifacts"
NOTEBOOK = HERE / "inspector.ipynb"
CHROMIUM = "/usr/bin/chromium"
TOKEN = "tfteach-browser-test"
# Chromium's own flags that keep it quiet on a closed network (no updates, sync, QUIC)
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# console errors that say nothing about tfteach, as (regex, why it is benign). Empty: with
# news and update checks off and a read-only extension manager, JupyterLab 4.6 logged none.
BENIGN_CONSOLE_ERRORS: list[tuple[str, str]] = []
STARTUP_TIMEOUT = 60  # seconds for the server to answer
STEP_TIMEOUT = 60_000  # milliseconds for any one thing to appear in the page


def missing_tools() -> list[str]:
    missing = []
    if not os.access(CHROMIUM, os.X_OK):
        missing.append(f"chromium ({CHROMIUM}; `apt-get install chromium`)")
    if importlib.util.find_spec("playwright") is None:
        missing.append("playwright (`pip install playwright`, never `playwright install`)")
    if importlib.util.find_spec("jupyterlab") is None:
        missing.append("jupyterlab (`pip install jupyterlab`)")
    return missing


@pytest.fixture(scope="module")
def tools():
    missing = missing_tools()
    if missing:
        message = "the browser test needs " + ", ".join(missing)
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI installs them: see scripts/test)")
        pytest.skip(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_settings(settings: pathlib.Path) -> None:
    """Start the notebook's kernel without asking, and no news or update checks."""
    files = {
        "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {
            "autoStartDefaultKernel": True
        },
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
            "fetchNews": "false",
            "checkForUpdates": False,
            "doNotDisturbMode": True,
        },
    }
    for name, values in files.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


@pytest.fixture(scope="module")
def lab(tools, tmp_path_factory):
    """A JupyterLab server on a free port, its Jupyter folders all temporary, serving a
    folder that holds a copy of inspector.ipynb; stopped after the tests."""
    home = tmp_path_factory.mktemp("lab")
    root = home / "root"
    root.mkdir()
    shutil.copy(NOTEBOOK, root / NOTEBOOK.name)
    dirs = {
        "JUPYTER_CONFIG_DIR": home / "config",
        "JUPYTER_DATA_DIR": home / "data",
        "JUPYTER_RUNTIME_DIR": home / "runtime",
        "JUPYTERLAB_WORKSPACES_DIR": home / "workspaces",
        "JUPYTERLAB_SETTINGS_DIR": home / "settings",
        "IPYTHONDIR": home / "ipython",
        "MPLCONFIGDIR": home / "mpl",
    }
    for path in dirs.values():
        path.mkdir()
    write_settings(dirs["JUPYTERLAB_SETTINGS_DIR"])
    env = {**os.environ, **{k: str(v) for k, v in dirs.items()}, "MPLBACKEND": "Agg"}
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        f"--port={port}",
        "--ServerApp.ip=127.0.0.1",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={TOKEN}",
        f"--ServerApp.root_dir={root}",
        "--LabApp.news_url=",
        "--LabApp.extension_manager=readonly",
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")
    log = (home / "server.log").open("w")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for_server(url, server, home / "server.log")
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=15)
        log.close()


def wait_for_server(url: str, server: subprocess.Popen, log: pathlib.Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"JupyterLab exited with {server.returncode}:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2) as reply:
                if reply.status == 200:
                    return
        time.sleep(0.3)
    pytest.fail(f"JupyterLab did not answer in {STARTUP_TIMEOUT} s:\n{log.read_text()[-3000:]}")


def benign(text: str) -> bool:
    return any(re.search(pattern, text) for pattern, _ in BENIGN_CONSOLE_ERRORS)


def state_column(inspector) -> list[str]:
    """The state cell of each row of the inspector's table, as the browser shows it."""
    rows = inspector.locator("table").last.locator("tbody tr")
    return [row.locator("td").nth(4).inner_text().strip() for row in rows.all()]


def run_all_until_first_prompt(page) -> None:
    """Run All Cells, again until the first code cell shows [1] (a Run All sent before the
    kernel is really there runs nothing)."""
    first_prompt = page.locator(".jp-CodeCell .jp-InputPrompt").first
    deadline = time.monotonic() + STEP_TIMEOUT / 1000
    while time.monotonic() < deadline:
        page.locator(".lm-MenuBar-item", has_text=re.compile(r"^Run$")).click()
        page.locator(".lm-Menu-item", has_text="Run All Cells").first.click()
        try:
            page.wait_for_function(
                "el => /\\[[1-9]/.test(el.textContent)",
                arg=first_prompt.element_handle(),
                timeout=10_000,
            )
            return
        except Exception:  # playwright's TimeoutError: try Run All again
            continue
    pytest.fail("Run All Cells never ran the first cell (its prompt never showed [1]).")


def test_the_inspector_in_jupyterlab_shows_rows_and_follows_initialize_all(lab):
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    errors: list[str] = []
    # expect() has its own default timeout (5 s), which a cold kernel start can exceed
    expect.set_options(timeout=STEP_TIMEOUT)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1100})
            page.set_default_timeout(STEP_TIMEOUT)
            page.on("console", lambda m: m.type == "error" and errors.append(m.text))
            page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
            page.goto(f"{lab}/lab/tree/{NOTEBOOK.name}?token={TOKEN}")

            # the kernel is there (the status bar says Idle, not "No Kernel")
            status = page.locator(".jp-StatusBar-Item", has_text=re.compile(r"\|\s*Idle"))
            expect(status.first).to_be_visible()
            run_all_until_first_prompt(page)

            inspector = page.locator(".jp-OutputArea-output", has_text="initialize all").first
            expect(inspector.locator("td", has_text="layer2/w")).to_be_visible()
            assert state_column(inspector) == ["uninitialized"] * 3
            expect(inspector).to_contain_text("3 uninitialized")

            inspector.get_by_role("button", name="initialize all").click()
            expect(inspector).to_contain_text("Ran the initializers of 3 variables")
            expect(inspector).to_contain_text("3 initialized")
            assert state_column(inspector) == ["initialized"] * 3

            inspector.scroll_into_view_if_needed()
            inspector.screenshot(path=str(ARTIFACTS / "lab_inspector.png"))

            check_the_explorer(page)
            check_the_drawing(page)
        finally:
            browser.close()
    unexpected = [e for e in errors if not benign(e)]
    assert unexpected == [], "console errors:\n" + "\n".join(unexpected)


def check_the_explorer(page) -> None:
    """The histogram is drawn with 2 image pixels per CSS pixel; choosing another
    initializer redraws it; a shape with a letter is refused in the widget."""
    from playwright.sync_api import expect

    # found by its distribution menu, which stays whatever the explorer shows
    explorer = page.locator(".jp-OutputArea-output", has_text="untruncated_normal")
    image = explorer.locator("img")
    expect(image).to_be_visible()
    expect(explorer).to_contain_text("What he_normal draws")
    expect(explorer).to_contain_text("25 · 32 = 800")
    natural, shown = image.evaluate("i => [i.naturalWidth, i.getBoundingClientRect().width]")
    assert natural >= 2 * shown - 2, (natural, shown)
    before = image.get_attribute("src")
    explorer.locator("select").first.select_option("glorot_uniform")
    expect(explorer).to_contain_text("What glorot_uniform draws")
    expect(image).not_to_have_attribute("src", before)
    explorer.scroll_into_view_if_needed()
    explorer.screenshot(path=str(ARTIFACTS / "lab_explorer.png"))
    explorer.get_by_role("button", name="custom").click()
    dims = explorer.locator("input[type=text]").first
    dims.fill("3, x")
    dims.press("Enter")
    expect(explorer).to_contain_text("is not a list of positive integers")
    expect(image).to_be_hidden()  # no broken-image icon where no histogram is drawn


def check_the_drawing(page) -> None:
    """The SVG is inline (not an <img>), no wider than its cell, shows the collapsed
    initializer box, and the element under the pointer on a node has that node's tooltip."""
    from playwright.sync_api import expect

    drawing = page.locator(".jp-OutputArea-output", has=page.locator("div.tfteach-graph"))
    svg = drawing.locator("div.tfteach-graph > svg")
    expect(svg).to_be_visible()
    expect(svg).to_contain_text("glorot_uniform [784, 200]")
    svg_width, cell_width = svg.evaluate(
        "s => [s.getBoundingClientRect().width,"
        " s.closest('.jp-OutputArea-output').getBoundingClientRect().width]"
    )
    assert svg_width <= cell_width + 1, (svg_width, cell_width)
    node = svg.locator("g.node.variable", has_text="w").first
    node.scroll_into_view_if_needed()
    node.hover()
    box = node.bounding_box()
    tooltip = page.evaluate(
        """([x, y]) => {
            const el = document.elementFromPoint(x, y);
            const g = el && el.closest('g.node');
            const t = g && g.querySelector(':scope > title');
            return t ? t.textContent : null;
        }""",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )
    assert tooltip is not None and tooltip.startswith("layer"), tooltip
    assert "(VariableV2)" in tooltip
    drawing.screenshot(path=str(ARTIFACTS / "lab_drawing.png"))
