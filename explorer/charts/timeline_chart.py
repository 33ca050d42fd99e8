"""Timeline chart: who took which side when, one row per actor, sessions as shaded bands.

Colour is the option an actor backed (ranked per question, :mod:`explorer.charts.side_style`),
hollow when against it, grey when abstaining; the marker shape is the stance. With several
questions in view the rows are grouped by question (each with its options named in the legend)
or, beyond ``GROUPED_QUESTIONS``, colours name each option's rank in its question (METHODS §7).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import matplotlib.dates as mdates
from matplotlib.axes import Axes
from matplotlib.backend_bases import MouseEvent
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.textpath import text_to_path

from explorer.store.records import SessionSpan, TimelinePoint
from explorer.vocabulary import STANCE_SIDE, STANCES

from .side_style import heading_handle, option_handles, rank_name, side_colour, side_marker, stance_handles
from .style import (
    LIGHT,
    MUTED_GID,
    Theme,
    add_title_and_caption,
    apply_theme,
    draw_message,
    stance_style,
)

__all__ = [
    "EMPTY_MESSAGE",
    "TimelineChart",
    "build_timeline_chart",
]

EMPTY_MESSAGE = "No positions match the current filters"

FIG_WIDTH_IN = 11.0
# Inches of a new figure that are not actor rows: title, session labels, date axis, caption.
CHROME_IN = 2.9
ROW_IN_FEW = 0.24  # up to DENSE_ACTORS actors: roomy rows, 9 pt labels
ROW_IN_MANY = 0.13  # beyond: compact rows that still fit a 6-7 pt label each
DENSE_ACTORS = 40
MAX_FIG_HEIGHT_IN = 30.0
MIN_LABEL_PT, MAX_LABEL_PT = 5.0, 9.0
MARKER_PT = 7.0  # marker diameter in roomy rows; down to 3 pt in crowded ones
LABEL_CHARS = 34  # longer actor names are shortened with an ellipsis
SESSION_LABEL_ROWS = 3
SESSION_LABEL_PT = 7.5
SESSION_LABEL_GAP = 12.0  # points kept free between two labels on a row
JITTER_SPAN = 0.6  # markers of one actor that touch spread over this fraction of a row
SIDES_MODES = ("auto", "grouped", "ranked")
GROUPED_QUESTIONS = 4  # "auto" groups rows by question up to this many questions, else ranks colours


@dataclass
class TimelineChart:
    """A built timeline and the mapping a GUI needs from a picked marker to its position.

    `points_by_artist` holds one `(PathCollection, position_ids)` pair per stance drawn; the
    i-th offset of the collection is `position_ids[i]`, which is exactly the `ind` matplotlib
    reports in a pick event or in `artist.contains(event)`.
    """

    figure: Figure
    axes: Axes
    points_by_artist: list[tuple[PathCollection, list[int]]] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)  # each actor once, in row order
    rows: list[str] = field(default_factory=list)  # row labels top to bottom ('' for a question heading)
    points: list[TimelinePoint] = field(default_factory=list)  # as drawn (for tooltips)
    row_questions: list[str] = field(default_factory=list)  # grouped rows: the question key of each row
    sides: str = "ranked"  # how colours were assigned: "grouped" or "ranked"
    row_labels: list[str] = field(default_factory=list)  # what each row's label shows: the short name

    def position_at(self, artist: PathCollection, index: int) -> int:
        """The position_id of marker `index` in `artist` (from a PickEvent's `ind`)."""
        for candidate, ids in self.points_by_artist:
            if candidate is artist:
                return ids[index]
        raise KeyError("artist is not a stance layer of this timeline")

    def hit(self, event: MouseEvent) -> int | None:
        """The position under the mouse (hover, click), or None: of the markers the mouse is on,
        the one whose centre is nearest, so each of a stack of markers can be picked."""
        if event.inaxes is not self.axes:
            return None
        best: tuple[float, int] | None = None
        for artist, ids in self.points_by_artist:
            inside, info = artist.contains(event)
            if not inside:
                continue
            centres = artist.get_offset_transform().transform(artist.get_offsets())
            for i in info.get("ind", ()):
                distance = math.hypot(centres[i][0] - event.x, centres[i][1] - event.y)
                if best is None or distance < best[0]:
                    best = (distance, ids[int(i)])
        return best[1] if best else None

    def row_name_at(self, event: MouseEvent) -> str | None:
        """The full name of the row whose label the mouse is on (left of the plot), or None:
        rows show short names, hovering one shows the name in full."""
        box = self.axes.get_window_extent()
        if (
            not self.rows
            or event.x is None
            or event.y is None
            or not (event.x < box.x0 and box.y0 <= event.y <= box.y1)
        ):
            return None
        _, y = self.axes.transData.inverted().transform((box.x0, event.y))
        row = round(y)
        return self.rows[row] or None if 0 <= row < len(self.rows) else None

    def fit_labels(self) -> None:
        """Size actor labels to the rows the axes have now; call again after a resize.

        Labels shrink from 9 pt down to 5 pt; when even 5 pt rows would collide (very tall lists
        in a small window) only every k-th actor is labelled and ticked (every row keeps its grid
        line), and the hover tooltip names the rest. Ticks are made only for labelled rows:
        matplotlib builds five artists per tick, which was most of a 200-actor redraw.
        """
        n = len(self.rows)
        if not n:
            return
        height_pt = self.axes.get_position().height * self.figure.get_figheight() * 72
        row_pt = height_pt / n
        size = min(MAX_LABEL_PT, max(MIN_LABEL_PT, row_pt * 0.72))
        step = max(1, math.ceil(size * 1.15 / row_pt))
        rows = [i for i in range(0, n, step) if self.rows[i]]
        labels = self.row_labels or self.rows
        self.axes.set_yticks(rows)
        self.axes.set_yticklabels([_short(labels[i]) for i in rows], fontsize=size, parse_math=False)


def build_timeline_chart(
    points: list[TimelinePoint],
    sessions: list[SessionSpan],
    *,
    title: str,
    caption: str,
    theme: Theme = LIGHT,
    figure: Figure | None = None,
    sides: str = "auto",
) -> TimelineChart:
    """Draw `points` by actor and date over session bands: colour = the option backed
    (`TimelinePoint.side_rank`), shape = stance.

    `sides`: "grouped" (rows grouped by question, the legend naming each question's options),
    "ranked" (one row per actor, the legend naming ranks), or "auto" (grouped up to
    GROUPED_QUESTIONS questions). Pass `figure` to draw into an existing (e.g. Qt canvas)
    figure: it is cleared and reused at its current size. A new figure grows with the rows.
    """
    if sides not in SIDES_MODES:
        raise ValueError(f"sides must be one of {', '.join(SIDES_MODES)}, not {sides!r}")
    questions = {p.question_key or p.question for p in points}
    mode = sides if sides != "auto" else ("grouped" if len(questions) <= GROUPED_QUESTIONS else "ranked")
    rows, row_of, row_questions = _rows(points, mode)
    if figure is None:
        figure = Figure(figsize=(FIG_WIDTH_IN, _figure_height(len(rows))), dpi=100)
    figure.clear()
    figure.set_layout_engine("constrained")
    ax = figure.add_subplot()
    actors = list(dict.fromkeys(label for label in rows if label))
    chart = TimelineChart(
        figure=figure,
        axes=ax,
        actors=actors,
        rows=rows,
        points=points,
        row_questions=row_questions,
        sides=mode,
        row_labels=_row_labels(rows, points),
    )
    add_title_and_caption(figure, title, caption, theme)

    if not points:
        draw_message(ax, EMPTY_MESSAGE, theme)
        apply_theme(figure, theme)
        return chart

    x_lo, x_hi = _date_range(points, sessions)
    ax.set_xlim(x_lo, x_hi)
    ax.set_ylim(len(rows) - 0.5, -0.5)  # first row on top
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.tick_params(axis="y", length=2)
    ax.tick_params(axis="x", labelsize=8)
    grid = ax.hlines(
        range(len(rows)), 0, 1, transform=ax.get_yaxis_transform(), colors=theme.grid, linewidth=0.5, zorder=0.5
    )  # one line per actor row, ticked or not
    grid.set_gid("actor-rows")
    ax.set_axisbelow(True)
    counts = Counter(p.stance for p in points)
    ordered = list(STANCES) + sorted(set(counts) - set(STANCES))
    _add_legends(figure, points, mode, counts, theme)
    _question_headings(ax, rows, row_questions, points, theme)
    chart.fit_labels()
    # Lay out once now (labels and legend set the axes box) so that jitter and session
    # labels below are computed at the real axes width, then refit labels to the real height.
    layout = figure.get_layout_engine()
    if layout is not None:
        layout.execute(figure)
    chart.fit_labels()
    axes_width_pt = ax.get_position().width * figure.get_figwidth() * 72

    _draw_sessions(ax, sessions, theme, (x_lo, x_hi), axes_width_pt)
    row_pt = ax.get_position().height * figure.get_figheight() * 72 / len(rows)
    marker_area = min(MARKER_PT, max(3.0, row_pt * 0.6)) ** 2  # shrink markers with the rows
    days_per_pt = (x_hi - x_lo) / axes_width_pt
    xs, ys = _stacked_markers(points, row_of, math.sqrt(marker_area), row_pt, days_per_pt)
    thin = min(1.0, math.sqrt(marker_area) * 0.14)
    for stance in ordered:
        idx = [i for i, p in enumerate(points) if p.stance == stance]
        if not idx:
            continue
        style = stance_style(stance)
        looks = [side_marker(points[i].side_rank, stance, theme) for i in idx]
        artist = ax.scatter(
            [xs[i] for i in idx],
            [ys[i] for i in idx],
            s=marker_area,
            c=[face for face, _, _ in looks],
            marker=style.marker,
            edgecolors=[edge for _, edge, _ in looks],
            linewidths=[min(width, thin * 2.2) if width > 1 else min(width, thin) for _, _, width in looks],
            zorder=3,
            picker=True,
            pickradius=4,
            label=style.label,
        )
        artist.set_gid(f"stance-{stance}")
        chart.points_by_artist.append((artist, [points[i].position_id for i in idx]))
    _label_options(ax, points, xs, ys, theme, (axes_width_pt, row_pt))
    apply_theme(figure, theme)
    return chart


OPTION_LABEL_LIMIT = 80  # beyond this many points, option labels would only add clutter


def _label_options(
    ax: Axes,
    points: list[TimelinePoint],
    xs: Sequence[float],
    ys: Sequence[float],
    theme: Theme,
    size_pt: tuple[float, float],
) -> None:
    """Name the option beside each marker when several options are in view: a stance alone
    ("support") does not say *what* an actor supported (30, 40 or 60 ratifications). A label
    that would cover one already placed is left out (the marker's tooltip names the option)."""
    if len(points) > OPTION_LABEL_LIMIT or len({p.option for p in points if p.option}) < 2:
        return
    low, high = ax.get_xlim()
    ax.set_xlim(low, high + (high - low) * 0.07)  # room for the last labels
    for x, y, point in _unclashing_labels(ax, points, xs, ys, size_pt):
        text = ax.annotate(
            _short(point.option, 22),
            (x, y),
            xytext=(OPTION_LABEL_OFFSET_PT, 0),
            textcoords="offset points",
            fontsize=OPTION_LABEL_PT,
            va="center",
            ha="left",
            clip_on=True,
            annotation_clip=True,
            zorder=4,
            parse_math=False,
        )
        text.set_gid(MUTED_GID)


OPTION_LABEL_PT = 6.5
OPTION_LABEL_OFFSET_PT = 5.0


def _unclashing_labels(
    ax: Axes, points: list[TimelinePoint], xs: Sequence[float], ys: Sequence[float], size_pt: tuple[float, float]
) -> list[tuple[float, float, TimelinePoint]]:
    """The markers whose option label can be drawn without touching a label placed before it
    (left to right, top to bottom), each label's box measured in points."""
    x_lo, x_hi = ax.get_xlim()
    width_pt, row_pt = size_pt  # the plot's width and a row's height, in points
    pt_per_day = width_pt / (x_hi - x_lo)
    font = FontProperties(size=OPTION_LABEL_PT)
    height = OPTION_LABEL_PT * 1.15
    placed: list[tuple[float, float, float, float]] = []
    chosen = []
    for i in sorted(range(len(points)), key=lambda i: (xs[i], ys[i], points[i].position_id)):
        point = points[i]
        if not point.option:
            continue
        left = (xs[i] - x_lo) * pt_per_day + OPTION_LABEL_OFFSET_PT
        box = (
            left,
            ys[i] * row_pt - height / 2,
            left + _text_width(_short(point.option, 22), font),
            ys[i] * row_pt + height / 2,
        )
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
            continue
        placed.append(box)
        chosen.append((xs[i], ys[i], point))
    return chosen


def _actor_order(points: list[TimelinePoint]) -> list[str]:
    """Most positions first, then by name, so the busiest actors sit at the top."""
    counts = Counter(p.actor for p in points)
    return sorted(counts, key=lambda a: (-counts[a], a.casefold(), a))


def _figure_height(n_actors: int) -> float:
    row = ROW_IN_FEW if n_actors <= DENSE_ACTORS else ROW_IN_MANY
    return min(MAX_FIG_HEIGHT_IN, max(4.5, CHROME_IN + row * max(n_actors, 1)))


def _short(name: str, limit: int = LABEL_CHARS) -> str:
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def _row_labels(rows: list[str], points: list[TimelinePoint]) -> list[str]:
    """What each row's label shows: the actor's short name (explorer.labels), '' for a heading."""
    short = {p.actor: p.row_label for p in points}
    return [short.get(row, row) if row else "" for row in rows]


MARKER_GAP_PT = 1.5  # kept free between two stacked markers, so that each stays clickable


def _stacked_markers(
    points: list[TimelinePoint], row_of: list[int], marker_pt: float, row_pt: float, days_per_pt: float
) -> tuple[list[float], list[float]]:
    """(x, y) of each marker: its date and row, with markers of one row that would cover each
    other stacked apart so that each can be hovered and clicked.

    Markers of a row less than a marker's width apart form a cluster, ordered by (date,
    position_id), so the result is deterministic. A cluster is spread across the row (as far
    as JITTER_SPAN, never closer than a marker plus MARKER_GAP_PT); when the row cannot hold
    them all in one column, they are stacked in as few columns side by side as needed.
    """
    step_pt = marker_pt + MARKER_GAP_PT
    near_days = 1.2 * marker_pt * days_per_pt
    per_column = max(1, int((row_pt * 0.9) // step_pt) + 1)
    xs = [float(x) for x in mdates.date2num([p.date for p in points])]
    ys = [float(row) for row in row_of]
    by_row: dict[int, list[int]] = defaultdict(list)
    for i, row in enumerate(row_of):
        by_row[row].append(i)
    for row, members in by_row.items():
        members.sort(key=lambda i: (points[i].date, points[i].position_id, i))
        clusters: list[list[int]] = []
        for i in members:
            if clusters and (points[i].date - points[clusters[-1][-1]].date).days <= near_days:
                clusters[-1].append(i)
            else:
                clusters.append([i])
        for cluster in clusters:
            columns = math.ceil(len(cluster) / per_column)
            height = math.ceil(len(cluster) / columns)
            gap = max(min(JITTER_SPAN / (height - 1), 0.22), step_pt / row_pt) if height > 1 else 0.0
            centre = sum(xs[i] for i in cluster) / len(cluster) if columns > 1 else 0.0
            for j, i in enumerate(cluster):
                column, level = divmod(j, height)
                ys[i] = row + (level - (height - 1) / 2) * gap
                if columns > 1:
                    xs[i] = centre + (column - (columns - 1) / 2) * step_pt * days_per_pt
    return xs, ys


def _date_range(points: list[TimelinePoint], sessions: list[SessionSpan]) -> tuple[float, float]:
    dates = [p.date for p in points]
    lo, hi = min(dates), max(dates)
    # Only sessions that overlap the data widen the axis, so a filter to one session stays tight.
    for s in sessions:
        if s.end >= lo and s.start <= hi:
            lo, hi = min(lo, s.start), max(hi, s.end + dt.timedelta(days=1))
    pad = max(3.0, (hi - lo).days * 0.03)
    return mdates.date2num(lo) - pad, mdates.date2num(hi) + pad


def _draw_sessions(
    ax: Axes, sessions: list[SessionSpan], theme: Theme, xlim: tuple[float, float], width_pt: float
) -> None:
    """Shaded bands, labelled above the axes on up to 3 rows without overlap.

    Longer sessions are labelled first; a label that fits no row is shortened to the widest
    gap around its band, and dropped when even a few letters would not fit (the full name is
    in the session filter and the hover tooltip).
    """
    visible = sorted(
        (s for s in sessions if mdates.date2num(s.end) + 1 >= xlim[0] and mdates.date2num(s.start) <= xlim[1]),
        key=lambda s: s.start,
    )
    font = FontProperties(size=SESSION_LABEL_PT)
    centres = {}
    for n, s in enumerate(visible):
        x0 = max(mdates.date2num(s.start), xlim[0])
        x1 = min(mdates.date2num(s.end) + 1, xlim[1])
        ax.axvspan(x0, x1, color=theme.session_bands[n % 2], zorder=0, linewidth=0, gid=f"session-{s.key}")
        centres[s.key] = (x0 + x1) / 2
    rows: list[list[tuple[float, float]]] = [[] for _ in range(SESSION_LABEL_ROWS)]
    bounds = (-12.0, width_pt + 12.0)  # labels may overhang the axes a little, not more
    for s in sorted(visible, key=lambda s: (-(s.end - s.start).days, s.start, s.key)):
        mid = centres[s.key]
        centre = (mid - xlim[0]) / (xlim[1] - xlim[0]) * width_pt
        full = _text_width(s.label, font) + SESSION_LABEL_GAP
        rooms = [_room(centre, row, bounds) for row in rows]
        level = next((r for r, room in enumerate(rooms) if room >= full), None)
        if level is None:
            level = max(range(SESSION_LABEL_ROWS), key=lambda r: (rooms[r], -r))
        text = _shorten_to(s.label, rooms[level] - SESSION_LABEL_GAP, font)
        if not text:
            continue
        half = (_text_width(text, font) + SESSION_LABEL_GAP) / 2
        rows[level].append((centre - half, centre + half))
        ax.annotate(
            text,
            xy=(mid, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(0, 3 + level * (SESSION_LABEL_PT + 2.5)),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=SESSION_LABEL_PT,
            color=theme.text,
            annotation_clip=False,
            parse_math=False,
            gid=f"session-label-{s.key}",
        )


def _room(centre: float, taken: list[tuple[float, float]], bounds: tuple[float, float]) -> float:
    """Width of the widest label centred on `centre` that overlaps nothing in `taken`."""
    left, right = centre - bounds[0], bounds[1] - centre
    for start, end in taken:
        if start <= centre <= end:
            return 0.0
        if end < centre:
            left = min(left, centre - end)
        else:
            right = min(right, start - centre)
    return max(0.0, 2 * min(left, right))


def _text_width(text: str, font: FontProperties) -> float:
    return text_to_path.get_text_width_height_descent(text, font, ismath=False)[0]


def _shorten_to(label: str, width: float, font: FontProperties) -> str:
    """`label`, or its longest prefix + '…' within `width` points; '' below 4 letters."""
    if _text_width(label, font) <= width:
        return label
    lo, hi = 0, len(label)
    while lo < hi:  # longest prefix that fits, by bisection
        mid = (lo + hi + 1) // 2
        if _text_width(label[:mid].rstrip() + "…", font) <= width:
            lo = mid
        else:
            hi = mid - 1
    return label[:lo].rstrip() + "…" if lo >= 4 else ""


def _rows(points: list[TimelinePoint], mode: str) -> tuple[list[str], list[int], list[str]]:
    """(row labels, row of each point, question of each row). Ranked: one row per actor, busiest
    first. Grouped: per question (most positions first) a heading row ('') then its actors; a
    single question needs no heading (the legend names it)."""
    if mode != "grouped" or len({p.question_key or p.question for p in points}) < 2:
        actors = _actor_order(points)
        index = {a: i for i, a in enumerate(actors)}
        return actors, [index[p.actor] for p in points], []
    by_question: dict[str, list[TimelinePoint]] = defaultdict(list)
    for p in points:
        by_question[p.question_key or p.question].append(p)
    labels: list[str] = []
    questions: list[str] = []
    row: dict[tuple[str, str], int] = {}
    for key in sorted(by_question, key=lambda k: (-len(by_question[k]), k)):
        labels.append("")
        questions.append(key)
        for actor in _actor_order(by_question[key]):
            row[(key, actor)] = len(labels)
            labels.append(actor)
            questions.append(key)
    return labels, [row[(p.question_key or p.question, p.actor)] for p in points], questions


def _question_headings(
    ax: Axes, rows: list[str], row_questions: list[str], points: list[TimelinePoint], theme: Theme
) -> None:
    """The question on its heading row — short label, then the text — and a rule above it
    (grouped rows only)."""
    starts = [i for i, label in enumerate(rows) if not label and row_questions]
    for i in starts:
        key = row_questions[i]
        heading = ax.annotate(
            _short(_question_heading(key, points), 110),
            (0.005, i),
            xycoords=("axes fraction", "data"),
            va="center",
            ha="left",
            fontsize=8,
            fontweight="bold",
            color=theme.text,
            annotation_clip=False,
            parse_math=False,
            zorder=4,
            clip_on=True,
        )
        heading.set_in_layout(False)  # a long question must not shrink the plot; it is clipped instead
        heading.set_gid(f"question-heading-{key}")
    if starts:
        ax.hlines(
            [i - 0.5 for i in starts[1:]], 0, 1, transform=ax.get_yaxis_transform(), colors=theme.edge, linewidth=0.8
        )


def _question_label(key: str, points: list[TimelinePoint]) -> str:
    """The short label of question ``key`` (explorer.labels, as the table shows it), else its key."""
    return next((p.question_label for p in points if (p.question_key or p.question) == key and p.question_label), key)


def _question_heading(key: str, points: list[TimelinePoint]) -> str:
    """ "Art. 6(2) list of rights — Article 6(2): keep the explicit list…" (the text once when short)."""
    label = _question_label(key, points)
    text = next((p.question for p in points if (p.question_key or p.question) == key and p.question), "")
    return label if not text or text == label else f"{label} — {text}"


def _add_legends(figure: Figure, points: list[TimelinePoint], mode: str, counts: Counter[str], theme: Theme) -> None:
    """The options (by label, per question) or the ranks, with counts; then the stance shapes."""
    handles: list[Line2D] = []
    if mode == "grouped":
        by_question: dict[str, Counter[tuple[int, bool, str]]] = defaultdict(Counter)
        for p in points:
            by_question[p.question_key or p.question][_option_entry(p)] += 1
        for key in sorted(by_question, key=lambda k: (-sum(by_question[k].values()), k)):
            handles.append(heading_handle(_short(_question_label(key, points), 44)))
            entries = sorted(by_question[key].items(), key=lambda e: (e[0][0] < 0, e[0][0], e[0][1], e[0][2]))
            handles += _entries(entries, theme)
        title = "Option backed (colour)"
    else:
        tally = Counter(_option_entry(p)[:2] for p in points)
        ranked = sorted(tally.items(), key=lambda e: (e[0][0] < 0, e[0]))
        handles += _entries([((r, a, rank_name(r) if r >= 0 else "abstain"), n) for (r, a), n in ranked], theme)
        title = "Option backed (colour,\nranked per question)"
    first = figure.legend(handles=handles, loc="outside right upper", title=title, fontsize=7.5, title_fontsize=8)
    first.set_gid("side-legend")
    second = figure.legend(
        handles=stance_handles(theme, dict(counts)),
        loc="outside right lower",
        title="Stance (shape)",
        fontsize=7.5,
        title_fontsize=8,
    )
    second.set_gid("stance-legend")


def _option_entry(p: TimelinePoint) -> tuple[int, bool, str]:
    """(rank, against, label) of the option a position backs or opposes; rank −1 = abstain."""
    if p.side_rank < 0:
        return -1, False, "abstain"
    return p.side_rank, STANCE_SIDE.get(p.stance) == "against", p.option_label or p.option or "the proposal"


def _entries(entries: list[tuple[tuple[int, bool, str], int]], theme: Theme) -> list[Line2D]:
    grey = [(label, n) for (rank, _, label), n in entries if rank < 0]
    handles = option_handles([(rank, against, label, n) for (rank, against, label), n in entries if rank >= 0], theme)
    for label, n in grey:
        handles += [
            Line2D(
                [],
                [],
                linestyle="none",
                marker="s",
                markersize=7,
                markerfacecolor=side_colour(-1),
                markeredgecolor=theme.axes_bg,
                label=f"{label} ({n})",
            )
        ]
    return handles
