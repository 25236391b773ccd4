"""Layering and size rules of the tree (#17), read from the source with `ast`.

- `extractors/` imports neither `warehouse` nor `flows`, and only `extractors/training/` imports from it
  (run-time code, such as the bundled ner's architectures, lives outside the training scripts);
- `warehouse/` imports from `extractors` only record types and pure helpers (`WAREHOUSE_MAY_IMPORT`); the
  imports that break the rule today are listed in `KNOWN_WAREHOUSE_VIOLATIONS`, a ratchet: a new one fails,
  and so does a fixed one still listed (remove it from the list);
- no module of `extractors/` is over `MAX_MODULE_LINES` lines, no class over `MAX_CLASS_LINES`.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_MODULE_LINES = 700
MAX_CLASS_LINES = 300

# What warehouse/ may take from extractors/: record types, the error tree, pure id helpers and the pure helpers
# extractors/shared.py exports for it.
WAREHOUSE_MAY_IMPORT: frozenset[str] = frozenset(
    {
        "extractors.records.Actor",
        "extractors.records.Extraction",
        "extractors.records.Story",
        "extractors.errors.BadInput",
        "extractors.errors.Transient",
        "extractors.errors.WireError",
        "extractors.ids.body_hash",
        "extractors.ids.normalise_name",
        "extractors.ids.stable_id",
        # the pure helpers extractors/shared.py lists for the warehouse
        "extractors.shared.MinHasher",
        "extractors.shared.acronym_key",
        "extractors.shared.initials_sql",
        "extractors.shared.merge_across_stories",
        "extractors.shared.shingle_hashes",
    }
)
# Extractor logic warehouse/ imports beyond WAREHOUSE_MAY_IMPORT (issue #17 point 6: none left).
KNOWN_WAREHOUSE_VIOLATIONS: frozenset[str] = frozenset()


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every imported name, absolute (`pkg.mod` for `import`, `pkg.mod.name` for `from ... import name`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = _module_name(path).split(".")
    if path.name != "__init__.py":
        here = here[:-1]
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            out.update(f"{module}.{alias.name}" for alias in node.names)
    return out


def _top(name: str) -> str:
    return name.split(".", 1)[0]


def test_import_reader_resolves_relative_imports() -> None:
    names = _imports(ROOT / "extractors" / "quotes" / "extractor.py")
    assert "extractors.actors.tokens.TokView" in names
    assert "extractors.quotes.rules.attribute" in names


def test_extractors_import_neither_warehouse_nor_flows() -> None:
    bad = sorted(
        f"{path.relative_to(ROOT)}: {name}"
        for path in _modules("extractors")
        for name in _imports(path)
        if _top(name) in {"warehouse", "flows"}
    )
    assert not bad, bad


def test_the_shared_surface_is_what_the_warehouse_may_import() -> None:
    import extractors.shared

    allowed = {n.removeprefix("extractors.shared.") for n in WAREHOUSE_MAY_IMPORT if n.startswith("extractors.shared.")}
    assert allowed == set(extractors.shared.__all__)


def test_runtime_code_does_not_import_training() -> None:
    training = ROOT / "extractors" / "training"
    bad = sorted(
        f"{path.relative_to(ROOT)}: {name}"
        for package in ("extractors", "warehouse", "flows")
        for path in _modules(package)
        if training not in path.parents
        for name in _imports(path)
        if name.startswith("extractors.training")
    )
    assert not bad, bad


def test_warehouse_imports_only_allowed_names_from_extractors() -> None:
    taken = {name for path in _modules("warehouse") for name in _imports(path) if _top(name) == "extractors"}
    assert taken, "the import reader found no extractors import in warehouse/"
    violations = taken - WAREHOUSE_MAY_IMPORT
    new = sorted(violations - KNOWN_WAREHOUSE_VIOLATIONS)
    fixed = sorted(KNOWN_WAREHOUSE_VIOLATIONS - violations)
    assert not new, f"warehouse/ imports extractor logic: {new} (export a record type or pure helper instead)"
    assert not fixed, f"no longer imported, remove from KNOWN_WAREHOUSE_VIOLATIONS: {fixed}"


def _class_sizes(path: Path) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        (node.name, (node.end_lineno or node.lineno) - node.lineno + 1)
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
    ]


def test_extractor_modules_and_classes_are_small() -> None:
    big_modules = []
    big_classes = []
    for path in _modules("extractors"):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_MODULE_LINES:
            big_modules.append(f"{path.relative_to(ROOT)}: {lines} lines")
        big_classes += [
            f"{path.relative_to(ROOT)}:{name}: {size} lines"
            for name, size in _class_sizes(path)
            if size > MAX_CLASS_LINES
        ]
    assert not big_modules, big_modules
    assert not big_classes, big_classes
