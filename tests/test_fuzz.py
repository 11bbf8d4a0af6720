"""Property-based tests (hypothesis) of three surfaces that take arbitrary text.

1. The curated-data loader: any value in any field of a curated YAML or TSV file gives
   either a graph that a strict parser reads back, or a :class:`CurationError` naming the
   file; never another exception.
2. Query parameters: any string given as a parameter leaves the graph unchanged, binds
   the parameter in every row, and (for a remote store) cannot escape its ``VALUES`` block.
3. Exports: graphs of arbitrary IRIs and literals export to files that a strict parser
   reads back as the same graph; an illegal IRI is refused clearly, never written.

Examples are derandomized (same inputs on every run) and no example database is kept.
Known product bugs are pinned by ``xfail(strict=True)`` reproducers; the property tests
count the examples that hit one of them (see the summary printed by the last test, with
``-s``) instead of failing on them, so that they keep looking for new bugs.
"""

from __future__ import annotations

import os
import re
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef

from eimfs_kg.build import serialize
from eimfs_kg.dataset import describe_dataset
from eimfs_kg.engine import Engine
from eimfs_kg.errors import CurationError, EimfsError, InputError
from eimfs_kg.export import export
from eimfs_kg.graph import build_graph
from eimfs_kg.identifiers import prefix_map
from eimfs_kg.rdfinput import parse_strictly
from eimfs_kg.records import load_curation
from eimfs_kg.remote import Endpoint, RemoteEngine
from eimfs_kg.resources import data_dir
from eimfs_kg.sparql import NamedQuery, classify_value, get_query, list_queries, with_values

#: Examples run per test, and examples that hit a known (xfail-pinned) bug, for the summary.
RUNS: Counter[str] = Counter()
KNOWN: Counter[str] = Counter()

_FUZZ = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


#: EIMFS_KG_FUZZ_SCALE=10 runs ten times as many examples (for a longer search by hand).
SCALE = float(os.environ.get("EIMFS_KG_FUZZ_SCALE") or 1)


def fuzz(examples: int) -> settings:
    """The settings of every test here, with ``examples`` examples (times SCALE)."""
    return settings(_FUZZ, max_examples=max(1, round(examples * SCALE)))

# --- values ------------------------------------------------------------------------------

#: Text hypothesis may put anywhere: every code point but lone surrogates (not UTF-8).
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)
YAML_SPECIALS = st.sampled_from(
    [
        "yes",
        "no",
        "on",
        "off",
        "y",
        "~",
        "null",
        "NULL",
        "true",
        "&a",
        "*a",
        "&a x",
        "*a x",
        "!!python/object:os.system",
        "!!python/object/apply:os.system ['true']",
        "!!binary aGk=",
        "!!str",
        "!!int x",
        "!foo x",
        "- x",
        "-",
        "{",
        "}",
        "[",
        "]",
        "{a: 1",
        "[1, 2",
        "? x",
        ":",
        ": x",
        "a: b",
        "#",
        "# x",
        "|",
        "|-\n x",
        ">",
        "> x",
        "%YAML 1.1",
        "---",
        "...",
        "@x",
        "`x",
        "0x1F",
        "0o17",
        "017",
        "1_000",
        "1e3",
        "-.inf",
        ".inf",
        ".nan",
        "+1",
        "2001-01-01",
        "2001-12-14t21:59:43.10-05:00",
        "12:30:45",
        "<<",
        "<<: *a",
        "=",
        "'",
        '"',
        "\\",
        "''",
        '"a',
        "'a",
        "a'",
        "x\ty",
        "\t",
        "\n",
        "\r\n",
        "\x85",
        "\u2028",
        "\ufeff",
        "\x00",
        "\x7f",
        "\x1b[31m",
        "<<<<<<< HEAD",
        "=======",
        ">>>>>>> x",
        "é",
        "日本",
        "🧬",
    ]  # fmt: skip
)
CURIE_PREFIXES = ["HP", "GO", "HGNC", "NCBIGene", "UniProtKB", "PMID", "DOI", "MONDO", "OMIM", "ekgid", "X"]
CURIE_LIKE = st.builds("{}:{}".format, st.sampled_from(CURIE_PREFIXES), TEXT)
IRI_LIKE = st.builds("{}{}".format, st.sampled_from(["http://", "https://example.org/", "urn:"]), TEXT)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    TEXT,
    YAML_SPECIALS,
    CURIE_LIKE,
    IRI_LIKE,
    st.dates(),
)
KEYS = st.one_of(TEXT.filter(lambda k: len(k) < 8), st.integers(0, 9), st.none(), st.booleans())
#: Any value YAML can hold: scalars, lists and mappings nested a little (mixed key types too).
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
    max_leaves=6,
)
#: Raw text pasted into a YAML file where a value was: YAML syntax may break.
RAW_TEXT = st.one_of(TEXT, YAML_SPECIALS, st.builds("{}{}".format, YAML_SPECIALS, TEXT))


