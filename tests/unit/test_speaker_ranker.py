"""The speaker ranker (extractors.quotes.ranker, issue #16 point 2): its data file, its choice rule, and texts
written here where it picks the right speaker and the hand rules alone do not."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from typing import Any

import pytest

import extractors.quotes.extractor as extractor
from extractors.ids import actor_id
from extractors.quotes import extract_quotes
from extractors.quotes.ranker import (
    DATA_FILE,
    FEATURES,
    LAYOUT_SOURCES,
    SOURCES,
    Candidate,
    SpeakerRanker,
    load_ranker,
)
from extractors.quotes.types import Speaker
from extractors.records import Actor, ActorKind, Mention, Quote


def test_the_data_file_loads_with_the_features_of_the_module() -> None:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    assert tuple(data["features"]) == FEATURES
    assert set(data["weights"]) == set(FEATURES)
    assert all(math.isfinite(w) for w in data["weights"].values())
    assert data["training"]["groups"] > 1000  # trained, not a stub
    ranker = load_ranker()
    assert ranker is not None
    assert len(ranker.weights) == len(FEATURES)
    # the features the issue names are there
    for name in ("src=rules", "cue_subject", "cue=say", "head=he_she", "head=person_ent", "same_sent", "prev_sent",
                 "where=before", "dist>=8", "quote_opens_para"):
        assert name in FEATURES
    assert {f"src={s}" for s in SOURCES} <= set(FEATURES)


def test_a_data_file_of_other_features_is_not_used(tmp_path: Any) -> None:
    path = tmp_path / "ranker.json"
    path.write_text(json.dumps({"features": ["bias_rules"], "weights": {"bias_rules": 1.0}}), encoding="utf-8")
    assert load_ranker(path) is None
    assert load_ranker(tmp_path / "missing.json") is None


def _cand(head: int, feats: Sequence[str], sources: set[str] | None = None) -> Candidate:
    idx = {n: i for i, n in enumerate(FEATURES)}
    return Candidate(Speaker(text=f"c{head}", head=head), sources=sources or set(), feats=[idx[f] for f in feats])


def _weights(**w: float) -> list[float]:
    return [w.get(n.replace("=", "_").replace("&", "_"), 0.0) for n in FEATURES]


def test_choose_follows_the_weights_keeps_the_rules_within_the_margin_and_layout_forms() -> None:
    rules = _cand(0, ["src=rules", "bias_rules"], {"rules"})
    subject = _cand(1, ["cue_subject"], {"cue_other"})
    cands = [rules, subject]
    assert SpeakerRanker(_weights(cue_subject=2.0), 0.0).choose(cands, 0) == 1
    assert SpeakerRanker(_weights(cue_subject=2.0, bias_rules=1.0), 0.0).choose(cands, 0) == 1
    assert SpeakerRanker(_weights(cue_subject=2.0, bias_rules=1.0), 1.5).choose(cands, 0) == 0  # within the margin
    assert SpeakerRanker(_weights(cue_subject=-2.0), 0.0).choose(cands, 0) == 0
    dash = _cand(0, ["src=rules", "bias_rules", "src=dash"], {"rules", "dash"})
    assert "dash" in LAYOUT_SOURCES
    assert SpeakerRanker(_weights(cue_subject=9.0), 0.0).choose([dash, subject], 0) == 0
    with pytest.raises(ValueError):
        SpeakerRanker([1.0], 0.0)


ActorSpec = tuple[str, ActorKind, Sequence[str]]


def _cast(text: str, specs: Sequence[ActorSpec]) -> tuple[list[Actor], list[Mention]]:
    actors: list[Actor] = []
    mentions: list[Mention] = []
    for name, kind, forms in specs:
        aid = actor_id(name, kind)
        actors.append(Actor(aid, name, kind, aliases=[f for f in forms if f != name]))
        for form in sorted(set(forms) | {name}, key=len, reverse=True):
            for m in re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)", text):
                if not any(x.start <= m.start() < x.end for x in mentions):
                    mentions.append(Mention(aid, m.group(), kind, m.start(), m.end()))
    mentions.sort(key=lambda x: x.start)
    return actors, mentions


def _quotes(nlp: Any, text: str, specs: Sequence[ActorSpec], monkeypatch: Any, ranked: bool) -> list[Quote]:
    monkeypatch.setattr(extractor, "load_ranker", load_ranker if ranked else (lambda: None))
    actors, mentions = _cast(text, specs)
    return extract_quotes(nlp(text), actors, mentions)


# Written for this test. In each, the rules take the subject of the reporting verb nearest the quote's words
# (`suggests`, `complains`, `cited` read as the cue, the listener of `told`), the ranker the person who speaks.
CASES = [
    ('Mayor Tom Reid said in a letter on Monday that the leaflet "plainly and falsely" claims that the city '
     "backs the plan.", [("Tom Reid", "person", ["Tom Reid", "Reid"])], "plainly and falsely", "Tom Reid"),
    ('Senator Maria Lopez mocked the complaint, saying anybody who complains about a microphone "is not having a '
     'good night."', [("Maria Lopez", "person", ["Maria Lopez", "Lopez"])], "good night", "Maria Lopez"),
    ('At the hearing, Judge Ann Cole cited the company\'s past letters to regulators as "misleading" and '
     '"careless" examples of its conduct.', [("Ann Cole", "person", ["Ann Cole", "Cole"])], "misleading",
     "Ann Cole"),
    ('Union leader Sam Ortiz told a young reporter who asked about the strike that "nobody wants this to go on '
     'for another week."', [("Sam Ortiz", "person", ["Sam Ortiz", "Ortiz"])], "nobody wants", "Sam Ortiz"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "specs", "words", "speaker"), CASES)
def test_the_ranker_picks_the_speaker_the_rules_miss(
    nlp: Any, monkeypatch: Any, text: str, specs: Sequence[ActorSpec], words: str, speaker: str
) -> None:
    rules = next(q for q in _quotes(nlp, text, specs, monkeypatch, ranked=False) if words in q.text)
    ranked = next(q for q in _quotes(nlp, text, specs, monkeypatch, ranked=True) if words in q.text)
    assert rules.speaker != speaker
    assert ranked.speaker == speaker
    assert ranked.speaker_text is not None and speaker in ranked.speaker_text


def test_an_ordinary_attribution_stays(nlp: Any, monkeypatch: Any) -> None:
    text = '"We will not wait any longer," Anna Berg told reporters in Oslo. "The army is ready."'
    specs: list[ActorSpec] = [("Anna Berg", "person", ["Anna Berg", "Berg"])]
    for ranked in (False, True):
        quotes = _quotes(nlp, text, specs, monkeypatch, ranked)
        assert [q.speaker for q in quotes] == ["Anna Berg", "Anna Berg"]


def test_training_learns_the_feature_that_tells_right_from_wrong_and_is_deterministic() -> None:
    from extractors.training.train_speaker_ranker import Group, fit

    idx = {n: i for i, n in enumerate(FEATURES)}
    subj, rules = idx["cue_subject"], idx["bias_rules"]
    # the rules' candidate (index 0) is right in one group of three; the cue's subject in the others
    groups = [
        Group([([rules], {}), ([subj], {})], [False, True], 0),
        Group([([rules], {}), ([subj], {})], [False, True], 0),
        Group([([rules, subj], {}), ([], {})], [True, False], 0),
    ]
    w = fit(groups, len(FEATURES), l2=1.0, steps=200)
    assert w[subj] > 0.5 and w[subj] > w[rules]
    assert (fit(groups, len(FEATURES), l2=1.0, steps=200) == w).all()
