"""Publish: the graph handed to others, as files or over HTTP.

:mod:`.export` writes Turtle, N-Triples, JSON-LD, KGX TSV and GraphML; :mod:`.server` serves a
read-only SPARQL endpoint, a query page and entity pages over any query engine.
"""
