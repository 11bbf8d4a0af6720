"""The pages a geneticist reads: entity pages with evidence, search, networks, vocabulary, bound examples."""

from __future__ import annotations

import json
import re
import warnings

import pytest

from eimfs_kg.graph.build import BuildResult
from eimfs_kg.query.oxigraph import Engine
from eimfs_kg.web.app import make_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient


@pytest.fixture(scope="module")
def client(built: BuildResult) -> TestClient:
    return TestClient(make_app(Engine(built.path)))


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_gene_page_groups_facts_with_names_evidence_and_papers(client: TestClient) -> None:
    page = client.get("/entity/NCBIGene:57582").text
    for group in ("Identity", "Protein and function", "Mechanism", "Inheritance", "Disease links"):
        assert f"<h2>{group}</h2>" in page
    words = text_of(page)
    assert (
        "Potassium channel subfamily T member 1 UniProtKB:Q5JUK3" in words
    )  # a value by its name, with its CURIE
    assert "KCNT1 gain of function" in words
    causes = page[page.index("<h2>Disease links</h2>") :]
    causes = causes[: causes.index("</table>")]
    assert "epilepsy of infancy with migrating focal seizures" in causes
    assert "ECO:0000304" in causes and "PMID:23086397" in causes  # evidence and papers in place
    assert "https://pubmed.ncbi.nlm.nih.gov/23086397/" in causes
    assert "ekgid:statement." not in page  # never a statement node


def test_incoming_facts_are_facts_with_evidence(client: TestClient) -> None:
    page = client.get("/entity/MONDO:0017385").text
    incoming = text_of(page[page.index('id="group-incoming"') :])
    assert "SCN2A NCBIGene:6326" in incoming and "— causes — this" in incoming
    assert "statement." not in incoming
    assert "MMPSI" in text_of(page)  # the condition's other names


def test_links_out_are_marked_external(client: TestClient) -> None:
    page = client.get("/entity/NCBIGene:57582").text
    externals = re.findall(r'<a class="external" href="([^"]+)" rel="external noopener noreferrer"', page)
    assert "https://www.ncbi.nlm.nih.gov/gene/57582" in externals
    assert "https://www.uniprot.org/uniprotkb/Q5JUK3/entry" in externals
    assert any(u.startswith("https://omim.org/entry/608167") for u in externals)
    assert any("genenames.org" in u and "HGNC:18865" in u for u in externals)


