"""Charts drawn on the server as inline SVG: no script, no library, nothing fetched.

- :func:`bucket_days` groups dated items into days, weeks or months (whichever gives at
  most :data:`MAX_BARS` bars), with undated items in a bucket of their own at the end;
- :func:`stacked_bars` draws counts per bucket stacked by series (languages, outlets);
- :func:`citation_graph` draws who cites whom: outlets on the left, sources on the
  right, a line per pair as thick as the number of citing articles.

Colours come from CSS classes (``lang-sv``, ``c0``…``c9``), never inline styles, so the
Content Security Policy needs no ``unsafe-inline``. Every label is escaped; every bar and
line has a ``<title>`` with its numbers, and each chart is meant to sit next to a table
of the same numbers for screen readers and copying.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from markupsafe import Markup, escape

__all__ = ["MAX_BARS", "Bucket", "bucket_days", "citation_graph", "series_class", "stacked_bars"]

MAX_BARS = 60
LANGUAGES = ("sv", "nb", "nn", "da", "en")
PALETTE = 10  # c0 … c9; more series than that share "c-other"
UNDATED = "undated"


@dataclass(slots=True)
class Bucket:
    label: str  # "2022-05-23", "2022-W21", "2022-05" or "undated"
    start: date | None
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def series_class(name: str, index: int) -> str:
    if name in LANGUAGES:
        return f"lang-{name}"
    return f"c{index}" if index < PALETTE else "c-other"


def _parse(day: str | None) -> date | None:
    if not day:
        return None
    try:
        return date.fromisoformat(day[:10] if len(day) >= 10 else day[:7] + "-01")
    except ValueError:
        return None


def bucket_days(items: Iterable[tuple[str | None, str, int]], max_bars: int = MAX_BARS) -> list[Bucket]:
    """``(ISO day or month or None, series, count)`` as buckets, every bucket of the range
    present (empty ones too, so the axis is even), undated last."""
    dated: list[tuple[date, str, int]] = []
    undated: Counter[str] = Counter()
    for day, series, n in items:
        d = _parse(day)
        if d is None:
            undated[series] += n
        else:
            dated.append((d, series, n))
    buckets: list[Bucket] = []
    if dated:
        first, last = min(d for d, _, _ in dated), max(d for d, _, _ in dated)
        span = (last - first).days + 1
        if span <= max_bars:
            step, key = "day", first
        elif span <= max_bars * 7:
            step, key = "week", first - timedelta(days=first.weekday())
        else:
            step, key = "month", first.replace(day=1)
        index: dict[date, Bucket] = {}
        while key <= last:
            index[key] = Bucket(_label(key, step), key)
            key = _next(key, step)
        for d, series, n in dated:
            index[_start(d, step)].counts[series] += n
        buckets = list(index.values())
        if len(buckets) > max_bars * 2:  # months over decades: merge neighbours
            buckets = _merge(buckets, max_bars)
    if undated:
        buckets.append(Bucket(UNDATED, None, undated))
    return buckets


def _start(d: date, step: str) -> date:
    if step == "day":
        return d
    if step == "week":
        return d - timedelta(days=d.weekday())
    return d.replace(day=1)


def _next(d: date, step: str) -> date:
    if step == "day":
        return d + timedelta(days=1)
    if step == "week":
        return d + timedelta(days=7)
    return date(d.year + d.month // 12, d.month % 12 + 1, 1)


def _label(d: date, step: str) -> str:
    if step == "day":
        return d.isoformat()
    if step == "week":
        iso = d.isocalendar()
        return f"{iso.year}-W{iso.week:02d}"
    return d.strftime("%Y-%m")


def _merge(buckets: list[Bucket], max_bars: int) -> list[Bucket]:
    size = -(-len(buckets) // max_bars)
    out = []
    for i in range(0, len(buckets), size):
        group = buckets[i : i + size]
        merged = Bucket(f"{group[0].label}…{group[-1].label}", group[0].start)
        for b in group:
            merged.counts.update(b.counts)
        out.append(merged)
    return out


def _short(text: str, limit: int = 26) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def stacked_bars(
    buckets: Sequence[Bucket],
    series: Sequence[str],
    *,
    label: str,
    css: str = "",
    width: int = 720,
    height: int = 220,
) -> Markup:
    """Bars per bucket, stacked by ``series`` (in that order; each series a ``<g>`` with
    ``data-series`` so a test or a stylesheet can find it)."""
    if not buckets:
        return Markup("")
    left, right, top, bottom = 36, 8, 10, 42
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max(b.total for b in buckets) or 1
    slot = plot_w / len(buckets)
    bar_w = min(max(1.0, slot * 0.8), 48.0)
    parts = [
        f'<svg class="chart {escape(css)}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}" preserveAspectRatio="xMinYMin meet">',
        f"<title>{escape(label)}</title>",
        f'<line class="axis" x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}"/>',
        f'<text class="tick" x="{left - 4}" y="{top + 8}" text-anchor="end">{peak}</text>',
        f'<text class="tick" x="{left - 4}" y="{top + plot_h}" text-anchor="end">0</text>',
    ]
    base = [float(top + plot_h)] * len(buckets)
    for index, name in enumerate(series):
        rects = []
        for i, b in enumerate(buckets):
            n = b.counts.get(name, 0)
            if not n:
                continue
            h = n / peak * plot_h
            y = base[i] - h
            base[i] = y
            x = left + i * slot + (slot - bar_w) / 2
            tip = f"{b.label}: {name} {n} of {b.total}"
            rects.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}">'
                f"<title>{escape(tip)}</title></rect>"
            )
        if rects:
            parts.append(
                f'<g class="series {series_class(name, index)}" data-series="{escape(name)}">'
                + "".join(rects)
                + "</g>"
            )
    ticks = _tick_positions(len(buckets))
    for i in ticks:
        x = left + i * slot + slot / 2
        # The outer labels lean inwards, so they stay inside the drawing.
        anchor = (
            "start"
            if i == 0 and len(ticks) > 2
            else "end"
            if i == len(buckets) - 1 and len(ticks) > 2
            else "middle"
        )
        if anchor == "start":
            x = max(x - 12, 0)
        elif anchor == "end":
            x = min(x + 12, width)
        parts.append(
            f'<text class="tick" x="{x:.1f}" y="{top + plot_h + 14}" text-anchor="{anchor}">'
            f"{escape(_short(buckets[i].label, 16))}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _tick_positions(n: int, most: int = 6) -> list[int]:
    if n <= most:
        return list(range(n))
    step = (n - 1) / (most - 1)
    return sorted({round(i * step) for i in range(most)})


def citation_graph(edges: dict[tuple[str, str], int], *, label: str, width: int = 720) -> Markup:
    """Who cites whom: ``{(outlet, source): articles}`` as a two-column graph."""
    if not edges:
        return Markup("")
    out_totals: Counter[str] = Counter()
    src_totals: Counter[str] = Counter()
    for (outlet, source), n in edges.items():
        out_totals[outlet] += n
        src_totals[source] += n
    outlets = [o for o, _ in sorted(out_totals.items(), key=lambda kv: (-kv[1], kv[0]))]
    sources = [s for s, _ in sorted(src_totals.items(), key=lambda kv: (-kv[1], kv[0]))]
    row = 22
    height = max(len(outlets), len(sources)) * row + 30
    x_out, x_src = 190, width - 190
    y_out = {o: 24 + i * row + (height - 30 - len(outlets) * row) / 2 for i, o in enumerate(outlets)}
    y_src = {s: 24 + i * row + (height - 30 - len(sources) * row) / 2 for i, s in enumerate(sources)}
    peak = max(edges.values())
    parts = [
        f'<svg class="chart graph" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}" '
        f'preserveAspectRatio="xMinYMin meet">',
        f"<title>{escape(label)}</title>",
        f'<text class="head" x="{x_out}" y="12" text-anchor="end">outlet</text>',
        f'<text class="head" x="{x_src}" y="12">cited source</text>',
    ]
    for (outlet, source), n in sorted(edges.items(), key=lambda kv: kv[1]):
        y1, y2 = y_out[outlet], y_src[source]
        mid = (x_out + x_src) / 2
        stroke = 1 + 5 * n / peak
        tip = f"{outlet} → {source}: {n} article{'s' if n != 1 else ''}"
        parts.append(
            f'<path class="edge" d="M{x_out + 6},{y1:.1f} C{mid},{y1:.1f} {mid},{y2:.1f} '
            f'{x_src - 6},{y2:.1f}" stroke-width="{stroke:.1f}"><title>{escape(tip)}</title></path>'
        )
    for o in outlets:
        parts.append(
            f'<circle class="node outlet" cx="{x_out + 3}" cy="{y_out[o]:.1f}" r="4"/>'
            f'<text class="label" x="{x_out - 4}" y="{y_out[o] + 4:.1f}" text-anchor="end">'
            f"<title>{escape(o)}</title>{escape(_short(o))}</text>"
        )
    for s in sources:
        parts.append(
            f'<circle class="node source" cx="{x_src - 3}" cy="{y_src[s]:.1f}" r="4"/>'
            f'<text class="label" x="{x_src + 4}" y="{y_src[s] + 4:.1f}">'
            f"<title>{escape(s)}</title>{escape(_short(s))}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
