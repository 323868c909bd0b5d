"""Lessons are real Markdown, and nothing active survives the sanitizer."""

from __future__ import annotations

import pytest

from teamhub.training.markup import render_markdown


def test_markdown_renders_headings_emphasis_lists_tables_and_links():
    html = str(
        render_markdown(
            "# 見出し\n\n**太字** と *斜体*\n\n- 一つ目\n- 二つ目\n\n"
            "| 項目 | 値 |\n|---|---|\n| 文字数 | 3000 |\n\n[公式](https://www.lancers.jp/)"
        )
    )
    assert "<h1>見出し</h1>" in html
    assert "<strong>太字</strong>" in html and "<em>斜体</em>" in html
    assert "<li>一つ目</li>" in html and "<td>3000</td>" in html
    assert '<a href="https://www.lancers.jp/" rel="noopener noreferrer nofollow">公式</a>' in html


@pytest.mark.parametrize(
    ("source", "forbidden"),
    [
        ("<script>alert(1)</script>", ["<script", "alert(1)"]),
        ("[click](javascript:alert(1))", ["javascript:", "href="]),
        ("[click](JaVaScRiPt:alert(1))", ["javascript", "href="]),
        ("[click](data:text/html;base64,PHNjcmlwdD4=)", ["data:", "href="]),
        ('<a href="https://ok.example" onclick="steal()">x</a>', ["onclick", "steal"]),
        ('<img src="x" onerror="alert(1)">', ["<img", "onerror"]),
        ('<iframe src="https://evil.example"></iframe>', ["<iframe", "evil.example"]),
        ('<svg onload="alert(1)"><circle/></svg>', ["<svg", "onload"]),
        ('<p style="position:fixed">x</p>', ["style="]),
        ("<style>body{display:none}</style>", ["<style", "display:none"]),
        ('<form action="https://evil.example"><input name="pw"></form>', ["<form", "<input"]),
        ('<object data="x.swf"></object><embed src="x">', ["<object", "<embed"]),
        ('<meta http-equiv="refresh" content="0;url=https://evil.example">', ["<meta", "refresh"]),
        ("<div onmouseover=alert(1)>hover</div>", ["onmouseover", "<div"]),
    ],
)
def test_active_content_renders_inert(source, forbidden):
    html = str(render_markdown(source)).lower()
    for fragment in forbidden:
        assert fragment.lower() not in html, (source, html)


def test_plain_text_is_escaped_not_interpreted():
    html = str(render_markdown("1 < 2 & 3 > 2 `<b>code</b>`"))
    assert "1 &lt; 2 &amp; 3 &gt; 2" in html
    assert "<code>&lt;b&gt;code&lt;/b&gt;</code>" in html


def test_empty_lessons_render_empty():
    assert str(render_markdown("")) == ""
    assert str(render_markdown(None)) == ""
