"""Each SHACL shape, tested with one conforming and one violating example (pySHACL style)."""

from __future__ import annotations

import pytest
from rdflib import RDF, RDFS, Graph, Namespace, URIRef

from eimfs_kg.graph.validate import shapes_graph
from eimfs_kg.resources import ontology_file

SH = Namespace("http://www.w3.org/ns/shacl#")
SHAPES = Namespace("https://w3id.org/eimfs-kg/shapes/")

PREFIXES = """
@prefix ekg: <https://w3id.org/eimfs-kg/vocab/> .
@prefix id: <https://w3id.org/eimfs-kg/id/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix bibo: <http://purl.org/ontology/bibo/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix void: <http://rdfs.org/ns/void#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix MONDO: <http://purl.obolibrary.org/obo/MONDO_> .
@prefix HP: <http://purl.obolibrary.org/obo/HP_> .
@prefix GO: <http://purl.obolibrary.org/obo/GO_> .
@prefix SO: <http://purl.obolibrary.org/obo/SO_> .
@prefix ECO: <http://purl.obolibrary.org/obo/ECO_> .
@prefix CHEBI: <http://purl.obolibrary.org/obo/CHEBI_> .
@prefix CL: <http://purl.obolibrary.org/obo/CL_> .
@prefix NCBIGene: <http://identifiers.org/ncbigene/> .
@prefix HGNC: <http://identifiers.org/hgnc/> .
@prefix OMIM: <http://identifiers.org/mim/> .
@prefix UniProtKB: <http://identifiers.org/uniprot/> .
@prefix PMID: <http://identifiers.org/pubmed/> .
"""

GENE = """
NCBIGene:57582 a ekg:Gene ; rdfs:label "KCNT1" ; ekg:symbol "KCNT1" ;
    ekg:approvedName "potassium sodium-activated channel subfamily T member 1" ;
    ekg:chromosomeLocation "{location}" ; ekg:chromosome "9" ; skos:exactMatch {xrefs} ;
    ekg:hasGeneProduct UniProtKB:Q5JUK3 ; ekg:hasMechanismClass id:mc ; ekg:listedIn id:list ;
    ekg:causes MONDO:0017385 .
UniProtKB:Q5JUK3 a ekg:Protein . id:mc a ekg:MechanismClass . id:list a ekg:GeneList .
MONDO:0017385 a ekg:Disease .
"""

STATEMENT = """
id:a rdfs:label "A" .
id:st a ekg:Statement ; rdf:subject id:a ; rdf:predicate rdfs:label ; rdf:object "{obj}" ;
    {provenance} .
id:src a ekg:PageSection . ECO:0000304 a ekg:EvidenceType .
"""

