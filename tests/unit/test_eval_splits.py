"""eval.splits: deterministic, hash-based validation splits of the evaluation corpora."""

from __future__ import annotations

from collections import Counter

import pytest

from eval import splits


def test_assignment_is_fixed_by_the_key_and_salted_per_corpus() -> None:
    assert splits.fraction("polnear", "x") == splits.fraction("polnear", "x")
    assert splits.fraction("polnear", "x") != splits.fraction("newsquant", "x")
    assert 0.0 <= splits.fraction("a", "b") < 1.0


def test_shares_are_near_the_stated_ones() -> None:
    names = [f"article_{i:04d}" for i in range(4000)]
    share = Counter(splits.polnear_train_split(n) for n in names)["validation"] / len(names)
    assert abs(share - splits.POLNEAR_VALIDATION) < 0.03
    sentences = [f"The council spent {i} dollars on {i % 7} roads." for i in range(4000)]
    half = Counter(splits.newsquant_split(s) for s in sentences)["validation"] / len(sentences)
    assert abs(half - splits.NEWSQUANT_VALIDATION) < 0.03


def test_newsquant_ignores_spacing_and_bbc_pairs_ignore_order() -> None:
    assert splits.newsquant_split("Prices rose  5%.") == splits.newsquant_split(" Prices rose 5%. ")
    a, b = "tech/001.txt", "tech/002.txt"
    assert splits.bbc_pair_split(a, b) == splits.bbc_pair_split(b, a)


def test_conll_validation_is_exactly_what_train_ner_holds_out() -> None:
    from extractors.training.train_ner import DEV_EVERY

    roles = [splits.conll_role(i, f"doc {i}", DEV_EVERY) for i in range(200)]
    assert [i for i, r in enumerate(roles) if r == "validation"] == list(range(DEV_EVERY - 1, 200, DEV_EVERY))
    assert "ner_dev" in roles and roles.count("train") > 150


@pytest.mark.parametrize(("module", "argv"), [
    ("eval.polnear", ["--split", "validation", "--errors", "5"]),
    ("eval.newsquant", ["--split", "validation", "--errors"]),
    ("eval.conll", ["--validation", "--errors", "5"]),
])
def test_errors_are_refused_on_validation(module: str, argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    import importlib

    assert importlib.import_module(module).main(argv) == 2
    assert "refused on the validation split" in capsys.readouterr().err
