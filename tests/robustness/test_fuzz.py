"""Property-based tests (hypothesis) of three surfaces that take arbitrary text.

1. The curated-data loader: any value in any field of a curated YAML or TSV file gives
   either a graph that a strict parser reads back, or a :class:`CurationError` naming a
   curated file; never another exception.
2. Query parameters: any string given as a parameter leaves the graph unchanged and is
   bound in every row; for a remote store it cannot leave its ``VALUES`` block.
3. Exports: graphs of arbitrary IRIs and literals export (turtle, nt, jsonld) to files
   that a strict parser reads back as the same triples; an illegal IRI is refused clearly.

Examples are derandomized (the same inputs on every run) and no example database is kept.
The bugs this file found (B1-B9 below) are fixed; each keeps a reproducer at the end.
The terminal summary lists the examples run and their outcomes (``fuzzstats.py``, ``conftest.py``).
EIMFS_KG_FUZZ_SCALE=10 runs ten times as many examples; EIMFS_KG_FUZZ_SHRINK=0 skips shrinking.
"""

from __future__ import annotations

import os
import re
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef

from eimfs_kg.errors import CurationError, EimfsError, InputError
from eimfs_kg.graph.build import assemble_store
from eimfs_kg.identifiers import prefix_map
from eimfs_kg.publish.export import export
from eimfs_kg.query.library import NamedQuery, classify_value, get_query, list_queries, with_values
from eimfs_kg.query.oxigraph import Engine
from eimfs_kg.rdf.bridge import serialize, turtle
from eimfs_kg.rdf.strict import parse_strictly
from eimfs_kg.resources import data_dir
from eimfs_kg.stores.remote import Endpoint, RemoteEngine
from eimfs_kg.vocab import EKGID_IRI as EKGID
from fuzzstats import OUTCOMES, RUNS

SCALE = float(os.environ.get("EIMFS_KG_FUZZ_SCALE") or 1)
_SHRINK = os.environ.get("EIMFS_KG_FUZZ_SHRINK") != "0"
_FUZZ = settings(
    phases=[phase for phase in Phase if phase != Phase.shrink or _SHRINK],
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def fuzz(examples: int) -> settings:
    """The settings of every property here, with ``examples`` examples (times SCALE)."""
    return settings(_FUZZ, max_examples=max(1, round(examples * SCALE)))


# --- values ------------------------------------------------------------------------------

#: Text hypothesis may put anywhere: every code point but lone surrogates (not UTF-8).
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)
# fmt: off
YAML_SPECIALS = st.sampled_from([
    "yes", "no", "on", "off", "y", "~", "null", "NULL", "true", "&a", "*a", "&a x", "*a x",
    "!!python/object:os.system", "!!python/object/apply:os.system ['true']", "!!binary aGk=",
    "!!str", "!!int x", "!!float x", "!!bool x", "!!timestamp x", "!!map [1]", "!!set {a}",
    "!foo x", "- x", "-", "{", "}", "[", "]", "{a: 1", "[1, 2", "{[a]: b}", "{1: a, b: c}",
    "? x", ":", ": x", "a: b", "#", "# x", "|", "|-\n x", ">", "> x", "%YAML 1.1", "---", "...",
    "@x", "`x", "0x1F", "0o17", "017", "1_000", "1e3", "-.inf", ".inf", ".nan", "+1",
    "2001-01-01", "2001-02-30", "2001-12-14t21:59:43.10-05:00", "12:30:45", "<<", "<<: *a",
    "=", "'", '"', "\\", "''", '"a', "'a", "a'", "x\ty", "\t", "\n", "\r\n", "\x85", "\u2028",
    "\ufeff", "\x00", "\x7f", "\x1b[31m", "<<<<<<< HEAD", "=======", ">>>>>>> x", "é", "日本",
])
# fmt: on
CURIE_PREFIXES = ["HP", "GO", "HGNC", "NCBIGene", "UniProtKB", "PMID", "DOI", "MONDO", "OMIM", "ekgid", "X"]
CURIE_LIKE = st.builds("{}:{}".format, st.sampled_from(CURIE_PREFIXES), TEXT)
IRI_LIKE = st.builds("{}{}".format, st.sampled_from(["http://", "https://example.org/", "urn:"]), TEXT)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.dates(),
    TEXT,
    YAML_SPECIALS,
    CURIE_LIKE,
    IRI_LIKE,
)
KEYS = st.one_of(st.text(max_size=7), st.integers(0, 9), st.none(), st.booleans())
#: Any value YAML can hold: scalars, lists and mappings nested a little (mixed key types too).
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
    max_leaves=6,
)
#: Half strings (which pass the type checks of text fields, so graphs get built), half anything.
FIELD_VALUES = st.booleans().flatmap(lambda text: st.one_of(TEXT, CURIE_LIKE, IRI_LIKE) if text else VALUES)
#: Raw text pasted into a file where a value was: the syntax may break.
RAW_TEXT = st.one_of(TEXT, YAML_SPECIALS, st.builds("{}{}".format, YAML_SPECIALS, TEXT))


