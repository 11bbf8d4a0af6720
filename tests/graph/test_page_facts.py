"""Every fact of the MedlinePlus page is in the graph as structured data."""

from __future__ import annotations

from decimal import Decimal

from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef

from eimfs_kg.identifiers import expand
from eimfs_kg.vocab import EKG

EIMFS = URIRef(expand("MONDO:0017385"))
DEE14 = URIRef(expand("MONDO:0013989"))

PAGE_GENES = [
    "ATP1A3",
    "CDKL5",
    "CHD2",
    "GABRA1",
    "KCNQ2",
    "KCNT1",
    "PIGA",
    "SCN1A",
    "SCN2A",
    "SCN8A",
    "SMC1A",
    "TBC1D24",
]
NCBI_GENES = [
    "AIMP1",
    "ALG3",
    "BRAT1",
    "GABRB1",
    "GABRB3",
    "HCN1",
    "ITPA",
    "KARS1",
    "PLCB1",
    "QARS1",
    "SLC12A5",
    "SLC25A22",
    "WWOX",
]
OTHER_NAMES = [
    "DEE 14",
    "Developmental and epileptic encephalopathy 14",
    "Early infantile epileptic encephalopathy 14",
    "EIEE14",
    "EIMFS",
    "Epilepsy with migrating focal seizure in infancy",
    "Malignant migrating partial epilepsy of infancy",
    "Malignant migrating partial seizures of infancy",
    "MFSI",
    "Migrating focal seizures of infancy",
    "Migrating partial epilepsy of infancy",
    "Migrating partial seizures of infancy",
    "MMPEI",
    "MMPSI",
    "MPEI",
    "MPSI",
]


def hp(number: str) -> URIRef:
    return URIRef(expand(f"HP:{number}"))


def test_condition_names(graph: Graph) -> None:
    assert graph.value(EIMFS, SKOS.prefLabel) == Literal("epilepsy of infancy with migrating focal seizures")
    assert graph.value(EIMFS, EKG.abbreviation) == Literal("EIMFS")
    listed = {str(n) for n in graph.objects(EIMFS, EKG.otherNameOnPage)}
    assert listed == set(OTHER_NAMES)


def test_dee14_names_belong_to_the_gene_specific_entity(graph: Graph) -> None:
    dee14_names = {str(n) for n in graph.objects(DEE14, SKOS.altLabel)}
    assert {"DEE 14", "Early infantile epileptic encephalopathy 14", "EIEE14"} <= dee14_names
    eimfs_names = {str(n) for n in graph.objects(EIMFS, SKOS.altLabel)}
    assert "EIEE14" not in eimfs_names and "MMPSI" in eimfs_names
    assert (DEE14, EKG.geneSpecificFormOf, EIMFS) in graph
    assert (DEE14, SKOS.exactMatch, URIRef(expand("OMIM:614959"))) in graph
    assert (EIMFS, SKOS.exactMatch, URIRef(expand("ORPHANET:293181"))) in graph


def test_quantities_are_typed_data(graph: Graph) -> None:
    (onset,) = (o for o in graph.objects(EIMFS, EKG.hasOnset) if (o, EKG.maximumAge, None) in graph)
    assert str(graph.value(onset, EKG.maximumAge)) == "P6M"
    assert graph.value(onset, EKG.onsetCategory) == hp("0003593")
    prevalence = graph.value(EIMFS, EKG.hasPrevalence)
    assert graph.value(prevalence, EKG.numerator).toPython() == 1
    assert graph.value(prevalence, EKG.denominator).toPython() == 900000
    assert str(graph.value(prevalence, EKG.population)) == "children"
    share = graph.value(EIMFS, EKG.hasGeneticCauseShare)
    assert graph.value(share, EKG.fraction).toPython() == Decimal("0.7")


def test_clinical_course_in_order(graph: Graph) -> None:
    stages = sorted(
        graph.objects(EIMFS, EKG.hasCourseStage), key=lambda s: graph.value(s, EKG.order).toPython()
    )
    frequencies = [str(graph.value(s, EKG.seizureFrequency)) for s in stages]
    assert len(stages) == 4
    assert frequencies[1] == "occasional"
    assert "almost continuous" in frequencies[2]
    assert frequencies[3] == "less frequent"
    assert "year or more" in str(graph.value(stages[3], EKG.timing))
    assert str(graph.value(EIMFS, EKG.severity)) == "severe"


def test_groups_dee_and_cdg(graph: Graph) -> None:
    dee = URIRef(expand("ekgid:disease-group.dee"))
    assert (EIMFS, EKG.memberOfGroup, dee) in graph
    # Mondo's old DEE id now means the genetic DEEs only: a narrower match, not the page's group
    genetic_dee = URIRef(expand("MONDO:0100062"))
    assert (dee, SKOS.narrowMatch, genetic_dee) in graph
    assert str(graph.value(genetic_dee, RDFS.label)) == "genetic developmental and epileptic encephalopathy"
    assert (EIMFS, EKG.associatedWithGroup, URIRef(expand("MONDO:0015286"))) in graph


def test_phenotypes(graph: Graph) -> None:
    phenotypes = set(graph.objects(EIMFS, EKG.hasPhenotype))
    expected = {
        "0011153",
        "0032786",
        "0002133",
        "0002376",
        "0001263",
        "0001249",
        "0000252",
        "0001252",
        "0001257",
        "0004305",
        "0002540",
        "0001344",
        "0007281",
    }
    assert phenotypes == {hp(n) for n in expected}
    for phenotype in phenotypes:
        assert (phenotype, RDF.type, EKG.Phenotype) in graph


