"""eval.newsquant --blind: every reference of the blind number set resolves to the text it was annotated on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.newsquant import BLIND_DEFAULT, bbc_dir, load_blind


def test_blind_references_resolve_with_matching_sha256() -> None:
    corpus = bbc_dir()
    if not corpus.is_dir():
        pytest.skip(f"BBC corpus not found at {corpus} (set WIRE_SHARED): the blind set stores only references")
    refs = [json.loads(line) for line in BLIND_DEFAULT.read_text(encoding="utf-8").splitlines() if line.strip()]
    items = load_blind(BLIND_DEFAULT, corpus)  # raises ValueError on any sha256 mismatch
    assert len(items) == len(refs) >= 100
    assert all(text.strip() for text, _ in items)
    assert sum(len(golds) for _, golds in items) == sum(len(r["quantities"]) for r in refs)


def test_a_changed_reference_is_refused(tmp_path: Path) -> None:
    corpus = bbc_dir()
    if not corpus.is_dir():
        pytest.skip(f"BBC corpus not found at {corpus} (set WIRE_SHARED): the blind set stores only references")
    ref = json.loads(BLIND_DEFAULT.read_text(encoding="utf-8").splitlines()[0])
    ref["end"] -= 1
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(ref) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="sha256"):
        load_blind(bad, corpus)
