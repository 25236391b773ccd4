"""Deduplication layers: fingerprints (pure), exact and near duplicates against the warehouse, NLP skipping."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from extractors.dedup import (
    MinHasher,
    changed_words,
    extraction_may_change,
    jaccard,
    lsh_params,
    shingle_hashes,
    shingles,
    words,
)
from extractors.identity import item_id, story_id
from extractors.records import Story
from flows.pipeline import prepare
from warehouse import Batch, reader, writer
from warehouse.dedup import NearDupConfig, decide, reindex
from warehouse.load import load_batch
from warehouse.rows import item_row

REPO = Path(__file__).resolve().parents[2]

FERRY = (
    "The harbour authority of Port Wendle closed the northern ferry terminal after inspectors found cracks "
    "in the loading ramp that carries lorries onto the boats. Passengers were sent to the older southern "
    "quay, where queues stretched along the sea wall for most of the morning and several sailings left "
    "late. Engineers expect the repairs to take several weeks because the steel sections must be made to "
    "order by a foundry inland. Local traders complained that the closure came at the busiest time of the "
    "season and asked the authority to run extra buses between the two terminals while the work goes on."
)
ORCHARD = (
    "Apple growers in the valley say a wet spring and a late frost have cut this year's harvest, with "
    "many orchards reporting fruit that is small and marked by hail. Cooperatives are paying pickers a "
    "little more per crate to keep them from leaving for the cities, and some farmers have turned part of "
    "their land over to pears, which flowered later and escaped the worst of the cold nights in April."
)
LIBRARY = (
    "A lending library that opened in a disused railway carriage has become the busiest in the district, "
    "volunteers said, with children queuing after school to borrow comics and picture books. The carriage "
    "was donated by a heritage group and repainted by pupils from the nearby primary school over the summer "
    "holidays, and a local carpenter fitted shelves and a reading bench along one side of the old coach."
)


def _story(body: str, uri: str, **kw: Any) -> Story:
    return Story(source_uri=uri, source_kind="text", body=body, title=kw.pop("title", "Headline"), **kw)


def _reword(text: str, pairs: list[tuple[str, str]]) -> str:
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


# two lower-case words reworded away from names, figures and quotes: well above the 0.8 threshold
FERRY_NEAR = _reword(FERRY, [(" most of ", " much of "), ("the older southern", "the old southern")])


def _load(db: str, stories: list[Story], config: NearDupConfig | None = None) -> list[dict[str, Any]]:
    """The backfill's dedup path without NLP: prepare, then load_batch in one transaction."""
    config = config or NearDupConfig()
    prepared = prepare(stories, db=db, run_id="t", near_dup=config)
    with writer(db) as con:
        load_batch(con, Batch(items=prepared.items, near_dup=config))
    return prepared.items


def _rows(db: str) -> dict[str, tuple[Any, ...]]:
    with reader(db) as con:
        found = con.execute(
            """SELECT i.source_uri, f.source_uri, i.dup_kind, i.dup_similarity, i.version
               FROM items i LEFT JOIN items f ON i.duplicate_of = f.item_id"""
        ).fetchall()
    return {r[0]: r[1:] for r in found}


# --- pure fingerprints ---------------------------------------------------------------------------------


def test_words_and_shingles_ignore_case_and_punctuation() -> None:
    assert words("The ferry, the FERRY!") == ["the", "ferry", "the", "ferry"]
    assert shingles("A b c d") == {("a", "b", "c"), ("b", "c", "d")}
    assert shingles("too short") == set()
    assert shingles("Hello, world: again.") == shingles("hello world again")


def test_jaccard() -> None:
    a, b = shingles("one two three four five"), shingles("one two three four six")
    assert jaccard(a, b) == pytest.approx(2 / 4)
    assert jaccard(a, a) == 1.0
    assert jaccard(set(), a) == 0.0


def test_minhash_estimates_jaccard() -> None:
    h = MinHasher(128, 0.8)
    for other in (FERRY_NEAR, ORCHARD):
        real = jaccard(shingles(FERRY), shingles(other))
        est = h.estimate(h.signature(shingle_hashes(FERRY)), h.signature(shingle_hashes(other)))
        assert abs(est - real) < 0.12, (est, real)


