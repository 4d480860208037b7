#!/usr/bin/env python3
"""Compare slither's High and Medium findings with the reviewed baseline (audit/baseline.json).

    python3 audit/check.py [REPORT] [--baseline FILE]        exit 1 on any High/Medium finding not in the baseline,
                                                              or on a baseline entry whose reason is still TODO
    python3 audit/check.py [REPORT] --write-baseline          rewrite the baseline from REPORT: reasons of findings
                                                              already there are kept, new ones get "TODO: review",
                                                              entries that no longer occur are dropped

REPORT is slither's --json output (default build/audit/slither.json, as `make audit` leaves it).

A finding is matched by a key that survives unrelated edits (no line numbers, no source offsets):

    <detector>|<contract>|<element>|<hash>

<detector> is slither's check name, <contract> and <element> name where it is (a function by its signature, a
variable as function.variable), and <hash> is 8 hex digits of SHA-256 over the finding's elements as slither lists
them (kind, owner and text of each: the offending expression, the external call, the variable written), sorted.
Editing the expression a finding is about changes the key, which is the point: the reason must be reviewed again.

Standard library only: runs with any Python 3.10+.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REPORT = ROOT / "build" / "audit" / "slither.json"
DEFAULT_BASELINE = ROOT / "audit" / "baseline.json"
GATED = ("High", "Medium")
TODO = "TODO: review"
_LINES = re.compile(r"\s*\([^()\s]+\.sol#\d+(?:-\d+)?\)")
HEADER = (
    "Reviewed slither High/Medium findings that `make audit` accepts. One entry per finding: key (detector|contract|"
    "element|hash of the finding's elements, no line numbers), what slither said, and why it is accepted. Refresh "
    "with `python3 audit/check.py --write-baseline` after `make audit`, then replace every 'TODO: review' with a "
    "reason, or fix the code. Real issues do not belong here."
)


# --------------------------------------------------------------------------------------------------------------
# Keys
# --------------------------------------------------------------------------------------------------------------


def _parent(element: dict[str, Any]) -> dict[str, Any]:
    return element.get("type_specific_fields", {}).get("parent") or {}


def _contract_of(element: dict[str, Any]) -> str:
    """The contract (or library, interface) an element belongs to, following its parents."""
    node: dict[str, Any] | None = element
    while node:
        if node.get("type") == "contract":
            return str(node.get("name"))
        node = _parent(node) or None
    return "-"


def _signature(element: dict[str, Any]) -> str:
    fields = element.get("type_specific_fields", {})
    return str(fields.get("signature") or element.get("name"))


def _element_name(element: dict[str, Any]) -> str:
    """A function by its signature, a variable or node by its enclosing function(.variable), a contract by name."""
    kind = element.get("type")
    parent = _parent(element)
    if kind == "function":
        return _signature(element)
    if kind == "contract":
        return str(element.get("name"))
    if kind == "node":
        return _signature(parent) if parent.get("type") == "function" else str(parent.get("name", "-"))
    # variables, structs, enums, events ...: qualified by a function owner when they have one
    if parent.get("type") == "function":
        return f"{_signature(parent)}.{element.get('name')}"
    return str(element.get("name"))


def _primary(finding: dict[str, Any]) -> dict[str, Any]:
    """The element a finding is about: its first function/contract/variable (slither lists it first)."""
    elements = finding.get("elements", [])
    for element in elements:
        if element.get("type") != "node":
            return element
    return elements[0] if elements else {}


def finding_key(finding: dict[str, Any]) -> str:
    primary = _primary(finding)
    parts = []
    for element in finding.get("elements", []):
        parent = _parent(element)
        role = element.get("additional_fields", {}).get("underlying_type", "")
        parts.append(
            "\x1f".join(
                [str(element.get("type")), _contract_of(element), str(parent.get("name", "")), role,
                 " ".join(str(element.get("name", "")).split())]
            )
        )
    digest = hashlib.sha256("\x1e".join(sorted(parts)).encode()).hexdigest()[:8]
    return f"{finding['check']}|{_contract_of(primary)}|{_element_name(primary)}|{digest}"


def summary(finding: dict[str, Any], limit: int = 240) -> str:
    """Slither's description without file/line references, on one line."""
    text = _LINES.sub("", finding.get("description", ""))
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def gated_findings(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """High and Medium findings by key (a key seen twice keeps both descriptions in one entry)."""
    found: dict[str, dict[str, Any]] = {}
    for finding in report.get("results", {}).get("detectors", []):
        if finding.get("impact") not in GATED:
            continue
        key = finding_key(finding)
        if key in found:
            found[key]["description"] += "\n" + finding.get("description", "")
            continue
        found[key] = {
            "key": key,
            "impact": finding["impact"],
            "confidence": finding.get("confidence", ""),
            "summary": summary(finding),
            "description": finding.get("description", "").strip(),
        }
    return found


# --------------------------------------------------------------------------------------------------------------
# Baseline
# --------------------------------------------------------------------------------------------------------------


def load_baseline(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    entries = data.get("accepted", []) if isinstance(data, dict) else data
    for entry in entries:
        if not isinstance(entry, dict) or not entry.get("key"):
            raise SystemExit(f"{path}: every entry needs a 'key' (got {entry!r})")
    return entries


def baseline_entry(finding: dict[str, Any], reason: str = TODO) -> dict[str, str]:
    return {"key": finding["key"], "impact": finding["impact"], "finding": finding["summary"], "reason": reason}


def write_baseline(path: Path, entries: list[dict[str, str]]) -> None:
    entries = sorted(entries, key=lambda e: (e.get("impact") != "High", e["key"]))
    text = json.dumps({"about": HEADER, "accepted": entries}, indent=2, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")


def needs_review(entry: dict[str, str]) -> bool:
    reason = entry.get("reason", "").strip()
    return not reason or reason.upper().startswith("TODO")


# --------------------------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("report", nargs="?", type=Path, default=DEFAULT_REPORT, help="slither --json output")
    parser.add_argument("--baseline", type=Path, default=DEFAULT_BASELINE)
    parser.add_argument("--write-baseline", action="store_true", help="rewrite the baseline from the report")
    args = parser.parse_args(argv)

    if not args.report.is_file():
        print(f"audit: no slither report at {args.report}: run `make audit` first")
        return 2
    report = json.loads(args.report.read_text(encoding="utf-8"))
    if not report.get("success", False):
        print(f"audit: slither failed: {report.get('error')}")
        return 2
    findings = gated_findings(report)
    baseline = load_baseline(args.baseline)
    known = {entry["key"]: entry for entry in baseline}
    try:
        shown_baseline = args.baseline.resolve().relative_to(ROOT)
    except ValueError:
        shown_baseline = args.baseline

    if args.write_baseline:
        return rewrite_baseline(findings, known, args.baseline, shown_baseline)
    return check_findings(findings, known, baseline, shown_baseline)


def rewrite_baseline(findings: dict[str, Any], known: dict[str, Any], path: Path, shown: Path) -> int:
    """--write-baseline: keep each reviewed reason, mark new entries TODO, drop what slither no longer reports."""
    entries = []
    for key, finding in findings.items():
        old = known.get(key)
        entries.append(baseline_entry(finding, old["reason"] if old else TODO))
    write_baseline(path, entries)
    added = [k for k in findings if k not in known]
    dropped = [k for k in known if k not in findings]
    todo = sum(1 for e in entries if needs_review(e))
    print(f"audit: wrote {shown}: {len(entries)} entries ({len(added)} new, {len(dropped)} dropped)")
    for key in dropped:
        print(f"  dropped (no longer reported): {key}")
    if todo:
        print(f"  {todo} entries say '{TODO}': give each a reason it is accepted, or fix the code")
    return 0


def check_findings(findings: dict[str, Any], known: dict[str, Any], baseline: list[Any], shown_baseline: Path) -> int:
    """The gate: 1 when a High/Medium finding is not in the baseline or a baseline entry has no reviewed reason."""
    counts = {level: sum(1 for f in findings.values() if f["impact"] == level) for level in GATED}
    new = [f for k, f in findings.items() if k not in known]
    stale = [e for k, e in known.items() if k not in findings]
    todo = [e for e in baseline if needs_review(e)]
    accepted = len(findings) - len(new)
    print(
        f"audit: slither reports {counts['High']} High, {counts['Medium']} Medium; "
        f"{accepted} accepted by {shown_baseline}, {len(new)} new"
    )

    for entry in stale:
        print(f"warning: baseline entry no longer reported (remove it, or run --write-baseline): {entry['key']}")
    for entry in todo:
        print(f"error: baseline entry without a reviewed reason: {entry['key']}")
    if new:
        print_new(new, shown_baseline)
    if new or todo:
        return 1
    print("audit: OK")
    return 0


def print_new(new: list[Any], shown_baseline: Path) -> None:
    """Each new finding, then the baseline entries that would accept them after review."""
    print(f"\n{len(new)} High/Medium finding(s) not in {shown_baseline}:\n")
    for finding in sorted(new, key=lambda f: (f["impact"] != "High", f["key"])):
        print(f"[{finding['impact']}] {finding['key']}")
        for line in finding["description"].splitlines():
            print(f"    {line}")
    print(
        "\nFix them, or, if one is accepted after review, add its entry (with a one-line reason) to "
        f"{shown_baseline} ('accepted' list; or run python3 audit/check.py --write-baseline):\n"
    )
    for finding in sorted(new, key=lambda f: (f["impact"] != "High", f["key"])):
        text = json.dumps(baseline_entry(finding), indent=2, ensure_ascii=False)
        print(textwrap_indent(text) + ",")


def textwrap_indent(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line for line in text.splitlines())


if __name__ == "__main__":
    sys.exit(main())
