"""Turn the checked curation into an RDF graph where every fact carries its provenance.

Each fact is written twice: as the plain triple a user queries (``gene ekg:causes
disease``) and as an :class:`ekg:Statement` node that names the same triple
(``rdf:subject/predicate/object``) and carries its source (a page section or a
database), its ECO evidence type, the publications behind it and its qualifiers.
Statement IRIs are hashes of the triple and its qualifiers, so builds are
deterministic, a fact stated by two sources gets one node with two sources, and
the same triple in two contexts (say, inheritance for two diseases) gets two nodes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..curation.records import (
    ChannelFamily,
    Curation,
    Disease,
    Gene,
    InheritanceFact,
    ModeExplanation,
    PhenotypeFact,
    Publication,
    ResearchQuestion,
)
from ..identifiers import expand, prefix_map
from ..vocab import KIND_CLASSES
from ..vocab.nodes import (
    BIBO,
    DCTERMS,
    EKG,
    EKGID,
    FOAF,
    OBOINOWL,
    OWL,
    RDF,
    RDFS,
    SKOS,
    TERM_REPLACED_BY,
    VOCABULARY_PREFIXES,
    XSD,
)

if TYPE_CHECKING:
    from rdflib import Graph, URIRef
    from rdflib.term import Node

__all__ = ["Term", "add_statement", "build_graph", "build_quads", "n3", "statement_quads"]

#: An object of the builder's triples (it makes no blank nodes).
Term = ox.NamedNode | ox.Literal

_PAGE_EVIDENCE = "ECO:0000304"  # author statement supported by traceable reference, manual
_DATABASE_EVIDENCE = "ECO:0000352"  # evidence used in manual assertion
_INFERENCE_EVIDENCE = "ECO:0000305"  # curator inference used in manual assertion
_INFERENCE_SOURCE = "curators"
_XSD_STRING = XSD.string.value
_TYPE, _SUBJECT, _PREDICATE, _OBJECT = RDF.type, RDF.subject, RDF.predicate, RDF.object
_SOURCE, _EVIDENCE, _PUBLICATION = EKG.source, EKG.evidence, EKG.publication

# The class of each curated kind, from the one table (vocab.KIND_CLASSES) the cross-checks use too.
_TERM_CLASSES, _DISEASE_CLASSES, _PUBLICATION_CLASSES, _RESOURCE_CLASSES = (
    {kind: EKG[name] for kind, name in KIND_CLASSES[what].items()}
    for what in ("term", "disease", "publication", "resource")
)
_DISEASE_LINKS = {
    "member": EKG.memberOfGroup,
    "associated": EKG.associatedWithGroup,
    "gene-specific-form": EKG.geneSpecificFormOf,
}


@cache
def iri(curie: str) -> ox.NamedNode:
    """The IRI of a CURIE (each made once: the builder asks for some 2,800)."""
    return ox.NamedNode(expand(curie))


def _text(value: str) -> ox.Literal:
    return ox.Literal(" ".join(value.split()))


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=XSD.integer)


def _date(value: date) -> ox.Literal:
    return ox.Literal(value.isoformat(), datatype=XSD.date)


def _hedged(hedge: str | None, *qualifiers: tuple[ox.NamedNode, Term]) -> list[tuple[ox.NamedNode, Term]]:
    """Qualifiers plus the source's hedge ("in most cases", "may" ...), when it gives one."""
    return [*qualifiers, *(((EKG.hedge, ox.Literal(hedge)),) if hedge else ())]


def _quoted(text: str) -> str:
    """A string as rdflib's N3 writes it (the text statement IRIs have always been hashed from)."""
    if "\n" in text:
        encoded = text.replace("\\", "\\\\")
        if '"""' in text:
            encoded = encoded.replace('"""', '\\"\\"\\"')
        if encoded[-1] == '"' and encoded[-2] != "\\":
            encoded = encoded[:-1] + '\\"'
        return '"""' + encoded.replace("\r", "\\r") + '"""'
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r") + '"'


