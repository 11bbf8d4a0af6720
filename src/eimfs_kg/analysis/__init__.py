"""Analysis: what the graph says as networks and comparisons.

Takes a query engine over the built graph and gives NetworkX projections and their measures
(:mod:`.network`: degree, betweenness, components, communities, shortest paths, GraphML),
pictures (:mod:`.plot`, matplotlib) and the comparison with, and enrichment from, the shipped
HPO annotations (:mod:`.hpo`).
"""