# --- 1. the curated-data loader --------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A value in a curated file: a block-YAML line or a TSV cell."""

    file: str
    where: str  # start of the YAML line or TSV row
    cell: int | None = None  # TSV column


def _block(file: str, *starts: str) -> list[Target]:
    return [Target(file, start) for start in starts]


YAML_TARGETS: list[Target] = [
    *_block(
        "genes.yaml",
        "- symbol: ATP1A3",
        "  hgnc: HGNC:801",
        "  ncbigene: NCBIGene:478",
        "  name: ATPase",
        "  location: 19q13.2",
        "  omim: OMIM:182350",
        "  lists:",
        "  - medlineplus-genes",
        "  protein:",
        "    id: UniProtKB:P13637",
        "    name: Sodium/potassium",
        "    kind: Na+/K+-ATPase",
        "    protein_class: IonPump",
        "    source: uniprot",
        "  mechanism_class:",
        "    mechanism_class: sodium-potassium-pumping",
        "  ions:",
        "    id: CHEBI:29101",
        "  links:",
        "    disease: eimfs",
        "    relation: associated",
        "  inheritance:",
        "    mode: HP:0000006",
    ),
    *_block(
        "publications.yaml",
        "- key: barcia2019",
        "  kind: journal-article",
        "  id: PMID:31872048",
        "  pmid: '31872048'",
        "  doi: 10.1212/NXG",
        "  title:",
        "  authors:",
        "  journal: Neurol Genet",
        "  year: 2019",
        "  volume: '5'",
        "  pages: e363",
        "  about:",
    ),
    *_block(
        "condition.yaml",
        "disease:",
        "other_names:",
        "  before: P6M",
        "  category: HP:0003593",
        "  numerator: 1",
        "  denominator: 900000",
        "  population: children",
        "  approximate: true",
        "  fraction: 0.7",
        "  order: 1",
        "  label: before seizures",
        "  timing: soon after onset",
        "  text: severe",
        "prognosis:",
        "links:",
        "inheritance:",
    ),
    *_block(
        "sources.yaml",
        "  key: medlineplus",
        "  url: https://medlineplus.gov/",
        "  checked: 2026-11-25",
        "  publisher:",
        "sections:",
        "- key: ncbi-gene",
        "  url: https://www.ncbi.nlm.nih.gov/gene/",
        "  version: Entrez",
        "gene_lists:",
    ),
    *_block(
        "diseases.yaml",
        "- key: eimfs",
        "  id: MONDO:0017385",
        "  kind: syndrome",
        "  label: epilepsy of infancy",
        "  abbreviation: EIMFS",
        "  description: A rare",
        "  synonyms:",
        "  xrefs:",
    ),
    *_block(
        "mechanisms.yaml",
        "- key: kcnt1-gain-of-function",
        "  label: KCNT1 gain of function",
        "  genes:",
        "  explains: eimfs",
        "  steps:",
    ),
    *_block("mechanisms.yaml", "- key: potassium-conduction", "  process: GO:0071805"),
    *_block("resources.yaml", "- key: pubmed", "  label: PubMed", "  url: https://omim.org/entry/614959"),
    *_block("resources.yaml", "  about: dee14"),
    *_block("sources.yaml", "- key: medlineplus-genes"),
]
TSV_TARGETS: list[Target] = [
    *(Target("phenotypes.tsv", "HP:0001249\t", cell) for cell in range(3)),
    *(Target("terms.tsv", "CHEBI:29101\t", cell) for cell in range(4)),
]
_KEY_LINE = re.compile(r"^(?P<lead>\s*(?:- )?)[\w-]+:(?P<old>.*)$")
_ITEM_LINE = re.compile(r"^(?P<lead>\s*- )(?P<old>.*)$")


