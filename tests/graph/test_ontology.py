"""The ontology: every term labelled and defined, mapped, and in step with the code."""

from __future__ import annotations

from rdflib import OWL, RDF, RDFS, SKOS, Graph, URIRef

from eimfs_kg.resources import ontology_file
from eimfs_kg.vocab import EKG
from eimfs_kg.vocab import EKG_IRI as EKG_NS

ONTOLOGY = Graph().parse(ontology_file("eimfs.ttl"))
KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)


def declared() -> set[URIRef]:
    return {s for kind in KINDS for s in ONTOLOGY.subjects(RDF.type, kind) if str(s).startswith(EKG_NS)}


def test_every_term_has_label_and_definition() -> None:
    missing = [
        t for t in declared() if not ONTOLOGY.value(t, RDFS.label) or not ONTOLOGY.value(t, SKOS.definition)
    ]
    assert missing == []


#: Project notions with no counterpart in Biolink, RO or the other vocabularies reused.
NO_STANDARD = {
    EKG.chromosome,
    EKG.approximate,
    # the page's reading of modes of inheritance, source hedges and our own bookkeeping
    EKG.alteredCopiesNeeded,
    EKG.inMales,
    EKG.inHeterozygousFemales,
    EKG.carrierParents,
    EKG.fatherToSonTransmission,
    EKG.familyHistory,
    EKG.variantOrigin,
    EKG.hedge,
    EKG.verified,
    EKG.freeFullTextOnPMC,
    EKG.authorListComplete,
    EKG.established,
    EKG.singleSource,
    EKG.hasOpenQuestion,
    EKG.proteinClass,
    EKG.conductsIon,
    EKG.ionFlow,
    EKG.roleInCell,
}


def test_every_term_is_mapped_to_a_standard() -> None:
    unmapped = [
        t
        for t in declared() - NO_STANDARD
        if not any(
            ONTOLOGY.value(t, p)
            for p in (SKOS.exactMatch, SKOS.closeMatch, RDFS.subClassOf, RDFS.subPropertyOf)
        )
    ]
    assert unmapped == []


def test_vocab_module_matches_ontology() -> None:
    in_code = {URIRef(EKG_NS + name) for name in EKG.__annotations__}
    assert in_code == declared()


def test_graph_uses_only_declared_terms(graph: Graph) -> None:
    used = {
        t
        for triple in graph
        for t in triple
        if isinstance(t, URIRef) and str(t).startswith(EKG_NS) and str(t) != EKG_NS
    }
    assert used <= declared()


def test_transitive_and_inverse_properties_declared() -> None:
    assert (EKG.causallyUpstreamOf, RDF.type, OWL.TransitiveProperty) in ONTOLOGY
    assert (EKG.hasGeneProduct, OWL.inverseOf, EKG.geneProductOf) in ONTOLOGY


def test_biolink_mappings_exist_in_the_biolink_model() -> None:
    """Every biolink: term the ontology maps to is a class or slot of the installed Biolink Model."""
    import re
    from importlib.resources import files

    import yaml

    schema = yaml.safe_load((files("biolink_model") / "schema" / "biolink_model.yaml").read_text())
    known = {"".join(w[:1].upper() + w[1:] for w in name.split(" ")) for name in schema["classes"]}
    known |= {name.replace(" ", "_") for name in schema["slots"]}
    used = set(re.findall(r"biolink:(\w+)", ontology_file("eimfs.ttl").read_text()))
    assert len(used) > 40
    assert sorted(used - known) == []


def test_every_curated_kind_names_an_ontology_class() -> None:
    """The one table of curated kinds (used by the cross-checks and the builder) points at real classes."""
    from eimfs_kg.vocab import KIND_CLASSES

    classes = {name for kinds in KIND_CLASSES.values() for name in kinds.values()}
    missing = sorted(c for c in classes if (URIRef(EKG_NS + c), RDF.type, OWL.Class) not in ONTOLOGY)
    assert len(classes) > 15 and missing == []
