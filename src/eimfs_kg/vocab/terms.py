"""The eimfs-kg vocabulary as rdflib namespaces; a misspelt ``EKG`` term fails where it is used."""

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

from . import BIBO_IRI, BIOLINK_IRI, OBOINOWL_IRI, PAV_IRI, SHACL_IRI
from . import EKG_IRI as _EKG
from . import EKGID_IRI as _EKGID

__all__ = ["BIBO", "BIOLINK", "EKG", "EKGID", "OBOINOWL", "PAV", "SH"]


class EKG(DefinedNamespace):
    """Classes and properties of ``ontology/eimfs.ttl`` (kept in step by a test)."""

    _NS = Namespace(_EKG)
    _fail = True

    # classes
    AminoacylTRNASynthetase: URIRef
    Authorship: URIRef
    BiologicalProcess: URIRef
    BookChapter: URIRef
    CellType: URIRef
    CationChannel: URIRef
    CausalStatement: URIRef
    ChlorideChannel: URIRef
    ChromatinRemodeller: URIRef
    ClinicalModifier: URIRef
    CohesinSubunit: URIRef
    CorrelativeStatement: URIRef
    Cotransporter: URIRef
    CourseStage: URIRef
    DNADamageResponseProtein: URIRef
    Disease: URIRef
    DiseaseGroup: URIRef
    Enzyme: URIRef
    EvidenceType: URIRef
    ExternalDatabase: URIRef
    ExternalResource: URIRef
    GABAAReceptorSubunit: URIRef
    GTPaseRegulator: URIRef
    Gene: URIRef
    GeneList: URIRef
    Glycosyltransferase: URIRef
    InheritanceMode: URIRef
    Ion: URIRef
    IonChannel: URIRef
    IonPump: URIRef
    JournalArticle: URIRef
    Mechanism: URIRef
    MechanismClass: URIRef
    MechanismStep: URIRef
    MitochondrialCarrier: URIRef
    MolecularFunction: URIRef
    NucleotidePhosphatase: URIRef
    OnsetAge: URIRef
    OnsetCategory: URIRef
    Oxidoreductase: URIRef
    PageSection: URIRef
    Phenotype: URIRef
    Phospholipase: URIRef
    PotassiumChannel: URIRef
    Prevalence: URIRef
    Proportion: URIRef
    Protein: URIRef
    ProteinKinase: URIRef
    Publication: URIRef
    RelatedTopic: URIRef
    SodiumActivatedPotassiumChannel: URIRef
    SodiumChannel: URIRef
    Source: URIRef
    SourceDocument: URIRef
    Statement: URIRef
    SynthetaseComplexComponent: URIRef
    Transporter: URIRef
    VariantType: URIRef
    VoltageGatedPotassiumChannel: URIRef
    VoltageGatedSodiumChannel: URIRef
    WebResource: URIRef
    # properties
    activeIn: URIRef
    abbreviation: URIRef
    about: URIRef
    affectsProcess: URIRef
    approvedName: URIRef
    approximate: URIRef
    associatedWith: URIRef
    associatedWithGroup: URIRef
    authorName: URIRef
    bookshelfId: URIRef
    causallyUpstreamOf: URIRef
    causeRank: URIRef
    causes: URIRef
    checkedOn: URIRef
    chromosome: URIRef
    chromosomeLocation: URIRef
    clinicalModifier: URIRef
    denominator: URIRef
    direction: URIRef
    enables: URIRef
    evidence: URIRef
    explains: URIRef
    firstStep: URIRef
    forDisease: URIRef
    fraction: URIRef
    frequencyNote: URIRef
    geneProductOf: URIRef
    geneSpecificFormOf: URIRef
    hasAuthorship: URIRef
    hasCourseStage: URIRef
    hasGeneProduct: URIRef
    hasGeneticCauseShare: URIRef
    hasMechanism: URIRef
    hasMechanismClass: URIRef
    hasModeOfInheritance: URIRef
    hasOnset: URIRef
    hasPhenotype: URIRef
    hasPrevalence: URIRef
    hasStep: URIRef
    involvesProcess: URIRef
    journal: URIRef
    leadsTo: URIRef
    listedIn: URIRef
    listedInSection: URIRef
    maximumAge: URIRef
    memberOfGroup: URIRef
    numerator: URIRef
    onsetCategory: URIRef
    order: URIRef
    otherNameOnPage: URIRef
    partOfDocument: URIRef
    pmcid: URIRef
    population: URIRef
    prognosis: URIRef
    publication: URIRef
    qualifierNote: URIRef
    refersTo: URIRef
    resourceType: URIRef
    seizureFrequency: URIRef
    severity: URIRef
    source: URIRef
    symbol: URIRef
    timing: URIRef
    transportsIon: URIRef
    variantType: URIRef
    year: URIRef


#: Namespace of the resources the project mints (statements, mechanisms, sources ...).
EKGID = Namespace(_EKGID)

BIBO = Namespace(BIBO_IRI)
BIOLINK = Namespace(BIOLINK_IRI)
OBOINOWL = Namespace(OBOINOWL_IRI)
PAV = Namespace(PAV_IRI)
SH = Namespace(SHACL_IRI)
