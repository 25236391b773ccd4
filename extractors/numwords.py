"""Lexicons behind `extractors.numbers`: number words, magnitudes, currencies, units, cue phrases.

Pure data and small look-ups, no spaCy. `lookup_unit` is public so that evaluation code can fold
gold unit spellings ("kilometers", "per cent", "US$") the same way the extractor names units.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from .records import NumberKind

__all__ = ["lookup_currency", "lookup_unit", "parse_numeral", "singular"]


def _words(text: str) -> frozenset[str]:
    """A set of space-separated words (keeps long lexicons readable)."""
    return frozenset(text.split())


# --- number words ---------------------------------------------------------------------------

UNITS_WORDS: Final[dict[str, int]] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
TENS_WORDS: Final[dict[str, int]] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
# Scale words that multiply what comes before ("two hundred", "1.2 million", "$5bn").
SCALE_WORDS: Final[dict[str, float]] = {
    "hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
    "lakh": 1e5, "lakhs": 1e5, "crore": 1e7, "crores": 1e7,
    "bn": 1e9, "bln": 1e9, "mn": 1e6, "mln": 1e6, "mil": 1e6, "tn": 1e12, "trn": 1e12,
}  # fmt: skip
# Abbreviated scales that are only scales when glued to a figure or after a currency ("$4.2b", "30m").
SHORT_SCALES: Final[dict[str, float]] = {"m": 1e6, "b": 1e9, "k": 1e3, "bn": 1e9, "tn": 1e12}
# Vague plurals: "thousands (of)" -> [1e3, 1e4]; "tens of thousands" -> [1e4, 1e5].
VAGUE_WORDS: Final[dict[str, float]] = {
    "dozens": 12, "hundreds": 1e2, "thousands": 1e3, "millions": 1e6, "billions": 1e9,
    "trillions": 1e12, "tens": 10, "scores": 20,
}  # fmt: skip
FRACTION_WORDS: Final[dict[str, float]] = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4,
    "fourths": 4, "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6, "seventh": 7, "sevenths": 7,
    "eighth": 8, "eighths": 8, "ninth": 9, "ninths": 9, "tenth": 10, "tenths": 10,
}  # fmt: skip
UNICODE_FRACTIONS: Final[dict[str, float]] = {
    "½": 0.5, "⅓": 1 / 3, "⅔": 2 / 3, "¼": 0.25, "¾": 0.75, "⅕": 0.2, "⅛": 0.125,
}  # fmt: skip

# --- currencies -----------------------------------------------------------------------------

# Symbols/codes written before the figure ("US$", "HK $", "€", "PS" = a mis-encoded "£").
CURRENCY_PREFIX: Final[dict[str, str]] = {
    "$": "USD", "us$": "USD", "usd": "USD", "c$": "CAD", "ca$": "CAD", "cad": "CAD", "a$": "AUD",
    "au$": "AUD", "aud": "AUD", "nz$": "NZD", "nzd": "NZD", "hk$": "HKD", "hkd": "HKD", "s$": "SGD",
    "sgd": "SGD", "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP", "¥": "JPY", "jpy": "JPY",
    "cny": "CNY", "rmb": "CNY", "₹": "INR", "rs": "INR", "rs.": "INR", "inr": "INR", "chf": "CHF",
    "₩": "KRW", "krw": "KRW", "₽": "RUB", "rub": "RUB", "₪": "ILS", "ils": "ILS", "zar": "ZAR",
    "r$": "BRL", "brl": "BRL", "mxn": "MXN", "sek": "SEK", "nok": "NOK", "dkk": "DKK", "₺": "TRY",
    "try": "TRY", "₦": "NGN", "ngn": "NGN", "aed": "AED", "sar": "SAR",
}  # fmt: skip
# Letters that turn a following "$" into another dollar ("C $6", "HK $5.4m").
DOLLAR_COUNTRY: Final[dict[str, str]] = {
    "us": "USD", "c": "CAD", "ca": "CAD", "a": "AUD", "au": "AUD", "nz": "NZD", "hk": "HKD",
    "s": "SGD", "r": "BRL",
}  # fmt: skip
# Prefixes accepted only when glued to the figure (too ambiguous as words): "PS6m", "Y=100".
GLUED_CURRENCY_PREFIX: Final[dict[str, str]] = {"ps": "GBP", "y=": "JPY", "y": "JPY"}
# Currency names written after the figure.
CURRENCY_WORDS: Final[dict[str, str]] = {
    "dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR", "sterling": "GBP",
    "yen": "JPY", "yuan": "CNY", "renminbi": "CNY", "rupee": "INR", "rupees": "INR",
    "shekel": "ILS", "shekels": "ILS", "franc": "CHF", "francs": "CHF", "rouble": "RUB",
    "roubles": "RUB", "ruble": "RUB", "rubles": "RUB", "peso": "MXN", "pesos": "MXN", "rand": "ZAR",
    "naira": "NGN", "lira": "TRY", "liras": "TRY", "reais": "BRL", "ringgit": "MYR",
    "baht": "THB", "dirham": "AED", "dirhams": "AED", "riyal": "SAR", "riyals": "SAR",
    "dinar": "KWD", "dinars": "KWD", "kuna": "HRK", "zloty": "PLN", "zlotys": "PLN",
    "forint": "HUF", "forints": "HUF", "hryvnia": "UAH", "hryvnias": "UAH", "rupiah": "IDR",
    "krona": "SEK", "kronor": "SEK", "krone": "NOK", "kroner": "NOK", "won": "KRW",
    "usd": "USD", "eur": "EUR", "gbp": "GBP", "jpy": "JPY", "cny": "CNY", "chf": "CHF",
    "cad": "CAD", "aud": "AUD", "hkd": "HKD", "inr": "INR", "rmb": "CNY",
    "pence": "GBX", "penny": "GBX", "p": "GBX", "cent": "cent", "cents": "cent",
}  # fmt: skip
# Adjectives in front of "dollars"/"pounds" that name the country ("Canadian dollars").
DOLLAR_ADJECTIVES: Final[dict[str, str]] = {
    "us": "USD", "u.s.": "USD", "american": "USD", "canadian": "CAD", "australian": "AUD",
    "hong": "HKD", "kong": "HKD", "singapore": "SGD", "taiwan": "TWD", "zealand": "NZD",
    "egyptian": "EGP", "lebanese": "LBP", "swiss": "CHF", "mexican": "MXN", "argentine": "ARS",
    "indian": "INR", "pakistani": "PKR", "south": "ZAR", "british": "GBP",
}  # fmt: skip

# Currency names that need their adjective ("CFA francs", "Swiss francs", "Egyptian pounds").
ADJECTIVE_CURRENCY: Final[dict[tuple[str, str], str]] = {
    ("cfa", "franc"): "XOF", ("swiss", "franc"): "CHF", ("egyptian", "pound"): "EGP",
    ("lebanese", "pound"): "LBP", ("syrian", "pound"): "SYP", ("sudanese", "pound"): "SDG",
    ("pakistani", "rupee"): "PKR", ("indian", "rupee"): "INR", ("sri", "rupee"): "LKR",
    ("nepalese", "rupee"): "NPR", ("argentine", "peso"): "ARS", ("mexican", "peso"): "MXN",
    ("philippine", "peso"): "PHP", ("chilean", "peso"): "CLP", ("colombian", "peso"): "COP",
    ("swedish", "krona"): "SEK", ("norwegian", "krone"): "NOK", ("danish", "krone"): "DKK",
    ("brazilian", "real"): "BRL", ("south", "rand"): "ZAR", ("african", "rand"): "ZAR",
    ("turkish", "lira"): "TRY", ("new", "shekel"): "ILS", ("russian", "rouble"): "RUB",
    ("russian", "ruble"): "RUB", ("chinese", "yuan"): "CNY", ("japanese", "yen"): "JPY",
    ("korean", "won"): "KRW", ("indonesian", "rupiah"): "IDR", ("jordanian", "dinar"): "JOD",
    ("kuwaiti", "dinar"): "KWD", ("iraqi", "dinar"): "IQD", ("saudi", "riyal"): "SAR",
    ("qatari", "riyal"): "QAR", ("iranian", "rial"): "IRR", ("nigerian", "naira"): "NGN",
}  # fmt: skip

# --- units ----------------------------------------------------------------------------------

# Case-sensitive unit spellings (symbols where case matters).
_UNITS_CS: dict[str, tuple[str, NumberKind]] = {
    "m": ("m", "measure"), "L": ("l", "measure"), "l": ("l", "measure"),
    "W": ("W", "measure"), "kW": ("kW", "measure"), "MW": ("MW", "measure"),
    "GW": ("GW", "measure"), "kWh": ("kWh", "measure"), "MWh": ("MWh", "measure"),
    "GWh": ("GWh", "measure"), "TWh": ("TWh", "measure"), "V": ("V", "measure"),
    "kV": ("kV", "measure"), "GB": ("GB", "measure"), "MB": ("MB", "measure"),
    "TB": ("TB", "measure"), "KB": ("KB", "measure"), "kB": ("KB", "measure"),
    "PS": ("hp", "measure"), "C": ("°C", "measure"), "F": ("°F", "measure"),
    "t": ("tonne", "measure"), "g": ("g", "measure"), "Nm": ("Nm", "measure"),
    "kN": ("kN", "measure"), "Mt": ("Mt", "measure"), "Gt": ("Gt", "measure"),
}  # fmt: skip
# Case-insensitive unit spellings (lower-cased keys).
_UNITS_CI: dict[str, tuple[str, NumberKind]] = {
    "%": ("%", "percent"), "percent": ("%", "percent"), "pc": ("%", "percent"),
    "pct": ("%", "percent"), "percentage": ("%", "percent"),
    "km": ("km", "measure"), "kms": ("km", "measure"), "kilometre": ("km", "measure"),
    "kilometres": ("km", "measure"), "kilometer": ("km", "measure"),
    "kilometers": ("km", "measure"), "metre": ("m", "measure"), "metres": ("m", "measure"),
    "meter": ("m", "measure"), "meters": ("m", "measure"), "cm": ("cm", "measure"),
    "centimetre": ("cm", "measure"), "centimetres": ("cm", "measure"),
    "centimeter": ("cm", "measure"), "centimeters": ("cm", "measure"), "mm": ("mm", "measure"),
    "millimetre": ("mm", "measure"), "millimetres": ("mm", "measure"),
    "millimeter": ("mm", "measure"), "millimeters": ("mm", "measure"), "μm": ("µm", "measure"),
    "µm": ("µm", "measure"), "micrometre": ("µm", "measure"), "micrometres": ("µm", "measure"),
    "micron": ("µm", "measure"), "microns": ("µm", "measure"), "nm": ("nm", "measure"),
    "nanometre": ("nm", "measure"), "nanometres": ("nm", "measure"),
    "nanometer": ("nm", "measure"), "nanometers": ("nm", "measure"),
    "mile": ("mile", "measure"), "miles": ("mile", "measure"), "mi": ("mile", "measure"),
    "yard": ("yard", "measure"), "yards": ("yard", "measure"), "yd": ("yard", "measure"),
    "yds": ("yard", "measure"), "foot": ("ft", "measure"), "feet": ("ft", "measure"),
    "ft": ("ft", "measure"), "inch": ("inch", "measure"), "inches": ("inch", "measure"),
    "″": ("inch", "measure"), '"': ("inch", "measure"), "in.": ("inch", "measure"),
    "hectare": ("ha", "measure"), "hectares": ("ha", "measure"), "ha": ("ha", "measure"),
    "acre": ("acre", "measure"), "acres": ("acre", "measure"), "sqm": ("m2", "measure"),
    "m2": ("m2", "measure"), "m²": ("m2", "measure"), "km2": ("km2", "measure"),
    "km²": ("km2", "measure"), "sqft": ("sq ft", "measure"),
    "kg": ("kg", "measure"), "kgs": ("kg", "measure"), "kilo": ("kg", "measure"),
    "kilos": ("kg", "measure"), "kilogram": ("kg", "measure"), "kilograms": ("kg", "measure"),
    "kilogramme": ("kg", "measure"), "kilogrammes": ("kg", "measure"),
    "gram": ("g", "measure"), "grams": ("g", "measure"), "gramme": ("g", "measure"),
    "grammes": ("g", "measure"), "mg": ("mg", "measure"), "milligram": ("mg", "measure"),
    "milligrams": ("mg", "measure"), "tonne": ("tonne", "measure"), "tonnes": ("tonne", "measure"),
    "ton": ("ton", "measure"), "tons": ("ton", "measure"), "lb": ("lb", "measure"),
    "lbs": ("lb", "measure"), "ounce": ("oz", "measure"), "ounces": ("oz", "measure"),
    "oz": ("oz", "measure"), "carat": ("carat", "measure"), "carats": ("carat", "measure"),
    "litre": ("l", "measure"), "litres": ("l", "measure"), "liter": ("l", "measure"),
    "liters": ("l", "measure"), "ml": ("ml", "measure"), "millilitre": ("ml", "measure"),
    "millilitres": ("ml", "measure"), "milliliter": ("ml", "measure"),
    "milliliters": ("ml", "measure"), "gallon": ("gallon", "measure"),
    "gallons": ("gallon", "measure"), "barrel": ("barrel", "measure"),
    "barrels": ("barrel", "measure"), "bbl": ("barrel", "measure"), "bpd": ("barrel/day", "measure"),
    "mph": ("mph", "measure"), "kph": ("km/h", "measure"), "kmh": ("km/h", "measure"),
    "km/h": ("km/h", "measure"), "knot": ("knot", "measure"), "knots": ("knot", "measure"),
    "kt": ("knot", "measure"), "kts": ("knot", "measure"), "mpg": ("mpg", "measure"),
    "degree": ("degree", "measure"), "degrees": ("degree", "measure"), "deg": ("degree", "measure"),
    "°": ("degree", "measure"), "°c": ("°C", "measure"), "°f": ("°F", "measure"),
    "degc": ("°C", "measure"), "degf": ("°F", "measure"), "celsius": ("°C", "measure"),
    "fahrenheit": ("°F", "measure"), "centigrade": ("°C", "measure"),
    "hp": ("hp", "measure"), "bhp": ("hp", "measure"), "horsepower": ("hp", "measure"),
    "watt": ("W", "measure"), "watts": ("W", "measure"), "kilowatt": ("kW", "measure"),
    "kilowatts": ("kW", "measure"), "megawatt": ("MW", "measure"), "megawatts": ("MW", "measure"),
    "gigawatt": ("GW", "measure"), "gigawatts": ("GW", "measure"),
    "kilowatt-hours": ("kWh", "measure"), "megawatt-hours": ("MWh", "measure"),
    "volt": ("V", "measure"), "volts": ("V", "measure"), "kilovolt": ("kV", "measure"),
    "kilovolts": ("kV", "measure"), "mah": ("mAh", "measure"),
    "hz": ("Hz", "measure"), "khz": ("kHz", "measure"), "mhz": ("MHz", "measure"),
    "ghz": ("GHz", "measure"), "hertz": ("Hz", "measure"), "gigahertz": ("GHz", "measure"),
    "megahertz": ("MHz", "measure"), "gigabyte": ("GB", "measure"),
    "gigabytes": ("GB", "measure"), "megabyte": ("MB", "measure"), "megabytes": ("MB", "measure"),
    "terabyte": ("TB", "measure"), "terabytes": ("TB", "measure"), "mbps": ("Mbps", "measure"),
    "gbps": ("Gbps", "measure"), "megabits": ("Mbit", "measure"), "megabit": ("Mbit", "measure"),
    "gigabits": ("Gbit", "measure"), "kilobits": ("kbit", "measure"), "megapixels": ("MP", "measure"),
    "kbps": ("kbps", "measure"),
    "ppm": ("ppm", "measure"), "ppb": ("ppb", "measure"), "psi": ("psi", "measure"),
    "ksi": ("ksi", "measure"), "mpa": ("MPa", "measure"), "kpa": ("kPa", "measure"),
    "gpa": ("GPa", "measure"), "pa": ("Pa", "measure"), "bar": ("bar", "measure"),
    "nm·": ("Nm", "measure"), "lb-ft": ("lb-ft", "measure"), "calorie": ("kcal", "measure"),
    "calories": ("kcal", "measure"), "kcal": ("kcal", "measure"), "decibel": ("dB", "measure"),
    "decibels": ("dB", "measure"), "db": ("dB", "measure"), "teu": ("TEU", "measure"),
    "teus": ("TEU", "measure"), "mw": ("MW", "measure"), "kw": ("kW", "measure"),
    "kwh": ("kWh", "measure"), "cc": ("cc", "measure"), "kt.": ("knot", "measure"),
    "rpm": ("rpm", "measure"), "fps": ("fps", "measure"), "nits": ("nit", "measure"),
    "bpm": ("bpm", "measure"), "mmhg": ("mmHg", "measure"), "kn·m": ("kNm", "measure"),
    "kj": ("kJ", "measure"), "mj": ("MJ", "measure"), "gj": ("GJ", "measure"),
    "joule": ("J", "measure"), "joules": ("J", "measure"), "kelvin": ("K", "measure"),
    "wh": ("Wh", "measure"), "mwh": ("MWh", "measure"), "gwh": ("GWh", "measure"),
    "twh": ("TWh", "measure"), "gigatonnes": ("Gt", "measure"), "gigatons": ("Gt", "measure"),
    "megatonnes": ("Mt", "measure"), "megatons": ("Mt", "measure"), "µg": ("µg", "measure"),
    "mcg": ("µg", "measure"), "cl": ("cl", "measure"), "pint": ("pint", "measure"),
    "pints": ("pint", "measure"), "quart": ("quart", "measure"), "quarts": ("quart", "measure"),
    "tev": ("TeV", "measure"), "gev": ("GeV", "measure"), "mev": ("MeV", "measure"),
    "ev": ("eV", "measure"), "atm": ("atm", "measure"), "bps": ("bp", "percent"),
    "bp": ("bp", "percent"), "light-years": ("light year", "measure"),
    "light-year": ("light year", "measure"), "ft²": ("sq ft", "measure"), "kb": ("KB", "measure"),
    "second": ("second", "duration"), "seconds": ("second", "duration"),
    "sec": ("second", "duration"), "secs": ("second", "duration"), "minute": ("minute", "duration"),
    "minutes": ("minute", "duration"), "min": ("minute", "duration"),
    "mins": ("minute", "duration"), "hour": ("hour", "duration"), "hours": ("hour", "duration"),
    "hrs": ("hour", "duration"), "day": ("day", "duration"), "days": ("day", "duration"),
    "week": ("week", "duration"), "weeks": ("week", "duration"), "month": ("month", "duration"),
    "months": ("month", "duration"), "year": ("year", "duration"), "years": ("year", "duration"),
    "yr": ("year", "duration"), "yrs": ("year", "duration"), "decade": ("decade", "duration"),
    "decades": ("decade", "duration"), "century": ("century", "duration"),
    "centuries": ("century", "duration"), "fortnight": ("week", "duration"),
}  # fmt: skip
# Two-word units ("per cent", "sq m", "square feet", "percentage points", "basis points").
MULTIWORD_UNITS: Final[dict[tuple[str, ...], tuple[str, NumberKind]]] = {
    ("per", "cent"): ("%", "percent"),
    ("percentage", "points"): ("pp", "percent"),
    ("percentage", "point"): ("pp", "percent"),
    ("basis", "points"): ("bp", "percent"),
    ("basis", "point"): ("bp", "percent"),
    ("sq", "m"): ("m2", "measure"),
    ("sq", "km"): ("km2", "measure"),
    ("sq", "ft"): ("sq ft", "measure"),
    ("sq", "feet"): ("sq ft", "measure"),
    ("square", "metres"): ("m2", "measure"),
    ("square", "meters"): ("m2", "measure"),
    ("square", "metre"): ("m2", "measure"),
    ("square", "meter"): ("m2", "measure"),
    ("square", "kilometres"): ("km2", "measure"),
    ("square", "kilometers"): ("km2", "measure"),
    ("square", "miles"): ("sq mile", "measure"),
    ("square", "mile"): ("sq mile", "measure"),
    ("square", "feet"): ("sq ft", "measure"),
    ("square", "foot"): ("sq ft", "measure"),
    ("cubic", "metres"): ("m3", "measure"),
    ("cubic", "meters"): ("m3", "measure"),
    ("cubic", "feet"): ("cu ft", "measure"),
    ("light", "years"): ("light year", "measure"),
    ("nautical", "miles"): ("nautical mile", "measure"),
    ("miles", "per", "hour"): ("mph", "measure"),
    ("miles", "an", "hour"): ("mph", "measure"),
    ("kilometres", "per", "hour"): ("km/h", "measure"),
    ("kilometers", "per", "hour"): ("km/h", "measure"),
    ("kilometres", "an", "hour"): ("km/h", "measure"),
    ("kilometers", "an", "hour"): ("km/h", "measure"),
    ("km", "/", "h"): ("km/h", "measure"),
    ("miles", "per", "gallon"): ("mpg", "measure"),
    ("lb", "-", "ft"): ("lb-ft", "measure"),
    ("deg", "c"): ("°C", "measure"),
    ("deg", "f"): ("°F", "measure"),
    ("°", "c"): ("°C", "measure"),
    ("°", "f"): ("°F", "measure"),
    ("degrees", "celsius"): ("°C", "measure"),
    ("degrees", "fahrenheit"): ("°F", "measure"),
    ("degree", "celsius"): ("°C", "measure"),
    ("degree", "fahrenheit"): ("°F", "measure"),
    ("degrees", "c"): ("°C", "measure"),
    ("degrees", "f"): ("°F", "measure"),
}
# Words after "per"/"a"/"an"/"/" that make a rate unit ("barrels a day", "$2 per gallon").
RATE_DENOMINATORS: Final[frozenset[str]] = _words(
    "second minute hour day week month year annum capita head share person gallon litre liter barrel "
    "tonne ton kilogram kg pound lb ounce square unit night game km mile h s cm m kilometre kilometer "
    "metre meter foot "
)

# --- cue phrases ----------------------------------------------------------------------------

# Phrase before the figure -> (comparator, approx). Longest phrases are tried first.
COMPARATORS: Final[dict[tuple[str, ...], tuple[str, bool]]] = {
    ("more", "than"): ("more than", False),
    ("over",): ("more than", False),
    ("above",): ("more than", False),
    ("just", "over"): ("more than", True),
    ("just", "above"): ("more than", True),
    ("in", "excess", "of"): ("more than", False),
    ("upwards", "of"): ("more than", False),
    ("upward", "of"): ("more than", False),
    ("sub",): ("less than", False),
    ("greater", "than"): ("more than", False),
    ("higher", "than"): ("more than", False),
    ("at", "least"): ("at least", False),
    ("no", "less", "than"): ("at least", False),
    ("no", "fewer", "than"): ("at least", False),
    ("a", "minimum", "of"): ("at least", False),
    ("as", "many", "as"): ("up to", False),
    ("as", "much", "as"): ("up to", False),
    ("up", "to"): ("up to", False),
    ("at", "most"): ("at most", False),
    ("no", "more", "than"): ("at most", False),
    ("a", "maximum", "of"): ("at most", False),
    ("less", "than"): ("less than", False),
    ("fewer", "than"): ("less than", False),
    ("lower", "than"): ("less than", False),
    ("under",): ("less than", False),
    ("below",): ("less than", False),
    ("just", "under"): ("less than", True),
    ("just", "below"): ("less than", True),
    ("almost",): ("nearly", True),
    ("nearly",): ("nearly", True),
    ("close", "to"): ("nearly", True),
    ("closer", "to"): ("nearly", True),
    ("about",): ("about", True),
    ("around",): ("about", True),
    ("roughly",): ("about", True),
    ("approximately",): ("about", True),
    ("approx",): ("about", True),
    ("approx.",): ("about", True),
    ("some",): ("about", True),
    ("circa",): ("about", True),
    ("c.",): ("about", True),
    ("~",): ("about", True),
    ("an", "estimated"): ("about", True),
    ("estimated",): ("about", True),
    ("or", "so"): ("about", True),
}
APPROX_AFTER: Final[frozenset[str]] = frozenset({"odd", "plus", "-odd"})
UP_WORDS: Final[frozenset[str]] = _words(
    "rose rise rises rising risen up gained gain gains gaining jumped jump jumps jumping climbed "
    "climb climbs climbing increased increase increases increasing grew grow grows growing surged "
    "surge surges surging soared soar soars soaring advanced advance advances advancing rallied rally "
    "rallies rallying added add adds adding boosted boost boosts lifted lift lifts hiked hike hikes "
    "spiked spike spikes firmed higher rebounded rebound rebounds expanded expand expands accelerated "
)
DOWN_WORDS: Final[frozenset[str]] = _words(
    "fell fall falls falling fallen down dropped drop drops dropping declined decline declines "
    "declining lost lose loses losing slipped slip slips slipping slid slide slides sliding plunged "
    "plunge plunges plunging plummeted plummet plummets plummeting tumbled tumble tumbles tumbling "
    "sank sink sinks sinking shed sheds shedding decreased decrease decreases decreasing eased ease "
    "eases easing retreated retreat retreats slumped slump slumps cut cuts cutting shrank shrink "
    "shrinks shrinking contracted contract contracts dipped dip dips dipping lower tanked tank tanks "
    "crashed crash crashes slowed slashed slash reduced reduce reduces weakened "
)
# Nouns right before a figure that make it a label or id, not a quantity ("Game 2", "No. 10").
LABEL_NOUNS: Final[frozenset[str]] = _words(
    "game category no no. number page pages chapter route flight room level type class grade phase "
    "stage round episode act article section paragraph clause version gate terminal platform highway "
    "interstate channel apollo model series vol vol. volume tier division district ward precinct seat "
    "row line lines unit building floor suite apartment apt apt. track exit week matchday day figure "
    "table rule step option item lot bus code squad block gen generation ch. pp. p. part mark "
    "proposition prop prop. resolution bill covid-19 covid sars-cov-2 g7 g20 g-7 g-20 iphone galaxy "
    "pixel windows ios android playstation xbox formula world "
)
SCORE_CONTEXT: Final[frozenset[str]] = _words(
    "winner winners victors scorer scorers win wins won beat beats beating defeat defeated defeats "
    "victory lost lose loses loss draw drew drawn tie tied ties ended end finished score scored "
    "scoreline lead led leads leading trail trailed trailing aggregate vote votes voted margin "
    "decision record series rout thrashing triumph edged "
)
TIME_AFTER: Final[frozenset[str]] = _words(
    "a.m. p.m. am pm a.m p.m gmt utc bst edt est cet cest pdt pst et pt ct ist jst hrs h o'clock "
)
YEAR_BEFORE: Final[frozenset[str]] = _words(
    "in since by from until till to through during before after early late mid of between the this "
    "that year season fiscal fy spring summer autumn fall winter circa c. 's "
)

_NUM_RE = re.compile(r"[-+−–]?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+|\d{1,3},\d{1,2}(?![\d,]))")


def singular(word: str) -> str:
    """A plain-English singular of a lower-cased noun (for folding; no lemmatizer needed)."""
    w = word.lower()
    if len(w) <= 3 or w.endswith(("ss", "us", "is")):
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("ches", "shes", "xes", "sses", "zes")):
        return w[:-2]
    if w.endswith("s"):
        return w[:-1]
    return w


def parse_numeral(text: str) -> float | None:
    """Value of a digit string ("5,000", "3.4", "-1.3", ".500", "3,5" as a decimal comma)."""
    t = text.replace("−", "-").replace("–", "-").strip()
    if not t:
        return None
    if re.fullmatch(r"[-+]?\d{1,3},\d{1,2}", t):  # decimal comma: "3,5"
        t = t.replace(",", ".")
    t = t.replace(",", "")
    try:
        return float(t)
    except ValueError:
        return None


def lookup_currency(text: str) -> str | None:
    """ISO code of a currency symbol, code or name ("US$", "euros", "PS" -> GBP)."""
    t = unicodedata.normalize("NFKC", text).strip().lower()
    if t in CURRENCY_PREFIX:
        return CURRENCY_PREFIX[t]
    if t in CURRENCY_WORDS:
        return CURRENCY_WORDS[t]
    if t in GLUED_CURRENCY_PREFIX:
        return GLUED_CURRENCY_PREFIX[t]
    words = t.replace("-", " ").split()
    if not words:
        return None
    last = words[-1]
    if last in ("dollar", "dollars", "$") and len(words) > 1:
        for w in words[:-1]:
            if w in DOLLAR_ADJECTIVES:
                return DOLLAR_ADJECTIVES[w]
        return "USD"
    if (words[-2] if len(words) > 1 else "", singular(last)) in ADJECTIVE_CURRENCY:
        return ADJECTIVE_CURRENCY[(words[-2], singular(last))]
    if last in ("pound", "pounds") and len(words) > 1:
        return "GBP" if words[-2] in ("sterling", "british", "uk") else "EGP" if words[-2] == "egyptian" else None
    if last == "sterling":
        return "GBP"
    if last in CURRENCY_WORDS and len(words) > 1:
        return CURRENCY_WORDS[last]
    return None


def lookup_unit(text: str) -> tuple[str, NumberKind] | None:
    """Canonical unit and kind of a unit spelling ("kilometers" -> ("km", "measure")); None if unknown."""
    if text in _UNITS_CI:
        return _UNITS_CI[text]
    raw = unicodedata.normalize("NFKC", text).strip()
    if raw in _UNITS_CS:
        return _UNITS_CS[raw]
    low = raw.lower()
    if low in _UNITS_CI:
        return _UNITS_CI[low]
    words = tuple(re.findall(r"[^\W\d_]+|[%°″/\-$]", low))
    if words in MULTIWORD_UNITS:
        return MULTIWORD_UNITS[words]
    cur = lookup_currency(raw)
    if cur is not None:
        return cur, "money"
    return None
