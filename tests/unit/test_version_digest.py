"""extractors.version: the version is a digest of every file that decides extraction output."""

from __future__ import annotations

from pathlib import Path

import extractors.version as v


def _tree(root: Path) -> Path:
    (root / "pkg" / "sub").mkdir(parents=True)
    (root / "pkg" / "a.py").write_text("A = 1\n")
    (root / "pkg" / "sub" / "lexicon.txt").write_text("minister\nsecretary\n")
    (root / "pkg" / "__pycache__").mkdir()
    (root / "pkg" / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"\x00compiled")
    return root / "pkg"


def _digest(pkg: Path) -> str:
    return v._digest_files(pkg, list(v.hashed_files(pkg)))


def test_every_file_counts_caches_do_not(tmp_path: Path) -> None:
    pkg = _tree(tmp_path)
    first = _digest(pkg)
    assert [p.relative_to(pkg).as_posix() for p in v.hashed_files(pkg)] == ["a.py", "sub/lexicon.txt"]
    (pkg / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"\x00other")
    assert _digest(pkg) == first
    (pkg / "sub" / "lexicon.txt").write_text("minister\nsecretary\nenvoy\n")
    second = _digest(pkg)
    assert second != first
    (pkg / "sub" / "new_module.py").write_text("")  # a module split into a package: a new file
    assert _digest(pkg) != second


def test_a_moved_file_changes_it(tmp_path: Path) -> None:
    pkg = _tree(tmp_path)
    first = _digest(pkg)
    (pkg / "sub" / "lexicon.txt").rename(pkg / "lexicon.txt")
    assert _digest(pkg) != first


def test_the_package_the_models_and_the_spacy_model_are_covered() -> None:
    files = {p.relative_to(v.PACKAGE_DIR).as_posix() for p in v.hashed_files()}
    assert {"extract.py", "quotes/rules.py", "numbers/__init__.py", "actors/__init__.py", "nlp.py"} <= files
    assert any(f.startswith("models/conll_ner/") for f in files)  # the bundled ner's weights
    assert v.extractor_version() == v.EXTRACTOR_VERSION and v.EXTRACTOR_VERSION.startswith("x-")
    assert v.extractor_version("en_core_web_sm") != v.extractor_version("en_core_web_md")
    assert "spacy==" in v.model_identity("en_core_web_sm")
    assert "trafilatura==" in v.library_identity() and "htmldate==" in v.library_identity()


def test_a_model_given_as_a_folder_is_identified_by_its_files(tmp_path: Path) -> None:
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "meta.json").write_text("{}")
    first = v.model_identity(str(tmp_path / "m"))
    (tmp_path / "m" / "meta.json").write_text('{"version": "2"}')
    assert v.model_identity(str(tmp_path / "m")) != first
