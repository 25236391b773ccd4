"""Layering and size rules of the tree (#17), read from the source with `ast`.

- `extractors/` imports neither `warehouse` nor `flows`, and only `extractors/training/` imports from it
  (run-time code, such as the bundled ner's architectures, lives outside the training scripts);
- `warehouse/` imports from `extractors` only record types and pure helpers (`WAREHOUSE_MAY_IMPORT`); the
  imports that break the rule today are listed in `KNOWN_WAREHOUSE_VIOLATIONS`, a ratchet: a new one fails,
  and so does a fixed one still listed (remove it from the list);
- no module of `extractors/`, `warehouse/` or `flows/` is over `MAX_MODULE_LINES` lines, no class over
  `MAX_CLASS_LINES`;
- no module of those packages imports a private name (`_x`) from another project module; the ones that do
  today are listed in `KNOWN_PRIVATE_IMPORTS`, a ratchet like the one above;
- Prefect (`prefect`, `prefect_dask`, any `prefect_*`) is imported only by the adapter, `flows/prefect_api.py`:
  every other module takes Prefect's names from it (#17.5).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("extractors", "warehouse", "flows")
PREFECT_ADAPTER = Path("flows/prefect_api.py")
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
# Private names imported from another module today ("path: module.name"); extractors/ is not this branch's.
KNOWN_PRIVATE_IMPORTS: frozenset[str] = frozenset()


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _import_pairs(path: Path) -> set[tuple[str, str | None]]:
    """Every import as (absolute module, name): (`pkg.mod`, None) for `import`, (`pkg.mod`, `name`) for
    `from ... import name`. Imports inside functions and `if TYPE_CHECKING:` count too."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = _module_name(path).split(".")
    if path.name != "__init__.py":
        here = here[:-1]
    out: set[tuple[str, str | None]] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update((alias.name, None) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            out.update((module, alias.name) for alias in node.names)
    return out


def _imports(path: Path) -> set[str]:
    """Every imported name, absolute (`pkg.mod` for `import`, `pkg.mod.name` for `from ... import name`)."""
    return {module if name is None else f"{module}.{name}" for module, name in _import_pairs(path)}


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


def test_modules_and_classes_are_small() -> None:
    big_modules = []
    big_classes = []
    for path in [p for package in PACKAGES for p in _modules(package)]:
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


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def test_import_reader_sees_private_and_prefect_imports() -> None:
    pairs = _import_pairs(ROOT / "extractors" / "version.py")
    assert ("extractors.nlp", "MODEL_FALLBACKS") in pairs  # the import inside a function
    assert ("prefect", "flow") in _import_pairs(ROOT / PREFECT_ADAPTER)  # under `if TYPE_CHECKING:`


def test_no_private_names_are_imported_from_other_modules() -> None:
    found = set()
    for path in [p for package in PACKAGES for p in _modules(package)]:
        here = _module_name(path)
        for module, name in _import_pairs(path):
            if _top(module) not in PACKAGES or module == here:
                continue
            parts = [*module.split("."), *([name] if name else [])]
            if any(_private(part) for part in parts):
                found.add(f"{path.relative_to(ROOT)}: {'.'.join(parts)}")
    new = sorted(found - KNOWN_PRIVATE_IMPORTS)
    fixed = sorted(KNOWN_PRIVATE_IMPORTS - found)
    assert not new, f"private names imported from another module (give them a public name): {new}"
    assert not fixed, f"no longer imported, remove from KNOWN_PRIVATE_IMPORTS: {fixed}"


def _is_prefect(module: str) -> bool:
    top = _top(module)
    return top == "prefect" or top.startswith("prefect_")


def test_prefect_is_imported_only_by_its_adapter() -> None:
    assert any(_is_prefect(name) for name in _imports(ROOT / PREFECT_ADAPTER)), "the adapter imports no Prefect?"
    bad = sorted(
        f"{path.relative_to(ROOT)}: {name}"
        for path in [p for package in PACKAGES for p in _modules(package)]
        if path.relative_to(ROOT) != PREFECT_ADAPTER
        for name in _imports(path)
        if _is_prefect(name)
    )
    assert not bad, f"import Prefect's names from flows.prefect_api (add them there if missing): {bad}"


def test_every_module_has_all_and_the_layout_map_is_current() -> None:
    """#17 point 8: a small public surface per module (`__all__`), and docs/layout.md (the map of modules a
    newcomer reads first) regenerated whenever a module is added, moved or re-described."""
    missing = [str(p.relative_to(ROOT)) for pkg in ("extractors", "warehouse", "flows") for p in _modules(pkg)
               if not any(isinstance(node, (ast.Assign, ast.AnnAssign)) and "__all__" in ast.unparse(node).split("=")[0]
                          for node in ast.parse(p.read_text(encoding="utf-8")).body)]
    assert not missing, f"modules without __all__: {missing}"
    import subprocess
    import sys

    res = subprocess.run([sys.executable, str(ROOT / "docs" / "layout.py"), "--check"], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