def test_lsh_params_favour_recall_at_threshold() -> None:
    for threshold, perm in ((0.8, 128), (0.9, 64), (0.5, 256)):
        p = lsh_params(threshold, perm)
        assert p.bands * p.rows <= perm
        assert p.candidate_probability(threshold) >= 0.999
    assert lsh_params(0.8, 128).candidate_probability(0.1) < 1e-3  # unrelated stories rarely share a bucket
    with pytest.raises(ValueError):
        lsh_params(0.0, 128)
    with pytest.raises(ValueError):
        lsh_params(0.8, 0)


def test_band_keys_shared_by_near_copies_not_by_other_stories() -> None:
    h = MinHasher(128, 0.8)
    ferry, near, orchard = h.keys_of(FERRY), h.keys_of(FERRY_NEAR), h.keys_of(ORCHARD)
    assert len(ferry) == h.params.bands
    assert any(a == b for a, b in zip(ferry, near, strict=True))
    assert not any(a == b for a, b in zip(ferry, orchard, strict=True))
    assert h.keys_of("two words") == []


def test_band_keys_are_the_same_in_another_process() -> None:
    """Stored keys are compared with keys computed later by other processes (hash seeds differ)."""
    code = "from extractors.dedup import MinHasher; print(MinHasher(128, 0.8).keys_of(open(0).read()))"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", code], input=FERRY, capture_output=True, text=True, env=env,
                         cwd=REPO, check=True).stdout
    assert out.strip() == str(MinHasher(128, 0.8).keys_of(FERRY))


def test_changed_words_and_extraction_rule() -> None:
    assert changed_words(FERRY, FERRY_NEAR) == ["older", "old", "most", "much"]
    assert not extraction_may_change(FERRY, FERRY)
    assert not extraction_may_change(FERRY, FERRY_NEAR)  # rewording in lower case
    assert not extraction_may_change(FERRY, FERRY.replace("must be made to order", "have to be made to order"))
    # the same kind of rewording where it is quote text (a sentence with a reporting cue) or a title
    assert extraction_may_change(FERRY, FERRY.replace("the busiest time", "the busy time"))  # "... and asked"
    assert extraction_may_change(FERRY + ' "Work is hard," site manager Tom Bree said.',
                                 FERRY + ' "Work is slow," site manager Tom Bree said.')
    assert extraction_may_change(FERRY + " The harbour master Tom Bree was away.",
                                 FERRY + " The former harbour master Tom Bree was away.")
    # a capitalised word that is only sentence-initial ("The") is not a name
    assert not extraction_may_change(FERRY, FERRY.replace("Engineers expect", "The engineers expect"))
    assert extraction_may_change(FERRY, FERRY.replace("several weeks", "six weeks"))  # number word
    assert extraction_may_change(FERRY, FERRY.replace("several weeks", "3 weeks"))  # digits
    assert extraction_may_change(FERRY, FERRY.replace("Port Wendle", "Port Ashby"))  # a name
    assert extraction_may_change(FERRY, FERRY.replace("Local traders complained", "Local traders said"))  # cue
    assert extraction_may_change(FERRY, FERRY.replace("late.", 'late. "It is chaos," one driver said.'))


# --- layers against the warehouse ----------------------------------------------------------------------


def test_same_item_again_is_not_a_new_row(db: str) -> None:
    _load(db, [_story(FERRY, "a.txt")])
    _load(db, [_story(FERRY, "a.txt")])
    with reader(db) as con:
        assert con.execute("SELECT count(*) FROM items").fetchone() == (1,)
        assert con.execute("SELECT count(*) FROM lsh_buckets").fetchone() == (hasher_bands(NearDupConfig()),)


def test_exact_duplicate_ignores_spacing_and_punctuation_not_headline(db: str) -> None:
    copy = FERRY.replace(". ", ".  ").replace(",", "")
    _load(db, [_story(FERRY, "a.txt", title="Ferry terminal shut"),
               _story(copy, "b.txt", title="Cracks close ferry ramp"),
               _story(ORCHARD, "c.txt", title="Ferry terminal shut")])
    rows = _rows(db)
    assert rows["b.txt"][:3] == ("a.txt", "exact", 1.0)
    assert rows["c.txt"][0] is None  # same headline, other body: not a duplicate


