"""Templates compiled once per language, their fixed texts already translated.

A page's fixed texts (``{{ _('Approved') }}``: about 570 in the templates, 40 to 100 on a page)
were looked up in the catalog on every render, ~2–3 µs each. Here each template is compiled
once per language, under a name that carries the language (``ja@jobs/board.html``), and a
call of ``_`` with one literal text and nothing else becomes that text in the language, as
Jinja's own constant folding writes it: part of the template's static output. Texts with
values (``_('%(n)d units', n=count)``) are still translated when the page is written.

A template is picked for the language of the moment it is loaded (``get_locale()``, so
``force_locale`` picks the other language's); templates it extends, includes or imports
follow the language of the template that loads them.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Iterator

from flask.templating import Environment
from flask_babel import force_locale, get_locale, get_translations
from jinja2 import BaseLoader, pass_eval_context
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from markupsafe import Markup

SEPARATOR = "@"
FIXED_TEXT_FILTER = "fixed_text"


def language_of(name: str | None) -> str | None:
    if not name or SEPARATOR not in name:
        return None
    return name.split(SEPARATOR, 1)[0]


def _plain(name: str) -> str:
    return name.split(SEPARATOR, 1)[1] if SEPARATOR in name else name


def _in_language(name: str, language: str | None) -> str:
    if language is None or SEPARATOR in name:
        return name
    return f"{language}{SEPARATOR}{name}"


def _current_language() -> str | None:
    locale = get_locale()
    return None if locale is None else str(locale)


class LanguageLoader(BaseLoader):
    """The app's templates under language-qualified names: ``ja@base.html`` is ``base.html``."""

    def __init__(self, loader: BaseLoader):
        self.loader = loader

    def get_source(self, environment, template):
        return self.loader.get_source(environment, _plain(template))

    def list_templates(self):
        return self.loader.list_templates()


class TemplateGlobals(ChainMap):
    """A template's globals (its own over the environment's), whose keys are a set.

    Jinja 3.1 subtracts an imported template's global names from the importing page's on
    every ``{% from ... import ... %}``: through ``ChainMap.keys()`` that is one Python-level
    lookup per name (the app has ~40 globals, ~40 µs an import); from a set, ~1 µs."""

    def keys(self):
        return set().union(*self.maps)


class TranslatedTemplates(Environment):
    """Flask's template environment, keeping one compiled template per language."""

    def __init__(self, app, **options):
        super().__init__(app, **options)
        self.loader = LanguageLoader(self.loader)
        self.filters[FIXED_TEXT_FILTER] = fixed_text
        self.add_extension(FixedTexts)

    def make_globals(self, d=None):
        return TemplateGlobals({} if d is None else d, self.globals)

    def get_template(self, name, parent=None, globals=None):
        if parent is None and isinstance(name, str):
            name = _in_language(name, _current_language())
        return super().get_template(name, parent, globals)

    def select_template(self, names, parent=None, globals=None):
        if parent is None:
            language = _current_language()
            names = [_in_language(n, language) if isinstance(n, str) else n for n in names]
        return super().select_template(names, parent, globals)

    def join_path(self, template: str, parent: str) -> str:
        """``base.html`` extended by ``ja@jobs/board.html`` is ``ja@base.html``."""
        return _in_language(template, language_of(parent))


@pass_eval_context
def fixed_text(eval_ctx, text: str):
    """What ``_`` gives for a text without values: safe text where the template escapes."""
    return Markup(text) if eval_ctx.autoescape else text  # noqa: S704 (our own catalog)


class FixedTexts(Extension):
    """Writes ``_('text')`` as ``('translated text'|fixed_text)`` in a template compiled for a
    language; Jinja folds that into the template's static output."""

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        language = language_of(stream.name)
        if language is None:
            yield from stream
            return
        with force_locale(language):
            lookup = get_translations().ugettext
        window: list[Token] = []
        previous = None
        for token in stream:
            window.append(token)
            if len(window) < 4:
                continue
            if _is_fixed_text_call(window, previous):
                yield from _fixed(window, lookup)
                previous, window = window[-1], []
                continue
            previous = window.pop(0)
            yield previous
        yield from window


def _is_fixed_text_call(tokens: list[Token], previous: Token | None) -> bool:
    name, opening, text, closing = tokens
    return (
        name.type == "name"
        and name.value == "_"
        and (previous is None or previous.type != "dot")
        and opening.type == "lparen"
        and text.type == "string"
        and closing.type == "rparen"
    )


def _fixed(tokens: list[Token], lookup) -> list[Token]:
    name, _opening, text, _closing = tokens
    translated = lookup(text.value)
    if "%" in translated:
        translated = translated % {}  # as ``_`` does: "%%" is a percent sign
    line = name.lineno
    return [
        Token(line, "lparen", "("),
        Token(line, "string", translated),
        Token(line, "pipe", "|"),
        Token(line, "name", FIXED_TEXT_FILTER),
        Token(line, "rparen", ")"),
    ]