# shape -> (conforming example, violating example)
CASES: dict[str, tuple[str, str]] = {
    "DiseaseShape": (
        'MONDO:0017385 a ekg:Disease ; rdfs:label "EIMFS" ; skos:prefLabel "EIMFS" ; '
        'dcterms:description "A severe infantile epilepsy with migrating focal seizures." ; '
        "skos:exactMatch OMIM:614959 .",
        'MONDO:0017385 a ekg:Disease ; rdfs:label "EIMFS" ; skos:prefLabel "EIMFS" ; '
        'dcterms:description "Too short." .',
    ),
    "GeneShape": (
        GENE.format(location="9q34.3", xrefs="HGNC:18865"),
        GENE.format(location="nine", xrefs="HGNC:18865"),
    ),
    "GeneHgncShape": (
        GENE.format(location="9q34.3", xrefs="HGNC:18865"),
        GENE.format(location="9q34.3", xrefs="OMIM:608167"),
    ),
    "ProteinShape": (
        'UniProtKB:Q5JUK3 a ekg:Protein ; rdfs:label "KCNT1" ; dcterms:description "channel" ; '
        "ekg:geneProductOf NCBIGene:57582 . NCBIGene:57582 a ekg:Gene .",
        'UniProtKB:q5juk3 a ekg:Protein ; rdfs:label "KCNT1" ; dcterms:description "channel" ; '
        "ekg:geneProductOf NCBIGene:57582 . NCBIGene:57582 a ekg:Gene .",
    ),
    "ChannelOrTransporterShape": (
        "id:p a ekg:PotassiumChannel ; ekg:transportsIon CHEBI:29103 .",
        "id:p a ekg:Cotransporter .",
    ),
    "ProteinKindShape": ("id:p a ekg:Protein , ekg:IonPump .", "id:p a ekg:Protein ."),
    "PhenotypeShape": (
        'HP:0011153 a ekg:Phenotype ; rdfs:label "Focal motor seizure" .',
        '<http://purl.obolibrary.org/obo/HP_11153> a ekg:Phenotype ; rdfs:label "Focal motor seizure" .',
    ),
    "GoTermShape": (
        'GO:0005228 a ekg:MolecularFunction ; rdfs:label "channel activity" .',
        "GO:0005228 a ekg:MolecularFunction .",
    ),
    "IonShape": (
        'CHEBI:29103 a ekg:Ion ; rdfs:label "potassium(1+)" .',
        'HP:0000001 a ekg:Ion ; rdfs:label "potassium(1+)" .',
    ),
    "CellTypeShape": (
        'CL:0000540 a ekg:CellType ; rdfs:label "neuron" .',
        'UniProtKB:Q5JUK3 a ekg:CellType ; rdfs:label "neuron" .',
    ),
    "VariantTypeShape": (
        'SO:0002053 a ekg:VariantType ; rdfs:label "gain_of_function_variant" .',
        'SO:0002053 a ekg:VariantType ; rdfs:label "a" , "b" .',
    ),
    "EvidenceTypeShape": (
        'ECO:0000304 a ekg:EvidenceType ; rdfs:label "TAS" .',
        'GO:0000304 a ekg:EvidenceType ; rdfs:label "TAS" .',
    ),
    "MechanismClassShape": (
        'id:m a ekg:MechanismClass ; rdfs:label "K" ; skos:definition "d" ; '
        "ekg:involvesProcess GO:0071805 . GO:0071805 a ekg:BiologicalProcess .",
        'id:m a ekg:MechanismClass ; rdfs:label "K" ; skos:definition "d" .',
    ),
    "MechanismShape": (
        'id:m a ekg:Mechanism ; rdfs:label "GoF" ; ekg:firstStep id:s1 ; ekg:explains MONDO:1 . '
        "id:s1 a ekg:MechanismStep . MONDO:1 a ekg:Disease . id:g a ekg:Gene ; ekg:hasMechanism id:m .",
        'id:m a ekg:Mechanism ; rdfs:label "GoF" ; ekg:firstStep id:s1 , id:s2 ; '
        "ekg:explains MONDO:1 . id:s1 a ekg:MechanismStep . id:s2 a ekg:MechanismStep . "
        "MONDO:1 a ekg:Disease . id:g a ekg:Gene ; ekg:hasMechanism id:m .",
    ),
    "MechanismStepShape": (
        'id:s a ekg:MechanismStep ; rdfs:label "more K" ; ekg:order "1"^^xsd:integer ; '
        'ekg:refersTo GO:0071805 ; ekg:direction "increased" .',
        'id:s a ekg:MechanismStep ; rdfs:label "more K" ; ekg:order "1"^^xsd:integer ; '
        'ekg:refersTo GO:0071805 ; ekg:direction "upwards" .',
    ),
    "PrevalenceShape": (
        'id:p a ekg:Prevalence ; ekg:numerator "1"^^xsd:integer ; '
        'ekg:denominator "900000"^^xsd:integer ; ekg:population "children" .',
        'id:p a ekg:Prevalence ; ekg:numerator "1"^^xsd:integer ; '
        'ekg:denominator "1 in 900,000" ; ekg:population "children" .',
    ),
    "ProportionShape": (
        'id:p a ekg:Proportion ; ekg:fraction "0.70"^^xsd:decimal .',
        'id:p a ekg:Proportion ; ekg:fraction "70"^^xsd:decimal .',
    ),
    "OnsetShape": (
        'id:o a ekg:OnsetAge ; ekg:maximumAge "P6M"^^xsd:duration ; '
        "ekg:onsetCategory HP:0003593 . HP:0003593 a ekg:OnsetCategory .",
        'id:o a ekg:OnsetAge ; ekg:maximumAge "6 months" ; ekg:onsetCategory HP:0003593 . '
        "HP:0003593 a ekg:OnsetCategory .",
    ),
    "CourseStageShape": (
        'id:c a ekg:CourseStage ; rdfs:label "onset" ; ekg:order "1"^^xsd:integer ; '
        'dcterms:description "Seizures begin." .',
        'id:c a ekg:CourseStage ; rdfs:label "onset" ; dcterms:description "Seizures begin." .',
    ),
    "PublicationShape": (
        'PMID:23086397 a ekg:JournalArticle ; rdfs:label "Barcia 2012" ; dcterms:title "De novo KCNT1" ; '
        'ekg:year "2012"^^xsd:gYear ; ekg:journal "Nat Genet" ; bibo:pmid "23086397" ; '
        "ekg:hasAuthorship id:a1 . id:a1 a ekg:Authorship .",
        'PMID:23086397 a ekg:JournalArticle ; rdfs:label "Barcia 2012" ; dcterms:title "De novo KCNT1" ; '
        'ekg:year "2012"^^xsd:gYear ; ekg:journal "Nat Genet" ; '
        "ekg:hasAuthorship id:a1 . id:a1 a ekg:Authorship .",
    ),
    "PublicationIriShape": ("PMID:23086397 a ekg:Publication .", "id:paper a ekg:Publication ."),
    "AuthorshipShape": (
        'id:a a ekg:Authorship ; ekg:order "1"^^xsd:integer ; ekg:authorName "Barcia G" .',
        'id:a a ekg:Authorship ; ekg:authorName "Barcia G" .',
    ),
    "WebResourceShape": (
        'id:r a ekg:ExternalResource ; rdfs:label "OMIM" ; ekg:listedInSection id:s ; '
        "foaf:page <https://omim.org/entry/614959> . id:s a ekg:PageSection .",
        'id:r a ekg:ExternalResource ; rdfs:label "OMIM" ; foaf:page <https://omim.org/entry/614959> .',
    ),
    "SourceShape": (
        'id:s a ekg:Source ; rdfs:label "HGNC" ; foaf:page <https://www.genenames.org/> .',
        'id:s a ekg:Source ; rdfs:label "HGNC" .',
    ),
    "ExternalDatabaseShape": (
        'id:s a ekg:ExternalDatabase ; ekg:checkedOn "2026-11-25"^^xsd:date .',
        'id:s a ekg:ExternalDatabase ; ekg:checkedOn "last week" .',
    ),
    "StatementShape": (
        STATEMENT.format(obj="A", provenance="ekg:source id:src ; ekg:evidence ECO:0000304"),
        STATEMENT.format(obj="A", provenance="ekg:evidence ECO:0000304"),
    ),
    "CausalStatementShape": (
        "id:st a ekg:CausalStatement ; rdf:predicate ekg:causes ; ekg:publication PMID:1 .",
        "id:st a ekg:CausalStatement ; rdf:predicate ekg:causes .",
    ),
    "CausalLinkShape": (
        "id:g ekg:causes id:d . id:st a ekg:CausalStatement ; rdf:subject id:g ; "
        "rdf:predicate ekg:causes ; rdf:object id:d ; ekg:source id:src .",
        "id:g ekg:causes id:d .",
    ),
    "DatasetShape": (
        'id:d a void:Dataset ; dcterms:title "t" ; '
        "dcterms:license <https://creativecommons.org/publicdomain/zero/1.0/> ; "
        'dcterms:created "2026-11-25"^^xsd:date ; owl:versionInfo "0.1.0" ; dcterms:source id:s ; '
        'void:triples "10"^^xsd:integer .',
        'id:d a void:Dataset ; dcterms:title "t" ; dcterms:created "2026-11-25"^^xsd:date ; '
        'owl:versionInfo "0.1.0" ; dcterms:source id:s ; void:triples "10"^^xsd:integer .',
    ),
}