CURATED_FILES = {path.name for path in data_dir().iterdir()}
#: Source keys graph.py names itself (B5).
HARD_CODED_SOURCES = {"ncbi-gene", "hgnc", "omim"}


def yaml_node(value: object) -> str:
    """``value`` as YAML text usable as one flow node, written by ``yaml.safe_dump``."""
    dumped = yaml.safe_dump([value], default_flow_style=True, allow_unicode=True, width=1 << 30)
    return dumped.strip("\n").removeprefix("[").removesuffix("]")


def replace_value(text: str, target: Target, new: str) -> str:
    """The text of a curated file with the value at ``target`` replaced by the text ``new``."""
    lines = text.split("\n")
    found = (i for i, line in enumerate(lines) if line.startswith(target.where))
    index = next(found, None)
    assert index is not None, f"test setup: {target} is not in the file"
    line = lines[index]
    if target.cell is not None:  # TSV: one cell of the row
        cells = line.split("\t")
        cells[target.cell] = new
        lines[index] = "\t".join(cells)
        return "\n".join(lines)
    match = _KEY_LINE.match(line) or _ITEM_LINE.match(line)
    assert match, f"test setup: cannot edit {line!r}"
    column, old = len(match["lead"]), match["old"].strip()
    end = index + 1  # drop the old value's block: deeper lines, or "- " items when the value was a block
    while end < len(lines):
        following = lines[end]
        indent = len(following) - len(following.lstrip(" "))
        item = not old and indent == column and following.lstrip().startswith("- ")
        if following.strip() and indent <= column and not item:
            break
        end += 1
    new = new.replace("\n", "\n" + " " * (column + 2))
    lines[index:end] = [f"{line[: match.start('old')].rstrip()} {new}"]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def curated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One private copy of the curated files; each example edits one file and puts it back."""
    folder = tmp_path_factory.mktemp("fuzz") / "data"
    shutil.copytree(data_dir(), folder)
    return folder


@pytest.fixture(scope="module")
def baseline() -> set:
    """The triples of the graph built from the unchanged curated data."""
    return set(assemble_store().store)


def load_and_serialize(folder: Path, baseline: set, edited: str) -> str:
    """Load ``folder``, build its graph and read back strictly what the build's serializer writes.

    Returns an outcome label. Only the triples that differ from the baseline graph are
    serialized: the same code path as for the whole graph, many times faster.
    """
    try:
        assembled = assemble_store(folder)
    except CurationError as exc:
        named = Path(exc.file).name
        assert named in CURATED_FILES, f"the error names no curated file: {exc}"
        assert str(exc).startswith(named), str(exc)
        return f"CurationError naming {'the edited' if named == edited else 'another'} file" + (
            ", with line" if exc.line else ""
        )
    changed = ox.Store()
    changed.extend(quad for quad in assembled.store if quad not in baseline)
    read_back = ox.parse(turtle(changed, assembled.prefixes), format=ox.RdfFormat.TURTLE)
    assert len(set(read_back)) == len(changed)
    return "valid graph"


def edit_and_load(folder: Path, baseline: set, target: Target, new: str) -> str:
    """Put the text ``new`` at ``target``, load and check, restore the file; the outcome."""
    path = folder / target.file
    original = path.read_text(encoding="utf-8")
    try:
        path.write_text(replace_value(original, target, new), encoding="utf-8")
        return load_and_serialize(folder, baseline, target.file)
    finally:
        path.write_text(original, encoding="utf-8")


def _plain(value: object) -> object:
    """``value`` comparable by ``==``: NaN replaced by a marker, mappings as sorted item lists."""
    if isinstance(value, float) and value != value:
        return "<nan>"
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return sorted(((repr(k), _plain(v)) for k, v in value.items()), key=repr)
    return value


def _holds(document: object, value: object) -> bool:
    """Whether ``value`` is ``document`` or one of its nested values."""
    if _plain(document) == _plain(value):
        return True
    if isinstance(document, dict):
        return any(_holds(child, value) for child in document.values())
    return isinstance(document, list) and any(_holds(child, value) for child in document)


def test_every_target_is_in_the_curated_files() -> None:
    """Self-check: every place the fuzz edits exists (the curated files may change)."""
    for target in [*YAML_TARGETS, *TSV_TARGETS]:
        replace_value((data_dir() / target.file).read_text(encoding="utf-8"), target, "x")


@pytest.mark.slow  # hypothesis: hundreds of examples
def test_the_editing_harness_writes_the_values_it_means(curated: Path) -> None:
    """Self-check: the edited file holds the value, so the fuzz reaches the loader's checks."""

    @fuzz(60)
    @given(target=st.sampled_from(YAML_TARGETS), value=VALUES)
    def check(target: Target, value: object) -> None:
        test = "1. harness self-check"
        RUNS[test] += 1
        node = yaml_node(value)
        original = (curated / target.file).read_text(encoding="utf-8")
        try:
            # what PyYAML reads back from its own text (it changes a raw \x85 into a line break)
            (expected,) = yaml.safe_load(f"[{node}]")
            document = yaml.safe_load(replace_value(original, target, node))
        except yaml.YAMLError:
            # PyYAML writes a few code points raw that its reader then refuses (\ufeff ...)
            OUTCOMES[test, "PyYAML cannot read its own text"] += 1
            return
        assert _holds(document, expected), node
        OUTCOMES[test, "the edited file holds the value"] += 1

    check()