def n3(term: Term) -> str:
    """The N3 text of a term, exactly as rdflib's ``n3()`` gives it for the same term."""
    if isinstance(term, ox.NamedNode):
        return f"<{term.value}>"
    quoted = _quoted(term.value)
    if term.language:
        return f"{quoted}@{term.language}"
    datatype = term.datatype.value
    return quoted if datatype == _XSD_STRING else f"{quoted}^^<{datatype}>"


def statement_quads(
    triple: tuple[ox.NamedNode, ox.NamedNode, Term],
    source: ox.NamedNode,
    evidence: ox.NamedNode,
    *,
    publications: Iterable[ox.NamedNode] = (),
    qualifiers: Sequence[tuple[ox.NamedNode, Term]] = (),
    kind: ox.NamedNode = EKG.Statement,
) -> list[ox.Quad]:
    """A triple and the statement node that carries its source, evidence and qualifiers.

    The node's IRI is a hash of the triple and its qualifiers (their N3 text), so that builds
    are deterministic and a fact stated by two sources gets one node with two sources.
    """
    s, p, o = triple
    context = " ".join(sorted(f"{n3(q)} {n3(v)}" for q, v in qualifiers))
    digest = hashlib.sha1(f"{n3(s)} {n3(p)} {n3(o)} | {context}".encode()).hexdigest()[:16]
    st = EKGID[f"statement.{digest}"]
    quad = ox.Quad
    quads = [
        quad(s, p, o),
        quad(st, _TYPE, kind),
        quad(st, _SUBJECT, s),
        quad(st, _PREDICATE, p),
        quad(st, _OBJECT, o),
        quad(st, _SOURCE, source),
        quad(st, _EVIDENCE, evidence),
    ]
    quads += [quad(st, _PUBLICATION, pub) for pub in publications]
    quads += [quad(st, q, v) for q, v in qualifiers]
    return quads


def add_statement(
    g: Graph,
    triple: tuple[URIRef, URIRef, Node],
    source: URIRef,
    evidence: URIRef,
    *,
    publications: Iterable[URIRef] = (),
    qualifiers: Sequence[tuple[URIRef, Node]] = (),
    kind: URIRef | None = None,
) -> None:
    """:func:`statement_quads` for an rdflib graph (enrichment and tests work on rdflib graphs)."""
    from ..rdf.bridge import to_oxigraph, to_rdflib  # lazy: the build itself never needs rdflib

    def ox_term(term: Node) -> Term:
        converted = to_oxigraph(term)
        assert not isinstance(converted, ox.BlankNode), "statements are made about IRIs and literals"
        return converted

    s, p, o = triple
    for quad in statement_quads(
        (ox.NamedNode(str(s)), ox.NamedNode(str(p)), ox_term(o)),
        ox.NamedNode(str(source)),
        ox.NamedNode(str(evidence)),
        publications=[ox.NamedNode(str(pub)) for pub in publications],
        qualifiers=[(ox.NamedNode(str(q)), ox_term(v)) for q, v in qualifiers],
        kind=EKG.Statement if kind is None else ox.NamedNode(str(kind)),
    ):
        g.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))