# --- editing curated files ---------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A value in a curated file: a block-YAML line, a ``key: value`` in a flow mapping, or a TSV cell."""

    file: str
    where: str  # start of the YAML line or TSV row; for flow YAML the ``key: value`` text itself
    cell: int | None = None  # TSV column
    flow: bool = False

    def __str__(self) -> str:
        return f"{self.file}:{self.where.strip()}" + (f"[{self.cell}]" if self.cell is not None else "")


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
        "  - id: CHEBI:29101",
        "  links:",
        "  - disease: eimfs",
        "    relation: associated",
        "  inheritance:",
        "  - mode: HP:0000006",
    ),
    *_block(
        "publications.yaml",
        "  - key: barcia2019",
        "    kind: journal-article",
        "    id: PMID:31872048",
        '    pmid: "31872048"',
        "    doi: 10.1212/NXG",
        "    title:",
        "    authors:",
        "    journal: Neurol Genet",
        "    year: 2019",
        '    volume: "5"',
        "    pages: e363",
        "    about: [KCNT1, eimfs]",
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
        "  fraction: 0.70",
        "  - order: 1",
        "    label: before seizures",
        "    timing: first weeks",
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
        "  - key: ncbi-gene",
        "    url: https://www.ncbi.nlm.nih.gov/gene/",
        "    version: Entrez",
        "gene_lists:",
    ),
    *_block(
        "diseases.yaml",
        "  - key: eimfs",
        "    id: MONDO:0017385",
        "    kind: syndrome",
        "    label: epilepsy of infancy",
        "    abbreviation: EIMFS",
        "    description: >-",
        "    synonyms:",
        "    xrefs:",
    ),
    *_block(
        "mechanisms.yaml",
        "  - key: kcnt1-gain-of-function",
        "    label: KCNT1 gain of function",
        "    genes: [KCNT1]",
        "    explains: eimfs",
        "    steps:",
    ),
    Target("mechanisms.yaml", "key: potassium-conduction", flow=True),
    Target("mechanisms.yaml", "process: GO:0071805", flow=True),
    Target("resources.yaml", "key: pubmed", flow=True),
    Target("resources.yaml", "label: PubMed", flow=True),
    Target("resources.yaml", 'url: "https://omim.org/entry/614959"', flow=True),
    Target("resources.yaml", "about: dee14", flow=True),
    Target("sources.yaml", "key: medlineplus-genes", flow=True),
]
TSV_TARGETS: list[Target] = [
    *(Target("phenotypes.tsv", "HP:0001249\t", cell) for cell in range(3)),
    *(Target("terms.tsv", "CHEBI:29101\t", cell) for cell in range(4)),
]
_KEY_LINE = re.compile(r"^(?P<lead>\s*(?:- )?)[\w-]+:(?P<old>.*)$")
_ITEM_LINE = re.compile(r"^(?P<lead>\s*- )(?P<old>.*)$")


def yaml_node(value: object) -> str:
    """``value`` as YAML text usable as one flow node, written by ``yaml.safe_dump``."""
    dumped = yaml.safe_dump([value], default_flow_style=True, allow_unicode=True, width=1 << 30)
    return dumped.strip("\n").removeprefix("[").removesuffix("]")


def replace_value(text: str, target: Target, new: str) -> str:
    """The text of a curated file with the value at ``target`` replaced by the text ``new``."""
    lines = text.split("\n")
    index = next(
        i
        for i, line in enumerate(lines)
        if (target.where in line if target.flow else line.startswith(target.where))
    )
    line = lines[index]
    if target.cell is not None:  # TSV: one cell of the row
        cells = line.split("\t")
        cells[target.cell] = new
        lines[index] = "\t".join(cells)
        return "\n".join(lines)
    if target.flow:  # a ``key: value`` inside {...}: the value ends at "," or "}"
        column = len(line) - len(line.lstrip(" ")) + 2
        key = target.where.partition(":")[0]
        new = new.replace("\n", "\n" + " " * column)
        lines[index] = line.replace(target.where, f"{key}: {new}", 1)
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
    curation = load_curation()
    graph = build_graph(curation)
    describe_dataset(graph, curation)
    return set(graph)


