"""The web application: a read-only SPARQL endpoint and the pages people read.

Takes a query engine (``query.contract.QueryEngine``) and gives a Starlette application served by
uvicorn (:mod:`.server`): the SPARQL 1.1 Protocol endpoint with its limits and refusals, the query
editor (YASGUI, vendored), entity pages with the evidence of every fact, search, network views
(Cytoscape.js, vendored) and the vocabulary. :mod:`.model` reads the graph into what the pages
show; HTML comes from ``templates/``, scripts and styles from ``static/`` (package data).
"""
