"""Readable reports of a scenario run: a plain-text timeline, a Markdown report and a PNG swimlane picture.

A run is described by plain data (:class:`ScenarioRun`, :class:`PartyLine`, :class:`TimelineEntry`), so a report
can be written without a chain::

    from pathlib import Path
    from portchain.report import PartyLine, ScenarioRun, TimelineEntry, format_timeline, write_report

    run = ScenarioRun(
        name="flagship",
        title="Shenzhen to Rotterdam under a letter of credit",
        description="A Shenzhen exporter sells to a Rotterdam importer.",
        network="anvil",
        chain_id=31337,
        parties=(PartyLine("exporter", "SHIPPER", "CN", 2), PartyLine("carrier", "CARRIER", "DK", 3)),
        timeline=(
            TimelineEntry(
                1, "carrier", "CARRIER", "bol.issue", "0x" + "ab" * 32, 88_000, "bill ISSUED, holder exporter"
            ),
            TimelineEntry(2, "exporter", "SHIPPER", "chain.travel", None, 0, "22 days later"),
        ),
        wall_seconds=3.2,
    )
    print(format_timeline(run))
    md, png = write_report(run, Path("reports"))   # reports/flagship-20250101-120000.md and .png

matplotlib is imported only when a picture is drawn, and only through its object-oriented API on the Agg
canvas: no pyplot, no global figure registry, nothing left open after saving.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = [
    "ActionGas",
    "PartyLine",
    "ScenarioRun",
    "TimelineEntry",
    "format_timeline",
    "gas_by_action",
    "span_text",
    "wall_text",
    "swimlane_label",
    "swimlane_labels",
    "write_markdown",
    "write_report",
    "write_swimlane_png",
]

ELLIPSIS = "…"
DPI = 110
INCHES_PER_STEP = 0.5  # room between two steps of one lane for a label of 9 characters at 5 pt or more
MIN_WIDTH_INCHES = 12.0
INCHES_PER_LANE = 0.45
GAS_PANEL_INCHES = 3.0
TITLE_INCHES = 0.8


@dataclass(frozen=True)
class TimelineEntry:
    """One step of a run."""

    index: int  # 1-based step number
    actor: str  # the scenario's party name, e.g. "exporter", "customs_nl"
    role: str  # e.g. "SHIPPER", "CUSTOMS"
    action: str  # e.g. "lc.present", "customs.pay", "chain.travel"
    tx_hash: str | None  # None for steps that send no transaction (checks, time travel)
    gas: int  # 0 when no transaction
    state: str  # short state after the step, e.g. "bill ISSUED, holder exporter"
    note: str = ""  # e.g. "refused as expected: PresentationTooLate"
    block_time: int = 0  # chain time (unix seconds) after the step
    block: int = 0  # the block its transaction was mined in (0: no transaction)

    @property
    def refused(self) -> bool:
        """True when the step was refused as the scenario expected (its note starts with "refused")."""
        return self.note.strip().lower().startswith("refused")

    @property
    def short_action(self) -> str:
        """The action without its namespace: ``"lc.present"`` -> ``"present"``."""
        return self.action.rsplit(".", 1)[-1]


@dataclass(frozen=True)
class PartyLine:
    """One party of a run."""

    name: str  # "exporter"
    role: str  # "SHIPPER"
    country: str  # "CN"
    org_id: int


@dataclass(frozen=True)
class ScenarioRun:
    """Everything a report shows about one run of a scenario."""

    name: str  # file stem, e.g. "flagship"
    title: str  # "Shenzhen to Rotterdam under a letter of credit"
    description: str
    network: str  # "anvil"
    chain_id: int
    parties: tuple[PartyLine, ...]
    timeline: tuple[TimelineEntry, ...]
    wall_seconds: float

    @property
    def total_gas(self) -> int:
        """Gas used by every step together."""
        return sum(entry.gas for entry in self.timeline)

    @property
    def transactions(self) -> int:
        """How many steps sent a transaction."""
        return sum(1 for entry in self.timeline if entry.tx_hash)

    @property
    def blocks(self) -> int:
        """How many blocks the steps' transactions were mined in (one per transaction when each is sent after the
        one before is mined; fewer when independent steps share a block)."""
        return len({entry.block for entry in self.timeline if entry.tx_hash and entry.block})


@dataclass(frozen=True)
class ActionGas:
    """Gas of one action over a run: how many transactions, their total and their (rounded) average."""

    action: str
    count: int
    total: int

    @property
    def average(self) -> int:
        return round(self.total / self.count) if self.count else 0


# ------------------------------------------------------------------------------------------------ helpers


def _clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, ending in "…" when cut."""
    if limit <= 0:
        return ""
    if len(text) <= limit:
        return text
    return text[: limit - 1] + ELLIPSIS