class _Builder:
    """Accumulates quads; :meth:`fact` is the one way facts enter the graph."""

    def __init__(self, cur: Curation) -> None:
        self.cur = cur
        self.quads: list[ox.Quad] = []
        src = cur.sources
        self.source_iri: dict[str, ox.NamedNode] = {src.document.key: EKGID[f"source.{src.document.key}"]}
        self.evidence: dict[str, str] = {src.document.key: _PAGE_EVIDENCE}
        for section in src.sections:
            self.source_iri[section.key] = EKGID[f"source.{src.document.key}.{section.key}"]
            self.evidence[section.key] = _PAGE_EVIDENCE
        for database in src.databases:
            self.source_iri[database.key] = EKGID[f"source.{database.key}"]
            self.evidence[database.key] = (
                _INFERENCE_EVIDENCE if database.key == _INFERENCE_SOURCE else _DATABASE_EVIDENCE
            )
        self.disease_iri = {d.key: iri(d.id) for d in cur.diseases}
        self.gene_iri = {g.symbol: iri(g.ncbigene) for g in cur.genes}

    def add(self, s: ox.NamedNode, p: ox.NamedNode, o: Term) -> None:
        """A triple that is not a fact about the condition (the sources' own description)."""
        self.quads.append(ox.Quad(s, p, o))

    # -- the one entry point for facts ---------------------------------------------------

    def fact(
        self,
        s: ox.NamedNode,
        p: ox.NamedNode,
        o: Term,
        source: str,
        *,
        publications: Iterable[str] = (),
        qualifiers: Sequence[tuple[ox.NamedNode, Term]] = (),
        kind: ox.NamedNode = EKG.Statement,
    ) -> None:
        """Add ``(s, p, o)`` and its statement node, naming the source by its curated key."""
        self.quads += statement_quads(
            (s, p, o),
            self.source_iri[source],
            iri(self.evidence[source]),
            publications=[iri(p) for p in publications],
            qualifiers=qualifiers,
            kind=kind,
        )

    def labelled(self, node: ox.NamedNode, cls: ox.NamedNode, label: str, source: str) -> None:
        self.fact(node, RDF.type, cls, source)
        self.fact(node, RDFS.label, _text(label), source)

    # -- sections of the graph ----------------------------------------------------------------

    def sources(self) -> None:
        """Describe the sources themselves (metadata, not facts about the condition)."""
        src = self.cur.sources
        doc = self.source_iri[src.document.key]
        self.add(doc, RDF.type, EKG.SourceDocument)
        self.add(doc, RDFS.label, ox.Literal(src.document.title))
        self.add(doc, FOAF.page, ox.NamedNode(src.document.url))
        self.add(doc, DCTERMS.publisher, ox.Literal(src.document.publisher))
        self.add(doc, EKG.checkedOn, _date(src.document.checked))
        for section in src.sections:
            node = self.source_iri[section.key]
            self.add(node, RDF.type, EKG.PageSection)
            self.add(node, RDFS.label, ox.Literal(f"MedlinePlus Genetics EIMFS page, {section.title}"))
            self.add(node, FOAF.page, ox.NamedNode(src.document.url))
            self.add(node, EKG.partOfDocument, doc)
        for database in src.databases:
            node = self.source_iri[database.key]
            self.add(node, RDF.type, EKG.ExternalDatabase)
            self.add(node, RDFS.label, ox.Literal(database.title))
            self.add(node, FOAF.page, ox.NamedNode(database.url))
            self.add(node, EKG.checkedOn, _date(database.checked))
            if database.version:
                self.add(node, OWL.versionInfo, ox.Literal(database.version))
        for gene_list in src.gene_lists:
            node = EKGID[f"gene-list.{gene_list.key}"]
            self.labelled(node, EKG.GeneList, gene_list.title, gene_list.source)

    def terms(self) -> None:
        for term in self.cur.terms.values():
            node = iri(term.id)
            self.labelled(node, _TERM_CLASSES[term.kind], term.label, term.source)
            self.fact(node, DCTERMS.identifier, ox.Literal(term.id), term.source)

    def disease(self, d: Disease) -> None:
        node = self.disease_iri[d.key]
        self.labelled(node, _DISEASE_CLASSES[d.kind], d.label, d.source)
        self.fact(node, SKOS.prefLabel, _text(d.label), d.source)
        self.fact(node, DCTERMS.identifier, ox.Literal(d.id), d.source)
        self.fact(node, DCTERMS.description, _text(d.description), d.source)
        if d.abbreviation:
            self.fact(node, EKG.abbreviation, ox.Literal(d.abbreviation), d.source)
        for synonym in d.synonyms:
            self.fact(node, SKOS.altLabel, ox.Literal(synonym), d.source)
        for xref in d.xrefs:
            self.fact(node, SKOS.exactMatch, iri(xref.id), xref.source)
        for narrower in d.narrower_matches:
            self.fact(node, SKOS.narrowMatch, iri(narrower.id), narrower.source)
        for xref in d.db_xrefs:
            single = [(EKG.singleSource, ox.Literal(True))] if xref.single_source else []
            self.fact(node, OBOINOWL.hasDbXref, ox.Literal(xref.xref), xref.source, qualifiers=single)
        for alt in d.alternative_ids:
            # an id merged into this one: an obsolete synonym of the same term, not a related term
            self.fact(node, OBOINOWL.hasAlternativeId, ox.Literal(alt.id), alt.source)
            self.fact(iri(alt.id), OWL.deprecated, ox.Literal(True), alt.source)
            self.fact(iri(alt.id), TERM_REPLACED_BY, node, alt.source)
        if d.process:
            self.fact(node, EKG.affectsProcess, iri(d.process), d.source)

    def condition(self) -> None:
        con = self.cur.condition
        node = self.disease_iri[con.disease]
        key = con.disease
        labels = {d.key: {d.label, d.abbreviation} for d in self.cur.diseases}
        for name in con.other_names:
            self.fact(node, EKG.otherNameOnPage, ox.Literal(name.name), con.names_source)
            if name.name not in labels[name.denotes]:
                self.fact(
                    self.disease_iri[name.denotes], SKOS.altLabel, ox.Literal(name.name), con.names_source
                )

        onset = EKGID[f"{key}.onset"]
        self.fact(node, EKG.hasOnset, onset, con.onset.source, qualifiers=_hedged(con.onset.hedge))
        self.labelled(onset, EKG.OnsetAge, f"onset before {con.onset.before}", con.onset.source)
        self.fact(
            onset, EKG.maximumAge, ox.Literal(con.onset.before, datatype=XSD.duration), con.onset.source
        )
        self.fact(onset, EKG.onsetCategory, iri(con.onset.category), con.onset.source)
        for period in con.other_onsets:
            other = EKGID[f"{key}.onset.{period.key}"]
            self.fact(node, EKG.hasOnset, other, period.source, qualifiers=_hedged(period.hedge))
            self.labelled(other, EKG.OnsetAge, period.label, period.source)
            self.fact(other, EKG.onsetCategory, iri(period.category), period.source)

        prev, prevalence = con.prevalence, EKGID[f"{key}.prevalence"]
        self.fact(node, EKG.hasPrevalence, prevalence, prev.source)
        self.labelled(
            prevalence,
            EKG.Prevalence,
            f"about {prev.numerator} in {prev.denominator:,} {prev.population}",
            prev.source,
        )
        self.fact(prevalence, EKG.numerator, _integer(prev.numerator), prev.source)
        self.fact(prevalence, EKG.denominator, _integer(prev.denominator), prev.source)
        self.fact(prevalence, EKG.population, ox.Literal(prev.population), prev.source)
        self.fact(prevalence, EKG.approximate, ox.Literal(prev.approximate), prev.source)

        share, proportion = con.genetic_cause_share, EKGID[f"{key}.genetic-cause-share"]
        self.fact(node, EKG.hasGeneticCauseShare, proportion, share.source)
        self.labelled(
            proportion,
            EKG.Proportion,
            f"about {share.fraction:.0%} of cases have a known genetic cause",
            share.source,
        )
        # canonical xsd:decimal form (0.7, not 0.70) so that every engine returns the same text
        self.fact(
            proportion,
            EKG.fraction,
            ox.Literal(str(Decimal(str(share.fraction))), datatype=XSD.decimal),
            share.source,
        )
        self.fact(proportion, EKG.approximate, ox.Literal(share.approximate), share.source)

        for stage in con.course:
            stage_node = EKGID[f"{key}.course.{stage.order}"]
            self.fact(node, EKG.hasCourseStage, stage_node, stage.source)
            self.labelled(stage_node, EKG.CourseStage, stage.label, stage.source)
            self.fact(stage_node, EKG.order, _integer(stage.order), stage.source)
            if stage.timing:
                self.fact(stage_node, EKG.timing, _text(stage.timing), stage.source)
            self.fact(stage_node, EKG.seizureFrequency, _text(stage.seizure_frequency), stage.source)
            self.fact(stage_node, DCTERMS.description, _text(stage.description), stage.source)

        self.fact(node, EKG.severity, ox.Literal(con.severity.text), con.severity.source)
        self.fact(node, EKG.prognosis, _text(con.prognosis.text), con.prognosis.source)
        for link in con.links:
            self.fact(
                self._link_subject(link.relation, node, link.disease),
                _DISEASE_LINKS[link.relation],
                self._link_object(link.relation, node, link.disease),
                link.source,
            )
        for fact in con.inheritance:
            self._inheritance(node, fact)
        for explained in con.mode_explanations:
            self._mode_explanation(explained)
        for question in con.research:
            self._research_question(node, question)
        for phenotype in self.cur.phenotypes:
            self._phenotype(node, phenotype)

    def _phenotype(self, condition: ox.NamedNode, phenotype: PhenotypeFact) -> None:
        """A feature of the condition; its frequency, hedge, note and stated cause each in its own place."""
        term = iri(phenotype.id)
        clinical_course = self.cur.terms[phenotype.id].kind == "clinical-course"
        qualifiers: list[tuple[ox.NamedNode, Term]] = []
        if phenotype.frequency:
            qualifiers.append((EKG.frequencyNote, ox.Literal(phenotype.frequency)))
        if phenotype.note:
            qualifiers.append((EKG.qualifierNote, _text(phenotype.note)))
        self.fact(
            condition,
            EKG.hasClinicalCourse if clinical_course else EKG.hasPhenotype,
            term,
            phenotype.source,
            qualifiers=_hedged(phenotype.hedge, *qualifiers),
        )
        if phenotype.consequence_of:
            self.fact(
                term,
                EKG.consequenceOf,
                iri(phenotype.consequence_of),
                phenotype.source,
                qualifiers=[(EKG.forDisease, condition)],
            )
        if phenotype.explanation:
            self.fact(term, SKOS.scopeNote, _text(phenotype.explanation), phenotype.source)

    def _mode_explanation(self, explained: ModeExplanation) -> None:
        """What the source says a mode of inheritance means, as typed facts on the HPO term."""
        mode, source = iri(explained.mode), explained.source
        self.fact(mode, SKOS.scopeNote, _text(explained.explanation), source)
        for predicate, value in (
            (EKG.alteredCopiesNeeded, explained.altered_copies_needed),
            (EKG.inMales, explained.in_males),
            (EKG.inHeterozygousFemales, explained.heterozygous_females),
            (EKG.carrierParents, explained.carrier_parents),
            (EKG.fatherToSonTransmission, explained.father_to_son_transmission),
            (EKG.familyHistory, explained.family_history),
            *((EKG.variantOrigin, origin) for origin in explained.variant_origins),
        ):
            if value is not None:
                literal = ox.Literal(value)
                self.fact(mode, predicate, literal, source)

    def _research_question(self, condition: ox.NamedNode, question: ResearchQuestion) -> None:
        node = EKGID[f"{self.cur.condition.disease}.research.{question.key}"]
        self.fact(condition, EKG.hasOpenQuestion, node, question.source)
        self.labelled(node, EKG.ResearchQuestion, question.question, question.source)
        for about in question.about:
            self.fact(node, EKG.about, self.gene_iri.get(about) or self.disease_iri[about], question.source)

    def _link_subject(self, relation: str, node: ox.NamedNode, other: str) -> ox.NamedNode:
        # "gene-specific form of" points from the specific entity to the syndrome.
        return self.disease_iri[other] if relation == "gene-specific-form" else node

    def _link_object(self, relation: str, node: ox.NamedNode, other: str) -> ox.NamedNode:
        return node if relation == "gene-specific-form" else self.disease_iri[other]

    def _inheritance(self, subject: ox.NamedNode, fact: InheritanceFact) -> None:
        qualifiers: list[tuple[ox.NamedNode, Term]] = [
            (EKG.clinicalModifier, iri(modifier)) for modifier in fact.modifiers
        ]
        if fact.disease:
            qualifiers.append((EKG.forDisease, self.disease_iri[fact.disease]))
        if fact.note:
            qualifiers.append((EKG.qualifierNote, _text(fact.note)))
        self.fact(
            subject,
            EKG.hasModeOfInheritance,
            iri(fact.mode),
            fact.source,
            publications=fact.publications,
            qualifiers=_hedged(fact.hedge, *qualifiers),
        )

    def gene(self, gene: Gene) -> None:
        node = self.gene_iri[gene.symbol]
        identity = "hgnc" if gene.hgnc else "ncbi-gene"
        self.labelled(node, EKG.Gene, gene.symbol, identity)
        self.fact(node, EKG.symbol, ox.Literal(gene.symbol), identity)
        self.fact(node, EKG.approvedName, ox.Literal(gene.name), "ncbi-gene")
        self.fact(node, DCTERMS.identifier, ox.Literal(gene.ncbigene), "ncbi-gene")
        self.fact(node, EKG.chromosomeLocation, ox.Literal(gene.location), "ncbi-gene")
        chromosome = gene.location.split("p")[0].split("q")[0]
        self.fact(node, EKG.chromosome, ox.Literal(chromosome), "ncbi-gene")
        if gene.hgnc:
            self.fact(node, SKOS.exactMatch, iri(gene.hgnc), "hgnc")
        if gene.omim:
            self.fact(node, SKOS.exactMatch, iri(gene.omim), "omim")
        for gene_list in gene.lists:
            list_source = next(gl.source for gl in self.cur.sources.gene_lists if gl.key == gene_list)
            self.fact(node, EKG.listedIn, EKGID[f"gene-list.{gene_list}"], list_source)

        protein = iri(gene.protein.id)
        self.fact(node, EKG.hasGeneProduct, protein, gene.protein.source)
        self.fact(protein, EKG.geneProductOf, node, gene.protein.source)
        self.fact(protein, RDF.type, EKG[gene.protein.protein_class], gene.protein.source)
        self.fact(
            protein,
            RDFS.label,
            _text(gene.protein.name),
            gene.protein.source,
            qualifiers=[(EKG.verified, ox.Literal(gene.protein.name_verified))],
        )
        self.fact(protein, DCTERMS.identifier, ox.Literal(gene.protein.id), gene.protein.source)
        self.fact(protein, DCTERMS.description, _text(gene.protein.kind), gene.protein.source)
        for ion in gene.ions:
            self.fact(protein, EKG.transportsIon, iri(ion.id), ion.source, publications=ion.publications)
        for cell in gene.active_in:
            self.fact(protein, EKG.activeIn, iri(cell.id), cell.source)
        for function in gene.functions:
            self.fact(
                protein, EKG.enables, iri(function.id), function.source, publications=function.publications
            )

        mclass = gene.mechanism_class
        self.fact(
            node,
            EKG.hasMechanismClass,
            EKGID[f"mechanism-class.{mclass.mechanism_class}"],
            mclass.source,
            publications=mclass.publications,
            qualifiers=[(EKG.qualifierNote, _text(mclass.note))] if mclass.note else (),
        )
        for link in gene.links:
            qualifiers: list[tuple[ox.NamedNode, Term]] = []
            if link.rank:
                qualifiers.append((EKG.causeRank, _integer(link.rank)))
            if link.variant_type:
                qualifiers.append((EKG.variantType, iri(link.variant_type)))
            causal = link.relation == "causes"
            self.fact(
                node,
                EKG.causes if causal else EKG.associatedWith,
                self.disease_iri[link.disease],
                link.source,
                publications=link.publications,
                qualifiers=_hedged(link.hedge, *qualifiers),
                kind=EKG.CausalStatement if causal else EKG.CorrelativeStatement,
            )
        for fact in gene.inheritance:
            self._inheritance(node, fact)

    def mechanisms(self) -> None:
        for mclass in self.cur.mechanism_classes:
            node = EKGID[f"mechanism-class.{mclass.key}"]
            self.labelled(node, EKG.MechanismClass, mclass.label, mclass.source)
            self.fact(node, SKOS.definition, _text(mclass.definition), mclass.source)
            if mclass.process:
                self.fact(node, EKG.involvesProcess, iri(mclass.process), mclass.source)
            if not mclass.established:
                self.fact(node, EKG.established, ox.Literal(False), mclass.source)
        for mech in self.cur.mechanisms:
            node = EKGID[f"mechanism.{mech.key}"]
            self.labelled(node, EKG.Mechanism, mech.label, mech.source)
            self.fact(
                node,
                DCTERMS.description,
                _text(mech.description),
                mech.source,
                publications=mech.publications,
            )
            self.fact(
                node,
                EKG.explains,
                self.disease_iri[mech.explains],
                mech.source,
                publications=mech.publications,
            )
            for symbol in mech.genes:
                self.fact(
                    self.gene_iri[symbol],
                    EKG.hasMechanism,
                    node,
                    mech.genes_source or mech.source,
                    publications=mech.publications,
                )
            previous = None
            for order, step in enumerate(mech.steps, start=1):
                step_node = EKGID[f"mechanism.{mech.key}.step.{order}"]
                source = step.source or mech.source
                self.fact(node, EKG.hasStep, step_node, source)
                if order == 1:
                    self.fact(node, EKG.firstStep, step_node, source, qualifiers=_hedged(step.hedge))
                self.labelled(step_node, EKG.MechanismStep, step.label, source)
                self.fact(step_node, EKG.order, _integer(order), source)
                self.fact(step_node, EKG.refersTo, iri(step.refers_to), source)
                if step.direction:
                    self.fact(step_node, EKG.direction, ox.Literal(step.direction), source)
                if previous is not None:
                    self.fact(
                        previous,
                        EKG.leadsTo,
                        step_node,
                        source,
                        publications=mech.publications,
                        qualifiers=_hedged(step.hedge),
                    )
                previous = step_node
        for family in self.cur.channel_families:
            self.channel_family(family)

    def channel_family(self, family: ChannelFamily) -> None:
        """A family of ion channels as the source explains it: which ion, which way, what for."""
        node = EKGID[f"channel-family.{family.key}"]
        self.labelled(node, EKG.ChannelFamily, family.label, family.source)
        self.fact(node, EKG.proteinClass, EKG[family.protein_class], family.source)
        self.fact(node, EKG.conductsIon, iri(family.ion), family.source)
        self.fact(node, EKG.ionFlow, _text(family.flow), family.source)
        self.fact(node, EKG.roleInCell, _text(family.role), family.source)

    def publication(self, pub: Publication) -> None:
        node = iri(pub.id)
        first = pub.authors[0].split(" ")[0] if pub.authors else "Anonymous"
        several = len(pub.authors) > 1 or not pub.authors_complete
        citation = f"{first} et al. {pub.year}" if several else f"{first} {pub.year}"
        self.labelled(node, _PUBLICATION_CLASSES[pub.kind], citation, pub.source)
        self.fact(node, DCTERMS.identifier, ox.Literal(pub.id), pub.id_source if pub.pmid else pub.source)
        self.fact(node, DCTERMS.title, _text(pub.title), pub.source)
        self.fact(node, EKG.journal, ox.Literal(pub.journal), pub.source)
        self.fact(node, EKG.year, ox.Literal(str(pub.year), datatype=XSD.gYear), pub.source)
        # bibliographic data as the page cites it; identifiers as checked in PubMed/PMC
        for attribute, predicate, source in (
            ("volume", BIBO.volume, pub.source),
            ("issue", BIBO.issue, pub.source),
            ("pages", BIBO.pages, pub.source),
            ("doi", BIBO.doi, pub.source),
            ("pmid", BIBO.pmid, pub.id_source),
            ("pmcid", EKG.pmcid, pub.id_source),
            ("bookshelf", EKG.bookshelfId, pub.id_source),
        ):
            value = getattr(pub, attribute)
            if value:
                # an identifier no public source could pair with the title or DOI says so
                checked = [(EKG.verified, ox.Literal(attribute not in pub.unverified))]
                identifier = attribute in ("pmid", "pmcid")
                self.fact(
                    node, predicate, ox.Literal(value), source, qualifiers=checked if identifier else ()
                )
        if not pub.authors_complete:
            self.fact(node, EKG.authorListComplete, ox.Literal(False), pub.source)
        if pub.free_on_pmc:
            self.fact(node, EKG.freeFullTextOnPMC, ox.Literal(True), pub.source)
        for position, author in enumerate(pub.authors, start=1):
            authorship = EKGID[f"publication.{pub.key}.author.{position}"]
            self.fact(node, EKG.hasAuthorship, authorship, pub.source)
            self.fact(authorship, RDF.type, EKG.Authorship, pub.source)
            self.fact(authorship, EKG.order, _integer(position), pub.source)
            self.fact(authorship, EKG.authorName, ox.Literal(author), pub.source)
        for about in pub.about:
            target = self.gene_iri.get(about) or self.disease_iri[about]
            self.fact(node, EKG.about, target, pub.source)

    def resources(self) -> None:
        for res in self.cur.resources:
            node = EKGID[f"resource.{res.key}"]
            self.labelled(node, _RESOURCE_CLASSES[res.kind], res.label, res.section)
            self.fact(node, EKG.resourceType, ox.Literal(res.resource_type), res.section)
            self.fact(node, EKG.listedInSection, self.source_iri[res.section], res.section)
            if res.about:
                self.fact(node, EKG.about, self.disease_iri[res.about], res.section)
            if res.identifier:
                self.fact(node, DCTERMS.identifier, ox.Literal(res.identifier), res.source or res.section)
            if res.url:
                self.fact(node, FOAF.page, ox.NamedNode(res.url), res.source or res.section)

    def disagreements(self) -> None:
        """Where sources disagree: a record about an entity, with each source's claim."""
        for record in self.cur.disagreements:
            node = EKGID[f"disagreement.{record.key}"]
            about = self.gene_iri.get(record.about) or self.disease_iri[record.about]
            disease = next((d for d in self.cur.diseases if d.key == record.about), None)
            about_name = (disease.abbreviation or disease.label) if disease else record.about
            title = f"{record.topic} of {about_name}"
            self.labelled(node, EKG.SourceDisagreement, f"sources disagree: {title}", _INFERENCE_SOURCE)
            self.fact(node, EKG.about, about, _INFERENCE_SOURCE)
            self.fact(node, EKG.topic, ox.Literal(record.topic), _INFERENCE_SOURCE)
            self.fact(node, DCTERMS.description, _text(record.description), _INFERENCE_SOURCE)
            for order, claim in enumerate(record.claims, start=1):
                claim_node = EKGID[f"disagreement.{record.key}.claim.{order}"]
                self.fact(node, EKG.hasClaim, claim_node, _INFERENCE_SOURCE)
                self.labelled(
                    claim_node, EKG.Claim, f"{claim.source}'s claim on the {title}", _INFERENCE_SOURCE
                )
                self.fact(claim_node, EKG.claimText, _text(claim.text), _INFERENCE_SOURCE)
                self.fact(claim_node, EKG.claimSource, self.source_iri[claim.source], _INFERENCE_SOURCE)
                for predicate, names in ((EKG.claimsEntity, claim.entities), (EKG.lacksEntity, claim.lacks)):
                    for name in names:
                        entity = self.gene_iri[name] if ":" not in name else iri(name)
                        self.fact(claim_node, predicate, entity, _INFERENCE_SOURCE)
                if claim.value:
                    self.fact(claim_node, EKG.claimsValue, ox.Literal(claim.value), _INFERENCE_SOURCE)

    def build(self) -> list[ox.Quad]:
        self.sources()
        self.terms()
        for disease in self.cur.diseases:
            self.disease(disease)
        self.condition()
        self.mechanisms()
        for gene in self.cur.genes:
            self.gene(gene)
        for publication in self.cur.publications:
            self.publication(publication)
        self.resources()
        self.disagreements()
        return self.quads


def build_quads(cur: Curation) -> list[ox.Quad]:
    """The data graph of ``cur``: every curated fact with its statement node (repeats included)."""
    return _Builder(cur).build()


def build_graph(cur: Curation) -> Graph:
    """The data graph of ``cur`` as an rdflib graph, with the builder's prefixes bound."""
    from ..rdf.bridge import rdflib_graph  # lazy: the build itself never needs rdflib

    return rdflib_graph(build_quads(cur), {**prefix_map(), **VOCABULARY_PREFIXES})
