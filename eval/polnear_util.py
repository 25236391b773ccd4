"""PolNeAR gold for quote evaluation, and the scoring used by `eval.polnear`.

PolNeAR (Newell, Margolin & Ruths, LREC 2018) annotates attributions in brat standoff: `Source`, `Cue`
and `Content` spans linked by `E` lines. Gold here is derived as the issue asks:

- direct quotes: each segment between quote marks that lies inside an annotated Content span, with that
  attribution's Source (the innermost Content when attributions nest);
- indirect attributions: Content spans with no quote marks whose Cue contains a speech verb.

Quote segments are found with a small scanner of their own (not the extractor's), so that the gold does
not inherit the extractor's mistakes. One annotator file per text is used: the first in sorted order.
The corpus texts are read from `../shared` beside the repository (or `$WIRE_SHARED`), never copied.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "GoldDoc",
    "GoldQuote",
    "Pred",
    "Score",
    "load_split",
    "polnear_dir",
    "quote_segments",
    "score",
    "shared_dir",
    "speaker_ok",
    "word_positions",
]

Spans = tuple[tuple[int, int], ...]


def shared_dir() -> Path:
    """`$WIRE_SHARED`, else the `shared` folder beside the repository."""
    env = os.environ.get("WIRE_SHARED")
    if env:
        return Path(env)
    return (Path(__file__).resolve().parents[1] / ".." / "shared").resolve()


def polnear_dir() -> Path:
    return shared_dir() / "corpora" / "polnear"


@dataclass
class GoldQuote:
    spans: Spans  # character ranges of the quoted words / the content
    source: str | None  # text of the Source span, None when the attribution has none
    cue: str | None = None


@dataclass
class GoldDoc:
    name: str
    text: str
    direct: list[GoldQuote] = field(default_factory=list)
    indirect: list[GoldQuote] = field(default_factory=list)


_SPEECH_CUE = re.compile(
    r"(?i)\b(?:say|said|tell|told|according|add|stat|claim|announc|explain|not[ei]|wr[io]t|warn|argu|insist"
    r"|declar|report|acknowledg|admit|repl|respond|comment|mention|suggest|stress|emphasi[sz]|tweet|testif"
    r"|assert|recall|predict|promis|vow|confirm|den[yi]|ask)\w*"
)
_DOUBLE_MARKS = '"\u201c\u201d\u00ab\u00bb\u201e'


def quote_segments(text: str) -> list[tuple[int, int]]:
    """Character ranges between quote marks (double marks, and ‘single’ ones at the top level).

    A paragraph that opens a double quote and never closes it gives a segment to its end.
    """
    out: list[tuple[int, int]] = []
    pos = 0
    for para in text.split("\n"):
        open_at: int | None = None
        i = 0
        while i < len(para):
            c = para[i]
            if c == "'" and para[i + 1 : i + 2] == "'":  # ''two apostrophes'' as a double mark
                if open_at is None:
                    open_at = i + 2
                elif para[open_at - 2 : open_at] == "''":
                    out.append((pos + open_at, pos + i))
                    open_at = None
                i += 2
                continue
            if open_at is None:
                if c in "\u201c\u00ab\u201e" or (
                    c == '"' and (i == 0 or not para[i - 1].isalnum() or para[i - 1] in "([")
                ):
                    if c == '"' and i > 0 and para[i - 1].isdigit():
                        i += 1
                        continue
                    open_at = i + 1
                elif c == "\u2018" or (c == "'" and (i == 0 or para[i - 1] in " (\u2014-")):
                    m = re.compile(r"[^\n]+?[\w.,!?](\u2019|')(?!\w)").match(para, i + 1)
                    if m and not re.match(r"\d\ds\b", para[i + 1 : i + 5]):
                        out.append((pos + i + 1, pos + m.end() - 1))
                        i = m.end()
                        continue
            elif (c in '\u201d\u00bb"' and para[open_at - 2 : open_at] != "''") or (
                c == "\u201c" and para[open_at - 1] == "\u201e"
            ):
                out.append((pos + open_at, pos + i))
                open_at = None
            i += 1
        if open_at is not None:
            out.append((pos + open_at, pos + len(para)))
        pos += len(para) + 1
    return [(a, b) for a, b in out if re.search(r"\w", text[a:b])]


_WORD = re.compile(r"\w+")


def word_positions(text: str, spans: Iterable[tuple[int, int]]) -> set[int]:
    """Start offsets of the words inside `spans` (a word counts when it starts inside)."""
    out: set[int] = set()
    for a, b in spans:
        for m in _WORD.finditer(text, a, b):
            out.add(m.start())
    return out


def _parse_ann(path: Path) -> tuple[dict[str, tuple[str, Spans]], list[dict[str, str]]]:
    spans: dict[str, tuple[str, Spans]] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if parts[0].startswith("T") and len(parts) >= 2:
            kind, rng = parts[1].split(" ", 1)
            frags = tuple((int(a), int(b)) for a, b in (x.split() for x in rng.split(";")))
            spans[parts[0]] = (kind, frags)
        elif parts[0].startswith("E") and len(parts) >= 2:
            events.append(dict(x.split(":", 1) for x in parts[1].split()))
    return spans, events


def load_split(split: str = "dev", limit: int | None = None) -> list[GoldDoc]:
    """Gold of one PolNeAR split ("dev" or "train"); [] when the corpus is absent."""
    base = polnear_dir() / split
    if not (base / "text").is_dir():
        return []
    ann_by_text: dict[str, Path] = {}
    for ann in sorted((base / "attributions").glob("*.ann")):
        ann_by_text.setdefault(ann.stem.rsplit("_", 1)[0], ann)
    docs: list[GoldDoc] = []
    for name in sorted(ann_by_text):
        txt = base / "text" / f"{name}.txt"
        if not txt.exists():
            continue
        text = txt.read_text(encoding="utf-8")
        spans, events = _parse_ann(ann_by_text[name])
        doc = GoldDoc(name, text)
        contents: list[tuple[Spans, str | None, str | None]] = []
        for ev in events:
            if "Content" not in ev or ev["Content"] not in spans:
                continue
            frags = spans[ev["Content"]][1]
            src = ev.get("Source")
            source = " ".join(text[a:b] for a, b in spans[src][1]) if src in spans else None
            cue_id = ev.get("Cue")
            cue = " ".join(text[a:b] for a, b in spans[cue_id][1]) if cue_id in spans else None
            contents.append((frags, source, cue))
        segs = quote_segments(text)
        seg_words = [word_positions(text, [s]) for s in segs]
        for seg, words in zip(segs, seg_words, strict=True):
            best: tuple[int, str | None] | None = None
            for frags, source, _ in contents:
                inside = words & word_positions(text, frags)
                if words and len(inside) * 2 >= len(words):
                    size = sum(b - a for a, b in frags)
                    if best is None or size < best[0]:
                        best = (size, source)
            if best is not None:
                doc.direct.append(GoldQuote((seg,), best[1]))
        for frags, source, cue in contents:
            if cue is None or not _SPEECH_CUE.search(cue):
                continue
            if any(ch in _DOUBLE_MARKS for a, b in frags for ch in text[a:b]):
                continue
            words = word_positions(text, frags)
            if any(words & w for w in seg_words):
                continue
            if words:
                doc.indirect.append(GoldQuote(frags, source, cue))
        docs.append(doc)
        if limit is not None and len(docs) >= limit:
            break
    return docs


_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "by",
        "and",
        "or",
        "but",
        "with",
        "from",
        "as",
        "is",
        "was",
        "were",
        "be",
        "been",
        "his",
        "her",
        "its",
        "their",
        "our",
        "your",
        "my",
        "he",
        "she",
        "it",
        "they",
        "them",
        "him",
        "we",
        "i",
        "you",
        "who",
        "that",
        "this",
        "these",
        "those",
        "said",
        "says",
        "say",
        "told",
        "according",
        "mr",
        "mrs",
        "ms",
        "dr",
        "one",
        "some",
    ]
)


def _words(text: str | None) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text or "")]


def speaker_ok(gold_source: str, speaker_text: str | None, speaker: str | None) -> bool:
    """The issue's test: `speaker_text` or `speaker` shares a content word with the gold Source (a field
    of more than 15 words counts as wrong). A Source of function words only ("he") is compared whole."""
    gold = _words(gold_source)
    content = {w for w in gold if w not in _STOP} or set(gold)
    for field_text in (speaker_text, speaker):
        words = _words(field_text)
        if not words or len(words) > 15:
            continue
        if content & set(words):
            return True
    return False


@dataclass
class Score:
    tp: int = 0
    n_pred: int = 0
    n_gold: int = 0
    speaker_right: int = 0
    speaker_judged: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def speaker_accuracy(self) -> float:
        return self.speaker_right / self.speaker_judged if self.speaker_judged else 0.0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.n_pred += other.n_pred
        self.n_gold += other.n_gold
        self.speaker_right += other.speaker_right
        self.speaker_judged += other.speaker_judged


@dataclass
class Pred:
    start: int
    end: int
    speaker_text: str | None
    speaker: str | None


def score(
    text: str, preds: Sequence[Pred], gold: Sequence[GoldQuote], threshold: float
) -> tuple[Score, list[tuple[Pred, GoldQuote | None]], list[GoldQuote]]:
    """One-to-one matching (best overlap first) where the shared words cover `threshold` of both.

    Returns the score, each prediction with its gold match (or None) and the unmatched gold.
    """
    pw = [word_positions(text, [(p.start, p.end)]) for p in preds]
    gw = [word_positions(text, g.spans) for g in gold]
    pairs: list[tuple[float, int, int]] = []
    for i, a in enumerate(pw):
        if not a:
            continue
        for j, b in enumerate(gw):
            if not b:
                continue
            shared = len(a & b)
            if shared and shared >= threshold * len(a) and shared >= threshold * len(b):
                pairs.append((min(shared / len(a), shared / len(b)), i, j))
    pairs.sort(reverse=True)
    used_p: set[int] = set()
    used_g: set[int] = set()
    match: dict[int, int] = {}
    for _, i, j in pairs:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        match[i] = j
    sc = Score(tp=len(match), n_pred=len(preds), n_gold=len(gold))
    for i, j in match.items():
        src = gold[j].source
        if src and _WORD.search(src):
            sc.speaker_judged += 1
            sc.speaker_right += speaker_ok(src, preds[i].speaker_text, preds[i].speaker)
    out = [(p, gold[match[i]] if i in match else None) for i, p in enumerate(preds)]
    missed = [g for j, g in enumerate(gold) if j not in used_g]
    return sc, out, missed
