"""Curation: the curated files, read strictly and checked, as typed records.

Takes the YAML and TSV files of ``data/`` (or a curator's copy of that folder) and gives
a :class:`~eimfs_kg.curation.records.Curation`: every record typed and checked on its own
(:mod:`.schema`), then the references between files (:mod:`.crosscheck`). Errors name the
file, line and record to fix. Reads files only; knows nothing of RDF graphs or queries.

Modules: :mod:`.readers` (strict YAML/TSV reading), :mod:`.schema` (field types),
:mod:`.records` (one dataclass per kind of record), :mod:`.crosscheck` (checks across files),
:mod:`.load` (:func:`load_curation`: read, then check), :mod:`.fmt` (the curated-file formatter).
"""