def _short_hash(tx_hash: str | None) -> str:
    if not tx_hash:
        return "-"
    return tx_hash if len(tx_hash) <= 12 else f"{tx_hash[:6]}{ELLIPSIS}{tx_hash[-4:]}"


def _gas_text(entry: TimelineEntry) -> str:
    return f"{entry.gas:,}" if entry.tx_hash or entry.gas else "-"


def _state_text(entry: TimelineEntry) -> str:
    if entry.state and entry.note:
        return f"{entry.state} ({entry.note})"
    return entry.state or entry.note


def wall_text(seconds: float) -> str:
    """A wall time, to the tenth of a second.

    >>> wall_text(4.25), wall_text(65.34)
    ('4.2 s', '1 min 5.3 s')
    """
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds, 1), 60)
    return f"{int(minutes)} min {rest:.1f} s"


def _utc(unix_seconds: int) -> str:
    return datetime.fromtimestamp(unix_seconds, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def span_text(seconds: int) -> str:
    """A span of chain time, to the second under an hour, to the minute above.

    >>> span_text(39), span_text(65), span_text(120), span_text(3_600), span_text(22 * 86_400 + 3_900)
    ('39 s', '1 min 5 s', '2 min', '1 h 0 min', '22 d 1 h 5 min')
    """
    days, rest = divmod(int(seconds), 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    if not days and not hours:
        if not minutes:
            return f"{secs} s"
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    parts = [f"{days} d"] if days else []
    parts += [f"{hours} h", f"{minutes} min"]
    return " ".join(parts)


def gas_by_action(timeline: Iterable[TimelineEntry]) -> list[ActionGas]:
    """Gas per action over the steps that sent a transaction, the costliest action first (ties by name)."""
    counts: dict[str, int] = {}
    totals: dict[str, int] = {}
    for entry in timeline:
        if not entry.tx_hash:
            continue
        counts[entry.action] = counts.get(entry.action, 0) + 1
        totals[entry.action] = totals.get(entry.action, 0) + entry.gas
    rows = [ActionGas(action, counts[action], totals[action]) for action in counts]
    rows.sort(key=lambda row: (-row.total, row.action))
    return rows


WALL_TIME_LABEL = "scenario wall time"  # setting up the parties and running the steps, on a running node


def _totals_line(run: ScenarioRun, width: int) -> str:
    """The totals under the timeline, in words while they fit in ``width``."""
    counts = f"{run.total_gas:,} in {run.transactions} transactions, {len(run.timeline)} steps"
    wall = wall_text(run.wall_seconds)
    full = f"total gas {counts}, {WALL_TIME_LABEL} {wall}"
    return full if len(full) <= width else _clip(f"gas {counts}, scenario {wall}", width)


# ------------------------------------------------------------------------------------------------ text


def format_timeline(run: ScenarioRun, *, width: int = 120) -> str:
    """The plain-text timeline: a header, one aligned line per step, and a line with the totals.

    Columns: ``#  actor  action  tx  gas  state (note)``; every line fits in ``width`` characters, the state being
    cut with "…" first.
    """
    entries = run.timeline
    heads = ("#", "actor", "action", "tx", "gas")
    cells = [
        (str(e.index), _clip(e.actor, 18), _clip(e.action, 26), _short_hash(e.tx_hash), _gas_text(e)) for e in entries
    ]
    widths = [max([len(head)] + [len(row[col]) for row in cells]) for col, head in enumerate(heads)]
    gap = "  "

    def line(row: Sequence[str], tail: str) -> str:
        number, actor, action, tx, gas = row
        fixed = gap.join(
            (
                number.rjust(widths[0]),
                actor.ljust(widths[1]),
                action.ljust(widths[2]),
                tx.ljust(widths[3]),
                gas.rjust(widths[4]),
            )
        )
        room = width - len(fixed) - len(gap)
        text = fixed + gap + _clip(tail, room) if room > 0 and tail else fixed
        return _clip(text.rstrip(), width)

    body = [line(row, _state_text(entry)) for row, entry in zip(cells, entries, strict=True)]
    header = line(heads, "state")
    rule = "-" * min(width, max(len(text) for text in [header, *body]))
    return "\n".join([header, rule, *body, _totals_line(run, width)])


# ------------------------------------------------------------------------------------------------ markdown


def _cell(value: object) -> str:
    """A Markdown table cell: pipes escaped, line breaks flattened."""
    text = str(value).replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    return text.replace("|", "\\|")


def _table(heads: Sequence[str], rows: Iterable[Sequence[object]], align: str | None = None) -> list[str]:
    """A Markdown table; ``align`` holds one of ``l``/``r`` per column (left by default)."""
    marks = [("---:" if a == "r" else "---") for a in (align or "l" * len(heads))]
    out = ["| " + " | ".join(_cell(h) for h in heads) + " |", "| " + " | ".join(marks) + " |"]
    out.extend("| " + " | ".join(_cell(c) for c in row) + " |" for row in rows)
    return out


def write_markdown(run: ScenarioRun, path: Path, png_name: str | None) -> Path:
    """Write the Markdown report of ``run`` to ``path`` (linking the picture ``png_name`` if given); return the path."""
    path = Path(path)
    entries = run.timeline
    times = [e.block_time for e in entries if e.block_time]
    per_tx = round(run.total_gas / run.transactions) if run.transactions else 0

    out: list[str] = [f"# {run.title or run.name}", ""]
    if run.description.strip():
        out += [run.description.strip(), ""]

    summary: list[tuple[str, object]] = [
        ("scenario", run.name),
        ("network", run.network),
        ("chain id", run.chain_id),
        ("steps", len(entries)),
        ("transactions", run.transactions),
        ("blocks", run.blocks),
        ("refused as expected", sum(1 for e in entries if e.refused)),
        ("total gas", f"{run.total_gas:,}"),
        ("gas per transaction", f"{per_tx:,}"),
        (WALL_TIME_LABEL, wall_text(run.wall_seconds)),
    ]
    if times:
        span = span_text(max(times) - min(times))
        summary.append(("chain time", f"{_utc(min(times))} to {_utc(max(times))} UTC ({span})"))
    out += ["## Summary", ""] + _table(("run", ""), summary, "lr") + [""]

    out += ["## Parties", ""]
    out += _table(
        ("name", "role", "country", "organisation id"),
        ((p.name, p.role, p.country, p.org_id) for p in run.parties),
        "lllr",
    )
    out.append("")

    if png_name:
        out += ["## Swimlane", "", f"![swimlane]({png_name})", ""]

    heads = ["step", "actor", "action", "gas", "tx hash", "state", "note"]
    if times:
        heads.insert(1, "chain time (UTC)")
    rows: list[list[object]] = []
    for e in entries:
        row: list[object] = [
            e.index,
            e.actor,
            f"`{e.action}`",
            _gas_text(e),
            f"`{e.tx_hash}`" if e.tx_hash else "-",
            e.state,
            f"**{e.note}**" if e.refused else e.note,
        ]
        if times:
            row.insert(1, _utc(e.block_time) if e.block_time else "")
        rows.append(row)
    align = "rl" + "l" * (len(heads) - 2)
    align = align[: heads.index("gas")] + "r" + align[heads.index("gas") + 1 :]
    out += ["## Timeline", ""] + _table(heads, rows, align) + [""]

    out += ["## Gas by action", ""]
    by_action = gas_by_action(entries)
    if by_action:
        out += _table(
            ("action", "count", "total", "average"),
            ((f"`{g.action}`", g.count, f"{g.total:,}", f"{g.average:,}") for g in by_action),
            "lrrr",
        )
    else:
        out.append("No transactions were sent.")
    out.append("")

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out), encoding="utf-8")
    return path