@pytest.mark.slow  # hypothesis: hundreds of examples
def test_any_yaml_value_gives_a_graph_or_a_clear_error(curated: Path, baseline: set) -> None:
    """Any value (any type, written as valid YAML) in any field: a valid graph or a CurationError."""

    @fuzz(150)
    @given(target=st.sampled_from(YAML_TARGETS), value=FIELD_VALUES)
    def check(target: Target, value: object) -> None:
        RUNS["1. loader: any YAML value"] += 1
        OUTCOMES["1. loader: any YAML value", edit_and_load(curated, baseline, target, yaml_node(value))] += 1

    check()


@pytest.mark.slow  # hypothesis: hundreds of examples
def test_any_raw_text_in_yaml_gives_a_graph_or_a_clear_error(curated: Path, baseline: set) -> None:
    """Raw text pasted where a value was (YAML syntax may break): a valid graph or a CurationError."""

    @fuzz(80)
    @given(target=st.sampled_from(YAML_TARGETS), raw=RAW_TEXT)
    def check(target: Target, raw: str) -> None:
        RUNS["1. loader: raw text in YAML"] += 1
        OUTCOMES["1. loader: raw text in YAML", edit_and_load(curated, baseline, target, raw)] += 1

    check()


@pytest.mark.slow  # hypothesis: hundreds of examples
def test_any_tsv_cell_gives_a_graph_or_a_clear_error(curated: Path, baseline: set) -> None:
    """Any text in a TSV cell (tabs and line breaks included): a valid graph or a CurationError."""

    @fuzz(50)
    @given(target=st.sampled_from(TSV_TARGETS), raw=RAW_TEXT)
    def check(target: Target, raw: str) -> None:
        RUNS["1. loader: TSV cell"] += 1
        OUTCOMES["1. loader: TSV cell", edit_and_load(curated, baseline, target, raw)] += 1

    check()


