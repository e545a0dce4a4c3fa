#!/usr/bin/python3
"""Validates every example topology against docs/topology.schema.json, and checks that the
schema rejects a few broken designs, so the schema and the loader stay in step.

    check_schema.py SOURCE_DIR
"""
import copy
import json
import pathlib
import sys

import jsonschema
import yaml


def main() -> int:
    root = pathlib.Path(sys.argv[1])
    schema = json.loads((root / "docs" / "topology.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    failures = 0
    examples = sorted((root / "topologies").glob("*.yaml"))
    for path in examples:
        errors = list(validator.iter_errors(yaml.safe_load(path.read_text())))
        for error in errors:
            print(f"{path.name}: {error.json_path}: {error.message}")
        failures += bool(errors)

    base = yaml.safe_load((root / "topologies" / "standard.yaml").read_text())
    broken = {
        "unknown top-level key": lambda d: d.update(circuts=[]),
        "unknown circuit key": lambda d: d["circuits"][0].update(bandwith="1Gbps"),
        "reserved ASN": lambda d: d["sites"][0]["routers"][0].update(asn=65515),
        "duration without unit": lambda d: d["defaults"].update(latency="300"),
        "weight out of range": lambda d: d["vnets"][0]["connections"][0].update(weight=40000),
        "BGP jitter that is no profile": lambda d: d["defaults"]["bgp"].update(jitter="hold"),
        "BFD jitter outside 50-100": lambda d: d["defaults"]["bfd"].update(jitter="40-100"),
        "BFD jitter above 90% with multiplier 1":
            lambda d: d["defaults"]["bfd"].update(multiplier=1, jitter="75-100"),
        "nat_pool on private peering":
            lambda d: d["circuits"][0]["peerings"]["private"].update(nat_pool=["1.2.3.0/24"]),
    }
    for what, breaks in broken.items():
        design = copy.deepcopy(base)
        breaks(design)
        if validator.is_valid(design):
            print(f"the schema accepts a design with a {what}")
            failures += 1
    print(f"schema: {len(examples)} examples, {len(broken)} broken designs, {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
