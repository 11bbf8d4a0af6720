"""RDF plumbing shared by every stage: strict reading, the rdflib/Oxigraph bridge, safe writing.

Takes files and graphs and gives terms, graphs and bytes; knows nothing of the project's data.
:mod:`.strict` reads user files with Oxigraph's strict parser and size caps, :mod:`.bridge` moves
triples between rdflib and Oxigraph and writes canonical (sorted) Turtle, :mod:`.atomic` writes
files so that a killed writer never leaves half a file, :mod:`.netguard` refuses every network
access the user did not ask for.
"""
