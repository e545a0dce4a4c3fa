#!/usr/bin/python3
"""Writes a scenario with rated flows for a design from `ersim generate`: for every site, a flow
to its customer's first VNet at 100 Mbps and one back at 60 Mbps, and one silent link failure
at 10 s. The capacity figures of docs/benchmarks.md come from it.

    bench/rated_flows.py generated.yaml scenario.yaml [--no-rates]
"""
import ipaddress
import pathlib
import sys

import yaml


def main() -> int:
    args = [a for a in sys.argv[1:] if a != "--no-rates"]
    if len(args) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    rated = "--no-rates" not in sys.argv
    design_path, scenario_path = pathlib.Path(args[0]), pathlib.Path(args[1])
    design = yaml.safe_load(design_path.read_text())
    vnets = {}
    for vnet in design.get("vnets", []):
        vnets.setdefault(vnet["name"].split("-")[0], vnet)  # generated names: c12-vnet1
    lines = [
        "name: rated-flows",
        f"topology: {design_path.name}",
        "until: 5m",
        "events:",
        "  - {at: 10s, fail: {link: c1-er1.primary, mode: silent}}",
        "flows:",
    ]
    for site in design["sites"]:
        vnet = vnets.get(site["name"].split("-")[0])
        if vnet is None:
            continue
        site_host = ipaddress.ip_network(site["prefixes"][0])[10]
        vnet_host = ipaddress.ip_network(vnet["prefixes"][0])[10]
        there = ", rate: 100Mbps" if rated else ""
        back = ", rate: 60Mbps" if rated else ""
        lines.append(f"  - {{from: {{site: {site['name']}}}, to: {vnet_host}{there}}}")
        lines.append(f"  - {{from: {{vnet: {vnet['name']}}}, to: {site_host}{back}}}")
    scenario_path.write_text("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
