"""`portchain scenario run` from the command line: a report, repeats with trades per second, bad files refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from portchain.cli import main

SCENARIOS = Path(__file__).resolve().parents[2] / "scripts" / "scenarios"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def fresh_chain(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PORTCHAIN_ANVIL_RPC_URL", raising=False)  # each run starts its own Anvil


def test_single_run_prints_the_timeline_and_writes_a_report(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, "scenario", "run", str(SCENARIOS / "flagship.yaml"), "--report", str(tmp_path))
    assert code == 0, err
    assert out.startswith("Shenzhen to Rotterdam under a letter of credit")
    assert "lc.honour" in out and "gate.verify" in out and "refused as expected" in out
    assert len(list(tmp_path.glob("flagship-*.md"))) == len(list(tmp_path.glob("flagship-*.png"))) == 1


def test_repeat_prints_trades_per_second(capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, "scenario", "run", str(SCENARIOS / "switch_to_paper.yaml"), "--repeat", "3", "--json")
    assert code == 0, err
    summary = json.loads(out)
    # 5 transactions a trade; onboarding its 2 parties and registering the codes its bill names them by (2 more
    # each run, with fresh keys) is reported apart
    assert summary["trades"] == 3 and summary["tradesPerSecond"] > 0 and summary["transactions"] == 15
    assert summary["onboarding"]["transactions"] == 12 and summary["onboarding"]["gas"] > 0
    assert summary["wallSeconds"] >= summary["seconds"] + summary["onboarding"]["seconds"] > 0
    assert "3/3" in err  # the progress bar
    # each trade's own seconds and blocks (one block per transaction: each is sent after the one before is mined)
    assert [(trade["transactions"], trade["blocks"]) for trade in summary["perTrade"]] == [(5, 5)] * 3
    assert all(trade["seconds"] > 0 for trade in summary["perTrade"]) and summary["blocks"] == 15


def test_bad_file_exits_2_naming_file_and_step(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: t\nparties: {x: {role: bank, country: NL}}\nsteps:\n  - {actor: y, action: lc.issue}\n")
    code, out, err = run(capsys, "scenario", "run", str(bad))
    assert code == 2 and out == ""
    assert err == f"portchain: error: {bad}: step 1 (lc.issue): unknown actor 'y'; parties are x\n"
    code, _, err = run(capsys, "scenario", "run", str(SCENARIOS / "flagship.yaml"), "--repeat", "0")
    assert code == 2 and "expected a positive number" in err


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_shipped_scenario_runs_green_from_the_cli(capsys, path: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, "scenario", "run", str(path), "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["refusals"] >= 1 and summary["transactions"] > 0
