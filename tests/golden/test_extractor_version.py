"""EXTRACTOR_VERSION follows the output: a change of what the extractors return on the small stories below
without a change of the version fails here.

`extractor_version.json` records (version, digest of the extractions of STORIES). When the extractors'
output changes, their files changed, so the version changed too, and this test passes; it fails only when
the output changed while the version did not (something that decides the output is not hashed: a
dependency, a file outside `extractors/`, an environment setting). After a deliberate change, re-record:

    python tests/golden/test_extractor_version.py --record
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

RECORD = Path(__file__).resolve().parent / "extractor_version.json"

# Written for this test (not from any corpus): titles, quotes of each kind, numbers with units, a caption.
STORIES: list[tuple[str, str | None, str | None]] = [
    ("Defence Minister Anna Berg said on Monday the army would hire 1,200 more soldiers by 2026. \"We are "
     "ready,\" Berg told reporters in Oslo. The plan costs about $45 million, up 8 percent on last year.",
     "Defence Minister Anna Berg (C) in Oslo", "By Tom Reid"),
    ("Flooding forced around 300 families from their homes in Leeds, the city council said. According to "
     "council leader Judith Blake, repairs will take at least three weeks. Mr Hughes, a resident, called "
     "the response \"too slow\".", None, None),
    ("The United Nations Security Council met on Friday. UN Secretary-General Antonio Guterres warned that "
     "2 million people faced hunger. The World Food Programme (WFP) said it needed 1.5 billion euros.",
     None, "By Claire Lee"),
]


def output_digest() -> str:
    """sha256 of the extractions of STORIES (JSON, keys sorted), the version field left out."""
    from extractors.extract import extract_texts
    from extractors.nlp import load_nlp

    out: list[dict[str, Any]] = []
    for ex in extract_texts(load_nlp(), STORIES):
        d = ex.to_dict()
        d.pop("extractor_version")
        out.append(d)
    data = json.dumps(out, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def test_output_does_not_change_without_the_version() -> None:
    from extractors.version import EXTRACTOR_VERSION

    recorded = json.loads(RECORD.read_text(encoding="utf-8"))
    digest = output_digest()
    if recorded["version"] == EXTRACTOR_VERSION:
        assert digest == recorded["output_sha256"], (
            f"the extractors' output on the golden stories changed but EXTRACTOR_VERSION ({EXTRACTOR_VERSION}) "
            "did not: something that decides the output is not hashed by extractors/version.py (a dependency, a "
            "file outside extractors/, a setting). Hash it there, then re-record with "
            "`python tests/golden/test_extractor_version.py --record`"
        )


def test_record_is_well_formed() -> None:
    recorded = json.loads(RECORD.read_text(encoding="utf-8"))
    assert set(recorded) == {"version", "output_sha256"}
    assert recorded["version"].startswith("x-") and len(recorded["output_sha256"]) == 64


if __name__ == "__main__" and sys.argv[1:] == ["--record"]:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from extractors.version import EXTRACTOR_VERSION

    RECORD.write_text(json.dumps({"version": EXTRACTOR_VERSION, "output_sha256": output_digest()}, indent=1) + "\n",
                      encoding="utf-8")
    print(f"recorded {EXTRACTOR_VERSION} in {RECORD}")
