"""A real browser (Debian's headless Chromium, driven by Selenium) uses the web application.

It runs a library query and a parameterised one in the query editor, sees named results and
downloads them as CSV, runs a CONSTRUCT, searches MMPSI and lands on the condition, opens KCNT1's
page (name, protein, mechanism, papers with evidence, its network drawn) and clicks through to
SCN2A. It writes screenshots of the main pages to ``build/screenshots/`` (untracked; copied to
``docs/screenshots/`` by ``scripts/refresh_screenshots.sh``).
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import Select, WebDriverWait

from eimfs_kg.graph.build import BuildResult
from eimfs_kg.query.oxigraph import Engine
from eimfs_kg.web.server import make_server

#: Needs Debian's Chromium and ChromeDriver.
pytestmark = pytest.mark.slow

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(downloads: Path):
    assert CHROMIUM.is_file() and CHROMEDRIVER.is_file(), (
        "install Debian's chromium and chromium-driver (make debian)"
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
        "--window-size=1400,1000",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads)})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
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


def shot(browser, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SCREENSHOTS / f"{name}.png"))


def wait(browser, seconds: float = 20) -> WebDriverWait:
    return WebDriverWait(browser, seconds)


def result_rows(browser) -> list[str]:
    return browser.execute_script(
        "return Array.from(document.querySelectorAll('#yasgui .yasr table tbody tr')).map(tr => tr.innerText)"
    )


def test_library_queries_in_the_editor(browser, base: str, downloads: Path) -> None:
    browser.get(f"{base}/")
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, "#yasgui .CodeMirror")))
    Select(browser.find_element(By.ID, "examples")).select_by_value("most-common-causes")
    wait(browser).until(lambda b: len(result_rows(b)) == 2)
    assert "KCNT1" in result_rows(browser)[0] and "SCN2A" in result_rows(browser)[1]
    Select(browser.find_element(By.ID, "examples")).select_by_value("genes")
    wait(browser).until(lambda b: len(result_rows(b)) == 25)
    wait(browser).until(lambda b: len(b.find_elements(By.CSS_SELECTOR, "#yasgui .result-name")) >= 25)
    names = browser.execute_script(
        "return Array.from(document.querySelectorAll('#yasgui .result-name')).map(e => e.innerText.trim())"
    )
    assert "KCNT1" in names and "SCN2A" in names  # names beside the CURIEs
    table = browser.find_element(By.CSS_SELECTOR, "#yasgui .yasr table").text
    assert "NCBIGene:57582" in table and "HGNC:18865" in table
    link = browser.find_element(By.XPATH, '//div[@id="yasgui"]//a[contains(text(), "NCBIGene:57582")]')
    assert link.get_attribute("href") == f"{base}/entity/NCBIGene:57582"  # to its page, not elsewhere
    shot(browser, "query-page")

    browser.find_element(By.CSS_SELECTOR, "#yasgui .yasr_downloadIcon").click()
    wait(browser).until(lambda b: list(downloads.glob("*.csv")))
    csv = next(downloads.glob("*.csv")).read_text(encoding="utf-8")
    assert "KCNT1" in csv and "SCN2A" in csv

    Select(browser.find_element(By.ID, "examples")).select_by_value("gene-profile")
    field = wait(browser).until(ready.element_to_be_clickable((By.ID, "param-gene")))
    field.send_keys("kcnt")
    browser.find_element(By.ID, "run-with-params").click()
    error = wait(browser).until(ready.visibility_of_element_located((By.ID, "param-error")))
    assert "closest known: KCNT1" in error.text
    field.send_keys("1")
    browser.find_element(By.ID, "run-with-params").click()
    wait(browser).until(lambda b: any("KCNT1 gain of function" in row for row in result_rows(b)))
    assert not browser.find_element(By.ID, "param-error").is_displayed()
    shot(browser, "query-parameterised")


def test_construct_with_ctrl_enter_shows_turtle(browser, base: str) -> None:
    browser.get(f"{base}/")
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, "#yasgui .CodeMirror")))
    construct = "CONSTRUCT { ?g ekg:symbol ?s } WHERE { ?g ekg:symbol ?s FILTER(?s = 'KCNT1') }"
    browser.execute_script("window.eimfsYasgui.getTab().setQuery(arguments[0])", construct)
    browser.find_element(By.CSS_SELECTOR, "#yasgui .CodeMirror").click()
    editor = browser.switch_to.active_element
    editor.send_keys(Keys.CONTROL, Keys.ENTER)
    wait(browser).until(
        lambda b: 'NCBIGene:57582 ekg:symbol "KCNT1"' in b.find_element(By.CSS_SELECTOR, "#yasgui .yasr").text
    )
    # ekg: is declared by the server: the editor's syntax check knows it too
    assert not browser.find_elements(By.CSS_SELECTOR, "#yasgui .parseErrorIcon")


def test_a_shared_link_opens_the_query(browser, base: str) -> None:
    browser.get(f"{base}/")
    wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, "#yasgui .CodeMirror")))
    query = "SELECT ?s WHERE { ?s ekg:symbol 'SCN2A' }"
    browser.execute_script("window.eimfsYasgui.getTab().setQuery(arguments[0])", query)
    link = browser.execute_script(
        "const y = window.eimfsYasgui.getTab().getYasqe(); return y.config.createShareableLink(y)"
    )
    assert link.startswith(f"{base}/#query=")
    browser.execute_script("window.localStorage.clear()")
    browser.get(link)
    wait(browser).until(lambda b: b.execute_script("return window.eimfsYasgui.getTab().getQuery()") == query)


def test_search_a_name_lands_on_the_condition(browser, base: str) -> None:
    browser.get(f"{base}/network")
    box = browser.find_element(By.ID, "search")
    box.send_keys("MMPSI", Keys.ENTER)
    wait(browser).until(ready.url_contains("/entity/MONDO:0017385"))
    assert (
        browser.find_element(By.ID, "entity-name").text == "epilepsy of infancy with migrating focal seizures"
    )
    shot(browser, "condition-page")
    browser.get(f"{base}/search?q=KCN")
    shot(browser, "search-choices")


def test_gene_page_and_click_through(browser, base: str) -> None:
    browser.get(f"{base}/entity/KCNT1")
    wait(browser).until(ready.title_contains("KCNT1"))
    assert browser.find_element(By.ID, "entity-name").text == "KCNT1"
    text = browser.find_element(By.TAG_NAME, "main").text
    for expected in (
        "Potassium channel subfamily T member 1",
        "UniProtKB:Q5JUK3",
        "KCNT1 gain of function",
        "PMID:23086397",
        "ECO:0000304",
    ):
        assert expected in text, expected
    neighbours = browser.execute_script("return window.eimfsNetwork.nodes().length - 1")
    assert neighbours >= 5
    assert browser.find_elements(By.CSS_SELECTOR, "#network canvas")
    time.sleep(0.5)  # let the canvas paint before the picture
    shot(browser, "entity-page")
    condition = "http://purl.obolibrary.org/obo/MONDO_0017385"
    browser.execute_script("window.eimfsNetwork.getElementById(arguments[0]).emit('tap')", condition)
    wait(browser).until(ready.url_contains("/entity/MONDO:0017385"))
    scn2a = browser.find_element(By.CSS_SELECTOR, '#group-incoming a[href="/entity/NCBIGene:6326"]')
    scn2a.click()
    wait(browser).until(ready.title_contains("SCN2A"))
    assert browser.find_element(By.ID, "entity-name").text == "SCN2A"


def test_network_page_draws_every_gene(browser, base: str) -> None:
    browser.get(f"{base}/network")
    wait(browser).until(lambda b: b.execute_script("return !!window.eimfsNetwork"))
    genes = browser.execute_script("return window.eimfsNetwork.nodes('[kind = \"gene\"]').length")
    assert genes == 25
    browser.set_window_size(1400, 1450)  # the whole network in the picture
    browser.execute_script("window.eimfsNetwork.resize(); window.eimfsNetwork.fit(undefined, 30)")
    time.sleep(0.5)
    shot(browser, "network-page")
    browser.set_window_size(1400, 1000)
    browser.get(f"{base}/vocab")
    shot(browser, "vocab-page")
