"""Charts for the outcome report, drawn by pygal as SVG images served from our own routes.

pygal always writes a small configuration ``<script>`` even with ``js=[]``; it is dropped from
the tree before serialising, so the SVG carries no script at all. The pages embed the charts as
``<img>``, where an SVG can never run anything, and the page's CSP stays 'self'.
"""

from __future__ import annotations

from collections.abc import Sequence
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


def _config(**overrides) -> dict:
    config = {
        "js": [],
        "style": STYLE,
        "disable_xml_declaration": True,
        "width": 720,
        "height": 420,
        "explicit_size": False,
        "print_values": False,
        "show_y_guides": True,
        "legend_at_bottom": True,
        "truncate_label": -1,
    }
    config.update(overrides)
    return config


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
) -> bytes:
    """Cumulative module completions and graduates, week by week."""
    chart = pygal.Line(**_config(title=title, x_label_rotation=30, show_minor_x_labels=False))
    chart.x_labels = [day.strftime("%m/%d") for day, _n in modules]
    chart.x_labels_major_every = max(1, len(modules) // 8)
    chart.add(modules_label, [n for _day, n in modules])
    chart.add(graduates_label, [n for _day, n in graduates])
    return _without_scripts(chart)


def earnings_chart(
    title: str, people_label: str, bands: Sequence[tuple[int, int | None, int]]
) -> bytes:
    """How many graduates earn how much a month, in bands of yen."""
    chart = pygal.Bar(**_config(title=title, show_legend=False, x_label_rotation=20))
    chart.x_labels = [_band_label(low, high) for low, high, _n in bands]
    chart.add(people_label, [n for _low, _high, n in bands])
    return _without_scripts(chart)


def _band_label(low: int, high: int | None) -> str:
    if high is None:
        return f"{yen(low)} –"
    if high == low + 1:
        return yen(low)
    return f"{yen(low)} – {yen(high - 1)}"
