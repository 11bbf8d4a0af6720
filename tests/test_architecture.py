"""The package's shape: imports run one way, down the pipeline, and nothing is imported to dodge a cycle.

:data:`LAYERS` is the pipeline, lowest first. A module may import modules of its own layer or of
a lower one, never of a higher one; the module graph has no cycle (imports inside functions and
under ``TYPE_CHECKING`` count too); an import inside a function is there only for start-up speed
and says so in a comment (``# lazy: ...``) on its line or the line above.

``python tests/test_architecture.py [SRC]`` prints the figures of the package under ``SRC``
(default: this checkout's ``src``): modules per folder, cycles, backward imports, modules the CLI
imports, lines of the largest module.
"""

from __future__ import annotations

import ast
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "eimfs_kg"
SRC = Path(__file__).resolve().parents[1] / "src"

#: The pipeline, lowest layer first: (layer, the modules or sub-packages in it).
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("foundation", ("errors", "resources", "version", "vocab", "identifiers")),
    ("rdf plumbing", ("rdf",)),
    ("curated records", ("curation",)),
    ("queries and engines", ("query",)),
    ("graph: build and validate", ("graph",)),
    ("stores", ("stores",)),
    ("analysis", ("analysis",)),
    ("publishing", ("publish", "web")),
    ("Python API", ("api",)),
    ("command line", ("cli",)),
    ("package facade", ("",)),  # eimfs_kg/__init__.py re-exports the API
]

#: Where the modules of the flat package (before sub-packages) went, to measure old checkouts too.
MOVED = {
    "sources": "curation.readers",
    "schema": "curation.schema",
    "records": "curation.records",
    "crosscheck": "curation.crosscheck",
    "graph": "graph.builder",
    "dataset": "graph.dataset",
    "build": "graph.build",
    "validate": "graph.validate",
    "graphfile": "graph.cache",
    "rdfinput": "rdf.strict",
    "atomic": "rdf.atomic",
    "netguard": "rdf.netguard",
    "sparql": "query.library",
    "engine": "query.oxigraph",
    "rdflib_query": "query.rdflib_engine",
    "reasoning": "query.reasoning",
    "limits": "query.limits",
    "querydoc": "query.docs",
    "tables": "query.tables",
    "store": "stores.local",
    "remote": "stores.remote",
    "analysis": "analysis.network",
    "plot": "analysis.plot",
    "hpo": "analysis.hpo",
    "export": "publish.export",
    "server": "web.server",
}


@dataclass(frozen=True)
class Import:
    """One import of a package module by another."""

    importer: str  # dotted name inside the package, "" for the package itself
    imported: str
    line: int
    in_function: bool
    lazy_comment: bool
    type_only: bool


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules(src: Path = SRC) -> dict[str, Path]:
    """Every module of the package under ``src``, by dotted name inside the package."""
    root = src / PACKAGE
    return {module_name(p, root): p for p in sorted(root.rglob("*.py"))}


def _resolve(name: str, candidates: dict[str, Path]) -> str | None:
    """The package module an import names: the longest existing prefix of ``name``."""
    parts = name.split(".")
    while parts:
        dotted = ".".join(parts)
        if dotted in candidates:
            return dotted
        parts.pop()
    return "" if name == "" else None


def imports(src: Path = SRC) -> list[Import]:
    """Every import between modules of the package, wherever it sits in the module."""
    found: list[Import] = []
    mods = modules(src)
    for name, path in mods.items():
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        is_package = path.name == "__init__.py"
        here = name.split(".") if name else []
        package = here if is_package else here[:-1]

        def visit(
            node: ast.AST,
            in_function: bool,
            type_only: bool,
            name: str = name,
            package: list[str] = package,
            lines: list[str] = lines,
        ) -> None:
            for child in ast.iter_child_nodes(node):
                func = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
                typed = type_only or (
                    isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test)
                )
                targets: list[str] = []
                if isinstance(child, ast.ImportFrom):
                    if child.level:
                        base = package[: len(package) - (child.level - 1)]
                        stem = ".".join([*base, *([child.module] if child.module else [])])
                    elif child.module and (child.module + ".").startswith(PACKAGE + "."):
                        stem = child.module.removeprefix(PACKAGE).lstrip(".")
                    else:
                        stem = None
                    if stem is not None:
                        for alias in child.names:
                            full = f"{stem}.{alias.name}" if stem else alias.name
                            targets.append(full if full in mods else stem)
                elif isinstance(child, ast.Import):
                    for alias in child.names:
                        if (alias.name + ".").startswith(PACKAGE + "."):
                            targets.append(alias.name.removeprefix(PACKAGE).lstrip("."))
                elif isinstance(child, ast.Assign) and ast.unparse(child.targets[0]) == "_HOME":
                    # the package facade's table of lazily imported homes (see eimfs_kg/__init__.py)
                    targets.extend(ast.literal_eval(child.value).values())
                for target in targets:
                    resolved = _resolve(target, mods)
                    if resolved is None or resolved == name:
                        continue
                    line = child.lineno
                    comment = any("lazy" in lines[i] for i in (line - 2, line - 1) if 0 <= i < len(lines))
                    found.append(Import(name, resolved, line, in_function, comment, type_only))
                visit(child, func, typed)

        visit(ast.parse(text), False, False)
    return found