def test_entity_as_turtle_and_jsonld(client: TestClient) -> None:
    turtle = client.get("/entity/KCNT1", headers={"Accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle") and 'ekg:symbol "KCNT1"' in turtle.text
    jsonld = client.get("/entity/NCBIGene:57582", headers={"Accept": "application/ld+json"})
    assert "KCNT1" in json.dumps(jsonld.json())
    linked = client.get("/entity/NCBIGene:57582?format=turtle")  # the page's own links
    assert linked.headers["content-type"].startswith("text/turtle") and 'ekg:symbol "KCNT1"' in linked.text


@pytest.mark.parametrize(
    ("term", "target"),
    [
        ("KCNT1", "/entity/NCBIGene:57582"),
        ("kcnt1", "/entity/NCBIGene:57582"),
        ("MMPSI", "/entity/MONDO:0017385"),
        ("Malignant migrating partial seizures of infancy", "/entity/MONDO:0017385"),
        ("OMIM:614959", "/entity/MONDO:0013989"),
        ("Q5JUK3", "/entity/UniProtKB:Q5JUK3"),
        ("HGNC:18865", "/entity/NCBIGene:57582"),
    ],
)
def test_search_lands_on_the_entity(client: TestClient, term: str, target: str) -> None:
    response = client.get("/search", params={"q": term}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == target


def test_entity_by_name_and_ambiguous_terms(client: TestClient) -> None:
    response = client.get("/entity/KCNT1", follow_redirects=False)
    assert response.headers["location"] == "/entity/NCBIGene:57582"
    choices = client.get("/search", params={"q": "KCN"})
    assert choices.status_code == 200 and 'id="choices"' in choices.text
    assert "KCNT1" in choices.text and "KCNQ2" in choices.text
    missing = client.get("/entity/nonsense")
    assert missing.status_code == 404 and "unknown entity" in missing.text


def test_every_page_has_the_search_box(client: TestClient) -> None:
    for url in ("/", "/entity/NCBIGene:57582", "/network", "/vocab", "/search?q=KCN"):
        assert 'action="/search"' in client.get(url).text, url


def test_network_page_and_neighbourhood(client: TestClient) -> None:
    page = client.get("/network").text
    data = json.loads(re.search(r'id="network-data" type="application/json">(.*?)</script>', page).group(1))
    genes = [n for n in data["nodes"] if n["data"]["kind"] == "gene"]
    assert len(genes) == 25 and {n["data"]["label"] for n in genes if n["data"]["causal"]} >= {"KCNT1"}
    assert {n["data"]["kind"] for n in data["nodes"]} == {"gene", "class", "chain", "unknown"}
    chains = {n["data"]["label"] for n in data["nodes"] if n["data"]["kind"] == "chain"}
    assert chains == {
        "KCNT1 gain of function",
        "SCN2A sodium channel alteration",
        "defective glycosylation (CDG link)",
    }
    (unknown,) = (n for n in data["nodes"] if n["data"]["kind"] == "unknown")  # drawn with the classes
    assert unknown["data"]["label"] == "mechanism not established"
    assert (
        unknown["position"]["x"]
        == next(n for n in data["nodes"] if n["data"]["kind"] == "class")["position"]["x"]
    )
    assert all("position" in n for n in data["nodes"])  # a fixed layout
    assert client.get("/network").text == page  # deterministic
    entity = client.get("/entity/NCBIGene:57582").text
    near = json.loads(re.search(r'id="network-data" type="application/json">(.*?)</script>', entity).group(1))
    labels = {n["data"]["label"] for n in near["nodes"]}
    assert {
        "KCNT1",
        "Potassium channel subfamily T member 1",
        "epilepsy of infancy with migrating focal seizures",
    } <= labels


def test_vocabulary_page(client: TestClient) -> None:
    page = client.get("/vocab").text
    assert "ekg:causes" in page and "ekg:Gene" in page and "ekg:Disease" in text_of(page)


def test_bound_examples_and_checked_values(client: TestClient) -> None:
    bound = client.get("/api/bind", params={"query": "gene-profile", "gene": "kcnt1"}).json()
    assert bound["params"] == {"gene": "KCNT1"} and 'VALUES (?gene) { ("KCNT1") }' in bound["query"]
    wrong = client.get("/api/bind", params={"query": "genes-by-ion", "ion": "potassium"})
    assert wrong.status_code == 400
    assert wrong.json()["error"] == (
        "genes-by-ion: --param ion=potassium matches nothing in the graph; "
        "closest known: CHEBI:29103 (potassium(1+))"
    )


def test_labels_for_result_tables(client: TestClient) -> None:
    names = client.post("/api/labels", json=["http://identifiers.org/ncbigene/57582", "not an iri"]).json()
    assert names == {
        "http://identifiers.org/ncbigene/57582": {
            "name": "KCNT1",
            "curie": "NCBIGene:57582",
            "href": "/entity/NCBIGene:57582",
        }
    }


def test_paper_page_lists_its_authors_in_order(client: TestClient) -> None:
    words = text_of(client.get("/entity/PMID:23086397").text)
    assert "De novo gain-of-function KCNT1 channel mutations" in words
    assert words.index("Barcia G") < words.index("Fleming MR") < words.index("Deligniere A")
    assert "author.1" not in words


def test_disagreements_are_shown_next_to_the_entity(client: TestClient) -> None:
    """The condition's page lists where sources disagree, each claim with its source."""
    page = client.get("/entity/MONDO:0017385").text
    section = page.split('id="group-disagreements"', 1)[1].split("</section>", 1)[0]
    assert "Where the sources disagree" in page
    assert "genes" in section and "prevalence" in section
    assert "MedlinePlus Genetics EIMFS page" in section and "Orphanet" in section
