"""The Japanese catalog holds to the glossary (../shared/GLOSSARY.md): the words it says to avoid
(tests/glossary_avoided.toml) appear in no msgstr for their concept, every msgstr keeps its
msgid's placeholders, and a literal percent sign shows as one."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

HERE = Path(__file__).parent
CATALOG = HERE.parent / "teamhub" / "translations" / "ja" / "LC_MESSAGES" / "messages.po"
RULES = tomllib.loads((HERE / "glossary_avoided.toml").read_text(encoding="utf-8"))["avoid"]
# A named placeholder with its conversion (%(job)s, %(n)d), or a literal percent (%%).
PLACEHOLDER = re.compile(r"%\((\w+)\)([sdf])")
LITERAL_PERCENT = "%%"


def _messages():
    with CATALOG.open("rb") as handle:
        return [m for m in read_po(handle) if m.id]


def _texts(value) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value,)


def _applies(rule: dict, msgid: str, context: str | None) -> bool:
    if "context" in rule and (context or "") != rule["context"]:
        return False
    return "when_msgid" not in rule or bool(re.search(rule["when_msgid"], msgid, re.I))


def _refused(rule: dict, msgid: str, context: str | None, msgstr: str) -> bool:
    return _applies(rule, msgid, context) and bool(re.search(rule["avoid"], msgstr))


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: f"{rule['concept']}:{rule['avoid']}")
def test_each_avoided_term_is_caught_in_its_example(rule):
    """A rule that could never fail is no rule: each refuses the bad msgstr it names."""
    context = rule.get("context") or None
    assert _refused(rule, rule.get("bad_msgid", rule["bad"]), context, rule["bad"])


def test_no_msgstr_uses_a_term_the_glossary_avoids():
    found = []
    for message in _messages():
        msgid = " ".join(_texts(message.id))
        for msgstr in _texts(message.string):
            for rule in RULES:
                if _refused(rule, msgid, message.context, msgstr):
                    found.append(f"{msgid!r}: {msgstr!r} — {rule['concept']}: use {rule['use']}")
    assert found == [], "\n".join(found)


def test_every_msgstr_keeps_its_msgids_placeholders_and_their_kinds():
    """Japanese has one plural form: it carries every placeholder of the singular and plural,
    each with the same conversion (a number stays %(n)d)."""
    wrong = []
    for message in _messages():
        wanted = set(PLACEHOLDER.findall(" ".join(_texts(message.id))))
        for msgstr in _texts(message.string):
            if set(PLACEHOLDER.findall(msgstr)) != wanted:
                wrong.append(f"{message.id!r}: {msgstr!r}")
    assert wrong == [], "\n".join(wrong)


def _formatted(message) -> bool:
    """Whether % is applied to the text when it is shown: templates always apply it, and so do
    ngettext and gettext called with values; gettext in Python without values does not."""
    if isinstance(message.id, tuple) or PLACEHOLDER.search(message.id):
        return True
    return all(path.endswith(".html") for path, _line in message.locations)


def test_a_percent_sign_shows_as_one():
    """Where the text is formatted a literal % is written %%; where it is not, %% would show."""
    wrong = []
    for message in _messages():
        for msgstr in _texts(message.string):
            if _formatted(message):
                bare = PLACEHOLDER.sub("", msgstr).replace(LITERAL_PERCENT, "")
                if "%" in bare:
                    wrong.append(f"{message.id!r}: a lone % in {msgstr!r} breaks formatting")
            elif LITERAL_PERCENT in msgstr or LITERAL_PERCENT in message.id:
                wrong.append(f"{message.id!r}: {msgstr!r} is not formatted, so %% shows as is")
    assert wrong == [], "\n".join(wrong)


PACKAGE = HERE.parent / "teamhub"
# The scam guard's phrases match what clients write, in their words, not teamhub's.
NOT_TEAMHUBS_WORDS = {PACKAGE / "jobs" / "scam.py"}
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _japanese_written_outside_the_catalog() -> list[tuple[str, str]]:
    """Japanese in the code's string literals (the demo's people and lessons, the console) and
    in the templates, with where it is."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts or path in NOT_TEAMHUBS_WORDS:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            text = node.value if isinstance(node, ast.Constant) else None
            if isinstance(text, str) and JAPANESE.search(text):
                found.append((f"{path.relative_to(PACKAGE)}:{node.lineno}", text))
    for path in (PACKAGE / "templates").rglob("*.html"):
        found.append((str(path.relative_to(PACKAGE)), path.read_text(encoding="utf-8")))
    return found


def test_japanese_written_in_code_and_templates_keeps_to_the_glossary_too():
    """The demo's people, lessons and console lines are read as teamhub's own words."""
    everywhere = [r for r in RULES if "when_msgid" not in r and "context" not in r]
    found = [
        f"{where}: {rule['avoid']} — {rule['concept']}: use {rule['use']}"
        for where, text in _japanese_written_outside_the_catalog()
        for rule in everywhere
        if re.search(rule["avoid"], text)
    ]
    assert found == [], "\n".join(found)