def test_death_in_childhood_is_a_clinical_course_term(graph: Graph) -> None:
    """HPO files it under Clinical course: typed so, it cannot be inferred a phenotypic abnormality."""
    death = hp("0003819")
    assert (EIMFS, EKG.hasClinicalCourse, death) in graph
    assert (EIMFS, EKG.hasPhenotype, death) not in graph
    assert set(graph.objects(death, RDF.type)) == {EKG.ClinicalCourse}


def _genes_in(graph: Graph, list_key: str) -> set[str]:
    gene_list = URIRef(f"https://w3id.org/eimfs-kg/id/gene-list.{list_key}")
    return {str(graph.value(g, EKG.symbol)) for g in graph.subjects(EKG.listedIn, gene_list)}


def test_all_25_genes_with_their_list(graph: Graph) -> None:
    assert _genes_in(graph, "medlineplus-genes") == set(PAGE_GENES)
    assert _genes_in(graph, "ncbi-gene-genes") == set(NCBI_GENES)
    for gene in graph.subjects(RDF.type, EKG.Gene):
        assert graph.value(gene, EKG.approvedName)
        assert graph.value(gene, EKG.chromosomeLocation)
        assert graph.value(gene, EKG.hasGeneProduct)
        assert graph.value(gene, EKG.hasMechanismClass)


def test_kcnt1_identity(graph: Graph) -> None:
    kcnt1 = URIRef(expand("NCBIGene:57582"))
    assert str(graph.value(kcnt1, RDFS.label)) == "KCNT1"
    assert (kcnt1, SKOS.exactMatch, URIRef(expand("HGNC:18865"))) in graph
    assert str(graph.value(kcnt1, EKG.chromosomeLocation)) == "9q34.3"
    protein = graph.value(kcnt1, EKG.hasGeneProduct)
    assert protein == URIRef(expand("UniProtKB:Q5JUK3"))
    assert (protein, RDF.type, EKG.SodiumActivatedPotassiumChannel) in graph
    assert (protein, EKG.transportsIon, URIRef(expand("CHEBI:29103"))) in graph


def test_inheritance_of_condition(graph: Graph) -> None:
    modes = set(graph.objects(EIMFS, EKG.hasModeOfInheritance))
    assert modes == {hp("0025352"), hp("0000006"), hp("0000007"), hp("0001417")}


def test_kcnt1_reduced_penetrance_and_variable_expressivity(graph: Graph) -> None:
    query = """
        SELECT ?modifier WHERE {
            ?st rdf:subject ?gene ; rdf:predicate ekg:hasModeOfInheritance ;
                rdf:object HP:0000006 ; ekg:forDisease ?d ; ekg:clinicalModifier ?modifier .
            ?gene ekg:symbol "KCNT1" .
        }"""
    modifiers = {row.modifier for row in graph.query(query)}
    assert modifiers == {hp("0003829"), hp("0003828")}


def test_references_complete(graph: Graph) -> None:
    publications = set(graph.subjects(RDF.type, EKG.JournalArticle)) | set(
        graph.subjects(RDF.type, EKG.BookChapter)
    )
    page = URIRef(expand("ekgid:source.medlineplus.references"))
    title = URIRef("http://purl.org/dc/terms/title")
    cited_by_page = {
        graph.value(st, RDF.subject)
        for st in graph.subjects(EKG.source, page)
        if graph.value(st, RDF.predicate) == title
    }
    assert len(cited_by_page) == 12 and cited_by_page < publications  # 4 more are cited by curators
    barcia = URIRef(expand("PMID:23086397"))
    assert str(graph.value(barcia, EKG.pmcid)) == "PMC3687547"
    assert str(graph.value(barcia, URIRef("http://purl.org/ontology/bibo/doi"))) == "10.1038/ng.2441"
    authors = sorted(
        graph.objects(barcia, EKG.hasAuthorship), key=lambda a: graph.value(a, EKG.order).toPython()
    )
    names = [str(graph.value(a, EKG.authorName)) for a in authors]
    assert len(names) == 20 and names[0] == "Barcia G" and names[-1] == "Nabbout R"
    gertler = URIRef(expand("PMID:30234941"))
    assert str(graph.value(gertler, EKG.bookshelfId)) == "NBK525917"


def test_resources_and_topics(graph: Graph) -> None:
    labels = {str(graph.value(r, RDFS.label)) for r in graph.subjects(RDF.type, EKG.ExternalResource)}
    assert {"ClinicalTrials.gov", "PubMed", "National Organization for Rare Disorders (NORD)"} <= labels
    assert len(list(graph.subjects(RDF.type, EKG.RelatedTopic))) == 11


def test_channel_facts_from_causes_section(graph: Graph) -> None:
    """KCNT1 and SCN2A channels are active in neurons; their ions are stated by the page too."""
    neuron = URIRef(expand("CL:0000540"))
    for protein, ion in (("UniProtKB:Q5JUK3", "CHEBI:29103"), ("UniProtKB:Q99250", "CHEBI:29101")):
        node = URIRef(expand(protein))
        assert (node, EKG.activeIn, neuron) in graph
        query = """SELECT ?label WHERE { ?st rdf:subject ?p ; rdf:predicate ekg:transportsIon ;
                                              rdf:object ?ion ; ekg:source/rdfs:label ?label }"""
        sources = {
            str(r.label) for r in graph.query(query, initBindings={"p": node, "ion": URIRef(expand(ion))})
        }
        assert any("Causes" in s for s in sources) and any("UniProtKB" in s for s in sources)
