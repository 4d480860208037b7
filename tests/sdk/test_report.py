"""The run report: plain-text timeline, Markdown and the swimlane PNG, from a synthetic run (no chain needed)."""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest

from portchain.report import (
    DPI,
    ELLIPSIS,
    MIN_LABEL_FONT,
    PartyLine,
    ScenarioRun,
    TimelineEntry,
    figure_size,
    format_timeline,
    gas_by_action,
    swimlane_labels,
    write_markdown,
    write_report,
    write_swimlane_png,
)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

PARTIES = (
    PartyLine("exporter", "SHIPPER", "CN", 2),
    PartyLine("carrier", "CARRIER", "DK", 3),
    PartyLine("bank_cn", "BANK", "CN", 4),
    PartyLine("bank_nl", "BANK", "NL", 5),
    PartyLine("importer", "CONSIGNEE", "NL", 6),
    PartyLine("customs_nl", "CUSTOMS", "NL", 7),
)
ACTIONS = ("bol.issue", "bol.transfer", "lc.present", "lc.honour", "customs.pay", "chain.travel")
CHECK_STEP = 15  # a check: no transaction
REFUSED = {9, 27}
PIPE_STEP = 5


def make_run(steps: int = 30, parties: int = 6, name: str = "flagship") -> ScenarioRun:
    lines = PARTIES[:parties] if parties <= len(PARTIES) else PARTIES + tuple(
        PartyLine(f"extra_{i}", "INSPECTOR", "CH", 100 + i) for i in range(parties - len(PARTIES))
    )
    timeline = []
    for i in range(1, steps + 1):
        party = lines[(i * 5) % len(lines)]
        action = "check.bill" if i == CHECK_STEP else ACTIONS[(i - 1) % len(ACTIONS)]
        sends = i not in REFUSED and action not in ("chain.travel", "check.bill")
        timeline.append(
            TimelineEntry(
                index=i,
                actor=party.name,
                role=party.role,
                action=action,
                tx_hash=f"0x{i:04x}" + "ab" * 29 + f"{i:02x}" if sends else None,
                gas=30_000 + 1_117 * i if sends else 0,
                state="amount 1|2 paid" if i == PIPE_STEP else f"bill ISSUED, holder {party.name}, step {i}",
                note="refused as expected: PresentationTooLate" if i in REFUSED else "",
                block_time=1_750_000_000 + 3_600 * i,
            )
        )
    return ScenarioRun(
        name=name,
        title="Shenzhen to Rotterdam under a letter of credit",
        description="A Shenzhen exporter sells to a Rotterdam importer, paid against the bill.",
        network="anvil",
        chain_id=31337,
        parties=lines,
        timeline=tuple(timeline),
        wall_seconds=4.25,
    )


@pytest.fixture(scope="module")
def run() -> ScenarioRun:
    return make_run()


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == PNG_MAGIC
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_totals(run: ScenarioRun) -> None:
    sent = [e for e in run.timeline if e.tx_hash]
    assert run.transactions == len(sent) == 30 - 5 - 1 - 2  # 5 travel steps, 1 check, 2 refused
    assert run.total_gas == sum(30_000 + 1_117 * e.index for e in sent)


