"""The eimfs-kg vocabulary as rdflib namespaces; a misspelt ``EKG`` term fails where it is used."""

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

from . import BIBO_IRI, BIOLINK_IRI, OBOINOWL_IRI, PAV_IRI, SHACL_IRI, TERM_REPLACED_BY_IRI
from . import EKG_IRI as _EKG
from . import EKGID_IRI as _EKGID

__all__ = ["BIBO", "BIOLINK", "EKG", "EKGID", "OBOINOWL", "PAV", "SH", "TERM_REPLACED_BY"]


class EKG(DefinedNamespace):
    """Classes and properties of ``ontology/eimfs.ttl`` (kept in step by a test)."""

    _NS = Namespace(_EKG)
    _fail = True

    # classes
    AminoacylTRNASynthetase: URIRef
    Authorship: URIRef
    BiologicalProcess: URIRef
    BookChapter: URIRef
    CationChannel: URIRef
    CausalStatement: URIRef
    CellType: URIRef
    ChannelFamily: URIRef
    ChlorideChannel: URIRef
    ChromatinRemodeller: URIRef
    Claim: URIRef
    ClinicalCourse: URIRef
    ClinicalModifier: URIRef
    CohesinSubunit: URIRef
    CorrelativeStatement: URIRef
    Cotransporter: URIRef
    CourseStage: URIRef
    Disease: URIRef
    DiseaseGroup: URIRef
    DNADamageResponseProtein: URIRef
    Enzyme: URIRef
    EvidenceType: URIRef
    ExternalDatabase: URIRef
    ExternalResource: URIRef
    GABAAReceptorSubunit: URIRef
    Gene: URIRef
    GeneList: URIRef
    Glycosyltransferase: URIRef
    GTPaseRegulator: URIRef
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
    ResearchQuestion: URIRef
    SodiumActivatedPotassiumChannel: URIRef
    SodiumChannel: URIRef
    Source: URIRef
    SourceDisagreement: URIRef
    SourceDocument: URIRef
    Statement: URIRef
    SynthetaseComplexComponent: URIRef
    Transporter: URIRef
    VariantType: URIRef
    VoltageGatedPotassiumChannel: URIRef
    VoltageGatedSodiumChannel: URIRef
    WebResource: URIRef
    # properties
    abbreviation: URIRef
    about: URIRef
    activeIn: URIRef
    affectsProcess: URIRef
    alteredCopiesNeeded: URIRef
    approvedName: URIRef
    approximate: URIRef
    associatedWith: URIRef
    associatedWithGroup: URIRef
    authorListComplete: URIRef
    authorName: URIRef
    bookshelfId: URIRef
    carrierParents: URIRef
    causallyUpstreamOf: URIRef
    causeRank: URIRef
    causes: URIRef
    checkedOn: URIRef
    chromosome: URIRef
    chromosomeLocation: URIRef
    claimSource: URIRef
    claimText: URIRef
    claimsEntity: URIRef
    claimsValue: URIRef
    clinicalModifier: URIRef
    conductsIon: URIRef
    consequenceOf: URIRef
    denominator: URIRef
    direction: URIRef
    enables: URIRef
    established: URIRef
    evidence: URIRef
    explains: URIRef
    familyHistory: URIRef
    fatherToSonTransmission: URIRef
    firstStep: URIRef
    forDisease: URIRef
    fraction: URIRef
    freeFullTextOnPMC: URIRef
    frequencyNote: URIRef
    geneProductOf: URIRef
    geneSpecificFormOf: URIRef
    hasAuthorship: URIRef
    hasClaim: URIRef
    hasClinicalCourse: URIRef
    hasCourseStage: URIRef
    hasGeneProduct: URIRef
    hasGeneticCauseShare: URIRef
    hasMechanism: URIRef
    hasMechanismClass: URIRef
    hasModeOfInheritance: URIRef
    hasOnset: URIRef
    hasOpenQuestion: URIRef
    hasPhenotype: URIRef
    hasPrevalence: URIRef
    hasStep: URIRef
    hedge: URIRef
    inHeterozygousFemales: URIRef
    inMales: URIRef
    involvesProcess: URIRef
    ionFlow: URIRef
    journal: URIRef
    lacksEntity: URIRef
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
    proteinClass: URIRef
    publication: URIRef
    qualifierNote: URIRef
    refersTo: URIRef
    resourceType: URIRef
    roleInCell: URIRef
    seizureFrequency: URIRef
    severity: URIRef
    singleSource: URIRef
    source: URIRef
    symbol: URIRef
    timing: URIRef
    topic: URIRef
    transportsIon: URIRef
    variantOrigin: URIRef
    variantType: URIRef
    verified: URIRef
    year: URIRef


#: Namespace of the resources the project mints (statements, mechanisms, sources ...).
EKGID = Namespace(_EKGID)

BIBO = Namespace(BIBO_IRI)
BIOLINK = Namespace(BIOLINK_IRI)
OBOINOWL = Namespace(OBOINOWL_IRI)
PAV = Namespace(PAV_IRI)
SH = Namespace(SHACL_IRI)

TERM_REPLACED_BY = URIRef(TERM_REPLACED_BY_IRI)
