"""What an item in a language without an NLP model still gets: the actors its agency supplied and the
figures that need no grammar (digits with a percent sign or word, a currency sign or an ISO 4217 code).

No spaCy runs here, so nothing in the text is guessed to be a person or a speaker.
"""

from __future__ import annotations

import re

from ..ids import actor_id
from ..records import Actor, ActorKind, Extraction, Mention, Number, Story
from .detect import primary

__all__ = ["AGENCY_ACTORS_KEY", "agency_actors", "parse_figure", "plain_extraction", "plain_numbers"]

AGENCY_ACTORS_KEY = "agency_actors"  # the Story.meta key the agency readers fill
_KINDS: dict[str, ActorKind] = {"person": "person", "org": "org", "place": "place"}
# Languages that write 1,000.5; the others on the wire write 1.000,5 or 1 000,5.
_POINT_DECIMAL = {"en", "zh", "ja", "ko", "he", "th", "ms", "hi"}

_NUM = r"\d{1,3}(?:[ \u00a0\u202f.,'’]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_SIGNS = {"€": "EUR", "$": "USD", "US$": "USD", "R$": "BRL", "£": "GBP", "¥": "JPY", "₹": "INR", "₽": "RUB",
          "₺": "TRY", "₩": "KRW", "CHF": "CHF"}
_ISO = [
    "EUR", "USD", "GBP", "JPY", "CHF", "CNY", "INR", "RUB", "BRL", "CAD", "AUD", "NOK", "SEK", "DKK",
    "ISK", "PLN", "CZK", "HUF", "RON", "TRY", "ZAR", "MXN", "ARS", "CLP", "COP", "PEN", "KRW", "HKD",
    "SGD", "NZD", "ILS", "AED", "SAR", "EGP", "NGN", "KES", "UAH",
]
_SCALES = {
    "million": 1e6, "millions": 1e6, "mio": 1e6, "mio.": 1e6, "millionen": 1e6, "millón": 1e6,
    "millones": 1e6, "milhão": 1e6, "milhões": 1e6, "milione": 1e6, "milioni": 1e6, "miljoona": 1e6,
    "miljoonaa": 1e6, "million kroner": 1e6, "millioner": 1e6, "mill.": 1e6, "mln": 1e6,
    "billion": 1e9, "billions": 1e9, "milliard": 1e9, "milliards": 1e9, "milliarde": 1e9, "milliarden": 1e9,
    "mrd": 1e9, "mrd.": 1e9, "bilhão": 1e9, "bilhões": 1e9, "miliardo": 1e9, "miliardi": 1e9,
    "miljardi": 1e9, "miljardia": 1e9, "milliarder": 1e9, "mil millones": 1e9, "mld": 1e9,
}
_CURRENCY_WORDS = {"euro": "EUR", "euros": "EUR", "euroa": "EUR", "euron": "EUR", "dollar": "USD",
                   "dollars": "USD", "dólares": "USD", "dollari": "USD", "dollaria": "USD", "reais": "BRL",
                   "kroner": "NOK", "kronor": "SEK", "pfund": "GBP", "libras": "GBP", "sterline": "GBP"}
_PERCENT_WORDS = ("prozent", "prosent", "procent", "prosenttia", "por ciento", "por cento", "per cento",
                  "pour cent", "percent", "per cent")
_SCALE = "|".join(sorted((re.escape(s) for s in _SCALES), key=len, reverse=True))
_SIGN = "|".join(sorted((re.escape(s) for s in _SIGNS), key=len, reverse=True))
_CODE = "|".join(_ISO)
_FIGURE = re.compile(
    rf"(?P<pre>{_SIGN}|\b(?:{_CODE})\b)\s?(?P<n1>{_NUM})(?:\s(?P<s1>{_SCALE})(?!\w))?"
    rf"|(?<![\w.,])(?P<n2>{_NUM})(?:\s(?P<s2>{_SCALE})(?!\w)(?:\s(?:de|di)(?=\s)|\sd['’](?=\w))?)?\s?"
    rf"(?:(?P<pct>%|‰|\b(?:{'|'.join(_PERCENT_WORDS)})\b)"
    rf"|(?P<post>€|£|¥|₹|₽|₺|₩|\b(?:{_CODE}|{'|'.join(_CURRENCY_WORDS)})\b))",
    re.IGNORECASE,
)


def parse_figure(text: str, language: str | None) -> float | None:
    """The value of digits as written in `language`: "1 000,5" and "1.000,5" (most of Europe),
    "1,000.5" (English); a lone separator before three digits is a thousands one ("3.000" = 3000 in
    German, "3,000" = 3000 in English), before other counts a decimal one ("3,2" = 3.2)."""
    s = re.sub(r"[ \u00a0\u202f'’]", "", text)
    point = primary(language) in _POINT_DECIMAL
    thousands, decimal = (",", ".") if point else (".", ",")
    if s.count(thousands) and s.count(decimal):
        s = s.replace(thousands, "").replace(decimal, ".")
    elif s.count(decimal) == 1:
        s = s.replace(decimal, ".")
    elif s.count(thousands):
        parts = s.split(thousands)
        s = s.replace(thousands, "") if all(len(p) == 3 for p in parts[1:]) else s.replace(thousands, ".", 1)
    else:
        s = s.replace(",", ".") if s.count(",") == 1 else s.replace(",", "")
    try:
        return float(s)
    except ValueError:
        return None


def plain_numbers(body: str, language: str | None) -> list[Number]:
    """Percentages and money amounts marked by a sign, a percent word or an ISO code; no counted noun."""
    out: list[Number] = []
    for m in _FIGURE.finditer(body):
        digits = m.group("n1") or m.group("n2")
        value = parse_figure(digits, language)
        scale = (m.group("s1") or m.group("s2") or "").casefold()
        if value is not None and scale:
            value *= _SCALES.get(scale, 1.0)
        if m.group("pct"):
            kind, unit = "percent", "%"
        else:
            sign = m.group("pre") or m.group("post") or ""
            kind, unit = "money", _SIGNS.get(sign) or _CURRENCY_WORDS.get(sign.casefold()) or sign.upper()
        out.append(Number(text=m.group(0).strip(), value=value, start=m.start(), end=m.end(),
                          kind=kind, unit=unit))  # type: ignore[arg-type]
    return out


def agency_actors(story: Story) -> tuple[list[Actor], list[Mention]]:
    """The agency's own people, organisations and places, with the places in the body that name them."""
    actors: list[Actor] = []
    mentions: list[Mention] = []
    seen: set[str] = set()
    for entry in story.meta.get(AGENCY_ACTORS_KEY) or []:
        name, kind = str(entry.get("name") or ""), _KINDS.get(str(entry.get("kind")))
        if not name or kind is None:
            continue
        aid = actor_id(name, kind)
        if aid in seen:
            continue
        seen.add(aid)
        found = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", story.body)]
        mentions.extend(Mention(actor_id=aid, text=name, kind=kind, start=s, end=s + len(name)) for s in found)
        actors.append(Actor(actor_id=aid, name=name, kind=kind, mention_count=len(found), origin="agency"))
    return actors, mentions


def plain_extraction(story: Story, version: str = "") -> Extraction:
    """Extraction for an item no NLP model serves: agency actors and grammar-free figures, no quotes."""
    actors, mentions = agency_actors(story)
    return Extraction(actors=actors, mentions=mentions, numbers=plain_numbers(story.body, story.language),
                      extractor_version=version)
