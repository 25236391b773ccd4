"""`EXTRACTOR_VERSION`: a digest of everything that decides what the extractors return.

A hand-bumped version string was forgotten as often as not, so stored facts could not be told apart from
facts the current extractors would give. The version is now derived: sha256 over

- every file of the `extractors` package (code, lexicons, gazetteers, the bundled models under
  `extractors/models/`, the model architectures in `extractors/ner/architectures.py` that loading the bundled
  ner registers), walked recursively with sorted relative paths, path and content bytes hashed, skipping only
  byte-code caches and hidden files;
- the spaCy model used: its package name and installed version (package metadata), and spaCy's own version;
- the installed versions of the libraries whose heuristics pick a story's text or date (`HEURISTIC_LIBRARIES`:
  trafilatura and htmldate, used by the HTML reader: their extraction rules change from release to
  release; the parsers, beautifulsoup4, lxml and feedparser, are not hashed).

Whole folders are hashed, not a list of named files, so a module split into a package (or a new lexicon)
changes the version without anyone having to list it. It errs on the safe side: a change to a reader
(which decides a story's body, not the facts of a stored body) changes it too, and `wire reextract` then
re-extracts facts that come out the same (same rows, same ids). Computed once per process and model
(~10 ms: the package is a few MB).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

__all__ = ["EXTRACTOR_VERSION", "HEURISTIC_LIBRARIES", "PACKAGE_DIR", "extractor_version", "hashed_files",
           "library_identity", "model_identity"]

PACKAGE_DIR = Path(__file__).resolve().parent
_SKIP_DIRS = frozenset({"__pycache__"})
_SKIP_SUFFIXES = (".pyc", ".pyo")
HEURISTIC_LIBRARIES = ("trafilatura", "htmldate")


def hashed_files(root: Path = PACKAGE_DIR) -> Iterator[Path]:
    """The files whose bytes go into the version, sorted by their path relative to `root`."""
    found = []
    for path in root.rglob("*"):
        rel = path.relative_to(root)
        if not path.is_file() or any(part in _SKIP_DIRS or part.startswith(".") for part in rel.parts):
            continue
        if path.suffix in _SKIP_SUFFIXES:
            continue
        found.append(path)
    yield from sorted(found, key=lambda p: p.relative_to(root).as_posix())


def model_identity(model: str) -> str:
    """'name==version' of the installed spaCy model package (the published fallback name when the model is
    installed under it), plus spaCy's version; a model that is a path is identified by its files' digest."""
    from .nlp import MODEL_FALLBACKS

    try:
        spacy_version = metadata.version("spacy")
    except metadata.PackageNotFoundError:
        spacy_version = "none"
    path = Path(model)
    if path.is_dir():
        return f"path:{_digest_files(path, sorted(p for p in path.rglob('*') if p.is_file()))};spacy=={spacy_version}"
    for name in (model, MODEL_FALLBACKS.get(model)):
        if not name:
            continue
        for dist in (name, name.replace("_", "-")):
            try:
                return f"{model}:{dist}=={metadata.version(dist)};spacy=={spacy_version}"
            except metadata.PackageNotFoundError:
                continue
    return f"{model}:not-installed;spacy=={spacy_version}"


def library_identity() -> str:
    """'name==version' of each of `HEURISTIC_LIBRARIES` ('name==none' when it is not installed)."""
    out = []
    for name in HEURISTIC_LIBRARIES:
        try:
            out.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            out.append(f"{name}==none")
    return ";".join(out)


def _digest_files(root: Path, files: list[Path]) -> str:
    h = hashlib.sha256()
    for path in files:
        rel = path.relative_to(root).as_posix().encode("utf-8")
        data = path.read_bytes()
        h.update(len(rel).to_bytes(8, "big") + rel + len(data).to_bytes(8, "big") + data)
    return h.hexdigest()


@functools.cache
def _code_digest() -> str:
    return _digest_files(PACKAGE_DIR, list(hashed_files()))


@functools.cache
def extractor_version(model: str | None = None) -> str:
    """The version stored in `items.extractor_version` for facts extracted with `model` (default: the
    default spaCy model): 'x-' + 16 hex digits of sha256(extractor files, model identity, library versions)."""
    from .nlp import DEFAULT_MODEL

    h = hashlib.sha256(_code_digest().encode("ascii"))
    h.update(b"\x1f" + model_identity(model or DEFAULT_MODEL).encode("utf-8"))
    h.update(b"\x1f" + library_identity().encode("utf-8"))
    return "x-" + h.hexdigest()[:16]


EXTRACTOR_VERSION = extractor_version()
