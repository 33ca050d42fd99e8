"""Actor profile chart: one actor's record, its allies and opponents, and a side-by-side
comparison with a second actor (docs/METHODS.md §9).

Markers follow the sides encoding of :mod:`explorer.charts.side_style` (colour = the option
backed, hollow = against, grey = abstain, shape = stance) with the option's key written beside
each marker, so the record reads without the legend.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from urllib.parse import urlparse

import matplotlib.dates as mdates
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backend_bases import MouseEvent
from matplotlib.collections import PathCollection
from matplotlib.container import BarContainer
from matplotlib.figure import Figure

from explorer.store.contest_records import ABSTAINED, AGREE, DIFFER, ActorProfile, Comparison, RecordEntry

from .side_style import AGAINST_MARKER, against_tint, option_handles, side_colour, side_marker, stance_handles
from .style import LIGHT, MUTED_GID, STANCE_STYLE, Theme, add_title_and_caption, apply_theme, draw_message, stance_style

__all__ = ["ActorChart", "build_actor_chart", "build_actor_notice", "natural_height"]

ROW_IN = 0.22
LABEL_CHARS = 44
OPTION_LABEL_LIMIT = 80  # beyond this many markers in a record, option keys are left to tooltips
OUTCOME_ORDER = (DIFFER, ABSTAINED, AGREE)
OUTCOME_TEXT = {DIFFER: "differ", ABSTAINED: "one abstains", AGREE: "agree"}
OUTCOME_GLYPH = {DIFFER: "≠", ABSTAINED: "~", AGREE: "="}


@dataclass
class ActorChart:
    """A drawn profile and the maps a view needs from what is clicked to what it stands for."""

    figure: Figure
    record_axes: list[Axes] = field(default_factory=list)
    # (artist, position ids): the i-th offset of the artist is position_ids[i]
    points_by_artist: list[tuple[PathCollection, list[int]]] = field(default_factory=list)
    # (bars, actor ids): the i-th bar of the container is actor_ids[i] (an ally or opponent)
    partners_by_artist: list[tuple[BarContainer, list[int]]] = field(default_factory=list)
    comparison_axes: Axes | None = None
    comparison_rows: list[Comparison] = field(default_factory=list)  # top to bottom

    def position_at(self, event: MouseEvent) -> int | None:
        """The position under the mouse in a record panel, or None."""
        for artist, ids in reversed(self.points_by_artist):
            if event.inaxes is artist.axes:
                inside, info = artist.contains(event)
                if inside and len(info.get("ind", ())):
                    return ids[int(info["ind"][0])]
        return None

    def partner_at(self, event: MouseEvent) -> int | None:
        """The ally or opponent whose bar is under the mouse (to open its profile), or None."""
        for bars, ids in self.partners_by_artist:
            for patch, actor_id in zip(bars.patches, ids, strict=True):
                if event.inaxes is patch.axes and patch.contains(event)[0]:
                    return actor_id
        return None

    def comparison_at(self, event: MouseEvent) -> Comparison | None:
        """The compared question under the mouse (its rows carry both actors' position ids)."""
        if self.comparison_axes is None or event.inaxes is not self.comparison_axes or event.ydata is None:
            return None
        row = math.floor(event.ydata + 0.5)
        return self.comparison_rows[row] if 0 <= row < len(self.comparison_rows) else None


def build_actor_chart(
    profile: ActorProfile,
    *,
    title: str,
    caption: str,
    other: ActorProfile | None = None,
    theme: Theme = LIGHT,
    figure: Figure | None = None,
) -> ActorChart:
    """One actor: its record over time and its allies/opponents. With ``other`` (the second
    actor's profile; ``profile.comparison`` set): the comparison first, then both records."""
    records = [profile] if other is None else [profile, other]
    record_rows = [max(len({e.question_id for e in p.record}), 1) for p in records]
    compare_rows = max(len(profile.comparison), 1) if other is not None else 0
    if figure is None:
        figure = Figure(figsize=(13.0, natural_height(profile, other)), dpi=100)
    figure.clear()
    figure.set_layout_engine("constrained")
    add_title_and_caption(figure, title, caption, theme)
    chart = ActorChart(figure)
    heights = ([compare_rows + 1.5] if other is not None else []) + [r + 1.2 for r in record_rows]
    grid = figure.add_gridspec(len(heights), 2, width_ratios=(3.2, 1.3), height_ratios=heights)
    row = 0
    if other is not None:
        chart.comparison_axes = figure.add_subplot(grid[0, 0])
        chart.comparison_rows = _draw_comparison(chart.comparison_axes, profile, other, theme)
        _draw_pair_numbers(figure.add_subplot(grid[0, 1]), profile, other, theme)
        row = 1
    for offset, actor in enumerate(records):
        ax = figure.add_subplot(grid[row + offset, 0])
        chart.record_axes.append(ax)
        chart.points_by_artist.extend(_draw_record(ax, actor, theme))
        chart.partners_by_artist.extend(_draw_partners(figure.add_subplot(grid[row + offset, 1]), actor, theme))
    _add_legend(figure, theme)
    apply_theme(figure, theme)
    return chart


def natural_height(profile: ActorProfile, other: ActorProfile | None = None) -> float:
    """The height (inches) at which every row of the profile reads comfortably."""
    records = [profile] if other is None else [profile, other]
    record_rows = sum(max(len({e.question_id for e in p.record}), 1) for p in records)
    compare_rows = max(len(profile.comparison), 1) if other is not None else 0
    height = 2.4 + ROW_IN * (record_rows + compare_rows) + 0.9 * len(records) + (1.0 if other else 0)
    return min(max(height, 5.0), 30.0)


def build_actor_notice(message: str, *, title: str, theme: Theme = LIGHT, figure: Figure | None = None) -> ActorChart:
    """No profile to draw (no actor chosen): the message in place of the chart."""
    if figure is None:
        figure = Figure(figsize=(13.0, 5.0), dpi=100)
    figure.clear()
    figure.set_layout_engine("constrained")
    add_title_and_caption(figure, title, "", theme)
    draw_message(figure.add_subplot(), message, theme)
    apply_theme(figure, theme)
    return ActorChart(figure)


def _row_label(provision: str, question_key: str) -> str:
    """ "Art. 6 · art6-human-rights"; topics (long titles) by the question key alone."""
    short = provision.startswith(("Art. ", "Ch. "))
    return f"{provision} · {question_key}" if short else question_key


def _record_rows(record: tuple[RecordEntry, ...]) -> list[tuple[int, str]]:
    """(question id, row label) in provision order as first met (the record is in treaty order)."""
    seen: dict[int, str] = {}
    for e in record:
        seen.setdefault(e.question_id, _row_label(e.provision, e.question_key))
    return list(seen.items())


def _draw_record(ax: Axes, profile: ActorProfile, theme: Theme) -> list[tuple[PathCollection, list[int]]]:
    """Positions over time, one row per question: shape = stance, colour = option backed."""
    ax.set_title(f"{profile.name}: {len(profile.record)} position(s)", loc="left", fontsize=10)
    dated = [e for e in profile.record if e.date]
    if not dated:
        draw_message(ax, f"No dated positions of {profile.name} in the current filters", theme)
        return []
    rows = _record_rows(profile.record)
    y_of = {q: i for i, (q, _) in enumerate(rows)}
    dates = [dt.date.fromisoformat(e.date[:10]) for e in dated]
    xs = mdates.date2num(dates)
    ys = np.array([y_of[e.question_id] for e in dated], dtype=float)
    ys += _spread(xs, ys, (xs.max() - xs.min()) or 1.0)
    out = []
    for stance in sorted(
        {e.stance for e in dated}, key=lambda s: list(STANCE_STYLE).index(s) if s in STANCE_STYLE else 9
    ):
        idx = [i for i, e in enumerate(dated) if e.stance == stance]
        styles = [side_marker(dated[i].side_rank, stance, theme) for i in idx]
        artist = ax.scatter(
            xs[idx],
            ys[idx],
            s=52,
            marker=stance_style(stance).marker,
            c=[f for f, _, _ in styles],
            edgecolors=[e for _, e, _ in styles],
            linewidths=[w for _, _, w in styles],
            zorder=3,
            picker=True,
            pickradius=4,
        )
        artist.set_gid(f"record-{stance}")
        out.append((artist, [dated[i].position_id for i in idx]))
    if len(dated) <= OPTION_LABEL_LIMIT:
        for i in _labelled(dated, xs):
            x, y, e = xs[i], ys[i], dated[i]
            text = ax.annotate(
                _short(e.choice, 24),
                (x, y),
                xytext=(6, 0),
                textcoords="offset points",
                fontsize=6.5,
                va="center",
                parse_math=False,
                annotation_clip=True,
            )
            text.set_gid(MUTED_GID)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([_short(label) for _, label in rows], fontsize=7, parse_math=False)
    pad = max(10.0, (xs.max() - xs.min()) * 0.08)
    ax.set_xlim(xs.min() - pad, xs.max() + pad * 2)
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.tick_params(labelsize=7)
    ax.grid(axis="y", color=theme.grid, linewidth=0.5)
    ax.set_axisbelow(True)
    undated = len(profile.record) - len(dated)
    if undated:
        ax.text(
            1.0,
            1.01,
            f"{undated} undated position(s) not shown",
            transform=ax.transAxes,
            ha="right",
            va="bottom",
            fontsize=7,
            gid=MUTED_GID,
        )
    return out


def _labelled(entries: list[RecordEntry], xs: np.ndarray) -> list[int]:
    """Markers that get their choice written beside them: per question, the last of each run
    of the same choice (five "adopt" in a row need one label)."""
    order = sorted(range(len(entries)), key=lambda i: (entries[i].question_id, xs[i], i))
    keep = []
    for n, i in enumerate(order):
        following = order[n + 1] if n + 1 < len(order) else None
        same_next = following is not None and (entries[following].question_id, entries[following].choice) == (
            entries[i].question_id,
            entries[i].choice,
        )
        if not same_next:
            keep.append(i)
    return keep


def _spread(xs: np.ndarray, ys: np.ndarray, span: float) -> np.ndarray:
    """Small vertical offsets for markers of one row that would cover each other."""
    offsets = np.zeros(len(xs))
    near = span * 0.012
    for row in np.unique(ys):
        idx = np.flatnonzero(ys == row)
        idx = idx[np.argsort(xs[idx], kind="stable")]
        cluster = [idx[0]] if len(idx) else []
        for i in [*idx[1:], None]:
            if i is not None and xs[i] - xs[cluster[-1]] <= near:
                cluster.append(i)
                continue
            k = len(cluster)
            for j, member in enumerate(cluster):
                offsets[member] = (j - (k - 1) / 2) * min(0.5 / max(k - 1, 1), 0.22) if k > 1 else 0.0
            cluster = [i] if i is not None else []
    return offsets


def _draw_partners(ax: Axes, profile: ActorProfile, theme: Theme) -> list[tuple[BarContainer, list[int]]]:
    """Closest allies (top) and strongest opponents (bottom) as bars with rate and n."""
    ax.set_title(f"Allies and opponents ({profile.metric})", loc="left", fontsize=9)
    partners = list(profile.allies) + list(profile.opponents)
    if not partners:
        draw_message(ax, f"No actor shares {profile.min_shared}+ question(s)\nwith {profile.name}", theme)
        return []
    ys = np.arange(len(partners), dtype=float)
    ys[len(profile.allies) :] += 0.8  # a gap between the two lists
    out = []
    for group, colour, offset in (
        (profile.allies, side_colour(0), 0),
        (profile.opponents, side_colour(1), len(profile.allies)),
    ):
        if not group:
            continue
        rates = [p.rate for p in group]
        bars = ax.barh(
            ys[offset : offset + len(group)],
            rates,
            height=0.7,
            color=colour,
            hatch=None if group is profile.allies else "//",
            edgecolor=theme.axes_bg,
        )
        out.append((bars, [p.actor_id for p in group]))
    for y, p in zip(ys, partners, strict=True):
        ax.annotate(
            f"{_short(p.name, 26)}  {p.rate:.2f} (n={p.shared})",
            (0, y),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            ha="left",
            fontsize=7,
            parse_math=False,
        )
    low = -1.0 if profile.metric == "kappa" else 0.0
    ax.set_xlim(low, 1.0)
    ax.set_ylim(ys.max() + 0.6, -0.9)
    ax.set_yticks([])
    ax.tick_params(labelsize=7)
    if profile.allies:
        ax.text(0, -0.75, "closest allies", fontsize=7, fontweight="bold", va="bottom")
    if profile.opponents:
        ax.text(0, len(profile.allies) + 0.05, "strongest opponents", fontsize=7, fontweight="bold", va="bottom")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return out


def _draw_comparison(ax: Axes, a: ActorProfile, b: ActorProfile, theme: Theme) -> list[Comparison]:
    """One row per question both addressed: A's choice, the outcome, B's choice, sources."""
    rows = sorted(a.comparison, key=lambda c: (OUTCOME_ORDER.index(c.outcome), c.provision, c.question_key))
    counts = a.outcome_counts()
    ax.set_title(
        f"{a.name} and {b.name}: {len(rows)} shared question(s)\n"
        f"agree on {counts[AGREE]}, differ on {counts[DIFFER]}, one abstains on {counts[ABSTAINED]}",
        loc="left",
        fontsize=10,
    )
    for spine in ax.spines.values():
        spine.set_visible(False)
    if not rows:
        draw_message(ax, f"{a.name} and {b.name} share no question in the current filters", theme)
        return []
    ax.set_xlim(0, 10)
    ax.set_ylim(len(rows) - 0.5, -1.2)
    ax.set_xticks([])
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([_short(_row_label(c.provision, c.question_key)) for c in rows], fontsize=7, parse_math=False)
    ax.tick_params(axis="y", length=0)
    for x, text in ((0.15, a.name), (5.2, b.name)):
        ax.text(x, -0.9, _short(text, 30), fontsize=8, fontweight="bold", va="center", parse_math=False)
    for y, c in enumerate(rows):
        _choice_cell(ax, 0.15, y, c.rank_a, c.against_a, c.choice_a, c.sources_a, theme)
        ax.text(4.75, y, OUTCOME_GLYPH[c.outcome], ha="center", va="center", fontsize=11, fontweight="bold")
        _choice_cell(ax, 5.2, y, c.rank_b, c.against_b, c.choice_b, c.sources_b, theme)
    return rows


def _choice_cell(
    ax: Axes, x: float, y: float, rank: int, against: bool, choice: str, sources: tuple[str, ...], theme: Theme
) -> None:
    colour = side_colour(rank)
    face = against_tint(colour, theme) if against else colour
    ax.scatter([x + 0.15], [y], s=90, marker="s", c=[face], edgecolors=theme.grid, zorder=3)
    if against:
        ax.scatter([x + 0.15], [y], s=40, marker=AGAINST_MARKER, c=[colour], linewidths=1.2, zorder=4)
    source = _source_text(sources)
    ax.text(
        x + 0.45, y, _short(choice, 30) + (f"  [{source}]" if source else ""), va="center", fontsize=7, parse_math=False
    )


def _source_text(sources: tuple[str, ...]) -> str:
    """The first source, short: a UN symbol as is, a URL as its host."""
    if not sources:
        return ""
    first = str(sources[0])
    host = urlparse(first).netloc if "://" in first else first
    more = f" +{len(sources) - 1}" if len(sources) > 1 else ""
    return _short(host.removeprefix("www."), 28) + more


def _draw_pair_numbers(ax: Axes, a: ActorProfile, b: ActorProfile, theme: Theme) -> None:
    """The pair's agreement as the profile computed it (B among A's partners, if listed)."""
    ax.axis("off")
    partner = next((p for p in (*a.allies, *a.opponents) if p.actor_id == b.actor_id), None)
    if partner is None:
        text = f"{b.name} shares fewer than {a.min_shared}\nquestion(s) with {a.name}" if a.min_shared > 1 else ""
    else:
        text = (
            f"{a.metric}: {partner.rate:.2f}\nshared questions: {partner.shared}\n"
            f"same side: {partner.congruence}\nopposite sides: {partner.conflict}"
        )
    ax.text(0.0, 1.0, text, va="top", ha="left", fontsize=9, transform=ax.transAxes, parse_math=False)


def _add_legend(figure: Figure, theme: Theme) -> None:
    """Shapes are stances; colour is the option (ranked per question); hollow = against."""
    handles = stance_handles(theme)
    handles += option_handles(
        [(0, False, "most backed option", None), (1, False, "2nd option", None), (0, True, "an option", None)], theme
    )
    legend = figure.legend(
        handles=handles,
        loc="outside right upper",
        fontsize=7,
        title="Shape = stance\ncolour = option backed\n(ranked per question;\nits key beside the marker)",
        title_fontsize=7,
    )
    legend.set_gid("actor-legend")


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