# ------------------------------------------------------------------------------------------------ picture


def _lanes(run: ScenarioRun) -> list[tuple[str, str]]:
    """(name, role) of every lane: the parties in order, then any actor of the timeline that is not a party."""
    lanes = [(p.name, p.role) for p in run.parties]
    known = {name for name, _ in lanes}
    for entry in run.timeline:
        if entry.actor not in known:
            lanes.append((entry.actor, entry.role))
            known.add(entry.actor)
    return lanes


def _label_inches(lanes: Sequence[tuple[str, str]]) -> float:
    """About how wide the lane labels ("name (ROLE)" at 8 pt) are."""
    longest = max((len(f"{name} ({role})") for name, role in lanes), default=8)
    return longest * 8 * 0.6 / 72 + 0.2


def figure_size(steps: int, lanes: int) -> tuple[float, float]:
    """Width and height in inches of the swimlane picture for ``steps`` steps over ``lanes`` lanes."""
    width = max(MIN_WIDTH_INCHES, INCHES_PER_STEP * steps + 3.0)
    height = INCHES_PER_LANE * max(lanes, 1) + GAS_PANEL_INCHES + TITLE_INCHES
    return width, height


_EM = 0.56  # the average width of a lower-case glyph (DejaVu Sans), in font sizes

_PALETTE = [
    "#cfe2f3", "#d9ead3", "#fff2cc", "#e6d9f2", "#fce5cd", "#d0e0e3", "#f4cccc",
    "#ead1dc", "#c9daf8", "#d9d2e9", "#fde9c9", "#d2f0e0", "#e8e8c8",
]  # fmt: skip
_REFUSED_FACE, _REFUSED_EDGE = "#f8d0d0", "#b22222"
_IDLE_FACE, _EDGE = "#f2f2f2", "#4a4a4a"
_BAR_COLOUR = "#4a78a8"