def test_png_is_a_real_png_that_scales(run: ScenarioRun, tmp_path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.image as mpimg
    import matplotlib.pyplot as plt

    open_before = plt.get_fignums()
    path = write_swimlane_png(run, tmp_path / "run.png")
    assert path == tmp_path / "run.png"
    width, height = png_size(path)
    assert mpimg.imread(path).shape[:2] == (height, width)
    expected = figure_size(30, 6)
    assert (width, height) == (round(expected[0] * DPI), round(expected[1] * DPI))

    big = write_swimlane_png(make_run(steps=60, parties=13), tmp_path / "big.png")
    big_width, big_height = png_size(big)
    assert big_width > width and big_height > height
    assert big_width >= 60 * 0.35 * DPI and big_height >= 13 * 0.45 * DPI
    assert min(png_size(write_swimlane_png(make_run(steps=3, parties=2), tmp_path / "small.png"))) > 0
    assert png_size(tmp_path / "small.png")[0] >= 12 * DPI
    assert plt.get_fignums() == open_before  # nothing left open in pyplot


def test_markdown(run: ScenarioRun, tmp_path: Path) -> None:
    path = write_markdown(run, tmp_path / "run.md", "run.png")
    text = path.read_text(encoding="utf-8")
    assert text.startswith(f"# {run.title}\n")
    assert run.description in text
    assert "![swimlane](run.png)" in text
    # the fixture's 22 transactions of 30,000 + 1,117 x step gas: totals written out, thousands grouped
    assert f"| total gas | {run.total_gas:,} |" in text
    assert "| total gas | 1,021,908 |" in text
    assert "| transactions | 22 |" in text
    assert "| gas per transaction | 46,450 |" in text
    for party in run.parties:
        assert f"| {party.name} | {party.role} | {party.country} | {party.org_id} |" in text
    for entry in run.timeline:
        row = next(line for line in text.splitlines() if line.startswith(f"| {entry.index} |"))
        assert f"`{entry.action}`" in row
        if entry.tx_hash:
            assert f"`{entry.tx_hash}`" in row and f"{entry.gas:,}" in row
    assert text.count("refused as expected: PresentationTooLate") == 2

    # a pipe in a cell is escaped so the table keeps its columns
    assert "amount 1\\|2 paid" in text
    assert "amount 1|2" not in text
    header = next(line for line in text.splitlines() if line.startswith("| step |"))
    pipe_row = next(line for line in text.splitlines() if line.startswith(f"| {PIPE_STEP} |"))
    assert len(re.findall(r"(?<!\\)\|", pipe_row)) == header.count("|")

    # gas by action: computed by hand, costliest first
    section = text.split("## Gas by action", 1)[1]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    expected: dict[str, list[int]] = {}
    for entry in run.timeline:
        if entry.tx_hash:
            expected.setdefault(entry.action, []).append(entry.gas)
    assert len(rows) == len(expected)
    totals = []
    for line in rows:
        action, count, total, average = (cell.strip() for cell in line.strip("|").split("|"))
        gases = expected[action.strip("`")]
        assert int(count) == len(gases)
        assert total == f"{sum(gases):,}"
        assert average == f"{round(sum(gases) / len(gases)):,}"
        totals.append(sum(gases))
    assert totals == sorted(totals, reverse=True)
    assert [(g.action, g.count, g.total) for g in gas_by_action(run.timeline)][0][2] == max(totals)


def test_markdown_without_png(run: ScenarioRun, tmp_path: Path) -> None:
    text = write_markdown(run, tmp_path / "run.md", None).read_text(encoding="utf-8")
    assert "![swimlane]" not in text


@pytest.mark.parametrize("width", [120, 80, 60])
def test_format_timeline(run: ScenarioRun, width: int) -> None:
    lines = format_timeline(run, width=width).splitlines()
    assert all(len(line) <= width for line in lines)
    assert lines[0].split()[:5] == ["#", "actor", "action", "tx", "gas"]
    steps = [line for line in lines if re.match(r"\s*\d+\s", line)]
    assert len(steps) == len(run.timeline)
    assert any("…" in line for line in steps) or width == 120
    first = steps[0]
    assert "0x0001…" in first and f"{run.timeline[0].gas:,}" in first
    last = lines[-1]
    assert f"{run.total_gas:,}" in last and f"{run.transactions} transactions" in last and "4.2 s" in last
    if width >= 80:  # the scenario's own wall time, named so that the demo's total is not taken for it
        assert last.endswith("30 steps, scenario wall time 4.2 s")


def test_format_timeline_wide_keeps_state_and_note(run: ScenarioRun) -> None:
    lines = format_timeline(run, width=200).splitlines()
    refused = next(line for line in lines if re.match(r"\s*9\s", line))
    assert "refused as expected: PresentationTooLate" in refused
    assert "…" not in refused.split("  ")[-1]


def test_write_report(run: ScenarioRun, tmp_path: Path) -> None:
    directory = tmp_path / "reports" / "nested"
    md, png = write_report(run, directory)
    assert md.parent == png.parent == directory
    assert md.suffix == ".md" and png.suffix == ".png" and md.stem == png.stem
    assert re.fullmatch(r"flagship-\d{8}-\d{6}", md.stem)
    assert png_size(png)[0] > 0
    assert f"![swimlane]({png.name})" in md.read_text(encoding="utf-8")


def _with_times(run: ScenarioRun, seconds_apart: int, wall: float) -> ScenarioRun:
    from dataclasses import replace

    timeline = tuple(replace(e, block_time=1_750_000_000 + seconds_apart * (e.index - 1)) for e in run.timeline)
    return replace(run, timeline=timeline, wall_seconds=wall)


@pytest.mark.parametrize(
    "apart, span, wall, wall_text",
    [(0, "0 s", 0.4, "0.4 s"), (1, "29 s", 4.25, "4.2 s"), (3, "1 min 27 s", 65.34, "1 min 5.3 s"),
     (3_600, "1 d 5 h 0 min", 125.0, "2 min 5.0 s")],
)
def test_markdown_times_under_a_minute_are_in_seconds(  # type: ignore[no-untyped-def]
    run, tmp_path: Path, apart: int, span: str, wall: float, wall_text: str
) -> None:
    text = write_markdown(_with_times(run, apart, wall), tmp_path / "run.md", None).read_text(encoding="utf-8")
    chain_time = next(line for line in text.splitlines() if line.startswith("| chain time |"))
    assert chain_time.endswith(f" UTC ({span}) |")
    assert f"| scenario wall time | {wall_text} |" in text


def _crowded_run() -> ScenarioRun:
    """One party doing long-named actions at consecutive steps: the narrowest boxes the picture draws."""
    actions = ["lc.consent_to_cancellation", "doc.anchor", "bol.record_milestone", "lc.accept_amendment",
               "gate.authorise", "customs.require_amendment"] * 10
    timeline = tuple(
        TimelineEntry(i, "carrier", "CARRIER", action, "0x" + "ab" * 32, 50_000, "ok")
        for i, action in enumerate(actions, start=1)
    )
    return ScenarioRun("crowded", "", "", "anvil", 31337, PARTIES[:2], timeline, 1.0)


def test_swimlane_labels_are_never_cut(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from matplotlib.axes import Axes

    crowded = _crowded_run()
    labels = swimlane_labels(crowded)
    for entry in crowded.timeline:
        text, size = labels[entry.index]
        assert text.replace("\n", "") == entry.short_action and ELLIPSIS not in text  # whole, maybe on lines
        assert size >= MIN_LABEL_FONT
    assert labels[1][0] == "consent_to_\ncancellation" and labels[2] == ("anchor", labels[2][1])
    assert labels[2][1] >= 6  # a short action between two neighbours of its lane stays at a readable size

    drawn: list[tuple[str, float]] = []
    original = Axes.text

    def text(self, x, y, s, *args, **kwargs):  # type: ignore[no-untyped-def]
        drawn.append((s, kwargs.get("fontsize")))
        return original(self, x, y, s, *args, **kwargs)

    monkeypatch.setattr(Axes, "text", text)
    write_swimlane_png(crowded, tmp_path / "crowded.png")
    assert [label for label in drawn if label[0].replace("\n", "") in {e.short_action for e in crowded.timeline}] \
        == [labels[e.index] for e in crowded.timeline]