def _owners(shapes: Graph, source_shape: URIRef) -> set[URIRef]:
    owners = {source_shape} | set(shapes.subjects(SH.property, source_shape))
    return {o for o in owners if (o, RDF.type, SH.NodeShape) in shapes}


def _shapes_hit(ttl: str, validator: str = "pyshacl") -> set[str]:
    if validator == "pyshacl":
        from pyshacl import validate
    else:
        from pyshacl_turbo import validate

    data = Graph().parse(data=PREFIXES + ttl, format="turtle")
    ontology = Graph().parse(ontology_file("eimfs.ttl"))
    _, report, _ = validate(
        data,
        shacl_graph=shapes_graph(),
        ont_graph=ontology,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    hit: set[str] = set()
    shapes = shapes_graph()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        for owner in _owners(shapes, report.value(result, SH.sourceShape)):
            targets = set(shapes.objects(owner, SH.targetClass))
            classes = set(data.objects(focus, RDF.type))
            classes |= {sup for c in classes for sup in ontology.transitive_objects(c, RDFS.subClassOf)}
            if not targets or targets & classes:
                hit.add(str(owner).rsplit("/", 1)[-1])
    return hit


def test_every_node_shape_has_a_case() -> None:
    declared = {str(s).rsplit("/", 1)[-1] for s in shapes_graph().subjects(RDF.type, SH.NodeShape)}
    assert declared == set(CASES)


@pytest.mark.parametrize("shape", sorted(CASES))
def test_conforming_example(shape: str) -> None:
    assert shape not in _shapes_hit(CASES[shape][0])


@pytest.mark.parametrize("shape", sorted(CASES))
def test_violating_example(shape: str) -> None:
    assert shape in _shapes_hit(CASES[shape][1])


@pytest.mark.slow  # pySHACL itself on every case: about 10 s in all
@pytest.mark.parametrize("shape", sorted(CASES))
def test_pyshacl_turbo_agrees_with_pyshacl(shape: str) -> None:
    """The build validates with pyshacl-turbo; it must report what pySHACL reports."""
    for example in CASES[shape]:
        assert _shapes_hit(example, "turbo") == _shapes_hit(example, "pyshacl")
