"""``portchain demo``: compile (cached), start Anvil, deploy the suite, onboard one organisation per role."""

from __future__ import annotations

import json
import shutil
import time

from .compiler import compile_project, find_project_root, write_artifacts
from .devnet import onboard_parties
from .port import connect


def run_demo(*, json_output: bool = False) -> int:
    """Run the demo and print what it did; returns the exit code."""
    started = time.perf_counter()
    say = (lambda _m: None) if json_output else print
    compiled = compile_project()
    written = write_artifacts(compiled)
    if written:
        from .artifacts import clear_cache

        clear_cache()
    say(
        f"compile: {'cache hit' if compiled.cached else 'compiled'} "
        f"({len(compiled.artifacts)} contracts, solc {compiled.compiler_version})"
    )
    # The demo's chain lives only as long as this run, so last run's records describe nothing: start afresh.
    records = find_project_root() / "build" / "demo" / "deployments"
    shutil.rmtree(records, ignore_errors=True)
    with connect("anvil", deployments_dir=records, fresh_node=True) as port:
        say(f"anvil: started on {port.layer.rpc_url} (chain {port.layer.chain_id})")
        deployed = port.deploy(log=lambda m: say(f"deploy: {m}"))
        say(f"deploy: records in {records / 'anvil'}")
        parties = onboard_parties(port)
        say("registry: onboarded one organisation per role")
        say(f"  {'role':<14} {'org':>3}  {'country':<7} {'signer':<42}  {'gas':>8}  organisation")
        for role, party in parties.items():
            say(
                f"  {role.name:<14} {party.org_id:>3}  {party.spec.country:<7} {party.address:<42}  "
                f"{party.receipt.gas_used:>8,}  {party.spec.name}"
            )
        elapsed = time.perf_counter() - started
        if json_output:
            print(json.dumps({
                "rpcUrl": port.layer.rpc_url,
                "compileCached": compiled.cached,
                "contracts": {n: r["address"] for n, r in deployed.records.items()},
                "organisations": {
                    role.name: {"orgId": p.org_id, "signer": p.address, "txHash": p.receipt.tx_hash,
                                "gasUsed": p.receipt.gas_used}
                    for role, p in parties.items()
                },
                "seconds": round(elapsed, 2),
            }, indent=2))
        say(f"done in {elapsed:.1f} s; the node is stopped")
    return 0
