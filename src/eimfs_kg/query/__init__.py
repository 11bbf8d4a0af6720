"""Query: SPARQL over a graph, whichever engine answers it, behind one contract.

Takes a query (a library name, a ``.rq`` file or text, :mod:`.library`) and its parameters, and
gives an :class:`~eimfs_kg.query.answer.Answer` (rows, a boolean or triples, in every W3C result
format). :mod:`.contract` is the :class:`~eimfs_kg.query.contract.QueryEngine` protocol and the
prelude every engine shares (parameter check, safety check, binding); :mod:`.oxigraph` and
:mod:`.rdflib_engine` are the local engines (the remote one is
:class:`eimfs_kg.stores.remote.RemoteEngine`), :mod:`.reasoning` the RDFS / OWL 2 RL closure,
:mod:`.limits` the time limit and row cap, :mod:`.docs` the query documentation,
:mod:`.tables` plain-text tables. Knows nothing of curation or of how graphs are built.
"""
