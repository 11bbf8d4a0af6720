"""A real browser (Debian's headless Chromium, driven by Selenium) uses the query page."""

from __future__ import annotations

import shutil
import tempfile
import threading
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import Select, WebDriverWait

from eimfs_kg.graph.build import BuildResult
from eimfs_kg.publish.server import make_server
from eimfs_kg.query.oxigraph import Engine

#: Needs Debian's Chromium and ChromeDriver.
pytestmark = pytest.mark.slow

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")


@pytest.fixture(scope="module")
def browser():
    assert CHROMIUM.is_file() and CHROMEDRIVER.is_file(), (
        "install Debian's chromium and chromium-driver (make browser)"
    )
    profile = tempfile.mkdtemp(prefix="eimfs-kg-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def base(built: BuildResult):
    server = make_server(Engine(built.path), "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}"
    server.shutdown()
    server.server_close()


def test_run_an_example_query_and_follow_a_gene_link(browser, base: str, tmp_path: Path) -> None:
    browser.get(f"{base}/")
    Select(browser.find_element(By.ID, "examples")).select_by_value("most-common-causes")
    browser.find_element(By.ID, "run").click()
    WebDriverWait(browser, 20).until(ready.text_to_be_present_in_element((By.ID, "status"), "rows"))
    assert browser.find_element(By.ID, "status").text == "2 rows"
    cells = [td.text for td in browser.find_elements(By.CSS_SELECTOR, "#results td")]
    assert "KCNT1" in cells and "SCN2A" in cells
    browser.save_screenshot(str(tmp_path / "query-page.png"))  # kept by pytest for a look
    Select(browser.find_element(By.ID, "examples")).select_by_value("genes")
    browser.find_element(By.ID, "run").click()
    WebDriverWait(browser, 20).until(ready.text_to_be_present_in_element((By.ID, "status"), "25 rows"))
    gene_link = next(
        a for a in browser.find_elements(By.CSS_SELECTOR, "#results a") if a.text.endswith("/ncbigene/57582")
    )
    gene_link.click()
    WebDriverWait(browser, 20).until(ready.title_contains("KCNT1"))
    assert browser.title == "KCNT1 (http://identifiers.org/ncbigene/57582)"
    assert "UniProtKB:Q5JUK3" in browser.find_element(By.TAG_NAME, "body").text
