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
    shutil.copy(os.path.join(ROOT, "notebooks", "01-seed-gradients.ipynb"), root)
    port = free_port()
    jupyter = os.path.join(os.path.dirname(sys.executable), "jupyter")
    proc = subprocess.Popen(
        [jupyter, "lab", "--no-browser", "--allow-root", "--ServerApp.token=", "--IdentityProvider.token=",
         "--ServerApp.password=", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
         f"--ServerApp.root_dir={root}", "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
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


def test_lab_runs_seed_notebook(lab):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    os.makedirs(ARTIFACTS, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.goto(lab + "/lab/tree/01-seed-gradients.ipynb")
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60000)
        # The notebook's metadata names the mlxgo kernel; JupyterLab may still ask.
        try:
            page.wait_for_selector(".jp-Dialog >> text=Select Kernel", timeout=5000)
            assert "Go (MLX)" in page.locator(".jp-Dialog").inner_text()
            page.click(".jp-Dialog button:has-text('Select')")
        except PlaywrightTimeout:
            pass
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60000)
        # Clear the stored outputs so what we read below comes from this run.
        page.click("div.lm-MenuBar-itemLabel:text-is('Edit')", timeout=10000)
        page.click(".lm-Menu-itemLabel:text-is('Clear Outputs of All Cells')", timeout=10000)
        assert page.locator(".jp-OutputArea-output").count() == 0
        page.click("div.lm-MenuBar-itemLabel:text-is('Run')", timeout=10000)
        page.click(".lm-Menu-itemLabel:text-is('Run All Cells')", timeout=10000)
        try:
            # The seed cell's output, then the kernel going idle after the last cell.
            page.wait_for_selector(".jp-CodeCell .jp-OutputArea-output:has-text('-34.5')", timeout=90000)
            page.wait_for_selector(".jp-OutputArea-output:has-text('must stay inside MLX ops')", timeout=90000)
            page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60000)
        except Exception:
            page.screenshot(path=os.path.join(ARTIFACTS, "lab-failure.png"))
            raise
        seed = page.locator(".jp-CodeCell").nth(0).locator(".jp-OutputArea-output")
        seed.wait_for(timeout=30000)
        text = seed.inner_text()
        assert "mlx array [2 x 1]" in text
        assert "dtype: float32" in text
        assert "device: cpu" in text
        cells = seed.locator("table td").all_inner_texts()
        assert [c.strip() for c in cells] == ["-14.5", "-34.5"], cells
        news = page.locator(".jp-toast-button:text-is('No'):visible, button:text-is('No'):visible")
        if news.count() > 0:
            news.first.click()
        page.locator(".jp-Cell").nth(0).scroll_into_view_if_needed()
        page.evaluate("document.querySelector('.jp-WindowedPanel-outer').scrollTop = 0")
        page.wait_for_timeout(300)
        page.screenshot(path=os.path.join(ARTIFACTS, "lab-01-seed-gradients.png"))
        browser.close()
