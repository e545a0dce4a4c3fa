#!/usr/bin/python3
"""Validates every example topology against docs/topology.schema.json and every example
scenario against docs/scenario.schema.json, and checks that each schema rejects a few broken
files, so the schemas and the loaders stay in step. Given a document written by sweep_json
(sim_tests' SweepJson.DocumentWritesForSchema writes one), validates it against
docs/sweep.schema.json too, so the schema and the writer stay in step; likewise a document
written by run_json (RunMetricsJson.DocumentWritesForSchema) against docs/run.schema.json.

    check_schema.py SOURCE_DIR [SWEEP_JSON [RUN_JSON]]
"""
import copy
import json
import pathlib
import sys

import jsonschema
import yaml


def validator_for(root: pathlib.Path, name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((root / "docs" / name).read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def check_examples(validator, examples) -> int:
    """The number of examples the schema rejects; prints why."""
    failures = 0
    for path in examples:
        errors = list(validator.iter_errors(yaml.safe_load(path.read_text())))
        for error in errors:
            print(f"{path.name}: {error.json_path}: {error.message}")
        failures += bool(errors)
    return failures


def check_broken(validator, base, broken, kind: str) -> int:
    """The number of broken variants of `base` the schema accepts; prints which."""
    failures = 0
    for what, breaks in broken.items():
        document = copy.deepcopy(base)
        breaks(document)
        if validator.is_valid(document):
            print(f"the schema accepts a broken {kind}: {what}")
            failures += 1
    return failures


def check_topologies(root: pathlib.Path) -> int:
    validator = validator_for(root, "topology.schema.json")
    examples = sorted((root / "topologies").glob("*.yaml"))
    failures = check_examples(validator, examples)
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
    failures += check_broken(validator, base, broken, "design")
    print(f"topology schema: {len(examples)} examples, {len(broken)} broken designs, "
          f"{failures} failures")
    return failures


# A scenario with one of each kind of event, flow and expectation; the broken ones change one
# thing in it.
SCENARIO = {
    "name": "every-key",
    "topology": "../topologies/maximum.yaml",
    "seed": 1,
    "runs": 2,
    "until": "10m",
    "options": {
        "timers": "packet",
        "gateway_reconvergence": {"lognormal": {"median": "15s", "sigma": 0.5, "max": "60s"}},
        "per_message_cost": "100us",
        "per_prefix_cost": "10us",
        "mrai": "0s",
        "max_paths": 4,
    },
    "events": [
        {"at": "10s", "fail": {"link": "er-ams.primary", "mode": "silent"}},
        {"at": "10s", "fail": {"router": "ams-msee1", "how": "process"}},
        {"at": "10s", "fail": {"location": "amsterdam"}},
        {"at": "70s", "restore": {"location": "amsterdam"}},
        {"at": "10s", "maintenance": {"circuit": "er-ams", "link": "primary",
                                      "method": "disconnect"}},
        {"at": "5m", "maintenance_end": {"circuit": "er-ams", "link": "primary"}},
        {"at": "10s", "advertise": {"router": "ams-ce1", "vrf": "", "prefixes": ["10.1.7.0/24"]}},
        {"at": "10s", "withdraw": {"router": "ams-ce1",
                                   "flood": {"from": "10.50.0.0/24", "count": 4001}}},
        {"at": "10s", "flap": {"link": "er-ams.primary", "count": 3, "every": "20s",
                               "down": "5s", "mode": "carrier"}},
        {"at": "10s", "set": {"session": "er-ams.private.primary", "end": "ams-ce1",
                              "local_preference": 50}},
        {"at": "10s", "set": {"vnet": "hub-westeurope", "circuit": "er-ams", "weight": 0}},
    ],
    "flows": [
        {"name": "ams-to-hub", "from": {"site": "amsterdam-dc"}, "to": "10.100.0.10", "dscp": 46},
        {"from": {"vnet": "hub-westeurope"}, "to": "10.1.0.10"},
        {"from": {"router": "ams-ce1", "vrf": ""}, "to": "10.100.0.1"},
    ],
    "expect": [
        {"flow": "ams-to-hub", "longest_outage": "1s"},
        {"flow": "ams-to-hub", "total_outage": "2s"},
        {"flow": "ams-to-hub", "never_unreachable": True},
        {"flow": "ams-to-hub", "uses": {"circuit": "er-lon"}, "from": "20s", "to": "60s"},
        {"flow": "ams-to-hub", "symmetric": True, "from": "0s", "to": "5m"},
        {"session": "er-ams.private.primary", "state": "established", "at": "5m"},
        {"quiet_by": "5m"},
    ],
    "sweep": {
        "k": 2,
        "only": ["link", "router", "location"],
        "exclude": ["provider", "link:er-ams.primary"],
        "mode": "silent",
        "runs": 5,
        "seed": 7,
        "horizon": "10m",
        "expect": [
            "no_single_partition",
            {"single_outage": "1s"},
            "no_cross_location_pair_partition",
        ],
    },
}


def check_scenarios(root: pathlib.Path) -> int:
    validator = validator_for(root, "scenario.schema.json")
    # The directory of example scenarios may not exist yet.
    examples = sorted((root / "scenarios").glob("*.yaml"))
    failures = check_examples(validator, examples)
    if not validator.is_valid(SCENARIO):
        for error in validator.iter_errors(SCENARIO):
            print(f"the inline scenario: {error.json_path}: {error.message}")
        failures += 1
    broken = {
        "no name": lambda s: s.pop("name"),
        "an unknown top-level key": lambda s: s.update(evnets=[]),
        "an unknown event": lambda s: s["events"].append({"at": "1s", "fial": {"link": "x"}}),
        "an event with two actions":
            lambda s: s["events"][0].update(restore={"link": "er-ams.primary"}),
        "an event without a time": lambda s: s["events"][0].pop("at"),
        "a time without a unit": lambda s: s["events"][0].update(at="10"),
        "a fail with two targets": lambda s: s["events"][0]["fail"].update(router="ams-ce1"),
        "a restore with a mode": lambda s: s["events"][3]["restore"].update(mode="silent"),
        "an unknown drain method": lambda s: s["events"][4]["maintenance"].update(method="drain"),
        "an advertise with prefixes and a flood":
            lambda s: s["events"][7]["withdraw"].update(prefixes=["10.0.0.0/8"]),
        "a flap of 1001": lambda s: s["events"][8]["flap"].update(count=1001),
        "a set of two values": lambda s: s["events"][9]["set"].update(prepend=1),
        "runs of 0": lambda s: s.update(runs=0),
        "an unknown timer mode": lambda s: s["options"].update(timers="fast"),
        "an unknown reconvergence": lambda s: s["options"].update(gateway_reconvergence="slow"),
        "a flow from two endpoints": lambda s: s["flows"][0]["from"].update(vnet="v"),
        "a DSCP of 64": lambda s: s["flows"][0].update(dscp=64),
        "never_unreachable: false": lambda s: s["expect"][2].update(never_unreachable=False),
        "an expectation of two kinds": lambda s: s["expect"][0].update(total_outage="1s"),
        "an unknown session state": lambda s: s["expect"][5].update(state="up"),
        "from on an outage bound": lambda s: s["expect"][0].update({"from": "1s"}),
        "a sweep of k 3": lambda s: s["sweep"].update(k=3),
        "an unknown sweep key": lambda s: s["sweep"].update(horizn="5m"),
        "an unknown element kind": lambda s: s["sweep"]["only"].append("circuit"),
        "a sweep horizon without a unit": lambda s: s["sweep"].update(horizon="600"),
        "single_outage without a bound": lambda s: s["sweep"]["expect"].append("single_outage"),
        "an unknown sweep expectation": lambda s: s["sweep"]["expect"].append("fine"),
    }
    failures += check_broken(validator, SCENARIO, broken, "scenario")
    print(f"scenario schema: {len(examples)} examples, {len(broken)} broken scenarios, "
          f"{failures} failures")
    return failures


def written_document(validator, document_path: pathlib.Path):
    """The document ersim wrote, and 1 when the schema rejects it (0 otherwise); prints why."""
    # json, not yaml: YAML 1.1 reads a number such as 1e-09 as a string.
    document = json.loads(document_path.read_text())
    failures = 0
    for error in validator.iter_errors(document):
        print(f"{document_path.name}: {error.json_path}: {error.message}")
        failures = 1
    return document, failures


def check_sweep(root: pathlib.Path, document_path: pathlib.Path) -> int:
    validator = validator_for(root, "sweep.schema.json")
    document, failures = written_document(validator, document_path)

    def forced_mode_absent(d):
        d["options"]["mode"] = None

    def one_at_a_time(d):
        d["options"]["k"] = 1
        d["sets"] = [s for s in d["sets"] if len(s["elements"]) == 1]
        d["pairs"] = {"raw": 0, "no_effect": 0, "composed": 0, "simulated": 0}

    for what, change in {"no forced mode": forced_mode_absent, "k = 1": one_at_a_time}.items():
        variant = copy.deepcopy(document)
        change(variant)
        if not validator.is_valid(variant):
            print(f"the schema rejects a sweep with {what}")
            failures += 1
    broken = {
        "another schema": lambda d: d.update(schema="ersim.sweep/2"),
        "an unknown top-level key": lambda d: d.update(worst=[]),
        "no all_met": lambda d: d.pop("all_met"),
        "k of 3": lambda d: d["options"].update(k=3),
        "an unknown element kind": lambda d: d["elements"][0].update(kind="wire"),
        "a set of three elements": lambda d: d["sets"][0].update(elements=[0, 1, 2]),
        "an unknown fate": lambda d: d["sets"][0]["flows"][0].update(fate="gone"),
        "an outage in fractional nanoseconds":
            lambda d: d["sets"][0]["flows"][0].update(worst_outage_ns=0.5),
        "a negative outage": lambda d: d["sets"][0]["flows"][0].update(mean_outage_s=-1),
        "an index above 100": lambda d: d["resiliency"].update(index=101),
        "an unknown model": lambda d: d["resiliency"].update(model="Maximum"),
    }
    failures += check_broken(validator, document, broken, "sweep")
    print(f"sweep schema: 1 document, {len(broken)} broken sweeps, {failures} failures")
    return failures


def check_run(root: pathlib.Path, document_path: pathlib.Path) -> int:
    validator = validator_for(root, "run.schema.json")
    document, failures = written_document(validator, document_path)
    broken = {
        "another schema": lambda d: d.update(schema="ersim.run/2"),
        "an unknown top-level key": lambda d: d.update(worst=[]),
        "no metrics": lambda d: d.pop("metrics"),
        "an unknown metrics key": lambda d: d["metrics"].update(storms=[]),
        "a negative convergence time":
            lambda d: d["metrics"]["events"][0].update(last_change_s=-1),
        "a storm without its UPDATEs": lambda d: d["metrics"]["events"][0].pop("updates"),
        "an unknown router role": lambda d: d["metrics"]["churn"][0].update(role="switch"),
        "fractional route changes": lambda d: d["metrics"]["churn"][0].update(route_changes=0.5),
        "a table without its FIB": lambda d: d["metrics"]["tables"][0].pop("fib_prefixes"),
        "a prefix limit of 0":
            lambda d: d["metrics"]["prefix_limits"]["sessions"][0].update(limit=0),
        "an unknown outcome": lambda d: d["flows"][0]["timeline"][0].update(outcome="lost"),
        "no capacity": lambda d: d.pop("capacity"),
        "a flow without its rate": lambda d: d["flows"][0].pop("rate_bps"),
        "loads without peaks": lambda d: d["capacity"].pop("peaks"),
        "a peak on a wire": lambda d: d["capacity"]["peaks"][0].update(kind="wire"),
    }
    failures += check_broken(validator, document, broken, "run")
    # The run's capacity has the shape of the sweep's loads: one description, kept in step.
    sweep = json.loads((root / "docs" / "sweep.schema.json").read_text())["$defs"]
    run = json.loads((root / "docs" / "run.schema.json").read_text())["$defs"]
    for name in ("index", "channel_kind", "peak", "overload", "loads"):
        if run.get(name) != sweep[name]:
            print(f"run.schema.json's $defs/{name} differs from sweep.schema.json's")
            failures += 1
    print(f"run schema: 1 document, {len(broken)} broken runs, {failures} failures")
    return failures


def main() -> int:
    root = pathlib.Path(sys.argv[1])
    failures = check_topologies(root) + check_scenarios(root)
    if len(sys.argv) > 2:
        failures += check_sweep(root, pathlib.Path(sys.argv[2]))
    if len(sys.argv) > 3:
        failures += check_run(root, pathlib.Path(sys.argv[3]))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
