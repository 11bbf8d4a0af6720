"""Graph: records become the validated RDF graph of the project.

Takes a :class:`~eimfs_kg.curation.records.Curation` and gives an Oxigraph store (an rdflib
``Graph`` on request): every fact with a statement node naming its source and evidence
(:mod:`.builder`), the ontology and a dataset description (:mod:`.dataset`), checked by the SHACL
shapes and the library's ``*-violation`` queries (:mod:`.validate`), written as sorted Turtle only
when it conforms (:mod:`.build`). :mod:`.cache` keeps the *built graph* that commands use by default.
"""
