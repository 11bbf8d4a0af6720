"""Stores: where a graph lives when it is not a file, and the engines that query it there.

:mod:`.local` is a persistent Oxigraph store on disk for big graphs (``eimfs-kg load``,
``--store oxigraph:DIR``); :mod:`.remote` pushes a graph into a SPARQL 1.1 triplestore (staging
graph, counts, MOVE) and runs library queries there through the query contract.
"""
