"""``portchain demo`` (= ``make demo``): the flagship scenario on a local Anvil it starts, a timeline as it runs,
and a report (Markdown + PNG swimlane) under reports/."""

from __future__ import annotations

import json
import time
from pathlib import Path

from ..compiler import compile_project, find_project_root, write_artifacts


def flagship_path() -> Path:
    return find_project_root() / "scripts" / "scenarios" / "flagship.yaml"


def run_demo(*, json_output: bool = False, reports: Path | None = None) -> int:
    """Run the demo and print what it did; returns the exit code."""
    from ..report import format_timeline, write_report
    from ..scenario import load_scenario, run_scenario

    started = time.perf_counter()
    say = (lambda _m: None) if json_output else print
    compiled = compile_project()
    if write_artifacts(compiled):
        from .._artifacts import clear_cache

        clear_cache()
    say(f"compile: {'cache hit' if compiled.cached else 'compiled'} ({len(compiled.artifacts)} contracts, "
        f"solc {compiled.compiler_version})")
    scenario = load_scenario(flagship_path())
    say(f"scenario: {scenario.title} ({len(scenario.parties)} parties, {len(scenario.steps)} steps) on a fresh Anvil")
    result = run_scenario(scenario)
    say(format_timeline(result.run))
    directory = reports or find_project_root() / "reports"
    markdown, picture = write_report(result.run, directory)
    wall = time.perf_counter() - started
    run = result.run
    if json_output:
        print(json.dumps({
            "scenario": scenario.name, "steps": len(run.timeline), "transactions": run.transactions,
            "parties": {p.name: {"role": p.role, "country": p.country, "orgId": p.org_id} for p in run.parties},
            "totalGas": run.total_gas, "compileCached": compiled.cached, "report": str(markdown),
            "picture": str(picture), "seconds": round(wall, 2),
        }, indent=2))
    else:
        print(f"\nreport: {markdown}\npicture: {picture}")
        print(f"total gas {run.total_gas:,} in {run.transactions} transactions; wall time {wall:.1f} s")
    return 0