# --- 2. query parameters ---------------------------------------------------------------------

PARAM_QUERIES: list[NamedQuery] = [query for query in list_queries() if query.params]
# fmt: off
INJECTIONS = st.sampled_from([
    '"', "'", '"""', "'''", "\\", "\\u0022", ">", "<", "{", "}", "\n", "#", "?gene", "$gene",
    "} ; DROP ALL ; INSERT DATA { <a:s> <a:p> <a:o> }",
    '" } ; DROP ALL ; INSERT DATA { <a:s> <a:p> <a:o> } #',
    "' } } UNION { ?s ?p ?o } #", '") } ?s ?p ?o . FILTER("1',
    '"x"@en', '"1"^^<http://www.w3.org/2001/XMLSchema#integer>', "_:b0", "[]", "()",
    "KCNT1", "kcnt1", "SCN2A", "MMPSI", "EIEE14", "eimfs", "HP:0001250", "HP:0000007",
    "CHEBI:29103", "ekg:symbol", "rdf:type", "rdfs:label", "HP:", "HP://evil", "HP:a b",
    "HP:a<b", 'HP:a"b', "HP:a{b}", "http://example.org/x", "http://example.org/<x>",
    'http://example.org/"x"', "http://example.org/x>} ; DROP ALL ; #",
    "https://w3id.org/eimfs-kg/vocab/Gene", "urn:x", "file:///etc/passwd", "javascript:alert(1)",
])
# fmt: on
PARAM_VALUES = st.one_of(
    INJECTIONS,
    TEXT,
    CURIE_LIKE,
    IRI_LIKE,
    st.builds("{}{}".format, INJECTIONS, TEXT),
    st.builds("{}{}{}".format, TEXT, INJECTIONS, TEXT),
)
#: Values with answers, drawn half of the time so that rows are checked too.
REAL_VALUES = {
    "gene": ["KCNT1", "SCN2A", "kcnt1"],
    "phenotype": ["HP:0001250"],
    "name": ["MMPSI", "eiee14", "EIMFS"],
    "mode": ["HP:0000007", "HP:0001417", "HP:0000006"],
    "ion": ["CHEBI:29103", "CHEBI:29101"],
}


def draw_params(query: NamedQuery, data: st.DataObject) -> dict[str, str]:
    """A value for each parameter of ``query``: all real ones (half of the time), or anything."""
    real = data.draw(st.booleans(), label="real values")
    return {
        name: data.draw(st.sampled_from(REAL_VALUES[name]) if real else PARAM_VALUES, label=name)
        for name in query.params
    }


@pytest.mark.slow  # hypothesis: hundreds of examples
def test_query_parameters_never_change_the_graph_nor_unbind(engine: Engine) -> None:
    """Any parameter value: only InputError, the store unchanged, every row binds the value."""
    test = "2. query parameters: local engine"
    before = sorted(map(str, engine.store))

    def run(query: NamedQuery, params: dict[str, str]) -> str:
        try:
            answer = engine.answer(query, params, max_rows=10_000)
        except InputError:
            return "InputError"
        column = {name: answer.variables.index(name) for name in params}
        for row in answer.rows:
            for name, value in params.items():
                assert row[column[name]] == engine.bind(value), (name, value, row)
        return "rows, each binding the value" if answer.rows else "no rows"

    @fuzz(200)
    @given(query=st.sampled_from(PARAM_QUERIES), data=st.data())
    def check(query: NamedQuery, data: st.DataObject) -> None:
        RUNS[test] += 1
        params = draw_params(query, data)
        OUTCOMES[test, run(query, params)] += 1
        assert len(engine.store) == len(before)

    check()
    assert sorted(map(str, engine.store)) == before


@pytest.fixture(scope="module")
def remote() -> RemoteEngine:
    """A remote engine for an endpoint that is never contacted (``term`` needs no network)."""
    return RemoteEngine(Endpoint.from_url("http://127.0.0.1:9/query"))


def _solutions(result: ox.QuerySolutions) -> Counter:
    variables = [v.value for v in result.variables]
    return Counter(tuple(solution[v] for v in variables) for solution in result)


