"""What a figure counts as a grouping key: the lower-case singular of the counted noun (`Number.counted_key`).

`counted` keeps the noun as written ("people", "Games", "MEPs"); an analyst grouping figures by what they
count wants "person", "game", "mep" instead, so `counted_key` folds the surface form. The lemmatizer is not
run (extractors.nlp.DISABLED_COMPONENTS), so this is a small pure function over the word and whether the
tagger took it for a plural (NNS/NNPS), with the irregular plurals as a lexicon:

1. lower-case; of several words ("polling stations") only the last is folded;
2. a form that is only ever a plural is folded whatever its tag: `IRREGULAR_PLURALS` ("people", "children",
   "women", "criteria") and an acronym + "s" ("MEPs", "CDs"); a word all in capitals is only lower-cased
   ("AIDS", "GPS");
3. any other word is folded only when tagged plural: a word in -men (not `MEN_SINGULARS`) to -man
   ("businessmen"), else the rules below, and never when it is one of `INVARIANT_PLURALS`
   ("news", "species", "series", "politics"), a singular in -s (`S_SINGULARS`: "bus", "virus", "lens") or
   ends in -ss, -us, -is ("business", "analysis");
4. the regular rules, in order: -ies -> -y ("countries"; not `IE_SINGULARS`: "movies"), -ves -> -f/-fe
   only for `F_SINGULARS` ("wolves", "lives"), -oes -> -o for `O_SINGULARS` ("heroes"), -sses/-shes/-xes/
   -zzes/-tzes and -ches -> drop "es" (not `CHE_SINGULARS`, not -aches after a consonant: "headaches"),
   -ses -> drop "es" for `S_SINGULARS` ("buses"), else drop the final "s".

Words without a final "s" are changed only by step 2 and the -men rule ("data", "media", "staff", "police"
stay as they are).
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "CHE_SINGULARS",
    "F_SINGULARS",
    "IE_SINGULARS",
    "INVARIANT_PLURALS",
    "IRREGULAR_PLURALS",
    "MEN_SINGULARS",
    "O_SINGULARS",
    "PLURAL_TAGS",
    "S_SINGULARS",
    "US_PLURALS",
    "counted_key",
    "singular_noun",
]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


PLURAL_TAGS: Final = frozenset({"NNS", "NNPS"})

# Plurals that are no singular form, folded whatever the tagger said.
IRREGULAR_PLURALS: Final[dict[str, str]] = {
    "people": "person", "persons": "person", "children": "child", "men": "man", "women": "woman",
    "teeth": "tooth", "geese": "goose", "mice": "mouse", "lice": "louse", "oxen": "ox", "dice": "die",
    "brethren": "brother", "passersby": "passerby", "criteria": "criterion", "phenomena": "phenomenon",
    "bacteria": "bacterium", "curricula": "curriculum", "memoranda": "memorandum", "referenda": "referendum",
    "strata": "stratum", "millennia": "millennium", "spectra": "spectrum", "corpora": "corpus",
    "alumni": "alumnus", "fungi": "fungus", "stimuli": "stimulus", "nuclei": "nucleus", "radii": "radius",
    "cacti": "cactus", "syllabi": "syllabus", "foci": "focus", "indices": "index", "appendices": "appendix",
    "matrices": "matrix", "vertices": "vertex", "vortices": "vortex", "analyses": "analysis",
    "crises": "crisis", "theses": "thesis", "hypotheses": "hypothesis", "diagnoses": "diagnosis",
    "prognoses": "prognosis", "syntheses": "synthesis", "synopses": "synopsis", "oases": "oasis",
    "parentheses": "parenthesis", "emphases": "emphasis", "ellipses": "ellipsis", "quizzes": "quiz",
    "axes": "axis",
}  # fmt: skip
# Words in -s that are the same in the singular, or have no singular an analyst would group under.
INVARIANT_PLURALS: Final = _words(
    "news species series means headquarters barracks crossroads innings odds gallows kudos whereabouts "
    "politics economics physics mathematics athletics gymnastics ethics logistics electronics genetics "
    "linguistics aerobics diabetes measles rabies herpes mumps billiards shambles premises clothes thanks "
    "goods earnings savings proceeds remains surroundings outskirts belongings riches alms amends auspices "
    "trousers scissors pants jeans shorts pyjamas pajamas"
)
# Singulars in -s: kept as they are, and their plural in -ses loses "es" ("buses" -> "bus").
S_SINGULARS: Final = _words(
    "bus minibus gas bonus virus campus census status surplus prospectus focus genius chorus circus "
    "consensus lens bias alias atlas canvas caucus iris octopus thesaurus walrus syllabus apparatus fetus "
    "foetus hiatus nexus onus plus sinus uterus abacus cactus fungus stimulus radius hippopotamus exodus "
    "isthmus rebus lotus impetus"
)
# Plurals in -us, of singulars in -u ("menus"); other words in -us are singulars ("campus", "census").
US_PLURALS: Final = _words("menus gurus emus gnus haikus tutus hindus zulus bayous sudokus")
# Singulars in -ie, whose plural is no -ies -> -y ("movies" -> "movie").
IE_SINGULARS: Final = _words(
    "movie cookie calorie zombie rookie goalie selfie sortie prairie brownie hippie junkie aussie veggie "
    "freebie newbie techie smoothie birdie budgie collie genie hoodie auntie eerie pixie roomie yuppie "
    "bookie bootie boogie groupie indie lassie laddie necktie talkie walkie"
)
# Singulars in -f / -fe whose plural is -ves; any other -ves loses only "s" ("executives").
F_SINGULARS: Final[dict[str, str]] = {
    "wolves": "wolf", "lives": "life", "wives": "wife", "knives": "knife", "leaves": "leaf",
    "halves": "half", "shelves": "shelf", "thieves": "thief", "calves": "calf", "loaves": "loaf",
    "selves": "self", "elves": "elf", "scarves": "scarf", "hooves": "hoof", "wharves": "wharf",
    "midwives": "midwife", "housewives": "housewife",
}  # fmt: skip
# Singulars in -o whose plural is -oes; any other -oes loses only "s" ("shoes", "canoes").
O_SINGULARS: Final = _words(
    "hero potato tomato veto echo torpedo volcano embargo domino mosquito cargo tornado buffalo mango "
    "grotto motto manifesto"
)
# Singulars in -che ("tranches" -> "tranche"); -aches after a consonant are -ache too ("headaches").
CHE_SINGULARS: Final = _words(
    "niche cliche quiche creche crèche avalanche tranche psyche douche microfiche brioche pastiche cloche "
    "fiche gouache"
)
# Singulars in -men, left alone ("specimen"); any other word in -men is a plural of -man ("gunmen").
MEN_SINGULARS: Final = _words(
    "specimen omen abdomen regimen stamen semen hymen acumen albumen bitumen cyclamen dolmen lumen foramen "
    "amen ramen yemen"
)


def _regular_singular(w: str) -> str:
    """The singular of a lower-cased word taken for a plural (step 4 of the module doc)."""
    if len(w) <= 2 or not w.endswith("s") or w in INVARIANT_PLURALS or w in S_SINGULARS:
        return w
    if w.endswith(("ss", "us", "is")) and w not in US_PLURALS:
        return w
    if w in F_SINGULARS:
        return F_SINGULARS[w]
    if w.endswith("ies") and len(w) > 4:
        return w[:-1] if w[:-1] in IE_SINGULARS else w[:-3] + "y"
    if w.endswith("oes"):
        return w[:-2] if w[:-2] in O_SINGULARS else w[:-1]
    if w.endswith("ches"):
        if w[:-1] in CHE_SINGULARS or (w.endswith("aches") and w[-6:-5] not in ("e", "o")):
            return w[:-1]
        return w[:-2]
    if w.endswith(("sses", "shes", "xes", "zzes", "tzes")):
        return w[:-2]
    if w.endswith("ses") and w[:-2] in S_SINGULARS:
        return w[:-2]
    return w[:-1]


def singular_noun(word: str, plural: bool) -> str:
    """The lower-case singular of one word (`plural`: the tagger took it for a plural)."""
    w = word.lower()
    if w in IRREGULAR_PLURALS:
        return IRREGULAR_PLURALS[w]
    if plural and w.endswith("men") and w not in MEN_SINGULARS and len(w) > 3:
        return w[:-3] + "man"  # "businessmen", "gunmen"
    if len(word) > 2 and word.endswith("s") and word[:-1].isupper() and word[:-1].isalpha():
        return w[:-1]  # an acronym's plural: "MEPs", "CDs"
    if word.isupper():
        return w  # an acronym ("AIDS", "GPS")
    return _regular_singular(w) if plural else w


def counted_key(counted: str | None, plural: bool) -> str | None:
    """The grouping key of a counted noun (see the module doc); None for None. Of several words only the
    last is folded ("polling stations" -> "polling station")."""
    if counted is None:
        return None
    head, sep, last = counted.rpartition(" ")
    return f"{head.lower()}{sep}{singular_noun(last, plural)}" if sep else singular_noun(last, plural)
