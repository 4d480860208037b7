"""``portchain demo`` (= ``make demo``): the flagship scenario on a local Anvil it starts, a timeline as it runs,
and a report (Markdown + PNG swimlane) under reports/."""

from __future__ import annotations

import json
import time
from pathlib import Path

from ..compiler import compile_project, find_project_root, write_artifacts
from ..report import WALL_TIME_LABEL, wall_text


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
            "picture": str(picture), "scenarioSeconds": round(run.wall_seconds, 2), "seconds": round(wall, 2),
        }, indent=2))
    else:
        # The timeline's last line and the report give the scenario's own wall time (total gas beside it); this
        # line is the whole demo's, named apart so the two are not mistaken for each other.
        print(f"\nreport: {markdown}\npicture: {picture}")
        print(demo_time_line(run.wall_seconds, wall))
    return 0


def demo_time_line(scenario_seconds: float, total_seconds: float) -> str:
    """The demo's closing line: its whole wall time, of which the scenario's (as the timeline and the report
    give it) is a part.

    >>> demo_time_line(1.74, 5.52)
    'demo wall time 5.5 s: scenario wall time 1.7 s + 3.8 s to compile, start Anvil, deploy and write the report'
    """
    rest = max(total_seconds - scenario_seconds, 0.0)
    return (f"demo wall time {wall_text(total_seconds)}: {WALL_TIME_LABEL} {wall_text(scenario_seconds)} + "
            f"{wall_text(rest)} to compile, start Anvil, deploy and write the report")
