"""Templates compiled per language with their fixed texts translated write what translating
at every render wrote."""

from __future__ import annotations

import pytest
from flask import render_template
from flask_babel import force_locale
from jinja2 import DictLoader

from teamhub import create_app
from teamhub.templating import LanguageLoader

# Fixed texts in every position a template puts them: output, a set, an expression, an
# attribute of the text, an unknown text with markup and a percent sign, without autoescape.
TEXTS = (
    "{{ _('Log in') }}|{{ _(\"Sign up\") }}|{% set a, b = _('My teams'), _('Log in') %}{{ a }}{{ b }}"
    "|{{ _('Log in') ~ '<&>' }}|{{ _('A & <b>bold</b> 100%%') }}|{{ _('Sign up').upper() }}"
    "|{{ _('%(n)d units', n=3) }}|{{ _('Log in') if true }}"
    "|{% autoescape false %}{{ _('A & <b>') ~ '<i>' }}{% endautoescape %}"
)
TEMPLATES = {
    "texts.html": TEXTS,
    "layout.html": "<h1>{{ _('My teams') }}</h1>{% block body %}{% endblock %}",
    "page.html": "{% extends 'layout.html' %}{% block body %}{{ _('Sign up') }}"
    "{% include 'part.html' %}{% endblock %}",
    "part.html": "[{{ _('Log in') }}]",
}
IMPORTS = {
    "macros.html": "{% macro shout(text) %}{{ text|upper }}{{ greeting() }}{% endmacro %}",
    "importer.html": "{% from 'macros.html' import shout %}{{ shout('hi') }}",
}


@pytest.fixture(scope="module")
def templates_app(tmp_path_factory):
    path = tmp_path_factory.mktemp("templating")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}/t.sqlite"})
    app.jinja_env.loader = LanguageLoader(DictLoader({**TEMPLATES, **IMPORTS}))
    return app


@pytest.mark.parametrize("language", ["ja", "en"])
def test_fixed_texts_write_what_translating_at_render_writes(templates_app, language):
    with templates_app.test_request_context("/"), force_locale(language):
        compiled = render_template("texts.html")
        # from_string: no language in the name, so every text is translated as it renders.
        at_render = templates_app.jinja_env.from_string(TEXTS).render()
    assert compiled == at_render
    parts = compiled.split("|")
    if language == "ja":
        assert parts[:3] == ["ログイン", "新規登録", "自分のチームログイン"]
    else:
        assert parts[:3] == ["Log in", "Sign up", "My teamsLog in"]
    assert parts[3].endswith("&lt;&amp;&gt;")
    assert parts[4] == "A & <b>bold</b> 100%"
    assert parts[-1] == "A & <b><i>"


def test_a_template_is_compiled_with_its_texts_in_the_language(templates_app):
    env = templates_app.jinja_env
    source = TEMPLATES["texts.html"]
    with templates_app.test_request_context("/"):
        japanese = env.compile(source, name="ja@texts.html", raw=True)
        english = env.compile(source, name="en@texts.html", raw=True)
        unnamed = env.compile(source, raw=True)
    assert "ログイン" in japanese and "新規登録" in japanese
    assert "'Log in'" in english and "ログイン" not in english
    assert "ログイン" not in unnamed


def test_extended_and_included_templates_follow_the_language_of_the_page(templates_app):
    with templates_app.test_request_context("/"), force_locale("ja"):
        japanese = render_template("page.html")
        with force_locale("en"):
            english = render_template("page.html")
        again = render_template("page.html")
    assert japanese == again == "<h1>自分のチーム</h1>新規登録[ログイン]"
    assert english == "<h1>My teams</h1>Sign up[Log in]"
    compiled = {template.name for template in templates_app.jinja_env.cache.values()}
    assert {f"{lang}@{name}" for lang in ("ja", "en") for name in TEMPLATES} - {
        "ja@texts.html",
        "en@texts.html",
    } <= compiled


def test_an_imported_macro_reads_the_globals_and_its_module_is_kept(templates_app):
    """templating.TemplateGlobals gives a template's global names as a set (for Jinja's
    import): an imported macro still reads the environment's globals and a template's own,
    and the imported module is made once, not on every render."""
    env = templates_app.jinja_env
    with templates_app.test_request_context():
        env.globals["greeting"] = lambda: "!"
        assert render_template("importer.html") == "HI!"
        page, macros = env.get_template("importer.html"), env.get_template("macros.html")
        assert page.globals.keys() == set(env.globals)
        module = macros._get_default_module(page.new_context())
        assert macros._get_default_module(page.new_context()) is module
        own = env.from_string("{{ greeting() }}{{ mine }}", globals={"mine": "?"})
        assert own.render() == "!?" and own.globals.keys() == {*env.globals, "mine"}
