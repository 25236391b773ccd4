"""Actors: recognition, titles, resolution within a story and canonical ids (issue #5)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from extractors.actors import extract_actors
from extractors.actors.canon import merge_across_stories
from extractors.ids import actor_id, normalise_name
from extractors.ner.conll import detokenise, read_conll
from extractors.nlp import CONLL_MODEL_DIR, load_nlp
from extractors.records import Actor, Mention

REPO = Path(__file__).resolve().parents[2]


def _shared() -> Path:
    env = os.environ.get("WIRE_SHARED")
    return Path(env) if env else REPO / ".." / "shared"


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return load_nlp()


def run(nlp, text: str, byline: str | None = None) -> tuple[list[Actor], list[Mention]]:  # type: ignore[no-untyped-def]
    doc = nlp(text)
    actors, mentions = extract_actors(doc, byline=byline)
    for m in mentions:  # every offset indexes the body
        assert doc.text[m.start : m.end] == m.text
    ids = {a.actor_id for a in actors}
    assert all(m.actor_id in ids for m in mentions)
    return actors, mentions


def find(actors: list[Actor], name: str) -> Actor:
    for a in actors:
        if normalise_name(a.name) == normalise_name(name):
            return a
    raise AssertionError(f"{name!r} not among {[(a.name, a.kind) for a in actors]}")


def test_bundled_model_is_in_the_pipeline(nlp) -> None:  # type: ignore[no-untyped-def]
    if not (CONLL_MODEL_DIR / "meta.json").is_file():
        pytest.skip("bundled CoNLL ner not built (make train)")
    assert "conll_ner" in nlp.pipe_names and "ner" not in nlp.pipe_names  # one ner pass
    doc = nlp("Angela Merkel met officials of Siemens in Munich.")
    labels = {(s.text, s.label_) for s in doc.spans["conll"]}
    assert ("Angela Merkel", "PER") in labels
    assert ("Angela Merkel", "PERSON") in {(e.text, e.label_) for e in doc.ents}
    assert all(e.label_ not in {"PER", "MISC", "LOC"} for e in doc.ents)  # doc.ents has OntoNotes labels


def test_premodifier_title_and_kind(nlp) -> None:  # type: ignore[no-untyped-def]
    actors, _ = run(nlp, "Japanese opposition lawmaker Hiroshi Tanaka criticised the plan on Monday.")
    tanaka = find(actors, "Hiroshi Tanaka")
    assert tanaka.kind == "person"
    assert "Japanese opposition lawmaker" in tanaka.titles
    assert tanaka.actor_id == actor_id("Hiroshi Tanaka", "person")


def test_apposition_title_links_its_organisation(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Maria Lopez, a senior economist at the International Monetary Fund, said growth would slow. "
        "Lopez added that inflation was easing."
    )
    actors, mentions = run(nlp, text)
    lopez = find(actors, "Maria Lopez")
    assert "senior economist at the International Monetary Fund" in lopez.titles
    assert "International Monetary Fund" in lopez.title_orgs
    assert "Lopez" in lopez.aliases
    assert {m.actor_id for m in mentions if m.text in {"Maria Lopez", "Lopez"}} == {lopez.actor_id}
    find(actors, "International Monetary Fund")


def test_head_of_phrase(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Pedro Alvarez, head of Spain's Central Bank, warned of risks. Alvarez spoke in Madrid."
    actors, _ = run(nlp, text)
    alvarez = find(actors, "Pedro Alvarez")
    assert any(t.startswith("head of") for t in alvarez.titles)


def test_surname_joins_the_full_name(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Prime Minister Tony Blair arrived in Dublin on Friday. Blair said the talks went well."
    actors, mentions = run(nlp, text)
    blair = find(actors, "Tony Blair")
    assert blair.aliases == ["Blair"]
    assert blair.mention_count == 2
    assert all(a.name != "Blair" for a in actors)
    assert [m.text for m in mentions if m.actor_id == blair.actor_id] == ["Tony Blair", "Blair"]


def test_shared_surname_goes_to_the_most_recent_bearer(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Opposition leader Park Ji-hoon accused the government of lying. "
        "Later, Foreign Minister Park Min-seo met the ambassador in Seoul. "
        "Park said the meeting was productive."
    )
    actors, mentions = run(nlp, text)
    ji, min_ = find(actors, "Park Ji-hoon"), find(actors, "Park Min-seo")
    assert ji.actor_id != min_.actor_id
    last = [m for m in mentions if m.text == "Park"]
    assert last and last[-1].actor_id == min_.actor_id


def test_acronym_in_brackets_and_by_initials(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "The International Atomic Energy Agency (IAEA) sent inspectors to the site. "
        "The IAEA said the visit went well. "
        "Separately, the World Health Organization warned of an outbreak, and WHO officials met on Monday."
    )
    actors, mentions = run(nlp, text)
    iaea = find(actors, "International Atomic Energy Agency")
    assert iaea.kind == "org"
    assert "IAEA" in iaea.aliases
    assert {m.actor_id for m in mentions if m.text == "IAEA"} == {iaea.actor_id}
    who = find(actors, "World Health Organization")
    assert {m.actor_id for m in mentions if m.text == "WHO"} <= {who.actor_id}


def test_place_in_x_region(nlp) -> None:  # type: ignore[no-untyped-def]
    actors, _mentions = run(nlp, "Shelling continued in the Zaporizhzhia region overnight, officials said.")
    place = find(actors, "Zaporizhzhia")
    assert place.kind == "place"
    assert "Zaporizhzhia region" in place.aliases


def test_dateline_place_and_agency(nlp) -> None:  # type: ignore[no-untyped-def]
    actors, _mentions = run(nlp, "NAIROBI (AFP) - Kenya's parliament approved the budget on Tuesday.")
    nairobi = find(actors, "Nairobi")
    assert nairobi.kind == "place"
    assert find(actors, "AFP").kind == "org"
    assert find(actors, "Kenya").kind == "place"


def test_capitals_in_headline_join_the_named_actor(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "MERKEL WARNS OF SLOWDOWN\n\n"
        "German Chancellor Angela Merkel said on Monday the economy was weakening. "
        "Merkel spoke in Berlin."
    )
    actors, mentions = run(nlp, text)
    merkel = find(actors, "Angela Merkel")
    caps = [m for m in mentions if m.text == "MERKEL"]
    assert caps and caps[0].actor_id == merkel.actor_id
    assert "German Chancellor" in merkel.titles


def test_capital_joins_its_country_only_when_the_country_is_named(nlp) -> None:  # type: ignore[no-untyped-def]
    actors, _ = run(nlp, "France rejected the offer. Paris said the terms were unfair. Rome did not comment.")
    france = find(actors, "France")
    assert "Paris" in france.aliases
    rome = find(actors, "Rome")  # Italy is not named: Rome stays its own place
    assert rome.kind == "place"


def test_country_aliases_share_one_canonical_id(nlp) -> None:  # type: ignore[no-untyped-def]
    a1, _ = run(nlp, "The U.S. imposed new sanctions on Monday.")
    a2, _ = run(nlp, "The United States imposed new sanctions on Monday.")
    assert find(a1, "United States").actor_id == find(a2, "United States").actor_id


def test_organisation_nominal_is_an_org_mention(nlp) -> None:  # type: ignore[no-untyped-def]
    actors, mentions = run(nlp, "Tokyo's foreign ministry said on Friday it had protested to Beijing.")
    ministry = [m for m in mentions if m.text == "Tokyo's foreign ministry"]
    assert ministry and ministry[0].kind == "org"
    assert find(actors, "Tokyo").kind == "place"


def test_demonyms_are_not_actors_but_groups_are(nlp) -> None:  # type: ignore[no-untyped-def]
    actors, _ = run(nlp, "French officials met Kurds who had fled the fighting. The Taliban seized the city.")
    names = {normalise_name(a.name): a.kind for a in actors}
    assert "french" not in names  # a nationality adjective is not an actor
    assert names.get("kurds") == "group"
    assert names.get("taliban") in {"group", "org"}


def test_byline_author_is_never_an_actor(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Finance Minister Rachel Adams unveiled the budget, reported John Carter of the wire service."
    actors, _ = run(nlp, text, byline="By John CARTER")
    assert all(normalise_name(a.name) != "john carter" for a in actors)
    find(actors, "Rachel Adams")
    actors2, _ = run(nlp, text)
    find(actors2, "John Carter")  # without the byline the same name is an actor


def test_one_person_one_id_across_stories(nlp) -> None:  # type: ignore[no-untyped-def]
    a1, _ = run(nlp, "Brazilian President Luiz Inacio Lula da Silva visited Lisbon. Lula met students.")
    a2, _ = run(nlp, "Luiz Inacio Lula da Silva said on Monday he would run again.")
    assert find(a1, "Luiz Inacio Lula da Silva").actor_id == find(a2, "Luiz Inacio Lula da Silva").actor_id


def test_empty_text(nlp) -> None:  # type: ignore[no-untyped-def]
    assert run(nlp, "") == ([], [])


def test_detokenise_and_read_conll() -> None:
    sents = [["He", "said", '"', "yes", '"', "(", "twice", ")", "."], ["SOCCER", "-", "WIN"], ["Next", "line", "."]]
    text, offsets = detokenise(sents)
    assert text == 'He said "yes" (twice). SOCCER - WIN\n\nNext line.'
    for words, offs in zip(sents, offsets, strict=True):
        assert [text[s:e] for s, e in offs] == words
    data = (
        "-DOCSTART- -X- O O\n\nPeter NNP I-NP I-PER\nBlack NNP I-NP I-PER\nvisited VBD I-VP O\n"
        "New NNP I-NP I-LOC\nYork NNP I-NP I-LOC\n. . O O\n\n-DOCSTART- -X- O O\n\nIBM NNP I-NP I-ORG\n"
    )
    docs = read_conll(data)
    assert len(docs) == 2
    assert [(e.label, e.text) for e in docs[0].entities] == [("PER", "Peter Black"), ("LOC", "New York")]
    assert docs[0].text == "Peter Black visited New York."
    assert [(e.label, e.text) for e in docs[1].entities] == [("ORG", "IBM")]


@pytest.mark.corpus
def test_seed_gold_actors(nlp) -> None:  # type: ignore[no-untyped-def]
    gold_path = _shared() / "gold" / "000_6667e44cdf16746f.gold.json"
    if not gold_path.is_file():
        pytest.skip(f"shared gold not found at {gold_path}")
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    raw = (REPO / gold["file"]).read_text(encoding="utf-8")
    paras = [p.strip() for p in raw.split("\n\n") if p.strip()]
    body = "\n\n".join(p for p in paras if not p.startswith(("date ", "By ", "\u00a9")))
    actors, mentions = run(nlp, body, byline=gold["metadata"]["byline"])
    by_name = {(normalise_name(a.name), a.kind): a for a in actors}
    for req in gold["actors"]["required"]:
        actor = by_name.get((normalise_name(req["name"]), req["kind"]))
        assert actor is not None, req["name"]
        aliases = {normalise_name(x) for x in actor.aliases}
        for alias in req.get("aliases", []):
            assert normalise_name(alias) in aliases, (req["name"], alias, actor.aliases)
        if req.get("titles"):
            wanted = {normalise_name(t) for t in req["titles"]}
            assert wanted & {normalise_name(t) for t in actor.titles}, (req["name"], actor.titles)
    for bad in gold["actors"]["forbidden"]:
        assert (normalise_name(bad["name"]), bad["kind"]) not in by_name, bad
    # short forms resolve to the full actor (quote speakers rely on it)
    for short, full in (("Shoigu", "Sergei Shoigu"), ("Kim", "Kim Jong Un"), ("KCNA", "Korean Central News Agency")):
        ids = {m.actor_id for m in mentions if m.text == short}
        assert ids == {by_name[(normalise_name(full), "person" if short != "KCNA" else "org")].actor_id}


def test_merge_across_stories_settles_short_forms() -> None:
    def person(name: str, titles: list[str]) -> Actor:
        return Actor(actor_id=actor_id(name, "person"), name=name, kind="person", titles=titles)

    tony = person("Tony Blair", ["Prime Minister"])
    cherie = person("Cherie Blair", ["lawyer"])
    blair_pm = person("Blair", ["Prime Minister"])
    blair_x = person("Blair", [])
    putin, only_putin = person("Vladimir Putin", []), person("Putin", [])
    unhcr = Actor(actor_id=actor_id("United Nations High Commissioner for Refugees", "org"),
                  name="United Nations High Commissioner for Refugees", kind="org")
    acr = Actor(actor_id=actor_id("UNHCR", "org"), name="UNHCR", kind="org")
    mapping = merge_across_stories([tony, cherie, blair_pm, putin, only_putin, unhcr, acr])
    assert mapping[only_putin.actor_id] == putin.actor_id
    assert mapping[blair_pm.actor_id] == tony.actor_id  # two full Blairs: the shared title decides
    assert mapping[acr.actor_id] == unhcr.actor_id
    assert tony.actor_id not in mapping
    assert blair_x.actor_id == blair_pm.actor_id  # same id: the title-less "Blair" follows the same mapping
    assert merge_across_stories([tony, cherie, blair_x]) == {}  # ambiguous without a title


def test_agency_names_are_orgs_with_one_canonical_id(nlp) -> None:  # type: ignore[no-untyped-def]
    a1, _ = run(nlp, "Agence France-Presse reported the deal on Monday. AFP said it was signed.")
    afp = find(a1, "AFP")
    assert afp.kind == "org"
    assert "Agence France-Presse" in afp.aliases
    a2, _ = run(nlp, "State news agency KCNA said the leader visited a factory.")
    a3, _ = run(nlp, "The Korean Central News Agency said the leader visited a factory.")
    assert find(a2, "Korean Central News Agency").actor_id == find(a3, "Korean Central News Agency").actor_id


def test_training_corpus_aligns_entities(tmp_path: Path) -> None:
    from spacy.tokens import DocBin

    from eval.splits import conll_role
    from extractors.ner.conll import read_conll
    from extractors.training.train_ner import build_corpus

    text = "".join(
        f"-DOCSTART- -X- O O\n\nLee NNP I-NP I-PER\nSeong-kweun NNP I-NP I-PER\nvisited VBD I-VP O\n"
        f"Seoul NNP I-NP I-LOC\nday{i} NN I-NP O\n. . O O\n\n" for i in range(40)
    )
    roles = [conll_role(i, d.text, 3) for i, d in enumerate(read_conll(text))]
    assert {"train", "ner_dev", "validation"} <= set(roles)
    train_path, dev_path, dropped = build_corpus(text, tmp_path, dev_every=3, copies=2)
    assert dropped == 0
    import spacy

    vocab = spacy.blank("en").vocab
    train = list(DocBin().from_disk(train_path).get_docs(vocab))
    dev = list(DocBin().from_disk(dev_path).get_docs(vocab))
    # validation documents are in neither file; gold training documents are there `copies` times
    assert (len(train), len(dev)) == (2 * roles.count("train"), roles.count("ner_dev"))
    assert [(e.text, e.label_) for e in train[0].ents] == [("Lee Seong-kweun", "PER"), ("Seoul", "LOC")]


def test_company_suffix_makes_an_organisation(nlp) -> None:  # type: ignore[no-untyped-def]
    _, mentions = run(nlp, "Analysts said Pirelli SpA would buy a rival next year.")
    assert [(m.text, m.kind) for m in mentions if m.text.startswith("Pirelli")] == [("Pirelli SpA", "org")]
