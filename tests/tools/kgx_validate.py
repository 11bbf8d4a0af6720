"""Run the real ``kgx validate`` offline: point the Biolink Model Toolkit at the local schema.

bmt and kgx download the Biolink schema, predicate map and JSON-LD context unless told
otherwise; the machines here have no general network, so the schema and prefix map of the
installed biolink-model package are used instead (and an empty predicate map, which only
serves predicate-to-RO lookups).
Usage: python kgx_validate.py NODES.tsv EDGES.tsv REPORT.json
"""

import json
import sys
from importlib.resources import files

import bmt.toolkit
import kgx.config

model = files("biolink_model")
bmt.toolkit.Toolkit.__init__.__defaults__ = (
    str(model / "schema" / "biolink_model.yaml"),
    {"predicate mappings": []},
)
# the Biolink JSON-LD context (prefix -> IRI), from the same package instead of the network
kgx.config.jsonld_context_map["biolink"] = json.loads(
    (model / "prefixmaps" / "biolink-model-prefix-map.json").read_text()
)

from kgx.transformer import Transformer  # noqa: E402
from kgx.validator import Validator  # noqa: E402  (after the patch, on purpose)

nodes, edges, report = sys.argv[1:4]
validator = Validator()
transformer = Transformer(stream=True)
transformer.transform(
    input_args={"filename": [nodes, edges], "format": "tsv"},
    output_args={"format": "null"},
    inspector=validator,
)
errors = validator.get_errors()
with open(report, "w") as handle:
    json.dump(errors, handle, indent=2, default=str)
print(json.dumps(errors, indent=2, default=str)[:4000])
sys.exit(1 if errors else 0)