def load_and_serialize(folder: Path, baseline: set) -> str:
    """Load ``folder``, build its graph and read back what the build's serializer writes.

    Returns an outcome label; fails on any exception but a CurationError naming a curated file.
    Only the triples that differ from the baseline graph are serialized (the same code path
    as the full graph, a hundred times faster).
    """
    try:
        curation = load_curation(folder)
    except CurationError as exc:
        names = {p.name for p in data_dir().iterdir()}
        assert Path(exc.file).name in names, f"the error names no curated file: {exc}"
        assert str(exc).startswith(Path(exc.file).name), str(exc)
        return "CurationError"
    graph = build_graph(curation)
    describe_dataset(graph, curation)
    changed = Graph()
    for triple in graph:
        if triple not in baseline:
            changed.add(triple)
    read_back = ox.parse(serialize(changed), format=ox.RdfFormat.TURTLE)
    assert len(set(read_back)) == len(changed)
    return "graph"


def edit_and_load(folder: Path, baseline: set, target: Target, new: str) -> str:
    """Put ``new`` at ``target``, load, restore the file; the outcome label (known bugs included)."""
    path = folder / target.file
    original = path.read_text(encoding="utf-8")
    try:
        path.write_text(replace_value(original, target, new), encoding="utf-8")
        return load_and_serialize(folder, baseline)
    except Exception as exc:
        bug = known_loader_bug(exc)
        if bug is None:
            raise
        KNOWN[bug] += 1
        return bug
    finally:
        path.write_text(original, encoding="utf-8")


# --- known bugs (each pinned by an xfail(strict=True) reproducer below) ------------------------


def known_loader_bug(exc: Exception) -> str | None:
    """The name of the known bug ``exc`` shows, or None for a new failure."""
    message = str(exc)
    if type(exc) is Exception and "does not look like a valid URI" in message:
        return "bug: illegal IRI in curated value -> rdflib Exception"
    if isinstance(exc, SyntaxError) and "IRI" in message:
        return "bug: illegal IRI in curated value -> Oxigraph SyntaxError"
    if isinstance(exc, TypeError) and "not supported between instances" in message:
        return "bug: mapping with mixed key types -> TypeError"
    if isinstance(exc, TypeError) and "unhashable type" in message:
        return "bug: unhashable YAML key -> TypeError"
    return None


# --- 1. the curated-data loader --------------------------------------------------------------


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
    children = (
        document.values() if isinstance(document, dict) else document if isinstance(document, list) else ()
    )
    return any(_holds(child, value) for child in children)


def test_the_editing_harness_writes_the_values_it_means(curated: Path) -> None:
    """Self-check: the edited file holds the value, so the fuzz reaches the loader's checks."""

    @fuzz(60)
    @given(target=st.sampled_from(YAML_TARGETS), value=VALUES)
    def check(target: Target, value: object) -> None:
        RUNS["harness self-check"] += 1
        original = (curated / target.file).read_text(encoding="utf-8")
        try:
            document = yaml.safe_load(replace_value(original, target, yaml_node(value)))
        except yaml.YAMLError:
            # PyYAML writes a few code points raw that its own reader refuses (\x85, \ufeff ...)
            event("harness: PyYAML cannot read its own output")
            return
        assert _holds(document, value), yaml_node(value)

    check()


@fuzz(110)
@given(target=st.sampled_from(YAML_TARGETS), value=VALUES)
def test_any_yaml_value_gives_a_graph_or_a_clear_error(
    curated: Path, baseline: set, target: Target, value: object
) -> None:
    """Any value (any type, written as valid YAML) in any field: a valid graph or a CurationError."""
    RUNS["loader: yaml value"] += 1
    event(edit_and_load(curated, baseline, target, yaml_node(value)))


@fuzz(60)
@given(target=st.sampled_from(YAML_TARGETS), raw=RAW_TEXT)
def test_any_raw_text_in_yaml_gives_a_graph_or_a_clear_error(
    curated: Path, baseline: set, target: Target, raw: str
) -> None:
    """Raw text pasted where a value was (YAML syntax may break): a valid graph or a CurationError."""
    RUNS["loader: raw yaml text"] += 1
    event(edit_and_load(curated, baseline, target, raw))


@fuzz(40)
@given(target=st.sampled_from(TSV_TARGETS), raw=RAW_TEXT)
def test_any_tsv_cell_gives_a_graph_or_a_clear_error(
    curated: Path, baseline: set, target: Target, raw: str
) -> None:
    """Any text in a TSV cell (tabs and line breaks included): a valid graph or a CurationError."""
    RUNS["loader: tsv cell"] += 1
    event(edit_and_load(curated, baseline, target, raw))
