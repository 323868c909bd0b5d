"""Rules of the code's shape that no import contract checks (``make lint`` runs import-linter):
libraries are used through their public APIs only, and no module grows past what a newcomer
reads in one sitting."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "teamhub"
# Underscored names that are public API: Werkzeug's documented way to reach the object behind
# a proxy, and named tuples' and SQLAlchemy rows' methods (underscored so as not to clash with
# field names).
PUBLIC_UNDERSCORED = {"_get_current_object", "_asdict", "_fields", "_replace", "_mapping"}
MAX_MODULE_LINES = 420


def _modules() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if "migrations" not in p.relative_to(PACKAGE).parts]


def private_reads(source: str) -> list[str]:
    """Every ``x._name`` in ``source`` where ``x`` is not the object's own ``self``/``cls``
    (``super()._name`` included: it reaches into the parent's internals)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Attribute) or not node.attr.startswith("_"):
            continue
        if node.attr.startswith("__") or node.attr in PUBLIC_UNDERSCORED:
            continue
        if isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"):
            continue
        found.append((node.lineno, ast.unparse(node)))
    return [f"{line}: {read}" for line, read in sorted(found)]


def test_the_check_finds_a_library_internal_and_leaves_public_names_alone():
    source = (
        "class Document(SpecTree):\n"
        "    def spec(self):\n"
        "        return super()._generate_spec(), self._own, row._asdict()\n"
        "limiter._check_request_limit()\n"
    )
    assert private_reads(source) == [
        "3: super()._generate_spec",
        "4: limiter._check_request_limit",
    ]


def test_no_module_reads_another_objects_underscored_attributes():
    found = {
        str(path.relative_to(PACKAGE)): reads
        for path in _modules()
        if (reads := private_reads(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_no_module_is_longer_than_a_newcomer_reads_at_once():
    lengths = {
        str(path.relative_to(PACKAGE)): len(path.read_text(encoding="utf-8").splitlines())
        for path in _modules()
    }
    assert {name: n for name, n in lengths.items() if n > MAX_MODULE_LINES} == {}