def layer(module: str, moved: bool = False) -> int:
    """The index in :data:`LAYERS` of a module (``moved``: the name is from the flat package)."""
    if moved:
        module = MOVED.get(module, module)
    top = module.split(".")[0]
    for index, (_, members) in enumerate(LAYERS):
        if top in members:
            return index
    raise KeyError(f"module {module!r} is in no layer of LAYERS: add it to the table")


def cycles(edges: list[Import]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    graph: dict[str, set[str]] = {}
    for edge in edges:
        graph.setdefault(edge.importer, set()).add(edge.imported)
        graph.setdefault(edge.imported, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def strong(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                strong(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            strong(node)
    return found


def backward(edges: list[Import], moved: bool = False) -> list[Import]:
    """Imports of a module of a higher layer than the importer's (the package facade aside)."""
    return [e for e in edges if e.importer and layer(e.imported, moved) > layer(e.importer, moved)]


# --- the tests --------------------------------------------------------------------------------


def test_every_module_has_a_layer() -> None:
    for name in modules():
        layer(name)


def test_imports_run_down_the_pipeline() -> None:
    wrong = [
        f"{e.importer} (line {e.line}, {LAYERS[layer(e.importer)][0]}) imports {e.imported} "
        f"({LAYERS[layer(e.imported)][0]})"
        for e in backward(imports())
    ]
    assert not wrong, "a lower stage imports a higher one:\n" + "\n".join(wrong)


def test_no_import_cycles() -> None:
    assert cycles(imports()) == []


def test_imports_inside_functions_are_lazy_on_purpose() -> None:
    """An import inside a function is for start-up speed only, and its comment says so."""
    unmarked = [
        f"{e.importer}:{e.line} imports {e.imported}"
        for e in imports()
        if e.in_function and not e.lazy_comment
    ]
    assert not unmarked, "imports inside functions without a '# lazy: ...' comment:\n" + "\n".join(unmarked)


def test_every_third_party_import_inside_a_function_is_marked_lazy() -> None:
    """The same rule for imports of other packages: inside a function only with a reason."""
    unmarked = []
    for name, path in modules().items():
        lines = path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(ast.parse("\n".join(lines))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for child in ast.walk(node):
                if isinstance(child, ast.Import | ast.ImportFrom):
                    line = child.lineno
                    if not any("lazy" in lines[i] for i in (line - 2, line - 1) if 0 <= i < len(lines)):
                        unmarked.append(f"{name}:{line}: {lines[line - 1].strip()}")
    assert not unmarked, "imports inside functions without a '# lazy: ...' comment:\n" + "\n".join(unmarked)


def test_the_layering_test_catches_a_backward_import(tmp_path: Path) -> None:
    """The checks above really fail: a curation module importing the CLI is found."""
    package = tmp_path / PACKAGE
    (package / "curation").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "cli.py").write_text("from .curation import records\n")
    (package / "curation" / "__init__.py").write_text("")
    (package / "curation" / "records.py").write_text("def f():\n    from .. import cli\n")
    edges = imports(tmp_path)
    assert [(e.importer, e.imported) for e in backward(edges)] == [("curation.records", "cli")]
    assert cycles(edges) == [["cli", "curation.records"]]
    assert [e.lazy_comment for e in edges if e.in_function] == [False]


def test_every_sub_package_says_what_it_takes_and_gives() -> None:
    for name, path in modules().items():
        if path.name == "__init__.py" and name:
            doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
            assert doc and len(doc.split()) > 20, f"{name}/__init__.py needs a docstring"


# --- figures ----------------------------------------------------------------------------------


def figures(src: Path = SRC) -> dict[str, object]:
    """The figures of the package under ``src`` (old flat checkouts included)."""
    mods = modules(src)
    moved = "engine" in mods  # the flat layout of before the sub-packages
    edges = imports(src)
    per_folder = Counter(str(p.parent.relative_to(src)) for p in mods.values())
    largest = max(mods.items(), key=lambda item: len(item[1].read_text(encoding="utf-8").splitlines()))
    back = backward(edges, moved)
    return {
        "modules": len(mods),
        "modules per folder": dict(sorted(per_folder.items())),
        "imports between modules": len(edges),
        "import cycles": cycles(edges),
        "imports inside functions": sum(e.in_function for e in edges),
        "backward imports": [f"{e.importer} -> {e.imported}" for e in back],
        "modules the CLI imports (at run time)": sorted(
            {e.imported for e in edges if e.importer == "cli" and not e.type_only}
        ),
        "largest module": (largest[0], len(largest[1].read_text(encoding="utf-8").splitlines())),
    }


if __name__ == "__main__":
    for key, value in figures(Path(sys.argv[1]) if len(sys.argv) > 1 else SRC).items():
        if isinstance(value, list):
            print(f"{key}: {len(value)}")
            for item in value:
                print(f"    {item}")
        else:
            print(f"{key}: {value}")