def test_near_duplicate_in_a_later_batch_found_through_stored_index(db: str) -> None:
    _load(db, [_story(FERRY, "a.txt"), _story(ORCHARD, "b.txt")])
    _load(db, [_story(FERRY_NEAR, "c.txt"), _story(LIBRARY, "d.txt")])
    rows = _rows(db)
    assert rows["c.txt"][:2] == ("a.txt", "near")
    assert rows["c.txt"][2] == pytest.approx(jaccard(shingles(FERRY), shingles(FERRY_NEAR)), abs=1e-6)
    assert rows["d.txt"][0] is None and rows["b.txt"][0] is None
    with reader(db) as con:  # only group-first items are indexed
        indexed = {r[0] for r in con.execute("SELECT DISTINCT i.source_uri FROM lsh_buckets b "
                                             "JOIN items i USING (item_id)").fetchall()}
    assert indexed == {"a.txt", "b.txt", "d.txt"}


def test_near_duplicate_within_one_batch(db: str) -> None:
    _load(db, [_story(FERRY, "a.txt"), _story(FERRY_NEAR, "b.txt")])
    assert _rows(db)["b.txt"][:2] == ("a.txt", "near")


def test_below_threshold_is_not_a_duplicate(db: str) -> None:
    half = FERRY[: len(FERRY) // 2] + " " + ORCHARD
    assert jaccard(shingles(FERRY), shingles(half)) < 0.8
    _load(db, [_story(FERRY, "a.txt"), _story(half, "b.txt")])
    assert _rows(db)["b.txt"][0] is None


def test_threshold_is_a_setting(db: str) -> None:
    sim = jaccard(shingles(FERRY), shingles(FERRY_NEAR))
    strict = NearDupConfig(threshold=min(1.0, sim + 0.01))
    _load(db, [_story(FERRY, "a.txt"), _story(FERRY_NEAR, "b.txt")], strict)
    assert _rows(db)["b.txt"][0] is None


def test_groups_are_stars_not_chains(db: str) -> None:
    """A~B and B~C but not A~C: C is compared with the group's first item only, so A and C never pair."""
    b = _reword(FERRY, [("northern", "north"), ("stretched", "ran")])
    c = _reword(b, [("foundry", "forge"), ("busiest", "worst")])
    ja_b, jb_c, ja_c = (jaccard(shingles(x), shingles(y)) for x, y in ((FERRY, b), (b, c), (FERRY, c)))
    assert ja_b >= 0.8 and jb_c >= 0.8 and ja_c < 0.8, (ja_b, jb_c, ja_c)
    _load(db, [_story(FERRY, "a.txt"), _story(b, "b.txt"), _story(c, "c.txt")])
    rows = _rows(db)
    assert rows["b.txt"][0] == "a.txt"
    assert rows["c.txt"][0] is None


def test_best_matching_first_item_wins(db: str) -> None:
    far = _reword(FERRY, [("northern", "north"), ("stretched", "ran"), ("foundry", "forge")])  # 3 changes
    close = _reword(FERRY, [("cracks", "splits"), ("busiest", "worst")])  # 2 other changes
    sims = [jaccard(shingles(FERRY), shingles(x)) for x in (far, close)]
    assert 0.8 <= sims[0] < sims[1] and jaccard(shingles(far), shingles(close)) < 0.8
    _load(db, [_story(far, "a.txt")])
    _load(db, [_story(close, "b.txt")])  # not a near copy of a.txt: a first item too
    _load(db, [_story(ORCHARD + " " + LIBRARY, "c.txt"), _story(FERRY, "d.txt")])
    rows = _rows(db)
    assert rows["b.txt"][0] is None
    assert rows["d.txt"][:2] == ("b.txt", "near")  # the most similar, not the earliest


def test_version_of_own_story_is_not_a_duplicate(db: str) -> None:
    v1 = _story(FERRY, "wire.xml", guid="urn:wire:ferry", version=1)
    v2 = _story(FERRY_NEAR, "wire.xml", guid="urn:wire:ferry", version=2)
    v3 = _story(FERRY_NEAR + " ", "wire.xml", guid="urn:wire:ferry", version=3)  # same body as v2
    other = _story(FERRY_NEAR, "copy.txt")
    _load(db, [v1])
    _load(db, [v2, v3, other])
    with reader(db) as con:
        rows = con.execute("SELECT version, duplicate_of, story_id FROM items WHERE guid IS NOT NULL "
                           "ORDER BY version").fetchall()
        copy = con.execute("SELECT duplicate_of, dup_kind FROM items WHERE guid IS NULL").fetchone()
        first = con.execute("SELECT item_id FROM items WHERE version = 1").fetchone()
    assert [(v, d) for v, d, _ in rows] == [(1, None), (2, None), (3, None)]
    assert len({s for *_, s in rows}) == 1
    assert copy is not None and first is not None
    assert copy[1] == "exact"  # the copy of v2's body belongs to v2's group (same normalised body)


def test_kills_and_empty_bodies_are_never_duplicates(db: str) -> None:
    kill_a = _story("This story has been withdrawn by the sender.", "k1.xml", guid="urn:a", pub_status="canceled")
    kill_b = _story("This story has been withdrawn by the sender.", "k2.xml", guid="urn:b", pub_status="canceled")
    _load(db, [kill_a, kill_b, _story("", "e1.txt"), _story("", "e2.txt")])
    assert all(r[0] is None for r in _rows(db).values())
    with reader(db) as con:
        assert con.execute("SELECT count(*) FROM lsh_buckets").fetchone() == (0,)


def test_prepare_skips_nlp_for_duplicates_unless_extraction_may_change(db: str) -> None:
    _load(db, [_story(FERRY, "a.txt")])
    figures = FERRY.replace("several weeks", "six weeks")
    stories = [_story(FERRY + "\n", "exact.txt"), _story(FERRY_NEAR, "near.txt"), _story(figures, "fig.txt"),
               _story(LIBRARY, "new.txt")]
    prepared = prepare(stories, db=db, run_id="t", near_dup=NearDupConfig())
    needs = {stories[i].source_uri for i in prepared.needs_nlp}
    assert needs == {"fig.txt", "new.txt"}
    assert (prepared.exact_dups, prepared.near_dups, prepared.near_nlp) == (1, 2, 1)


def test_near_duplicate_keeps_facts_when_nlp_ran_exact_never(db: str) -> None:
    _load(db, [_story(FERRY, "a.txt")])
    figures = FERRY.replace("several weeks", "six weeks")
    stories = [_story(figures, "fig.txt"), _story(FERRY, "exact.txt")]
    rows = [item_row(s, item_id=item_id(s), story_id=story_id(s), run_id="t") for s in stories]
    facts = {"numbers": [], "mentions": [], "quotes": [],
             "actors": [{"item_id": "", "actor_id": "x1", "name": "Port Wendle", "kind": "place", "titles": [],
                         "aliases": [], "title_orgs": [], "mention_count": 1}]}
    extractions: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for r in rows:
        r["extracted"], r["extractor_version"] = True, "test"
        extractions[r["item_id"]] = {k: [{**v, "item_id": r["item_id"]} for v in vs] for k, vs in facts.items()}
    with writer(db) as con:
        load_batch(con, Batch(items=rows, extractions=extractions))
        got = con.execute("""SELECT i.source_uri, i.dup_kind, i.extracted, count(a.actor_id) FROM items i
                             LEFT JOIN actors a USING (item_id) GROUP BY ALL ORDER BY 1""").fetchall()
    assert got == [("a.txt", None, False, 0), ("exact.txt", "exact", False, 0), ("fig.txt", "near", True, 1)]


def test_decide_reads_only_and_reindex_rebuilds_another_scheme(db: str) -> None:
    _load(db, [_story(FERRY, "a.txt"), _story(ORCHARD, "b.txt")])
    other = NearDupConfig(threshold=0.7, num_perm=64)
    assert other.scheme != NearDupConfig().scheme
    row = item_row(_story(FERRY_NEAR, "c.txt"), item_id="c", story_id="sc", run_id="t")
    with writer(db) as con:
        before = con.execute("SELECT count(*) FROM lsh_buckets").fetchone()
        assert decide(con, [row], other)[0].duplicate_of is None  # nothing indexed under this scheme yet
        assert con.execute("SELECT count(*) FROM lsh_buckets").fetchone() == before
        written = reindex(con, other)
        assert written == 2 * hasher_bands(other)
        assert reindex(con, other) == 0
        d = decide(con, [row], other, with_bodies=True)[0]
    assert d.kind == "near" and d.original_body == FERRY


def hasher_bands(config: NearDupConfig) -> int:
    from warehouse.dedup import hasher

    return hasher(config).params.bands