@pytest.mark.slow  # hypothesis: hundreds of examples
def test_remote_parameters_stay_inside_their_values_block(engine: Engine, remote: RemoteEngine) -> None:
    """Any value: one VALUES block whose term is exactly the value, and the local engine's rows."""
    test, empty = "2. query parameters: remote VALUES block", ox.Store()

    @fuzz(150)
    @given(query=st.sampled_from(PARAM_QUERIES), data=st.data())
    def check(query: NamedQuery, data: st.DataObject) -> None:
        RUNS[test] += 1
        params = draw_params(query, data)
        try:
            terms = {name: remote.term(value) for name, value in params.items()}
        except InputError:
            OUTCOMES[test, "InputError"] += 1
            return
        for name, value in params.items():  # the written term reads back as the value's term
            kind, text = classify_value(value, remote.prefixes)
            expected = ox.NamedNode(text) if kind == "iri" else ox.Literal(text)
            probe = f"SELECT ?x WHERE {{ VALUES (?x) {{ ({terms[name]}) }} }}"
            assert list(_solutions(empty.query(probe))) == [(expected,)], (value, terms[name])
        text = with_values(query.text, terms)
        block = f" VALUES ({' '.join('?' + n for n in terms)}) {{ ({' '.join(terms.values())}) }}"
        assert block in text and text.replace(block, "", 1) == query.text
        assert not list(empty.query(text))  # it parses, and finds nothing in an empty store
        if any(
            classify_value(v, remote.prefixes) != classify_value(v, engine.prefixes) for v in params.values()
        ):
            OUTCOMES[test, "valid VALUES block; a prefix only one engine knows"] += 1
            return
        local = engine.answer(query, params)
        assert _solutions(engine.store.query(text)) == Counter(local.rows)
        OUTCOMES[test, "valid VALUES block; the local engine's rows" + ("" if local.rows else " (none)")] += 1

    check()


# --- 3. exports ------------------------------------------------------------------------------

NAMESPACES = sorted({"http://example.org/", *prefix_map().values()})
# fmt: off
ANY_TAILS = st.one_of(
    TEXT,
    st.sampled_from([
        "", " ", "<", ">", '"', "{", "}", "|", "^", "`", "\\", "\n", "\x00", "%", "%zz", "%20",
        "#", "#frag", "?q=1&r", "//x", ":", "a:b", "@id", "@type", "é", "\u00a0", "\ufffe", "🧬",
    ]),
    st.builds("{}{}".format, TEXT, TEXT),
)
# fmt: on
#: Text without the characters an IRI can never hold (most of it is legal in an IRI).
SAFE_TAILS = st.text(
    st.characters(exclude_categories=["Cs", "Cc", "Zs", "Zl", "Zp"], exclude_characters='<>"{}|^`\\%'),
    max_size=20,
)
LANGS = st.from_regex(r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8}){0,2}", fullmatch=True)
XSD_TYPES = [XSD.string, XSD.integer, XSD.decimal, XSD.boolean, XSD.date, XSD.gYear, XSD.duration]


@st.composite
def triple_lists(draw: st.DrawFn) -> list[tuple[URIRef, URIRef, URIRef | Literal]]:
    """1-4 rdflib triples; half of the lists draw IRIs only from (mostly) legal text."""
    tails = SAFE_TAILS if draw(st.booleans()) else ANY_TAILS
    iris = st.builds("{}{}".format, st.sampled_from(NAMESPACES), tails).map(URIRef)
    literals = st.one_of(
        st.builds(Literal, TEXT),
        st.builds(lambda text, lang: Literal(text, lang=lang), TEXT, LANGS),
        st.builds(
            lambda text, datatype: Literal(text, datatype=datatype), TEXT, st.sampled_from(XSD_TYPES) | iris
        ),
    )
    triples = st.tuples(iris, st.sampled_from([RDFS.label, RDF.type]) | iris, iris | literals)
    return draw(st.lists(triples, min_size=1, max_size=4))