def _box_halves(entries: list[TimelineEntry], step_inches: float, font: float) -> dict[int, float]:
    """Half the width of each step's box (in steps): as wide as its label needs, but never reaching a neighbouring
    step of the same lane."""
    half: dict[int, float] = {}
    for k, entry in enumerate(entries):
        crowded = any(
            0 <= j < len(entries) and entries[j].actor == entry.actor and abs(entries[j].index - entry.index) == 1
            for j in (k - 1, k + 1)
        )
        need = (len(entry.short_action) * font * _EM / 72 + 0.1) / step_inches
        half[entry.index] = min(max(need, 0.78), 0.86 if crowded else 1.7) / 2
    return half


BOX_HEIGHT = 0.7  # of a lane
LABEL_FONT = 6.5  # points, the largest a step's label is drawn at
MIN_LABEL_FONT = 4.5  # points: a label that does not fit its box at this size overflows it rather than being cut
_LINE_HEIGHT = 1.25  # a text line, in font sizes


def _box_geometry(run: ScenarioRun) -> tuple[float, dict[int, float]]:
    """(inches per step, half the width of each step's box in steps): a box is as wide as its label needs, but
    never reaches a neighbouring step of the same lane."""
    lanes = _lanes(run)
    entries = sorted(run.timeline, key=lambda e: e.index)
    width, _ = figure_size(len(entries), len(lanes))
    first = entries[0].index if entries else 1
    last = entries[-1].index if entries else 1
    axis_inches = max(width - _label_inches(lanes) - 0.6, 1.0)
    step_inches = axis_inches / max(last - first + 1.4, 1.0)
    return step_inches, _box_halves(entries, step_inches, LABEL_FONT)


