"""JupyterLab 4 in headless Chromium (Debian's /usr/bin/chromium driven by
Playwright): open notebook 01, run all cells with the Go (MLX) kernel, read the
rendered seed output (text and HTML table) and save a screenshot."""
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = os.path.join(ROOT, "tests", "artifacts")
CHROME_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: make setup installs Debian's chromium")
    root = tmp_path_factory.mktemp("lab")
    for name in ("01-seed-gradients.ipynb", "04-display.ipynb"):
        shutil.copy(os.path.join(ROOT, "notebooks", name), root)
    port = free_port()
    jupyter = os.path.join(os.path.dirname(sys.executable), "jupyter")
    proc = subprocess.Popen(
        [jupyter, "lab", "--no-browser", "--allow-root", "--ServerApp.token=", "--IdentityProvider.token=",
         "--ServerApp.password=", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
         f"--ServerApp.root_dir={root}", f"--LabApp.workspaces_dir={root / '.workspaces'}", "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, cwd=root)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url + "/api/status", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("JupyterLab did not start")
    yield url
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def open_and_run(page, lab, name, done_text):
    """Opens a notebook, clears its stored outputs, runs all cells and waits
    until the cell showing done_text has run and the kernel is idle."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.goto(f"{lab}/lab/tree/{name}?reset")
    page.wait_for_selector(".jp-Notebook .jp-Cell", state="attached", timeout=60000)
    # The notebook's metadata names the mlxgo kernel; JupyterLab may still ask.
    try:
        page.wait_for_selector(".jp-Dialog >> text=Select Kernel", timeout=5000)
        assert "Go (MLX)" in page.locator(".jp-Dialog").inner_text()
        page.click(".jp-Dialog button:has-text('Select')")
    except PlaywrightTimeout:
        pass
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60000)
    # Clear the stored outputs so what is read afterwards comes from this run.
    page.click("div.lm-MenuBar-itemLabel:text-is('Edit')", timeout=10000)
    page.click(".lm-Menu-itemLabel:text-is('Clear Outputs of All Cells')", timeout=10000)
    page.wait_for_function("document.querySelectorAll('.jp-OutputArea-output').length === 0", timeout=10000)
    page.click("div.lm-MenuBar-itemLabel:text-is('Run')", timeout=10000)
    page.click(".lm-Menu-itemLabel:text-is('Run All Cells')", timeout=10000)
    try:
        page.wait_for_selector(f".jp-OutputArea-output:has-text({done_text!r})", timeout=120000)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60000)
    except Exception:
        page.screenshot(path=os.path.join(ARTIFACTS, f"lab-failure-{name}.png"))
        raise
    news = page.locator(".jp-toast-button:text-is('No'):visible, button:text-is('No'):visible")
    if news.count() > 0:
        news.first.click()


def browser(p):
    return p.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)


def test_lab_runs_seed_notebook(lab):
    from playwright.sync_api import sync_playwright

    os.makedirs(ARTIFACTS, exist_ok=True)
    with sync_playwright() as p:
        b = browser(p)
        page = b.new_page(viewport={"width": 1280, "height": 1000})
        open_and_run(page, lab, "01-seed-gradients.ipynb", "must stay inside MLX ops")
        seed = page.locator(".jp-CodeCell").nth(0).locator(".jp-OutputArea-output")
        text = seed.inner_text()
        assert "mlx array [2 x 1]" in text
        assert "dtype: float32" in text
        assert "device: cpu" in text
        cells = seed.locator("table td").all_inner_texts()
        assert [c.strip() for c in cells] == ["-14.5", "-34.5"], cells
        page.evaluate("document.querySelector('.jp-WindowedPanel-outer').scrollTop = 0")
        page.wait_for_timeout(300)
        page.screenshot(path=os.path.join(ARTIFACTS, "lab-01-seed-gradients.png"))
        b.close()


def test_lab_renders_display_notebook(lab):
    from playwright.sync_api import sync_playwright

    os.makedirs(ARTIFACTS, exist_ok=True)
    with sync_playwright() as p:
        b = browser(p)
        page = b.new_page(viewport={"width": 1280, "height": 1400})
        open_and_run(page, lab, "04-display.ipynb", "20/20")
        # The first cell's HTML table, with R's labels and values.
        first = page.locator(".jp-CodeCell").nth(0).locator(".jp-OutputArea-output")
        assert [c.strip() for c in first.locator("table td").all_text_contents()] == \
            ["1", "2.5e+00", "-3.000", "4", "1.0e+06", "0.001"]
        # The 1000 x 1000 array shows its corners with ellipses.
        big = page.locator(".jp-CodeCell").nth(1).locator(".jp-OutputArea-output")
        big_text = big.text_content()
        assert "1000 x 1000" in big_text and "999999" in big_text, big_text
        # The sin(x) plot renders as an image of real size.
        plot = page.locator(".jp-CodeCell").nth(9).locator(".jp-OutputArea-output img")
        plot.first.scroll_into_view_if_needed()
        box = plot.first.bounding_box()
        assert box and box["width"] > 300 and box["height"] > 200, box
        # One screenshot with the 1000 x 1000 table's corners and the sin(x) plot.
        page.set_viewport_size({"width": 1280, "height": 2700})
        page.evaluate("""() => {
            const outer = document.querySelector('.jp-WindowedPanel-outer');
            const cell = document.querySelectorAll('.jp-CodeCell')[1];
            outer.scrollTop += cell.getBoundingClientRect().top - outer.getBoundingClientRect().top - 10;
        }""")
        page.wait_for_timeout(800)
        page.screenshot(path=os.path.join(ARTIFACTS, "lab-04-display.png"))
        b.close()