EXPORTS = {"turtle": "out.ttl", "nt": "out.nt", "jsonld": "out.jsonld"}


def ox_term(term: URIRef | Literal) -> ox.NamedNode | ox.Literal:
    """The Oxigraph term of an rdflib term; ValueError when it is not legal RDF."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


def nt_term(term: URIRef | Literal) -> str:
    """The term as N-Triples text, IRIs written as they are (legal or not)."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    text = str(ox.Literal(str(term)))
    if term.language:
        return f"{text}@{term.language}"
    return f"{text}^^<{term.datatype}>" if term.datatype else text


def read_export(path: Path) -> set:
    """The triples of an exported file, read by a strict parser (Oxigraph parses into quads)."""
    if path.suffix == ".jsonld":
        return {quad.triple for quad in ox.parse(path=str(path), format=ox.RdfFormat.JSON_LD)}
    return {quad.triple for quad in parse_strictly(path)}


@pytest.mark.slow  # hypothesis: hundreds of examples
@pytest.mark.filterwarnings("ignore::UserWarning")  # rdflib warns about ill-typed literals
def test_exports_of_any_iris_and_literals_parse_strictly(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Legal graphs export as turtle, nt and jsonld that parse strictly into the same triples;
    a file with an illegal IRI is refused with an InputError naming it."""
    test, folder = "3. exports", tmp_path_factory.mktemp("exports")
    source, bad = folder / "in.ttl", folder / "bad.nt"

    def illegal(graph: Graph) -> str:
        """The serializer must not write it; a file holding it (written by hand) must be refused."""
        try:
            data = serialize(graph)
        except EimfsError:
            pass  # refused clearly
        else:  # escaped rather than refused: then it must parse
            ox.parse(data, format=ox.RdfFormat.TURTLE)
        bad.write_text("".join(" ".join(map(nt_term, t)) + " .\n" for t in graph), encoding="utf-8")
        for fmt, name in EXPORTS.items():
            with pytest.raises(InputError, match=re.escape(str(bad))):
                export(fmt, folder / name, bad)
        return "illegal RDF: every export refuses the file (InputError)"

    def legal(graph: Graph, expected: set) -> str:
        """Every export reads back, strictly, as the same triples."""
        source.write_bytes(serialize(graph))
        assert read_export(source) == expected
        outcome = "legal RDF: every export reads back the same"
        for fmt, name in EXPORTS.items():
            try:
                [path] = export(fmt, folder / name, source)
                exported = read_export(path)
            except InputError:
                if fmt != "jsonld":
                    raise
                outcome = "legal RDF: jsonld export refused with a clear error"
                continue
            assert exported == expected, fmt
        return outcome

    @fuzz(150)
    @given(triples=triple_lists())
    def check(triples: list[tuple[URIRef, URIRef, URIRef | Literal]]) -> None:
        RUNS[test] += 1
        graph = Graph()
        for triple in triples:
            graph.add(triple)
        try:
            expected = {ox.Triple(*map(ox_term, triple)) for triple in graph}
        except ValueError:
            OUTCOMES[test, illegal(graph)] += 1
        else:
            OUTCOMES[test, legal(graph, expected)] += 1

    check()


# --- known bugs: reproducers ---------------------------------------------------------------------
# Every bug this file found, fixed; each reproducer now expects the clear error.

# B1: sources.read_yaml lets Value/Key/Attribute/TypeError of PyYAML constructors through
# B2: schema.parse_record sorts the keys of a mapping: TypeError for int and str keys
# B3: curated text becomes an IRI unchecked: an illegal IRI crashes the build, not a CurationError
# B4: Protein.protein_class is never checked; graph.py looks it up in the closed EKG namespace
# B5: graph._Builder.gene names the sources ncbi-gene and hgnc, which sources.yaml need not define
# B6: engine.Engine.bind makes an IRI of an IRI-looking value unchecked: ValueError, not InputError
# B7: export._jsonld: rdflib writes rdf:type with a literal as @type, which PyLD refuses
# B8: export._jsonld compacts <NS//x> to 'prefix://x', which reads back as another IRI
# B9: export._jsonld: PyLD takes IRIs with Unicode whitespace (NBSP) for invalid: drops or raises


#: (bug, file, where, text): curated edits that must give a CurationError.
LOADER_BUGS = [
    ("B1", "sources.yaml", "  checked: 2026-11-25", "2026-02-30"),
    ("B1", "genes.yaml", "  location:", "!!int x"),
    ("B1", "genes.yaml", "  location:", "!!bool x"),
    ("B1", "genes.yaml", "  location:", "!!timestamp x"),
    ("B1", "genes.yaml", "  protein:", "{[a]: b}"),
    ("B2", "genes.yaml", "  protein:", "{1: a, b: c}"),
    ("B3", "genes.yaml", "  ncbigene:", '"NCBIGene:4 78"'),
    ("B3", "genes.yaml", "  ncbigene:", '"NCBIGene:478%zz"'),
    ("B3", "genes.yaml", "  ncbigene:", '"NCBIGene:478\\x01"'),
    ("B3", "sources.yaml", "  url: https://medlineplus", "not a URL"),
    ("B3", "resources.yaml", "- key: pubmed", "pub med"),
    ("B4", "genes.yaml", "    protein_class: IonPump", "IonPumpX"),
    ("B5", "sources.yaml", "- key: ncbi-gene", "ncbi"),
    ("B5", "sources.yaml", "- key: hgnc", "hgnc-db"),
]


@pytest.mark.parametrize(
    ("target", "text"),
    [
        pytest.param(
            Target(file, where),
            text,
            id=f"{bug}-{file}-{text}",
        )
        for bug, file, where, text in LOADER_BUGS
    ],
)
def test_fixed_loader_bug(data_copy: Path, target: Target, text: str) -> None:
    """A curated value that should give a CurationError naming its file (see each reason)."""
    path = data_copy / target.file
    path.write_text(replace_value(path.read_text(encoding="utf-8"), target, text), encoding="utf-8")
    with pytest.raises(CurationError, match=re.escape(target.file)):
        assemble_store(data_copy)


@pytest.mark.parametrize("value", ["http://example.org/<x>", 'HP:a"b'])
def test_fixed_engine_bug(engine: Engine, value: str) -> None:
    """An IRI-looking parameter value with an illegal character should be an InputError."""
    with pytest.raises(InputError, match="is not a valid IRI"):
        engine.answer(get_query("gene-profile"), {"gene": value})


@pytest.mark.parametrize(
    ("turtle", "refusal"),
    [
        pytest.param('<http://example.org/s> a "x" .\n', "cannot be written as JSON-LD", id="B7"),
        pytest.param(
            f'<{EKGID}//x> <{RDFS.label}> "x" .\n',
            "cannot be written as JSON-LD without changing it",
            id="B8",
        ),
        pytest.param(
            '<http://example.org/s> <http://example.org/p\u00a0q> "x" .\n',
            "cannot be written as JSON-LD without changing it",
            id="B9-property",
        ),
        pytest.param(
            '<http://example.org/s> <http://example.org/p> "x"^^<http://example.org/t\u00a0> .\n',
            "cannot be written as JSON-LD without changing it",
            id="B9-datatype",
        ),
    ],
)
def test_fixed_export_bug(tmp_path: Path, turtle: str, refusal: str) -> None:
    """Legal RDF that JSON-LD cannot carry unchanged is refused with a clear InputError, never mangled."""
    source = tmp_path / "in.ttl"
    source.write_text(turtle, encoding="utf-8")
    with pytest.raises(InputError, match=refusal):
        export("jsonld", tmp_path / "out.jsonld", source)
    assert not (tmp_path / "out.jsonld").exists()


def test_fixed_serialize_bug() -> None:
    """The build's serializer should refuse an illegal IRI with a clear error (B3 without curated files)."""
    graph = Graph()
    graph.add((URIRef("http://example.org/a b"), RDFS.label, Literal("x")))
    with pytest.raises(InputError, match="invalid IRI"):
        serialize(graph)