def _line_splits(text: str, most: int) -> list[list[str]]:
    """``text`` on one line, then on up to ``most`` lines broken after its underscores (or dashes)."""
    parts = re.split(r"(?<=[_-])", text)
    splits = []
    for count in range(1, min(most, len(parts)) + 1):
        for cuts in combinations(range(1, len(parts)), count - 1):
            bounds = (0, *cuts, len(parts))
            splits.append(["".join(parts[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)])
    return splits


def swimlane_label(action: str, box_inches: float, box_height_inches: float) -> tuple[str, float]:
    """(text, font size) of a step's label in a box of that size: the whole action, never cut, on up to three
    lines broken after its underscores, at the largest size up to :data:`LABEL_FONT` that fits the box (at least
    :data:`MIN_LABEL_FONT`).

    >>> swimlane_label("anchor", 0.2, 0.31)  # too narrow even at the smallest size: overflows, but whole
    ('anchor', 4.5)
    >>> text, size = swimlane_label("consent_to_cancellation", 0.56, 0.31)
    >>> text.splitlines(), round(size, 1)
    (['consent_to_', 'cancellation'], 5.4)
    """
    best = (action, 0.0)
    for lines in _line_splits(action, 3):
        by_width = (box_inches - 0.06) * 72 / (max(len(line) for line in lines) * _EM)
        by_height = box_height_inches * 72 / (len(lines) * _LINE_HEIGHT)
        size = min(LABEL_FONT, by_width, by_height)
        if size > best[1] + 0.01:  # fewer lines unless more are clearly larger
            best = ("\n".join(lines), size)
    return best[0], max(best[1], MIN_LABEL_FONT)


def swimlane_labels(run: ScenarioRun) -> dict[int, tuple[str, float]]:
    """The label of every step's box in the swimlane picture (step -> (text, font size)), as it is drawn."""
    step_inches, half = _box_geometry(run)
    return {
        entry.index: swimlane_label(entry.short_action, 2 * half[entry.index] * step_inches,
                                    BOX_HEIGHT * INCHES_PER_LANE)
        for entry in run.timeline
    }


def _box_style(entry: TimelineEntry, lane_colour: str) -> tuple[str, str, str | None, str]:
    """(face, border, hatch, line style) of a step's box: refused, sent, or no transaction."""
    if entry.refused:
        return _REFUSED_FACE, _REFUSED_EDGE, "////", "solid"
    if entry.tx_hash:
        return lane_colour, _EDGE, None, "solid"
    return _IDLE_FACE, "#7a7a7a", None, "dashed"


def _draw_arrows(
    ax: Axes, entries: list[TimelineEntry], lane_of: dict[str, int], half: dict[int, float], box_h: float
) -> None:
    """Thin arrows from each step to the next: edge to edge within a lane, top/bottom to bottom/top across lanes."""
    for before, after in zip(entries, entries[1:], strict=False):
        y0, y1 = lane_of[before.actor], lane_of[after.actor]
        if y0 == y1:
            start, end = (before.index + half[before.index], float(y0)), (after.index - half[after.index], float(y1))
        else:
            down = 1 if y1 > y0 else -1
            start, end = (before.index, y0 + down * box_h / 2), (after.index, y1 - down * box_h / 2)
        ax.annotate(
            "",
            xy=end,
            xytext=start,
            arrowprops={"arrowstyle": "-|>", "color": "#9a9a9a", "linewidth": 0.6, "mutation_scale": 6,
                        "shrinkA": 0, "shrinkB": 0},
            zorder=1,
        )  # fmt: skip


def _draw_gas(ax: Axes, run: ScenarioRun, entries: list[TimelineEntry], first: int) -> None:
    """Gas per step: bars only for steps that sent a transaction."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    sent = [e for e in entries if e.tx_hash]
    ax.bar(
        [e.index for e in sent],
        [e.gas for e in sent],
        width=0.7,
        color=[_REFUSED_EDGE if e.refused else _BAR_COLOUR for e in sent],
        zorder=2,
    )
    ax.set_title(
        f"gas per step: total {run.total_gas:,} in {run.transactions} transactions", fontsize=9, loc="left"
    )
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{int(value):,}"))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
    ax.set_ylim(bottom=0)
    ax.grid(axis="y", color="#e4e4e4", linewidth=0.6, zorder=0)
    ax.tick_params(labelsize=7)
    ax.set_xlabel("step", fontsize=8)
    tick_every = 1 if len(entries) <= 80 else 5
    ax.set_xticks([e.index for e in entries if (e.index - first) % tick_every == 0])
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def write_swimlane_png(run: ScenarioRun, path: Path) -> Path:
    """Draw who did what when (one lane per party) above the gas of every step; save it as a PNG at ``path``."""
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyBboxPatch, Patch

    path = Path(path)
    lanes = _lanes(run)
    lane_of = {name: i for i, (name, _) in enumerate(lanes)}
    entries = sorted(run.timeline, key=lambda e: e.index)
    steps = len(entries)
    width, height = figure_size(steps, len(lanes))

    palette, refused_face, refused_edge, idle_face, edge = _PALETTE, _REFUSED_FACE, _REFUSED_EDGE, _IDLE_FACE, _EDGE

    fig = Figure(figsize=(width, height), dpi=DPI)
    lane_inches = INCHES_PER_LANE * max(len(lanes), 1)
    axes = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [lane_inches, GAS_PANEL_INCHES - 0.7]})
    lanes_ax: Axes = axes[0]
    gas_ax: Axes = axes[1]

    first = entries[0].index if entries else 1
    last = entries[-1].index if entries else 1
    lanes_ax.set_xlim(first - 0.7, last + 0.7)
    lanes_ax.set_ylim(len(lanes) - 0.5, -0.5)  # first party on top

    # lanes: alternating bands, labelled "name (ROLE)"
    for i in range(len(lanes)):
        if i % 2 == 0:
            lanes_ax.axhspan(i - 0.5, i + 0.5, color="#f5f7fa", zorder=0, linewidth=0)
        lanes_ax.axhline(i + 0.5, color="#dddddd", linewidth=0.6, zorder=0)
    lanes_ax.set_yticks(range(len(lanes)))
    lanes_ax.set_yticklabels([f"{name} ({role})" for name, role in lanes], fontsize=8)
    lanes_ax.tick_params(axis="y", length=0)
    lanes_ax.tick_params(axis="x", labelbottom=False, length=0)
    for side in ("top", "right", "bottom"):
        lanes_ax.spines[side].set_visible(False)

    step_inches, half = _box_geometry(run)
    box_h = BOX_HEIGHT
    labels = swimlane_labels(run)

    _draw_arrows(lanes_ax, entries, lane_of, half, box_h)

    for entry in entries:
        lane = lane_of[entry.actor]
        face, border, hatch, style = _box_style(entry, palette[lane % len(palette)])
        w = 2 * half[entry.index]
        box = FancyBboxPatch(
            (entry.index - w / 2, lane - box_h / 2),
            w,
            box_h,
            boxstyle="round,pad=0,rounding_size=0.12",
            facecolor=face,
            edgecolor=border,
            hatch=hatch,
            linewidth=0.8,
            linestyle=style,
            zorder=2,
            mutation_aspect=1 / max(step_inches / INCHES_PER_LANE, 0.2),
        )
        lanes_ax.add_patch(box)
        text, size = labels[entry.index]
        lanes_ax.text(
            entry.index,
            lane,
            text,
            ha="center",
            va="center",
            fontsize=size,
            linespacing=1.1,
            fontweight="bold" if entry.refused else "normal",
            color="#7a1010" if entry.refused else "#1a1a1a",
            zorder=3,
            bbox={"facecolor": face, "edgecolor": "none", "pad": 0.4} if entry.refused else None,
        )

    legend = [
        Patch(facecolor=palette[0], edgecolor=edge, label="transaction"),
        Patch(facecolor=idle_face, edgecolor="#7a7a7a", linestyle="dashed", label="no transaction"),
        Patch(facecolor=refused_face, edgecolor=refused_edge, hatch="////", label="refused as expected"),
        Line2D([], [], color="#8a8a8a", linewidth=0.8, marker=">", markersize=3, label="next step"),
    ]
    lanes_ax.legend(handles=legend, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=4, fontsize=7, frameon=False)
    lanes_ax.set_title(
        f"{run.title or run.name}  ({run.network}, chain {run.chain_id})", fontsize=11, loc="right", pad=6
    )

    _draw_gas(gas_ax, run, entries, first)

    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fig.savefig(path, format="png", dpi=DPI)
    finally:
        fig.clear()
    return path


# ------------------------------------------------------------------------------------------------ both


def _safe_stem(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "scenario"


def write_report(run: ScenarioRun, directory: Path) -> tuple[Path, Path]:
    """Write ``<directory>/<name>-<UTC YYYYmmdd-HHMMSS>.md`` and the ``.png`` of the same stem; return (md, png)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    stem = f"{_safe_stem(run.name)}-{datetime.now(timezone.utc).strftime('%Y%m%d-%H%M%S')}"
    png = write_swimlane_png(run, directory / f"{stem}.png")
    md = write_markdown(run, directory / f"{stem}.md", png.name)
    return md, png
