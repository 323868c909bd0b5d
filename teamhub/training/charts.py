"""Charts for the outcome report, drawn by pygal as SVG images served from our own routes.

pygal always writes a small configuration ``<script>`` even with ``js=[]``; it is dropped from
the tree before serialising, so the SVG carries no script at all. The pages embed the charts as
``<img>``, where an SVG can never run anything, and the page's CSP stays 'self'.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date
from xml.etree import ElementTree

import pygal
from pygal.style import Style

from teamhub.i18n import yen

SVG_NS = "http://www.w3.org/2000/svg"

STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1f2933",
    foreground_strong="#1f2933",
    foreground_subtle="#5f6b7a",
    colors=("#0b6e4f", "#b54708", "#2563eb"),
    font_family="'Hiragino Sans', 'Noto Sans JP', Meiryo, sans-serif",
    title_font_size=20,
    label_font_size=15,
    major_label_font_size=15,
    legend_font_size=15,
    value_font_size=15,
)


# A phone's chart is drawn at about the width it is shown (a 390 px screen less the page's
# margins), so its 15 px labels stay about 15 px instead of shrinking to half.
WIDE = {"width": 720, "height": 420}
NARROW = {"width": 360, "height": 400, "margin_right": 24}


def _config(narrow: bool = False, **overrides) -> dict:
    config = {
        "js": [],
        "style": STYLE,
        "disable_xml_declaration": True,
        **(NARROW if narrow else WIDE),
        "explicit_size": False,
        "print_values": False,
        "show_y_guides": True,
        "legend_at_bottom": True,
        "truncate_label": -1,
    }
    config.update(overrides)
    return config


def whole_steps(top: int, most: int = 6) -> list[int]:
    """Axis marks in whole numbers from 0 to at least ``top``, at most about ``most`` of them."""
    step = max(1, math.ceil(max(top, 1) / most))
    return list(range(0, max(top, 1) + step, step))


def _without_scripts(chart) -> bytes:
    tree = chart.render_tree()
    for parent in list(tree.iter()):
        for child in list(parent):
            if child.tag in ("script", f"{{{SVG_NS}}}script"):
                parent.remove(child)
    return ElementTree.tostring(tree, encoding="utf-8")


def progress_chart(
    title: str,
    modules_label: str,
    graduates_label: str,
    modules: Sequence[tuple[date, int]],
    graduates: Sequence[tuple[date, int]],
    narrow: bool = False,
) -> bytes:
    """Cumulative module completions and graduates, week by week, counted in whole numbers."""
    top = max([n for _day, n in (*modules, *graduates)], default=0)
    chart = pygal.Line(
        **_config(
            narrow,
            title=None if narrow else title,
            x_label_rotation=0 if narrow else 30,
            show_minor_x_labels=False,
            y_labels=whole_steps(top),
        )
    )
    chart.x_labels = [day.strftime("%m/%d") for day, _n in modules]
    chart.x_labels_major_every = max(1, len(modules) // (4 if narrow else 8))
    chart.add(modules_label, [n for _day, n in modules])
    chart.add(graduates_label, [n for _day, n in graduates])
    return _without_scripts(chart)


def earnings_chart(
    title: str,
    people_label: str,
    bands: Sequence[tuple[int, int | None, int]],
    people: Callable[[int], str],
    narrow: bool = False,
) -> bytes:
    """How many graduates earn how much a month, in bands of yen; the count axis is in whole
    people (``people(n)`` writes "n people"). On a phone the bars lie down, the bands beside them."""
    kind = pygal.HorizontalBar if narrow else pygal.Bar
    marks = whole_steps(max((n for _low, _high, n in bands), default=0))
    chart = kind(
        **_config(
            narrow,
            title=None if narrow else title,
            show_legend=False,
            x_label_rotation=0 if narrow else 20,
            y_labels=[{"label": people(n), "value": n} for n in marks],
        )
    )
    chart.x_labels = [_band_label(low, high) for low, high, _n in bands]
    chart.add(people_label, [n for _low, _high, n in bands])
    return _without_scripts(chart)


def _band_label(low: int, high: int | None) -> str:
    if high is None:
        return f"{yen(low)} –"
    if high == low + 1:
        return yen(low)
    return f"{yen(low)} – {yen(high - 1)}"
