"""The vocabulary listing: every class and property of the ontology with label, definition, domain, range."""

from __future__ import annotations

from eimfs_kg.cli import main
from eimfs_kg.publish.vocabulary import vocabulary


def test_every_term_is_labelled_and_defined() -> None:
    terms = {t.curie: t for t in vocabulary()}
    assert terms["ekg:Gene"].kind == "class" and terms["ekg:Gene"].label == "gene"
    causes = terms["ekg:causes"]
    assert (
        causes.kind == "object property" and causes.domain == ["ekg:Gene"] and causes.range == ["ekg:Disease"]
    )
    assert all(t.label and t.definition for t in terms.values()), [
        c for c, t in terms.items() if not t.definition
    ]


def test_vocab_command(capsys) -> None:
    assert main(["vocab"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Classes\n=======\n")
    assert "ekg:causes  (causes)\n" in out and "    domain: ekg:Gene\n" in out
