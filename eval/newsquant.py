"""Score `extract_numbers` on NewsQuant sentences (../shared/corpora/newsquant/dev.json by default).

Usage: python -m eval.newsquant [path/to/newsquant.json ...] [--model NAME] [--errors]
       python -m eval.newsquant --blind [path/to/numbers_blind.jsonl] [--model NAME]

Each sentence is parsed on its own; every `Number` the extractor returns is a prediction and every
gold quantity is a target. Predictions and targets of one sentence are paired one-to-one (maximum
bipartite matching), so one prediction never earns two targets.

Value match. A gold value is a point ("30.0") or a range ("252.0-287.0", either order); a prediction
is a point (`value`) or a range (`value_low`..`value_high`, used whenever set, also for vague amounts
such as "thousands" whose `value` is None). They match when one interval lies inside the other,
with a relative tolerance of 0.5% on each end: so two points match within 0.5%, a predicted point
matches when it falls inside a gold range, and a predicted range matches a gold point it contains.

Value+unit match: the values match and the units agree. Both sides are folded first: lower case,
plural -> singular, unit spellings through the extractor's own lexicon (`extractors.numwords.lookup_unit`
maps "kilometers", "km", "kilometre" to "km"; "$", "US$", "dollar" to USD; "per cent", "percentage",
"pc" to "%"), and a rate ("barrels a day", "$ per gallon") is also compared by its first part.
The gold side offers `unit` and `normalized_unit` (NewsQuant often writes the noun counted,
"goals", as the unit); the prediction offers `unit`, `counted` and `counted_modifier + counted`.
They agree when a folded gold form equals a folded predicted form, or when the predicted counted
noun is one of the words of the gold unit ("Liverpool fans" ~ counted "fans"). Gold units written as
"% <noun>" (NewsQuant's encoding of "a third of the population") agree with `unit == "fraction"`.
A gold quantity with no unit (`unit` "-" and `normalized_unit` "-") agrees with a prediction that
has neither unit nor counted noun; when only `normalized_unit` is given ("year of age" for
"Maria, who was 10"), that is used.

NewsQuant's gold never counts years, dates, times, ordinals, scores or labels ("Game 2"), which is
also what the extractor drops: the 200 dev sentences hold 52 year-like tokens (1900-2100), 16
day-month dates and 4 digit ordinals, and not one gold value is any of them (the only gold value
that looks like a year is "2,000km"). The script prints precision/recall/F1 for both matches, the time
of `nlp.pipe` over the sentences and of `extract_numbers` over the parsed docs, and with `--errors`
the sentences where predictions and gold differ.

`--blind` scores the blind number set instead (#16 point 4): eval/data/numbers_blind.jsonl, 150 BBC
sentences (../shared/corpora/bbc, 30 per category, about 20% without any digit or number word) picked
with a fixed seed and annotated by hand in NewsQuant's conventions before the extractor was ever run on
them. The repository holds only references, one JSON line per sentence: `file` (relative to the BBC
corpus folder), `start`/`end` (character offsets into the file decoded as UTF-8), `sha256` of the
sentence text, and `quantities` in NewsQuant's fields. The text is resolved from the shared folder and
checked against its sha256, then scored exactly like NewsQuant sentences. It is a validation set:
`--errors` is refused on it, and it is never tuned on.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extractors.numbers import extract_numbers
from extractors.numwords import lookup_unit, singular
from extractors.records import Number

from .splits import newsquant_split

__all__ = [
    "BLIND_DEFAULT",
    "GoldQuantity",
    "bbc_dir",
    "fold_unit",
    "load_blind",
    "main",
    "score",
    "shared_dir",
    "unit_match",
    "value_match",
]

TOLERANCE = 0.005
BLIND_DEFAULT = Path(__file__).resolve().parent / "data" / "numbers_blind.jsonl"


def shared_dir() -> Path:
    env = os.environ.get("WIRE_SHARED")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[1] / ".." / "shared"


def bbc_dir() -> Path:
    """The BBC corpus folder the blind number set points into."""
    return shared_dir() / "corpora" / "bbc"


@dataclass
class GoldQuantity:
    low: float
    high: float
    unit: str
    normalized_unit: str
    change: str


def _parse_gold_value(text: str) -> tuple[float, float] | None:
    t = text.strip()
    m = re.fullmatch(r"(-?[\d.]+(?:[eE][-+]?\d+)?)\s*-\s*(-?[\d.]+(?:[eE][-+]?\d+)?)", t)
    try:
        if m:
            a, b = float(m[1]), float(m[2])
            return min(a, b), max(a, b)
        v = float(t)
    except ValueError:
        return None
    return v, v


def _gold_quantities(quantities: Iterable[dict[str, Any]]) -> list[GoldQuantity]:
    golds: list[GoldQuantity] = []
    for q in quantities:
        rng = _parse_gold_value(str(q.get("value", "")))
        if rng is None:
            continue
        golds.append(
            GoldQuantity(
                rng[0],
                rng[1],
                str(q.get("unit", "-")),
                str(q.get("normalized_unit", "-")),
                str(q.get("change", "=")),
            )
        )
    return golds


def load_gold(path: Path) -> list[tuple[str, list[GoldQuantity]]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [(str(item["text"]), _gold_quantities(item.get("quantities", []))) for item in data]


def load_blind(path: Path, corpus: Path | None = None) -> list[tuple[str, list[GoldQuantity]]]:
    """The blind set's references resolved against the BBC corpus: (sentence, gold) like `load_gold`.

    Each line names a file of the corpus and character offsets into it (decoded as UTF-8); the
    sentence found there must have the recorded sha256, else ValueError (the corpus differs).
    """
    corpus = corpus if corpus is not None else bbc_dir()
    texts: dict[str, str] = {}
    out: list[tuple[str, list[GoldQuantity]]] = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        ref = json.loads(line)
        name = str(ref["file"])
        if name not in texts:
            texts[name] = (corpus / name).read_bytes().decode("utf-8")
        text = texts[name][int(ref["start"]) : int(ref["end"])]
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if digest != ref["sha256"]:
            raise ValueError(f"{path}:{lineno}: {name}[{ref['start']}:{ref['end']}] does not match its sha256")
        out.append((text, _gold_quantities(ref.get("quantities", []))))
    return out


def _within(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE * max(abs(a), abs(b)) + 1e-12


def _interval(n: Number) -> tuple[float, float] | None:
    if n.value_low is not None and n.value_high is not None:
        return min(n.value_low, n.value_high), max(n.value_low, n.value_high)
    if n.value is None:
        return None
    return n.value, n.value


def _inside(inner: tuple[float, float], outer: tuple[float, float]) -> bool:
    lo_ok = inner[0] >= outer[0] or _within(inner[0], outer[0])
    hi_ok = inner[1] <= outer[1] or _within(inner[1], outer[1])
    return lo_ok and hi_ok


def value_match(pred: Number, gold: GoldQuantity) -> bool:
    iv = _interval(pred)
    if iv is None:
        return False
    g = (gold.low, gold.high)
    return _inside(iv, g) or _inside(g, iv)


_CURRENCY_NAMES = {
    "japanese yen": "JPY",
    "pound sterling": "GBP",
    "hong kong dollar": "HKD",
    "canadian dollar": "CAD",
    "croatian kuna": "HRK",
    "south african rand": "ZAR",
    "pound-mass": "lb",
    "year of age": "year",
    "month of age": "month",
    "year-old": "year",
    "month-old": "month",
    "percent-owned": "%",
    "percentage": "%",
    "generation wireless": "G",
}


def fold_unit(text: str | None) -> set[str]:
    """Folded forms of one unit spelling (several when it is a rate or ambiguous)."""
    if text is None:
        return set()
    t = unicodedata.normalize("NFKC", text).strip()
    if not t or t == "-":
        return set()
    forms: set[str] = set()
    parts = [t]
    m = re.match(r"(.+?)\s*(?:/|\bper\b|\ba\b|\ban\b)\s*\S.*$", t)
    if m and m.group(1).strip():
        parts.append(m.group(1).strip())
    for part in parts:
        low = part.lower()
        if low in _CURRENCY_NAMES:
            forms.add(_CURRENCY_NAMES[low])
            continue
        if low in ("pound", "pounds"):
            forms.update({"GBP", "lb"})
            continue
        hit = lookup_unit(part) or lookup_unit(low)
        if hit is None and " " not in low:
            hit = lookup_unit(singular(low))
        if hit is not None:
            forms.add(hit[0])
        forms.add(" ".join(singular(w) for w in re.findall(r"[^\W_]+|%|\$", low)))
    return {f for f in forms if f}


def _gold_words(gold: GoldQuantity) -> set[str]:
    words: set[str] = set()
    for text in (gold.unit, gold.normalized_unit):
        if text and text != "-":
            words.update(singular(w) for w in re.findall(r"[^\W\d_]+", text.lower()))
    return words


def unit_match(pred: Number, gold: GoldQuantity) -> bool:
    g_unit = gold.unit.strip()
    g_norm = gold.normalized_unit.strip()
    if g_unit.startswith("%") and g_unit != "%":  # NewsQuant's "% population": a fraction of a noun
        return pred.unit == "fraction" or (
            pred.counted is not None and singular(pred.counted.lower()) in _gold_words(gold)
        )
    gold_forms = fold_unit(g_unit) | fold_unit(g_norm)
    if not gold_forms:
        return pred.unit is None and pred.counted is None
    pred_forms = fold_unit(pred.unit)
    if pred.counted:
        pred_forms |= fold_unit(pred.counted)
        if pred.counted_modifier:
            pred_forms |= fold_unit(f"{pred.counted_modifier} {pred.counted}")
    if gold_forms & pred_forms:
        return True
    return pred.counted is not None and singular(pred.counted.lower()) in _gold_words(gold)


def _max_matching(preds: Sequence[Number], golds: Sequence[GoldQuantity], ok: Any) -> int:
    """Size of a maximum one-to-one matching under predicate ok(pred, gold)."""
    adj = [[j for j, g in enumerate(golds) if ok(p, g)] for p in preds]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in adj[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    return sum(1 for i in range(len(preds)) if augment(i, set()))


@dataclass
class Scores:
    predicted: int
    gold: int
    value_tp: int
    unit_tp: int

    @staticmethod
    def prf(tp: int, pred: int, gold: int) -> tuple[float, float, float]:
        p = tp / pred if pred else 0.0
        r = tp / gold if gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def score(pairs: Iterable[tuple[Sequence[Number], Sequence[GoldQuantity]]]) -> Scores:
    s = Scores(0, 0, 0, 0)
    for preds, golds in pairs:
        s.predicted += len(preds)
        s.gold += len(golds)
        s.value_tp += _max_matching(preds, golds, value_match)
        s.unit_tp += _max_matching(preds, golds, lambda p, g: value_match(p, g) and unit_match(p, g))
    return s


def _fmt(n: Number) -> str:
    rng = f" [{n.value_low:g}..{n.value_high:g}]" if n.value_low is not None and n.value_high is not None else ""
    val = "None" if n.value is None else f"{n.value:g}"
    return f"{val}{rng} {n.kind} unit={n.unit} counted={n.counted} ({n.text!r})"


def _figures(items: list[tuple[str, list[GoldQuantity]]], preds: list[list[Number]]) -> tuple[str, str, Scores]:
    s = score(zip(preds, [g for _, g in items], strict=True))
    vp, vr, vf = Scores.prf(s.value_tp, s.predicted, s.gold)
    up, ur, uf = Scores.prf(s.unit_tp, s.predicted, s.gold)
    return (f"P={vp:.3f} R={vr:.3f} F1={vf:.3f} (tp={s.value_tp})",
            f"P={up:.3f} R={ur:.3f} F1={uf:.3f} (tp={s.unit_tp})", s)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("paths", nargs="*", type=Path)
    ap.add_argument("--model", default=None, help="spaCy model (default: extractors.nlp.DEFAULT_MODEL)")
    ap.add_argument("--errors", action="store_true",
                    help="print sentences where output and gold differ (the tune half only with --split)")
    ap.add_argument("--split", choices=("all", "tune", "validation", "tune+validation"), default="all",
                    help="all sentences, or the halves eval.splits assigns by a hash of each sentence")
    ap.add_argument("--blind", nargs="?", type=Path, const=BLIND_DEFAULT, default=None, metavar="PATH",
                    help="score the blind BBC number set instead (default eval/data/numbers_blind.jsonl); "
                    "a validation set: --errors is refused on it")
    args = ap.parse_args(argv)
    if args.blind is not None:
        return _main_blind(args)
    paths = args.paths or [shared_dir() / "corpora" / "newsquant" / "dev.json"]
    missing = [p for p in paths if not p.exists()]
    if missing:
        print(f"newsquant data not found: {', '.join(map(str, missing))} (set WIRE_SHARED)", file=sys.stderr)
        return 2
    if args.errors and "validation" in args.split:
        print("--errors is refused on the validation split: its errors are not to be read", file=sys.stderr)
        return 2
    from extractors.nlp import load_nlp

    nlp = load_nlp(args.model) if args.model else load_nlp()
    items = [item for p in paths for item in load_gold(p)]
    if args.split in ("tune", "validation"):
        items = [it for it in items if newsquant_split(it[0]) == args.split]
    texts = [t for t, _ in items]
    t0 = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=64))
    t_nlp = time.perf_counter() - t0
    t0 = time.perf_counter()
    preds = [extract_numbers(d) for d in docs]
    t_ext = time.perf_counter() - t0
    if args.split == "tune+validation":
        print(f"newsquant: {len(items)} sentences split by a hash of the sentence (eval.splits)")
        print(f"{'':<11}| {'value':<34}| value+unit")
        for half in ("tune", "validation"):
            keep = [i for i, (t, _) in enumerate(items) if newsquant_split(t) == half]
            value, unit, s = _figures([items[i] for i in keep], [preds[i] for i in keep])
            print(f"{half:<11}| {value:<34}| {unit}   ({len(keep)} sentences, {s.gold} gold, {s.predicted} predicted)")
        return 0
    value, unit, s = _figures(items, preds)
    print(f"newsquant: {len(items)} sentences, {s.gold} gold quantities, {s.predicted} predicted")
    print(f"value       {value}")
    print(f"value+unit  {unit}")
    share = t_ext / t_nlp if t_nlp else 0.0
    print(f"time: nlp.pipe {t_nlp:.3f}s, extract_numbers {t_ext:.3f}s ({share:.1%} of the NLP pass)")
    if args.errors:
        for (text, golds), pred in zip(items, preds, strict=True):
            v = _max_matching(pred, golds, value_match)
            u = _max_matching(pred, golds, lambda p, g: value_match(p, g) and unit_match(p, g))
            if v == len(pred) == len(golds) and u == v:
                continue
            print(f"\n{text}")
            for g in golds:
                val = f"{g.low:g}" if g.low == g.high else f"{g.low:g}-{g.high:g}"
                print(f"   gold {val} {g.unit!r} ({g.normalized_unit})")
            for n in pred:
                print(f"   pred {_fmt(n)}")
    return 0


def _main_blind(args: argparse.Namespace) -> int:
    path: Path = args.blind
    if args.paths:
        print("--blind scores the blind set only: give no NewsQuant paths with it", file=sys.stderr)
        return 2
    if args.errors:
        print("--errors is refused on the blind set: it is a validation set, its errors are not to be read",
              file=sys.stderr)
        return 2
    if args.split != "all":
        print("--split applies to NewsQuant sentences, not to the blind set", file=sys.stderr)
        return 2
    if not path.exists():
        print(f"blind number set not found: {path}", file=sys.stderr)
        return 2
    corpus = bbc_dir()
    if not corpus.is_dir():
        print(f"blind number set skipped: the BBC corpus it points into is not at {corpus} "
              "(third-party text is not in the repository; set WIRE_SHARED)")
        return 0
    try:
        items = load_blind(path, corpus)
    except (OSError, ValueError) as exc:
        print(f"blind number set does not resolve against {corpus}: {exc}", file=sys.stderr)
        return 2
    from extractors.nlp import load_nlp

    nlp = load_nlp(args.model) if args.model else load_nlp()
    t0 = time.perf_counter()
    docs = list(nlp.pipe([t for t, _ in items], batch_size=64))
    t_nlp = time.perf_counter() - t0
    t0 = time.perf_counter()
    preds = [extract_numbers(d) for d in docs]
    t_ext = time.perf_counter() - t0
    value, unit, s = _figures(items, preds)
    print(f"numbers blind (BBC): {len(items)} sentences, {s.gold} gold quantities, {s.predicted} predicted")
    print(f"value       {value}")
    print(f"value+unit  {unit}")
    share = t_ext / t_nlp if t_nlp else 0.0
    print(f"time: nlp.pipe {t_nlp:.3f}s, extract_numbers {t_ext:.3f}s ({share:.1%} of the NLP pass)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
