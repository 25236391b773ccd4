"""The extractors' output is byte-identical to the committed digests (tests/golden/extraction_digests.json).

See tests/golden/make_digests.py for the stories and how to regenerate the digests (only in a commit
that says which fix changed what). The stories are parsed by the pipeline the NLP workers run
(`flows.nlp_worker.worker_nlp`: numpy's single-threaded BLAS), which must give what `load_nlp()` gives.
"""

from __future__ import annotations

import json

import pytest
from make_digests import DIGESTS, compute_digests, samples, shared_dir

pytestmark = [pytest.mark.corpus, pytest.mark.slow]


def test_extraction_output_matches_digests() -> None:
    shared = shared_dir()
    try:
        selected = samples(shared)
    except FileNotFoundError as exc:
        pytest.skip(f"shared corpora are absent ({exc}); set WIRE_SHARED or check out ../shared")
    stored: dict[str, str] = json.loads(DIGESTS.read_text(encoding="utf-8"))["stories"]
    from extractors.nlp import DEFAULT_MODEL
    from flows.nlp_worker import worker_nlp

    digests = compute_digests(selected, worker_nlp(DEFAULT_MODEL))
    assert len(digests) >= 300
    missing = sorted(stored.keys() - digests.keys())
    extra = sorted(digests.keys() - stored.keys())
    differ = sorted(k for k in stored.keys() & digests.keys() if stored[k] != digests[k])
    assert not (missing or extra or differ), (
        f"{len(differ)} of {len(stored)} stories extract differently: {differ[:40]}; "
        f"not computed: {missing[:10]}; not in the digests: {extra[:10]}"
    )
