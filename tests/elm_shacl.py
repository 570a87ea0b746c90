"""Validate an ELM JSON-LD export against the LOQ SHACL shapes, offline.

Usage: python3 elm_shacl.py ELM_DIR DATA.jsonld

ELM_DIR holds the Commission's files (LOQ-constraints.ttl, ELM.ttl, edc-ap-context.jsonld).
Nothing is fetched: the two contexts the export names are replaced in memory, the EDC one by the
local file and the W3C credentials one by the only terms an ELM document takes from it (`id` and
`type`). The shapes file is not edited; in memory, after parsing:

- the XPath regexes Python's `re` rejects are rewritten (`^(?i)` becomes `(?i)^`, and the
  `\\p{L}\\p{Nl}\\p{Nd}` class inside an IPv6 literal becomes `\\w`, and the nested class
  `[[A-Fa-f0-9]\\:\\.]` the union it means);
- the LearningAchievementSpecification shape, which the published file deactivates, is
  activated, so that the specification itself is checked too.

ELM.ttl is not mixed into the data graph: its `rdfs:subClassOf` would make every
LearningAchievementSpecification an `elm:Specification`, which the closed generic
SpecificationShape then rejects for the very properties the LAS shape lists. It is used instead
to check the vocabulary: every class and property in the data must be one the ontology declares
or one the shapes name (`unknown_terms` lists any other).

Prints one JSON object: conforms, node_shapes, property_shapes, focus_nodes, triples,
unknown_terms and violations (each with focus, path, constraint, severity, message, shape). Exit status 0 whether it conforms or not; 2 when
pyshacl is missing, 3 on bad input.
"""

import json
import sys
from pathlib import Path

try:
    import pyshacl
    from rdflib import Graph, Literal, Namespace, URIRef
    from rdflib.namespace import RDF
except ImportError as e:  # pragma: no cover - reported to the Rust test
    print(f"pyshacl is not installed ({e}); run `pip install pyshacl`", file=sys.stderr)
    sys.exit(2)

SH = Namespace("http://www.w3.org/ns/shacl#")
CREDENTIALS_V1 = "https://www.w3.org/2018/credentials/v1"
EDC_AP = "http://data.europa.eu/snb/model/context/edc-ap"
LAS_SHAPE = URIRef(
    "http://data.europa.eu/snb/model/ap/loq-constraints/LearningAchievementSpecificationShape"
)


def local_context(ctx, edc):
    if isinstance(ctx, list):
        return [local_context(c, edc) for c in ctx]
    if ctx == EDC_AP:
        return edc
    if ctx == CREDENTIALS_V1:
        return {"id": "@id", "type": "@type"}
    if isinstance(ctx, str):
        print(f"unexpected remote context {ctx}", file=sys.stderr)
        sys.exit(3)
    return ctx


def python_pattern(p):
    if p.startswith("^(?i)"):
        p = "(?i)^" + p[len("^(?i)"):]
    p = p.replace("[[A-Fa-f0-9]\\:\\.]", "[A-Fa-f0-9\\:\\.]")
    return p.replace("[%[\\p{L}\\p{Nl}\\p{Nd}]]", "[%\\w]")


def main():
    elm_dir = Path(sys.argv[1])
    data_path = Path(sys.argv[2])
    edc = json.loads((elm_dir / "edc-ap-context.jsonld").read_text(encoding="utf-8"))["@context"]
    doc = json.loads(data_path.read_text(encoding="utf-8"))
    doc["@context"] = local_context(doc.get("@context"), edc)
    data = Graph().parse(data=json.dumps(doc), format="json-ld")

    shapes = Graph().parse(elm_dir / "LOQ-constraints.ttl", format="turtle")
    for s, o in list(shapes.subject_objects(SH.pattern)):
        fixed = python_pattern(str(o))
        if fixed != str(o):
            shapes.remove((s, SH.pattern, o))
            shapes.add((s, SH.pattern, Literal(fixed)))
    for o in list(shapes.objects(LAS_SHAPE, SH.deactivated)):
        shapes.remove((LAS_SHAPE, SH.deactivated, o))
    ontology = Graph().parse(elm_dir / "ELM.ttl", format="turtle")

    conforms, report, _ = pyshacl.validate(
        data,
        shacl_graph=shapes,
        inference="none",
        allow_warnings=True,
    )
    violations = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        def one(p):
            v = report.value(r, p)
            return None if v is None else str(v)

        violations.append(
            {
                "focus": one(SH.focusNode),
                "path": one(SH.resultPath),
                "constraint": one(SH.sourceConstraintComponent),
                "severity": one(SH.resultSeverity),
                "message": one(SH.resultMessage),
                "shape": one(SH.sourceShape),
            }
        )
    violations.sort(key=lambda v: (v["path"] or "", v["focus"] or "", v["constraint"] or ""))
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    property_shapes = set(shapes.objects(None, SH.property))
    targets = set(shapes.objects(None, SH.targetClass))
    focus = {s for t in targets for s in data.subjects(RDF.type, t)}
    known = set(ontology.subjects()) | set(shapes.objects(None, SH.path))
    known |= set(shapes.objects(None, SH.targetClass))
    used = set(data.predicates()) - {RDF.type}
    used |= set(data.objects(None, RDF.type))
    unknown = sorted(str(t) for t in used if t not in known)
    print(
        json.dumps(
            {
                "conforms": bool(conforms),
                "node_shapes": len(node_shapes),
                "property_shapes": len(property_shapes),
                "focus_nodes": len(focus),
                "triples": len(data),
                "unknown_terms": unknown,
                "violations": violations,
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
