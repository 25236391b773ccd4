"""Quotes with their speakers resolved to actors of the story.

Three kinds of `Quote` come out of `extract_quotes`:

- ``direct``: a whole sentence or clause between quote marks (``"We will win," she said.``);
- ``partial``: a fragment between quote marks inside a sentence of the reporter's own
  (``the ministry said the deal was "a clear violation" of the rules``);
- ``indirect``: reported speech without quote marks, the complement of a reporting verb
  (``he said that ...``, ``..., according to X``, ``Y quoted X as saying ...``).

How it works, in order:

1. `_scan` walks the text once with a small state machine and returns the spans between quote marks
   (straight, curly, guillemets, single quotes told apart from apostrophes, nested quotes kept inside
   their outer quote, a paragraph that opens a quote and never closes it continued by the next paragraph
   when that one starts with an opening mark).
2. Each span is attributed from the dependency parse of its sentence: the reporting verb the quote hangs
   from (or that hangs from the quote), else the nearest one outside the quote marks, and its subject;
   "according to X"; "Y quoted X as saying" (X); never the object of "told" ("told AFP", "told
   reporters"). Words quoted inside a clause with no reporting verb belong to that clause's subject when
   it can speak (`Reid pounded Trump as a "con artist"`). Other forms: `"..." -- Jane Doe`, transcript
   turns (`"PENCE: ..."`), headlines (`Obama Sees 'Personal Insult'`). Spans with no cue ("floating"
   quotes) inherit the speaker of the quote just before them (same paragraph, or the last quote of the
   previous paragraph when nothing but its attribution follows it), else of the quote just after them,
   else the person the reporter's sentence just before them is about, or who introduces them with ":".
3. Scare quotes and titles are quotes of nobody and are left out (not returned): words after "so-called",
   "dubbed", "titled", "nicknamed"...; Capitalised titles of shows, books or forums (`on "Face the Nation"`,
   three or more Capitalised words outside a headline); a nickname inside a name (`Robert "Bobby" Scott`);
   a quoted function word ("he"); a stage direction ("(CROSSTALK)"); and any fragment inside a sentence
   for which no speaker is found at all.
4. Speakers are resolved to actors through `mentions`: a name through the mention that covers the head
   of the speaker phrase, a pronoun or a definite nominal ("he", "it", "the ministry") through the most
   recent compatible speaker or subject before it. What cannot be resolved keeps ``speaker=None``; a
   proper nominal that is no actor ("Seoul's foreign ministry") keeps its own words as `speaker`.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .actors_tokens import TokView
from .ids import normalise_name
from .records import Actor, ActorKind, Mention, Quote, QuoteKind

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["REPORTING_VERBS", "extract_quotes"]

# Word forms (lower case) of verbs that report speech. The lemmatizer is not run, so forms are listed.
_VERB_STEMS: dict[str, tuple[str, ...]] = {
    "say": ("say", "says", "said", "saying"),
    "tell": ("tell", "tells", "told", "telling"),
    "add": ("add", "adds", "added", "adding"),
    "warn": ("warn", "warns", "warned", "warning"),
    "state": ("state", "states", "stated", "stating"),
    "explain": ("explain", "explains", "explained", "explaining"),
    "note": ("note", "notes", "noted", "noting"),
    "write": ("write", "writes", "wrote", "written", "writing"),
    "ask": ("ask", "asks", "asked", "asking"),
    "reply": ("reply", "replies", "replied", "replying"),
    "respond": ("respond", "responds", "responded", "responding"),
    "insist": ("insist", "insists", "insisted", "insisting"),
    "argue": ("argue", "argues", "argued", "arguing"),
    "claim": ("claim", "claims", "claimed", "claiming"),
    "declare": ("declare", "declares", "declared", "declaring"),
    "announce": ("announce", "announces", "announced", "announcing"),
    "acknowledge": ("acknowledge", "acknowledges", "acknowledged", "acknowledging"),
    "admit": ("admit", "admits", "admitted", "admitting"),
    "suggest": ("suggest", "suggests", "suggested", "suggesting"),
    "stress": ("stress", "stresses", "stressed", "stressing"),
    "emphasise": ("emphasise", "emphasises", "emphasised", "emphasising"),
    "emphasize": ("emphasize", "emphasizes", "emphasized", "emphasizing"),
    "recall": ("recall", "recalls", "recalled", "recalling"),
    "mention": ("mentions", "mentioned", "mentioning"),
    "comment": ("comments", "commented", "commenting"),
    "predict": ("predict", "predicts", "predicted", "predicting"),
    "promise": ("promise", "promises", "promised", "promising"),
    "pledge": ("pledge", "pledges", "pledged", "pledging"),
    "urge": ("urge", "urges", "urged", "urging"),
    "vow": ("vow", "vows", "vowed", "vowing"),
    "concede": ("concede", "concedes", "conceded", "conceding"),
    "contend": ("contend", "contends", "contended", "contending"),
    "testify": ("testify", "testifies", "testified", "testifying"),
    "tweet": ("tweet", "tweets", "tweeted", "tweeting"),
    "report": ("report", "reports", "reported", "reporting"),
    "quote": ("quote", "quotes", "quoted", "quoting"),
    "cite": ("cite", "cites", "cited", "citing"),
    "assert": ("assert", "asserts", "asserted", "asserting"),
    "maintain": ("maintains", "maintained"),
    "observe": ("observes", "observed"),
    "remark": ("remark", "remarks", "remarked"),
    "complain": ("complain", "complains", "complained", "complaining"),
    "boast": ("boast", "boasts", "boasted", "boasting"),
    "caution": ("caution", "cautions", "cautioned", "cautioning"),
    "conclude": ("conclude", "concludes", "concluded"),
    "confirm": ("confirm", "confirms", "confirmed", "confirming"),
    "deny": ("deny", "denies", "denied", "denying"),
    "joke": ("joke", "jokes", "joked", "joking"),
    "lament": ("lament", "laments", "lamented", "lamenting"),
    "proclaim": ("proclaim", "proclaims", "proclaimed"),
    "recount": ("recount", "recounts", "recounted"),
    "reiterate": ("reiterate", "reiterates", "reiterated", "reiterating"),
    "reveal": ("reveal", "reveals", "revealed"),
    "shout": ("shout", "shouts", "shouted", "shouting"),
    "yell": ("yell", "yells", "yelled", "yelling"),
    "chant": ("chant", "chants", "chanted", "chanting"),
    "whisper": ("whispers", "whispered"),
    "agree": ("agree", "agrees", "agreed"),
    "allege": ("allege", "alleges", "alleged", "alleging"),
    "counter": ("countered",),
    "continue": ("continued",),
    "threaten": ("threaten", "threatens", "threatened"),
    "demand": ("demand", "demands", "demanded", "demanding"),
    "describe": ("described",),
    "post": ("posted",),
    "call": ("call", "calls", "called", "calling"),
    "echo": ("echoed",),
    "criticise": ("criticised", "criticized"),
    "accuse": ("accused", "accuses"),
    "blast": ("blasted",),
    "hail": ("hailed",),
    "praise": ("praised",),
    "express": ("expressed", "expresses"),
    "dismiss": ("dismissed",),
    "brag": ("bragged",),
    "scoff": ("scoffed",),
    "quip": ("quip", "quips", "quipped"),
    "muse": ("mused",),
    "plead": ("pleaded", "pled"),
    "assure": ("assured", "assures"),
    "inform": ("informed",),
    "exhort": ("exhorted", "exhorts"),
    "read": ("read", "reads"),  # `"...," read the statement`
    "answer": ("answered", "answers"),
    "interject": ("interjected",),
    "retort": ("retorted",),
    "snap": ("snapped",),
    "sigh": ("sighed",),
    "exclaim": ("exclaimed",),
}
REPORTING_VERBS: frozenset[str] = frozenset(f for forms in _VERB_STEMS.values() for f in forms)
# Verbs that report speech but whose complement is not what someone said word for word when they stand
# alone without quote marks ("called for", "praised", "expressed"): cues for quote marks only.
_QUOTE_ONLY_VERBS: frozenset[str] = frozenset(
    _VERB_STEMS["call"]
    + _VERB_STEMS["echo"]
    + _VERB_STEMS["criticise"]
    + _VERB_STEMS["accuse"]
    + _VERB_STEMS["blast"]
    + _VERB_STEMS["hail"]
    + _VERB_STEMS["praise"]
    + _VERB_STEMS["express"]
    + _VERB_STEMS["dismiss"]
    + _VERB_STEMS["describe"]
    + _VERB_STEMS["chant"]
    + _VERB_STEMS["post"]
    + _VERB_STEMS["continue"]
    + _VERB_STEMS["agree"]
    + _VERB_STEMS["demand"]
    + _VERB_STEMS["threaten"]
    + _VERB_STEMS["ask"]
    + _VERB_STEMS["urge"]
    + _VERB_STEMS["confirm"]
    + _VERB_STEMS["deny"]
    + _VERB_STEMS["inform"]
    + _VERB_STEMS["assure"]
    + _VERB_STEMS["quote"]
    + _VERB_STEMS["cite"]
    + _VERB_STEMS["read"]
    + _VERB_STEMS["answer"]
)
_PARTICLE_CUES: dict[str, str] = {
    "put": "it",
    "puts": "it",
    "went": "on",
    "goes": "on",
    "pointed": "out",
    "points": "out",
}
# Verbs a document does ("the statement read", "the report cited")
_DOCUMENT_VERBS = frozenset(
    _VERB_STEMS["read"] + _VERB_STEMS["quote"] + _VERB_STEMS["cite"] + _VERB_STEMS["describe"] + _VERB_STEMS["post"]
)
# Reporting verbs whose object noun phrase is what was reported ("announced a plan to ...")
_OBJECT_REPORTS = frozenset(
    _VERB_STEMS["announce"]
    + _VERB_STEMS["deny"]
    + _VERB_STEMS["confirm"]
    + _VERB_STEMS["mention"]
    + _VERB_STEMS["report"]
    + _VERB_STEMS["claim"]
    + _VERB_STEMS["declare"]
    + _VERB_STEMS["reveal"]
)
_COPULAS = frozenset(
    {
        "is",
        "was",
        "are",
        "were",
        "be",
        "been",
        "being",
        "am",
        "'s",
        "\u2019s",
        "has",
        "have",
        "had",
        "seems",
        "seemed",
        "became",
        "becomes",
        "remains",
        "remained",
    }
)
_LISTENER_VERBS = frozenset(_VERB_STEMS["tell"] + _VERB_STEMS["ask"] + _VERB_STEMS["inform"])
_QUOTING_VERBS = frozenset(_VERB_STEMS["quote"] + _VERB_STEMS["cite"])

# Words before a quote that make it a name, a title or a term rather than somebody's words.
_SCARE_BEFORE = frozenset(
    {
        "so-called",
        "dubbed",
        "titled",
        "entitled",
        "nicknamed",
        "headlined",
        "hashtag",
        "labelled",
        "labeled",
        "branded",
        "coined",
        "named",
        "aka",
    }
)
_SCARE_BEFORE_PAIRS = frozenset({("known", "as"), ("referred", "to"), ("so", "called")})

_PERSON_PRONOUNS: dict[str, str] = {"he": "m", "she": "f", "him": "m", "her": "f"}
_THING_PRONOUNS = frozenset({"it"})
_PLURAL_PRONOUNS = frozenset({"they", "them"})
# Heads of nominal speakers that name organisations ("the ministry", "the daily").
_ORG_NOUNS = frozenset(
    {
        "ministry",
        "agency",
        "government",
        "daily",
        "newspaper",
        "paper",
        "company",
        "firm",
        "group",
        "party",
        "committee",
        "council",
        "department",
        "office",
        "embassy",
        "campaign",
        "organisation",
        "organization",
        "body",
        "network",
        "channel",
        "broadcaster",
        "station",
        "bank",
        "union",
        "court",
        "army",
        "military",
        "police",
        "board",
        "commission",
        "institute",
        "foundation",
        "association",
        "administration",
        "statement",
        "report",
        "outlet",
        "magazine",
        "site",
        "website",
        "tabloid",
        "broadsheet",
        "weekly",
        "service",
        "team",
        "authority",
        "authorities",
        "regime",
        "cabinet",
        "parliament",
        "congress",
        "senate",
        "house",
        "club",
        "federation",
        "league",
        "corporation",
        "bureau",
        "watchdog",
        "regulator",
        "state",
        "country",
        "nation",
        "media",
        "press",
        "charity",
        "university",
        "school",
        "hospital",
    }
)
_PERSON_NOUNS = frozenset(
    {
        "official",
        "officials",
        "spokesperson",
        "analyst",
        "analysts",
        "expert",
        "experts",
        "lawmaker",
        "lawmakers",
        "senator",
        "senators",
        "minister",
        "ministers",
        "president",
        "leader",
        "leaders",
        "director",
        "chief",
        "secretary",
        "governor",
        "mayor",
        "candidate",
        "candidates",
        "nominee",
        "supporter",
        "supporters",
        "critic",
        "critics",
        "voter",
        "voters",
        "protester",
        "protesters",
        "resident",
        "residents",
        "source",
        "sources",
        "aide",
        "aides",
        "adviser",
        "advisers",
        "advisor",
        "advisors",
        "lawyer",
        "lawyers",
        "attorney",
        "attorneys",
        "judge",
        "prosecutor",
        "prosecutors",
        "officer",
        "officers",
        "democrats",
        "republicans",
        "professor",
        "researcher",
        "researchers",
        "author",
        "writer",
        "reporter",
        "reporters",
        "host",
        "executive",
        "executives",
        "founder",
        "ambassador",
        "diplomat",
        "diplomats",
        "general",
        "commander",
        "witness",
        "witnesses",
        "activist",
        "activists",
        "member",
        "members",
        "owner",
        "worker",
        "workers",
        "employee",
        "employees",
        "people",
        "person",
        "doctor",
        "doctors",
        "police",
        "student",
        "students",
        "teacher",
        "teachers",
        "parent",
        "parents",
        "mother",
        "father",
        "wife",
        "husband",
        "son",
        "daughter",
        "friend",
        "friends",
        "pollster",
        "strategist",
        "strategists",
        "operative",
        "operatives",
        "donor",
        "donors",
        "manager",
        "campaigner",
        "organizer",
        "organizers",
        "organiser",
        "organisers",
        "delegate",
        "delegates",
        "rival",
        "rivals",
        "opponent",
        "opponents",
        "insider",
        "insiders",
        "observer",
        "observers",
        "commentator",
        "commentators",
        "editor",
        "columnist",
        "anchor",
        "moderator",
        "speaker",
        "chair",
        "chairwoman",
        "chairman",
        "ceo",
        "head",
    }
)
_MEDIA_NOUNS = frozenset(
    {
        "daily",
        "newspaper",
        "paper",
        "agency",
        "broadcaster",
        "network",
        "channel",
        "station",
        "outlet",
        "magazine",
        "tabloid",
        "broadsheet",
        "weekly",
        "site",
        "website",
        "media",
        "press",
    }
)
_MEDIA_NAME_WORDS = frozenset(
    {
        "news",
        "agency",
        "times",
        "post",
        "daily",
        "journal",
        "herald",
        "press",
        "tv",
        "radio",
        "broadcasting",
        "media",
        "tribune",
        "gazette",
        "telegraph",
        "guardian",
        "xinhua",
        "tass",
        "kcna",
        "yonhap",
        "reuters",
        "ria",
        "interfax",
        "bbc",
        "cnn",
        "nbc",
        "cbs",
        "abc",
        "fox",
        "msnbc",
        "npr",
        "television",
        "network",
        "magazine",
        "review",
        "observer",
        "independent",
        "mail",
        "express",
        "chronicle",
        "globe",
        "star",
        "sun",
        "mirror",
        "standard",
        "economist",
        "bloomberg",
        "politico",
        "breitbart",
        "kyodo",
        "nhk",
    }
)
# Words of a speaker phrase that carry no name ("a", "the", "its") for the proper-nominal test.
_DETERMINERS = frozenset({"a", "an", "the", "this", "that", "these", "those", "its", "his", "her", "their"})

_LABEL = re.compile(r"([A-Z][A-Z.'\u2019-]+(?: [A-Z][A-Z.'\u2019-]+){0,2}):\s")
_DASH_AFTER = re.compile(
    r"[.,!?]?[\"\u201d\u2019']?\s*(\u2015|\u2014|\u2013|--)\s*([A-Z][\w.'\u2019-]*(?:[ \t]+[A-Z][\w.'\u2019-]*){0,4})"
)
# Words next to a Capitalised quoted name that make it the title of a show, book, forum...
_TITLE_BEFORE = frozenset(
    {
        "on",
        "of",
        "the",
        "a",
        "an",
        "in",
        "from",
        "at",
        "during",
        "titled",
        "entitled",
        "show",
        "program",
        "programme",
        "film",
        "movie",
        "book",
        "memoir",
        "song",
        "album",
        "anthem",
        "series",
        "episode",
        "column",
        "headline",
        "documentary",
        "play",
        "musical",
        "novel",
        "magazine",
        "newspaper",
        "hashtag",
        "slogan",
    }
)
_TITLE_AFTER = frozenset(
    {
        "show",
        "program",
        "programme",
        "forum",
        "radio",
        "series",
        "podcast",
        "broadcast",
        "segment",
        "tour",
        "campaign",
        "act",
        "rally",
        "event",
        "conference",
        "summit",
        "movement",
        "initiative",
        "bill",
        "book",
        "film",
        "movie",
        "documentary",
        "column",
        "hashtag",
    }
)
_FUNCTION_WORDS = frozenset(
    {
        "he",
        "she",
        "it",
        "they",
        "we",
        "i",
        "you",
        "him",
        "her",
        "them",
        "us",
        "me",
        "his",
        "hers",
        "its",
        "the",
        "a",
        "an",
        "and",
        "or",
        "but",
        "if",
        "of",
        "to",
        "in",
        "on",
        "is",
        "was",
        "be",
        "not",
        "no",
        "yes",
        "so",
    }
)
_OPEN_PUNCT = "([{\u2014\u2013-/\u2018\u201c\u00ab"
_WORDISH = re.compile(r"\w")
_HEADLINE_WORD = re.compile(r"[A-Za-z][\w'-]*")


@dataclass
class _Seg:
    """Words between one pair of quote marks, inside one paragraph."""

    start: int  # first quoted character (inside the marks)
    end: int  # end of the quoted words (exclusive, inside the marks)
    chain: int  # segments of one quote running over several paragraphs share a chain id
    closed: bool = True  # False when the paragraph ended before a closing mark


@dataclass
class _Speaker:
    text: str | None = None
    start: int | None = None
    end: int | None = None
    name: str | None = None
    actor_id: str | None = None
    kind: ActorKind | None = None
    cue: str | None = None
    head: int = -1  # token index of the head of the speaker phrase, -1 when there is no phrase
    lo: int = 0  # token range of the phrase
    hi: int = 0


def _named(sp: _Speaker | None) -> bool:
    """Does `sp` carry a speaker phrase (not just a cue)?"""
    return sp is not None and sp.text is not None


@dataclass
class _Event:
    """Something a later pronoun or nominal can point back to: a mention or a speaker."""

    pos: int
    name: str
    actor_id: str | None
    kind: ActorKind
    subject: bool
    text: str
    titles: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------------------------------
# 1. Quote marks
# --------------------------------------------------------------------------------------------------

_DOUBLE_OPEN = {"\u201c": "\u201d", "\u00ab": "\u00bb", "\u201e": "\u201c", "\u201f": "\u201d"}
_DOUBLE_CLOSE = {"\u201d", "\u00bb"}
_SINGLE_OPEN = {"\u2018": "\u2019", "\u2039": "\u203a", "\u201a": "\u2018"}
_ELISIONS = re.compile(r"(?i)(?:em|n|tis|twas|cause|til|till|bout|round|\d\d?s?|s)\b")
# Every character `_scan_paragraph` acts on outside a single quote: opening and closing marks; the scan
# jumps from one to the next instead of stepping over every character in between.
_MARK_CHARS = frozenset({'"', "'", "`"} | _DOUBLE_OPEN.keys() | _DOUBLE_CLOSE | {"\u201c"} | _SINGLE_OPEN.keys())
_NEXT_MARK = re.compile("[" + re.escape("".join(sorted(_MARK_CHARS))) + "]")


def _is_space(ch: str) -> bool:
    return ch.isspace() or ch == ""


def _char(text: str, i: int) -> str:
    return text[i] if 0 <= i < len(text) else ""


def _opens_here(text: str, i: int) -> bool:
    """Is the mark at `i` in an opening position (start, after space/bracket/dash, before a word)?"""
    before, after = _char(text, i - 1), _char(text, i + 1)
    if before in ":;" and after.isalnum():  # `Clinton:"We learned ...`
        return True
    return (_is_space(before) or before in _OPEN_PUNCT) and not _is_space(after)


def _closes_here(text: str, i: int) -> bool:
    """Is the mark at `i` in a closing position (after a non-space, before space/punctuation/end)?"""
    before, after = _char(text, i - 1), _char(text, i + 1)
    return not _is_space(before) and not _WORDISH.match(after or " ")


def _single_close_at(text: str, start: int, stop: int, straight: bool) -> int:
    """Position of the single mark closing a single quote opened before `start`, or -1."""
    marks = "'" if straight else "\u2019"
    i = start
    while i < stop:
        j = text.find(marks, i, stop)
        if j < 0:
            return -1
        nxt = _char(text, j + 1)
        prev = _char(text, j - 1)
        if j > start and not _is_space(prev) and not _WORDISH.match(nxt or " ") and nxt not in "'\u2019":
            # "the players' union": a plural possessive, not the closing mark, when a lower-case word follows
            # and another closing mark comes later in the paragraph
            possessive = prev in "sS" and nxt == " " and _char(text, j + 2).islower()
            if not (possessive and _single_close_at(text, j + 1, stop, straight) > 0):
                return j
        i = j + 1
    return -1


def _scan(text: str) -> list[_Seg]:
    """Spans between quote marks, one per paragraph (see module doc)."""
    segs: list[_Seg] = []
    chain = 0
    pending_chain: int | None = None  # chain of a quote left open at the end of the previous paragraph
    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        pend = n if nl < 0 else nl
        if pend > pos:
            pending_chain = _scan_paragraph(text, pos, pend, segs, pending_chain, chain)
            chain = (segs[-1].chain + 1) if segs else chain
        elif pend == pos and pending_chain is not None and nl < 0:
            pending_chain = None
        pos = pend + 1
    return segs


def _scan_paragraph(
    text: str, pstart: int, pend: int, segs: list[_Seg], pending: int | None, next_chain: int
) -> int | None:
    """Append the quote segments of text[pstart:pend] to `segs`; return the chain left open, if any."""
    # skip leading white space of the paragraph
    i = pstart
    while i < pend and text[i].isspace():
        i += 1
    first = i
    open_at: int | None = None  # index just after the opening mark
    closer: str = ""  # what closes the open quote: '"', a curly close, "'" / "\u2019" for single quotes
    single_end = -1
    chain_of_open: int | None = None
    carried = pending is not None
    # a paragraph continuing an unclosed quote must start with an opening mark; otherwise the previous
    # paragraph simply missed its closing mark and the quote ended there
    if carried:
        c = _char(text, first)
        if not (c == '"' or c in _DOUBLE_OPEN or (c in "`'" and _char(text, first + 1) == c)):
            carried = False
    while i < pend:
        if open_at is not None and closer == "single":
            i = max(i, single_end)  # inside a single quote only its closing mark matters
        elif text[i] not in _MARK_CHARS:
            m = _NEXT_MARK.search(text, i, pend)
            i = pend if m is None else m.start()
            continue
        c = text[i]
        if open_at is None:
            if c == "'" and _char(text, i + 1) == "'":  # ''two apostrophes'' for a double mark
                if not _is_space(_char(text, i + 2)) and (
                    _is_space(_char(text, i - 1)) or _char(text, i - 1) in _OPEN_PUNCT
                ):
                    open_at, closer = i + 2, "''"
                    chain_of_open = pending if i == first and carried else None
                i += 2
                continue
            if c == '"' or c in _DOUBLE_OPEN or (c == "`" and _char(text, i + 1) == "`"):
                width = 2 if c == "`" else 1
                if c == '"' and not _opens_here(text, i):
                    if _char(text, i - 1).isdigit():  # 6'2" and the like
                        i += 1
                        continue
                    if not _closes_here(text, i) or _char(text, i + 1) == "":
                        i += 1
                        continue
                    # an orphan closing mark: nothing to open
                    i += 1
                    continue
                open_at = i + width
                closer = '"' if c == '"' else ("''" if c == "`" else _DOUBLE_OPEN[c])
                if c == "\u201e":
                    closer = "\u201c\u201d"
                chain_of_open = pending if i == first and carried else None
                i += width
                continue
            if c in _SINGLE_OPEN or c == "'":
                straight = c == "'"
                if _opens_here(text, i) and not (straight and _ELISIONS.match(text, i + 1, pend)):
                    if c == "\u2018" and re.match(r"\d\ds?\b", text[i + 1 : i + 4]):
                        i += 1
                        continue
                    j = _single_close_at(text, i + 2, pend, straight or c != "\u2018")
                    if j < 0 and c == "\u2018":
                        j = _single_close_at(text, i + 2, pend, True)
                    if j > 0:
                        open_at = i + 1
                        single_end = j
                        closer = "single"
                        chain_of_open = None
                i += 1
                continue
            i += 1
            continue
        # inside a quote
        if closer == "single":
            if i == single_end:
                _emit(text, segs, open_at, i, chain_of_open, next_chain, closed=True)
                open_at = None
            i += 1
            continue
        if (closer == '"' and c == '"') or (closer != '"' and c in closer and c in _DOUBLE_CLOSE | {"\u201c"}):
            _emit(text, segs, open_at, i, chain_of_open, next_chain, closed=True)
            open_at = None
            i += 1
            continue
        if closer == "''" and c == "'" and _char(text, i + 1) == "'":
            _emit(text, segs, open_at, i, chain_of_open, next_chain, closed=True)
            open_at = None
            i += 2
            continue
        if closer == "\u201d" and c == '"' and _closes_here(text, i):  # mixed marks: \u201c...," she said
            _emit(text, segs, open_at, i, chain_of_open, next_chain, closed=True)
            open_at = None
            i += 1
            continue
        if closer == '"' and c == "\u201d":  # mixed marks: a curly close ends a straight open
            _emit(text, segs, open_at, i, chain_of_open, next_chain, closed=True)
            open_at = None
        i += 1
    if open_at is not None and closer != "single":
        seg = _emit(text, segs, open_at, pend, chain_of_open, next_chain, closed=False)
        return seg.chain if seg is not None else None
    return None


def _emit(
    text: str, segs: list[_Seg], start: int, end: int, chain: int | None, next_chain: int, *, closed: bool
) -> _Seg | None:
    s, e = start, end
    while s < e and text[s].isspace():
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ",;:"):
        e -= 1
    if e <= s or not _WORDISH.search(text, s, e):
        return None
    if chain is None:
        chain = max(next_chain, segs[-1].chain + 1 if segs else 0)
    seg = _Seg(s, e, chain, closed)
    segs.append(seg)
    return seg


# --------------------------------------------------------------------------------------------------
# 2. Cues and speakers from the parse
# --------------------------------------------------------------------------------------------------

_NP_DROP = frozenset({"appos", "relcl", "acl", "punct", "cc", "conj", "advcl", "parataxis", "advmod", "npadvmod"})


def _np_span(head: Token) -> tuple[int, int]:
    """Token range [i, j) of the noun phrase headed by `head`, without appositions and clauses."""
    lo, hi = head.i, head.i + 1
    for child in head.children:
        if child.dep_ in _NP_DROP:
            continue
        sub = list(child.subtree)
        if any(t.text in {",", "(", ")", "\u2014", "--", "\u2013"} for t in sub) and child.dep_ == "prep":
            continue
        lo = min(lo, sub[0].i)
        hi = max(hi, sub[-1].i + 1)
    doc = head.doc
    # keep a named entity whole
    if head.ent_iob_ in {"B", "I"}:
        a = head.i
        while a > 0 and doc[a].ent_iob_ == "I":
            a -= 1
        b = head.i + 1
        while b < len(doc) and doc[b].ent_iob_ == "I":
            b += 1
        lo, hi = min(lo, a), max(hi, b)
    # never across a line break
    for k in range(head.i - 1, lo - 1, -1):
        if "\n" in doc[k].text or "\n" in doc[k].whitespace_:
            lo = k + 1
            break
    for k in range(head.i, hi):
        if "\n" in doc[k].text:
            hi = k
            break
    while lo < hi - 1 and (doc[hi - 1].is_punct or doc[hi - 1].is_space or doc[hi - 1].dep_ == "cc"):
        hi -= 1
    while lo < hi - 1 and (doc[lo].is_punct or doc[lo].is_space):
        lo += 1
    return lo, hi


def _best_head(tok: Token) -> Token:
    """The token naming the speaker: a name in apposition beats a common noun ("an analyst, Jo Bo")."""
    if tok.pos_ != "PROPN" and tok.tag_ not in {"PRP"}:
        for child in tok.children:
            if child.dep_ == "appos" and child.pos_ == "PROPN":
                return child
    return tok


def _find_speaker_token(verb: Token) -> tuple[Token | None, str]:
    """The head token of who speaks through `verb`, and the cue text."""
    low = verb.lower_
    # "according to X"
    if low == "according":
        for child in verb.children:
            if child.lower_ == "to":
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        return _best_head(pobj), "according to"
        nxt = verb.nbor(1) if verb.i + 1 < len(verb.doc) else None
        if nxt is not None and nxt.lower_ == "to":
            for pobj in nxt.children:
                if pobj.dep_ == "pobj":
                    return _best_head(pobj), "according to"
        return None, "according to"
    # "saying" under "quoted X as saying" / "cited X as saying"
    if low in {"saying", "says", "say"}:
        up = verb.head
        hops = 0
        while up is not verb and hops < 3 and up.lower_ not in _QUOTING_VERBS:
            if up.head is up:
                break
            up = up.head
            hops += 1
        if up.lower_ in _QUOTING_VERBS:
            who, _ = _find_speaker_token(up)
            return who, f"{up.text} as saying"
    if low in _QUOTING_VERBS:
        passive = any(c.dep_ in {"auxpass", "nsubjpass"} for c in verb.children)
        for child in verb.children:
            if passive and child.dep_ == "nsubjpass":
                return _best_head(child), f"{verb.text} as saying"
            if not passive and child.dep_ == "dobj":
                return _best_head(child), f"{verb.text} as saying"
        # "X, quoted by Y" does not name the speaker here
        return None, verb.text
    for child in verb.children:
        if child.dep_ == "nsubj" or (child.dep_ == "nsubjpass" and low not in _LISTENER_VERBS):
            if child.tag_ in {"WP", "WDT"} or child.lower_ in {"who", "which", "that"}:
                if verb.dep_ == "relcl":
                    return _best_head(verb.head), verb.text
                continue
            if (
                child.dep_ == "nsubj"
                and child.lower_ == "it"
                and any(c.dep_ == "ccomp" for c in verb.children)
                and verb.lower_ in {"said", "says"}
                and any(c.dep_ == "auxpass" for c in verb.children)
            ):
                continue
            return _best_head(child), verb.text
        if child.dep_ == "agent":  # "it was said by X"
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return _best_head(pobj), verb.text
    # "he stood up and said", "went on to say", "..., saying", "treating it as ..., asserting"
    up, hops = verb, 0
    while up.dep_ in {"conj", "xcomp", "advcl"} and up.head is not up and hops < 3:
        up, hops = up.head, hops + 1
        for child in up.children:
            if child.dep_ == "nsubj" or (child.dep_ == "nsubjpass" and up.lower_ not in _LISTENER_VERBS):
                if child.tag_ in {"WP", "WDT"}:
                    break
                return _best_head(child), verb.text
    if verb.dep_ in {"conj", "xcomp", "advcl"}:
        return None, verb.text
    if verb.dep_ == "relcl":
        return _best_head(verb.head), verb.text
    return None, verb.text


def _animate(tok: Token) -> bool:
    """Can `tok` head the name of someone who speaks (a person, a group, an organisation)?"""
    low = tok.lower_
    if tok.ent_type_ in {"PERSON", "ORG", "NORP", "GPE"} or tok.pos_ == "PROPN":
        return True
    if tok.tag_ == "PRP":
        return low in {"he", "she", "they", "we", "i"}
    return low in _ORG_NOUNS or low in _PERSON_NOUNS or low.endswith(("man", "men", "woman", "women", "ist", "ists"))


# The only lower-case words `_is_cue` can accept: scans test a token's word against this set before building
# the Token (its attributes are looked up anew on every access).
_CUE_WORDS: frozenset[str] = REPORTING_VERBS | frozenset(_PARTICLE_CUES) | {"according"}


def _is_cue(tok: Token) -> bool:
    low = tok.lower_
    if low == "according":
        return tok.i + 1 < len(tok.doc) and tok.nbor(1).lower_ == "to"
    if low in _PARTICLE_CUES:  # "as X put it", "she went on", "as X pointed out"
        return tok.i + 1 < len(tok.doc) and tok.nbor(1).lower_ == _PARTICLE_CUES[low]
    if low not in REPORTING_VERBS:
        return False
    if tok.pos_ not in {"VERB", "AUX"} and not (tok.tag_.startswith("VB")):
        # the tagger sometimes calls "says" a noun in "..., he says."
        return low in {"said", "says", "told"} and tok.dep_ not in {"amod", "compound"}
    return True


# --------------------------------------------------------------------------------------------------
# 3. Resolution to actors
# --------------------------------------------------------------------------------------------------


class _Resolver:
    def __init__(self, doc: Doc, text: str, actors: list[Actor], mentions: list[Mention], quoted: list[_Seg]) -> None:
        self.doc = doc
        self.text = text
        self.by_id = {a.actor_id: a for a in actors}
        self.actors = actors
        self.mentions = sorted(mentions, key=lambda m: (m.start, m.end))
        self.m_starts = [m.start for m in self.mentions]
        self.quoted_starts = [s.start for s in quoted]
        self.quoted = quoted
        self.events: list[_Event] = []
        for m in self.mentions:
            if self._in_quote(m.start):
                continue
            actor = self.by_id.get(m.actor_id)
            name = actor.name if actor else m.text
            titles = actor.titles if actor else []
            self.events.append(_Event(m.start, name, m.actor_id, m.kind, self._is_subject(m), m.text, titles))
        self.events.sort(key=lambda e: e.pos)
        self.speaker_events: list[_Event] = []
        self._name_index: dict[str, Actor] = {}
        for a in actors:
            for nm in (a.name, *a.aliases):
                key = normalise_name(nm)
                if key:
                    self._name_index.setdefault(key, a)

    def _in_quote(self, pos: int) -> bool:
        k = bisect.bisect_right(self.quoted_starts, pos) - 1
        return k >= 0 and self.quoted[k].start <= pos < self.quoted[k].end

    def _is_subject(self, m: Mention) -> bool:
        span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            return False
        root = span.root
        while root.dep_ in {"compound", "flat", "appos"} and root.head is not root:
            root = root.head
        return root.dep_ in {"nsubj", "nsubjpass"}

    def mention_at(self, start: int, end: int, head: Token) -> Mention | None:
        """The mention covering the head token of the speaker phrase, if any."""
        k = bisect.bisect_right(self.m_starts, head.idx)
        best: Mention | None = None
        for m in self.mentions[max(0, k - 8) : k + 1]:
            if (
                m.start <= head.idx < m.end
                and m.start >= start - 1
                and (best is None or m.end - m.start > best.end - best.start)
            ):
                best = m
        if best is None:
            for m in self.mentions[max(0, k - 8) : k + 8]:
                if start <= m.start and m.end <= end and m.end >= head.idx + len(head.text):
                    best = m
        return best

    def actor_by_words(self, text: str, kind_hint: str | None) -> Actor | None:
        key = normalise_name(text)
        if not key:
            return None
        if key in self._name_index:
            return self._name_index[key]
        words = key.split()
        if len(words) == 1:  # a surname: the one person actor whose name ends with it
            hits = [a for a in self.actors if a.kind == "person" and normalise_name(a.name).split()[-1:] == words]
            if len(hits) == 1:
                return hits[0]
        return None

    def resolve(self, sp: _Speaker, head: Token, before: int, start_tok: int, end_tok: int) -> None:
        """Fill `sp.name`, `sp.actor_id` and `sp.kind` for the speaker phrase doc[start_tok:end_tok]."""
        doc = self.doc
        low = head.lower_
        assert sp.start is not None and sp.end is not None
        if head.tag_ == "PRP" or low in _PERSON_PRONOUNS or low in _THING_PRONOUNS or low in _PLURAL_PRONOUNS:
            if low in _PERSON_PRONOUNS:
                self._antecedent(sp, before, ("person",), None)
            elif low in _THING_PRONOUNS:
                self._antecedent(sp, before, ("org", "place", "group"), None)
            elif low in _PLURAL_PRONOUNS:
                self._antecedent(sp, before, ("org", "group"), None, speakers_only=True)
            return
        m = self.mention_at(sp.start, sp.end, head)
        if (m is not None and m.kind != "place") or (
            m is not None and head.ent_type_ in {"GPE", "LOC", ""} and head.pos_ == "PROPN"
        ):
            actor = self.by_id.get(m.actor_id) if m is not None else None
            if m is not None:
                sp.name = actor.name if actor else m.text
                sp.actor_id = m.actor_id
                sp.kind = actor.kind if actor else m.kind
                return
        if head.text[:1].isupper():  # a name the mentions missed ("SMITH:", a surname)
            named = self.actor_by_words(doc[start_tok:end_tok].text, None) or self.actor_by_words(head.text, None)
            if named is not None:
                sp.name, sp.actor_id, sp.kind = named.name, named.actor_id, named.kind
                return
        if head.pos_ == "NOUN":  # "Moscow's security chief": a title the actors extractor bound to someone
            titled = self.actor_by_title(doc[start_tok:end_tok].text, before)
            if titled is not None:
                sp.name, sp.actor_id, sp.kind = titled.name, titled.actor_id, titled.kind
                return
        words = [t for t in doc[start_tok:end_tok] if not t.is_punct]
        proper = [t for t in words if t.pos_ == "PROPN" or (t.text[:1].isupper() and t.i != words[0].i)]
        if head.pos_ == "PROPN" or (proper and head.pos_ != "PROPN" and any(t.i < head.i for t in proper)):
            phrase = doc[start_tok:end_tok]
            if head.pos_ == "PROPN":
                actor = self.actor_by_words(phrase.text, None) or self.actor_by_words(head.text, None)
                if actor is not None:
                    sp.name, sp.actor_id, sp.kind = actor.name, actor.actor_id, actor.kind
                    return
            text = phrase.text
            text = re.sub(r"^(?i:the|a|an)\s+", "", text) if head.pos_ == "PROPN" else text
            sp.name = text
            sp.kind = self._kind_of_noun(head)
            return
        # a nominal: "the minister", "the daily", "the ministry"
        det = [t.lower_ for t in doc[start_tok : head.i] if t.dep_ in {"det", "poss"}]
        if not det or det[0] not in {"the", "this", "its", "his", "her", "their"}:
            return  # "a source", "officials": nobody in particular
        kind = self._kind_of_noun(head)
        self._antecedent(sp, before, (kind,) if kind else ("person", "org"), low)

    def actor_by_title(self, phrase: str, before: int) -> Actor | None:
        """The actor one of whose titles is `phrase` (articles aside); the last mentioned before `before`
        when several are."""
        key = re.sub(r"^(?:the|a|an) ", "", normalise_name(phrase))
        if not key:
            return None
        hits: list[Actor] = []
        for a in self.actors:
            for title in a.titles:
                nt = normalise_name(title)
                if nt == key or (len(key.split()) >= 2 and (nt.endswith(" " + key) or key.endswith(" " + nt))):
                    hits.append(a)
                    break
        if len(hits) <= 1:
            return hits[0] if hits else None
        ids = {a.actor_id for a in hits}
        last = [e for e in self.events if e.pos < before and e.actor_id in ids]
        return self.by_id.get(last[-1].actor_id or "") if last else None

    def _kind_of_noun(self, head: Token) -> ActorKind | None:
        low = head.lower_
        if head.ent_type_ in {"PERSON"}:
            return "person"
        if head.ent_type_ in {"ORG", "NORP"}:
            return "org"
        if head.ent_type_ in {"GPE", "LOC"}:
            return "place"
        if low in _ORG_NOUNS:
            return "org"
        return "person" if head.pos_ in {"NOUN", "PROPN"} else None

    def _antecedent(
        self,
        sp: _Speaker,
        before: int,
        kinds: tuple[ActorKind | None, ...],
        noun: str | None,
        *,
        speakers_only: bool = False,
    ) -> None:
        """Most recent compatible speaker or subject before `before` (previous two paragraphs)."""
        text = self.text
        window_start = before
        paras = 0
        while window_start > 0 and paras < 3:
            k = text.rfind("\n", 0, window_start - 1)
            if k < 0:
                window_start = 0
                break
            window_start = k
            paras += 1 if text[k - 1 : k] != "\n" else 0

        def compatible(e: _Event) -> bool:
            if e.kind not in kinds and not (e.kind == "other" and None in kinds):
                return False
            if noun is None:
                return True
            if e.kind == "person":
                low_titles = " ".join(e.titles).lower() + " " + e.text.lower()
                return noun in low_titles.split()
            words = set(normalise_name(e.name).split()) | set(normalise_name(e.text).split())
            if noun in words:
                return True
            return noun in _MEDIA_NOUNS and bool(words & _MEDIA_NAME_WORDS)

        last_speaker: _Event | None = None
        for e in reversed(self.speaker_events):
            if e.pos < before and e.pos >= window_start:
                last_speaker = e
                break
        subj: _Event | None = None
        any_ev: _Event | None = None
        k = bisect.bisect_left([e.pos for e in self.events], before)
        for e in reversed(self.events[:k]):
            if e.pos < window_start:
                break
            if not compatible(e):
                continue
            if any_ev is None:
                any_ev = e
            if e.subject:
                subj = e
                break
        choice: _Event | None = None
        if last_speaker is not None and compatible(last_speaker) and (subj is None or subj.pos <= last_speaker.pos):
            choice = last_speaker
        elif not speakers_only:
            choice = subj or any_ev
        if choice is None:
            return
        sp.name, sp.actor_id, sp.kind = choice.name, choice.actor_id, choice.kind

    def add_speaker(self, sp: _Speaker) -> None:
        if sp.name is None or sp.start is None or sp.kind is None:
            return
        titles: list[str] = []
        if sp.actor_id and sp.actor_id in self.by_id:
            titles = self.by_id[sp.actor_id].titles
        ev = _Event(sp.start, sp.name, sp.actor_id, sp.kind, True, sp.text or sp.name, titles)
        self.speaker_events.append(ev)


# --------------------------------------------------------------------------------------------------
# 4. Putting it together
# --------------------------------------------------------------------------------------------------


class _Extractor:
    def __init__(self, view: TokView, actors: list[Actor], mentions: list[Mention]) -> None:
        doc = view.doc
        text = view.text
        self.doc = doc
        self.toks = view.toks
        self.lowers = view.lowers
        self.text = text
        self.text_first = len(text) - len(text.lstrip())  # where the first non-space character is
        self.text_end = len(text.rstrip())  # just after the last non-space character
        self.segs = _scan(self.text)
        self.resolver = _Resolver(doc, text, actors, mentions, self.segs)
        self.sents: list[Span] = _sentences(view)
        self.sent_starts = [s.start_char for s in self.sents]
        self.seg_starts = [s.start for s in self.segs]
        self.tok_starts = view.idxs
        self.used_cues: set[int] = set()

    # -- helpers ----------------------------------------------------------------------------------
    def sent_index(self, char: int) -> int:
        return max(0, bisect.bisect_right(self.sent_starts, char) - 1)

    def sent_of(self, tok: Token) -> Span:
        return self.sents[self.sent_index(tok.idx)]

    def in_quote(self, char: int) -> bool:
        k = bisect.bisect_right(self.seg_starts, char) - 1
        return k >= 0 and self.segs[k].start - 1 <= char <= self.segs[k].end

    def para_bounds(self, char: int) -> tuple[int, int]:
        a = self.text.rfind("\n", 0, char) + 1
        b = self.text.find("\n", char)
        return a, (len(self.text) if b < 0 else b)

    def tokens(self, lo: int, hi: int) -> Span:
        a = bisect.bisect_left(self.tok_starts, lo)
        b = bisect.bisect_left(self.tok_starts, hi)
        return self.doc[a:b]

    def frame(self, seg: _Seg) -> tuple[int, int, int]:
        """Where the attribution of `seg` is looked for: (lo, hi, near) where [lo, hi) is its sentence(s)
        kept inside the paragraph, widened over mis-split sentences (`"...?" he asked.`, `He said: "..."`);
        cues in the sentence after the quote count only up to `near`."""
        pa, pb = self.para_bounds(seg.start)
        si, sj = self.sent_index(seg.start), self.sent_index(max(seg.start, seg.end - 1))
        lo, hi = self.sents[si].start_char, max(self.sents[sj].end_char, seg.end)
        near = hi
        # the sentence after, when the quote ends its sentence and the attribution follows it
        if sj + 1 < len(self.sents) and hi <= seg.end + 3:
            nxt = self.sents[sj + 1]
            if len(nxt) and nxt.start_char < pb and nxt.start_char <= seg.end + 4 and not self.in_quote(nxt[0].idx + 1):
                first_q = next((g.start for g in self.segs if nxt.start_char <= g.start < nxt.end_char), nxt.end_char)
                hi = min(nxt.end_char, first_q)
                near = nxt[min(len(nxt) - 1, 7)].idx + 1
        # the sentence before, when it ends with a colon or comma leading into the quote
        if si > 0 and lo >= seg.start - 2:
            prev = self.sents[si - 1]
            tail = self.text[prev.start_char : lo].rstrip()
            if tail.endswith((":", ",")) and prev.start_char >= pa:
                lo = prev.start_char
        return max(lo, pa), min(hi, pb), near

    def cues_in(self, lo: int, hi: int) -> list[Token]:
        a = bisect.bisect_left(self.tok_starts, lo)
        b = bisect.bisect_left(self.tok_starts, hi)
        lowers, starts, toks = self.lowers, self.tok_starts, self.toks
        return [
            toks[i]
            for i in range(a, b)
            if lowers[i] in _CUE_WORDS and not self.in_quote(starts[i]) and _is_cue(toks[i])
        ]

    def surface_subject(self, verb: Token) -> Token | None:
        """The speaker by word order when the parse gave the cue no subject: the noun phrase right
        before the verb (over an apposition between commas), or right after it (`said John Smith`)."""
        doc = self.doc
        sent = self.sent_of(verb)
        j = verb.i - 1
        while j >= sent.start and doc[j].pos_ in {"ADV", "AUX", "PART"} and not self.in_quote(doc[j].idx):
            j -= 1
        if j > sent.start and doc[j].text == ")":  # "Rep. Jo Bo (D-Md.) said"
            k = j - 1
            while k > max(sent.start, j - 12) and doc[k].text != "(":
                k -= 1
            if doc[k].text == "(":
                j = k - 1
        if j >= sent.start and doc[j].text == "," and not self.in_quote(doc[j].idx):
            k = j - 1
            while k > max(sent.start, j - 20) and doc[k].text != "," and not self.in_quote(doc[k].idx):
                k -= 1
            if k > sent.start and doc[k].text == "," and not self.in_quote(doc[k - 1].idx):
                j = k - 1
            else:
                return None
        if (
            j >= sent.start
            and not self.in_quote(doc[j].idx)
            and (doc[j].pos_ in {"PROPN", "NOUN"} or doc[j].tag_ == "PRP")
        ):
            return doc[j]
        # the subject of the clause the cue hangs on: `Clinton seemed ready, telling the crowd, "..."`
        for k in range(verb.i - 1, sent.start - 1, -1):
            tok = doc[k]
            if tok.dep_ == "nsubj" and not self.in_quote(tok.idx) and _animate(tok):
                return tok
        if verb.lower_ not in _LISTENER_VERBS and verb.i + 1 < sent.end:
            nxt = doc[verb.i + 1]
            if nxt.pos_ in {"PROPN", "NOUN", "DET"} and not self.in_quote(nxt.idx):
                while nxt.pos_ == "DET" or (nxt.dep_ in {"compound", "amod"} and nxt.i + 1 < sent.end):
                    if nxt.i + 1 >= sent.end:
                        break
                    nxt = doc[nxt.i + 1]
                if nxt.pos_ in {"PROPN", "NOUN"}:
                    return nxt
        return None

    def speaker_of(self, verb: Token, quote_lo: int, quote_hi: int) -> _Speaker | None:
        """Speaker named through `verb`, or None when the parse names nobody outside the quote."""
        head, cue = _find_speaker_token(verb)
        if head is not None and (self.in_quote(head.idx) or self.para_bounds(head.idx) != self.para_bounds(verb.idx)):
            head = None  # the parse took words of a quote or of another paragraph for the subject
        # a verb that only reports speech when somebody does it ("called", "praised") needs a speaking subject
        needs_speaker = verb.lower_ in _QUOTE_ONLY_VERBS and verb.lower_ not in _DOCUMENT_VERBS
        if head is not None and needs_speaker and not _animate(head):
            head = None
        if head is None and verb.lower_ != "according" and verb.lower_ not in _QUOTING_VERBS:
            head = self.surface_subject(verb)
            if head is not None and needs_speaker and not _animate(head):
                head = None
        if head is None:
            return None
        if self.in_quote(head.idx) and quote_lo <= head.idx < quote_hi:
            return None
        lo, hi = _np_span(head)
        # a phrase running into the quote is cut at the quote
        doc = self.doc
        while lo < hi and self.in_quote(doc[lo].idx):
            lo += 1
        while hi > lo and self.in_quote(doc[hi - 1].idx):
            hi -= 1
        if hi <= lo:
            return None
        if hi - lo > 15:
            lo, hi = max(lo, head.i - 6), min(hi, head.i + 3)
        return self.phrase(lo, hi, head, cue)

    def attribute(self, seg: _Seg) -> tuple[_Speaker | None, bool]:
        """Speaker of a quote segment from its own sentence; the flag says a cue was found.

        The cue that governs the quote in the parse (the quote hangs from it, or it hangs from the
        quote) is preferred, then the nearest one."""
        label = self.label_speaker(seg)
        if label is not None:
            return label, True
        lo, hi, near = self.frame(seg)
        cues = [v for v in self.cues_in(lo, hi) if v.idx < near or v.idx < seg.end]
        if not cues:
            dash = self.dash_speaker(seg)
            if dash is not None:
                return dash, True
            colon = self.colon_speaker(seg, lo)
            if colon is not None:
                return colon, False
            if self.is_headline(seg.start):
                lead = self.headline_speaker(seg)
                if lead is not None:
                    return lead, True
            gov = self.governor_speaker(seg)
            return gov, gov is not None
        inside = self.tokens(seg.start, seg.end)
        governs: set[int] = set()
        for t in inside:
            if t.head.i == t.i or seg.start <= t.head.idx < seg.end:
                continue
            up, hops = t.head, 0
            while hops < 6:
                if _is_cue(up) and not self.in_quote(up.idx):
                    governs.add(up.i)
                    break
                if (
                    up.pos_ in {"VERB", "AUX"}
                    and up.dep_ in {"advcl", "conj", "relcl"}
                    and not self.in_quote(up.idx)
                    and any(c.dep_ == "nsubj" and c.tag_ not in {"WP", "WDT"} for c in up.children)
                ):
                    own = self.governor_speaker(seg)  # a clause of its own: `as Trump went on about "..."`
                    if own is not None:
                        return own, True
                    break
                if up.head.i == up.i:
                    break
                up, hops = up.head, hops + 1
        ranked: list[tuple[int, int, Token]] = []
        for verb in cues:
            dist = seg.start - (verb.idx + len(verb.text)) if verb.idx < seg.start else verb.idx - seg.end
            rank = 1
            if verb.i in governs:
                rank = 0
            else:
                up, hops = verb, 0
                while up.head.i != up.i and hops < 4:
                    up, hops = up.head, hops + 1
                    if seg.start <= up.idx < seg.end:
                        rank = 0
                        break
            ranked.append((rank, dist, verb))
        ranked.sort(key=lambda r: (r[0], r[1]))
        for _, _, verb in ranked:
            sp = self.speaker_of(verb, seg.start, seg.end)
            if sp is not None:
                self.used_cues.add(verb.i)
                return sp, True
        fallback = ranked[0][2]
        self.used_cues.add(fallback.i)
        return _Speaker(cue="according to" if fallback.lower_ == "according" else fallback.text), True

    def governor_speaker(self, seg: _Seg) -> _Speaker | None:
        """For words quoted inside the reporter's sentence with no reporting verb (`X slammed Y as a
        "con artist"`): the subject of the nearest verb the quote hangs from."""
        for t in self.tokens(seg.start, seg.end):
            if t.head.i == t.i or seg.start <= t.head.idx < seg.end:
                continue
            up, hops = t.head, 0
            while hops < 5:
                if up.pos_ in {"VERB", "AUX"} and not self.in_quote(up.idx):
                    subj = next((c for c in up.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
                    if subj is not None and not self.in_quote(subj.idx):
                        if up.lower_ in _COPULAS:
                            return None  # `X is "a liar"` describes X, it does not quote X
                        if subj.tag_ == "WP" and up.dep_ == "relcl":
                            subj = up.head
                        elif (
                            subj.dep_ == "nsubjpass"
                            or subj.tag_ in {"WDT", "EX", "WP"}
                            or subj.lower_ in {"this", "that", "you", "it", "there", "everything", "anybody"}
                        ):
                            return None
                        subj = _best_head(subj)
                        if not _animate(subj):
                            return None
                        lo, hi = _np_span(subj)
                        if hi - lo > 15:
                            lo, hi = max(lo, subj.i - 6), min(hi, subj.i + 3)
                        return self.phrase(lo, hi, subj, up.text)
                if up.head.i == up.i:
                    break
                up, hops = up.head, hops + 1
            return None
        return None

    def headline_speaker(self, seg: _Seg) -> _Speaker | None:
        """In a headline the quoted words are those of the name it opens with (`Obama Sees 'Insult'`)."""
        pa, _ = self.para_bounds(seg.start)
        toks = self.tokens(pa, seg.start)
        run: list[Token] = []
        for t in toks:
            if t.is_space:
                continue
            if t.ent_type_ in {"PERSON", "ORG", "NORP", "GPE"} and not self.in_quote(t.idx):
                run.append(t)
            else:
                break
        if not run or run[-1].ent_type_ == "GPE":
            return None
        return self.phrase(run[0].i, run[-1].i + 1, run[-1], "")

    def phrase(self, lo: int, hi: int, head: Token, cue: str) -> _Speaker:
        span = self.doc[lo:hi]
        return _Speaker(text=span.text, start=span.start_char, end=span.end_char, cue=cue, head=head.i, lo=lo, hi=hi)

    def label_speaker(self, seg: _Seg) -> _Speaker | None:
        """A transcript turn inside the quote: `"PENCE: Well, ..."`."""
        m = _LABEL.match(self.text, seg.start, seg.end)
        if m is None:
            return None
        toks = self.tokens(m.start(1), m.end(1))
        if not len(toks):
            return None
        return self.phrase(toks.start, toks.end, toks[-1], ":")

    def dash_speaker(self, seg: _Seg) -> _Speaker | None:
        """`"..." -- Jane Doe` at the end of a line."""
        m = _DASH_AFTER.match(self.text, seg.end)
        if m is None:
            return None
        toks = self.tokens(m.start(2), m.end(2))
        if not len(toks) or not any(t.pos_ == "PROPN" for t in toks):
            return None
        return self.phrase(toks.start, toks.end, toks[-1], m.group(1))

    def colon_speaker(self, seg: _Seg, lo: int) -> _Speaker | None:
        """A name before a colon that introduces the quote (headline style `Lynch: 'Be the voice'`)."""
        before = self.text[lo : seg.start].rstrip("\"'\u201c\u2018\u00ab ")
        if not before.endswith(":"):
            return None
        toks = self.tokens(lo, lo + len(before) - 1)
        if not len(toks) or toks[-1].pos_ != "PROPN" or self.in_quote(toks[-1].idx):
            return None
        head = toks[-1]
        a, b = _np_span(head)
        a = max(a, toks.start)
        return self.phrase(a, min(b, toks.end), head, ":")

    def is_scare(self, seg: _Seg, speaker: _Speaker | None) -> bool:
        """A title, name, nickname or term in quote marks rather than somebody's words."""
        text = self.text
        body = text[seg.start : seg.end]
        words = re.findall(r"[\w'\u2019-]+", body)
        if not words or not any(ch.isalpha() for w in words for ch in w):
            return True
        if body[:1] in "([" and body.rstrip(".")[-1:] in ")]":  # a stage direction: (CROSSTALK)
            return True
        if len(words) == 1 and words[0].lower() in _FUNCTION_WORDS:  # words as words: "he" or "she"
            return True
        if (
            speaker is not None
            and speaker.start is not None
            and speaker.end is not None
            and speaker.start <= seg.start
            and seg.end <= speaker.end
        ):
            return True  # inside the speaker's own name: Robert "Bobby" Scott, the "fact-checking" site
        before = re.findall(r"[\w-]+", text[max(0, seg.start - 30) : seg.start].lower())
        if before and before[-1] in _SCARE_BEFORE:
            return True
        if len(before) >= 2 and (before[-2], before[-1]) in _SCARE_BEFORE_PAIRS:
            return True
        if len(words) > 8 or (re.search(r"[.!?]\W*$", body) and len(words) > 4):
            return False
        # a title or name: Capitalised Words (small words aside), outside a headline
        small = {"of", "the", "and", "a", "an", "in", "on", "to", "for", "with", "at", "by", "from", "is", "or"}
        caps = [w for w in words if w.lower() not in small]
        if not caps or not all(w[:1].isupper() or w[:1].isdigit() for w in caps) or self.is_headline(seg.start):
            return False
        prev = text[max(0, seg.start - 40) : seg.start - 1].rstrip()
        prev_word = re.findall(r"[\w'\u2019.-]+$", prev)
        nxt = re.findall(r"^\W*?([\w-]+)", text[seg.end : seg.end + 30])
        if (
            prev_word
            and prev_word[0][:1].isupper()
            and nxt
            and nxt[0][:1].isupper()
            and text[seg.end + 1 : seg.end + 2] == " "
        ):
            return True  # a nickname between names
        if len(words) >= 3:
            return True  # a title of three words or more
        if prev_word and (prev_word[0].lower() in _TITLE_BEFORE or prev_word[0].endswith(("'s", "\u2019s"))):
            return True
        return bool(nxt and nxt[0].lower() in _TITLE_AFTER)

    def is_headline(self, char: int) -> bool:
        """Is `char` in a headline: the first paragraph, or a paragraph of Capitalised Words?"""
        pa, pb = self.para_bounds(char)
        words = _HEADLINE_WORD.findall(self.text, pa, pb)
        # only white space before the paragraph, something after it (`text[:pa].strip()` without the copy)
        if pa <= self.text_first and pb < self.text_end and len(words) <= 25:
            return True  # the first of several paragraphs, and short
        return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)

    def kind_of(self, seg: _Seg) -> QuoteKind:
        """direct when the quote is a sentence or clause of its own, partial when it sits in one."""
        text = self.text
        pa, _ = self.para_bounds(seg.start)
        lead = text[pa : seg.start - 1].rstrip()
        at_start = (
            not lead
            or lead[-1:] in {".", ":", "!", "?", '"', "\u201d", "\u201c", "\u2014"}
            or (self.sent_starts[self.sent_index(seg.start)] >= seg.start - 2)
        )
        ends_clause = bool(re.search(r"[.!?,]\W{0,2}$", text[seg.start : min(len(text), seg.end + 1)])) or bool(
            re.match(r".?[,.!?]", text[seg.end : seg.end + 2])
        )
        if not seg.closed:
            return "direct"
        if at_start and ends_clause:
            return "direct"
        if lead.endswith((",", ":")) and ends_clause:
            # `he said, "..."` or `he said: "..."`
            return "direct"
        return "partial"

    def run(self) -> list[Quote]:
        seg_speakers: list[_Speaker | None] = []
        seg_cue: list[bool] = []
        chains: dict[int, list[int]] = {}
        for k, seg in enumerate(self.segs):
            sp, has_cue = self.attribute(seg)
            seg_speakers.append(sp)
            seg_cue.append(has_cue)
            chains.setdefault(seg.chain, []).append(k)
        # a quote running over several paragraphs shares one attribution
        for members in chains.values():
            if len(members) < 2:
                continue
            found = next((seg_speakers[k] for k in members if _named(seg_speakers[k])), None)
            for k in members:
                if not _named(seg_speakers[k]):
                    seg_speakers[k] = found
                    seg_cue[k] = seg_cue[k] or found is not None
        # floating quotes: inherit from the nearest attributed quote of the same or an adjacent paragraph
        for k in range(len(self.segs)):
            if seg_cue[k]:
                continue
            inherited = self._inherit(k, seg_speakers, seg_cue)
            if inherited is not None:
                seg_speakers[k] = inherited
                seg_cue[k] = True
        pending: list[tuple[Quote, _Speaker | None]] = []
        for k, seg in enumerate(self.segs):
            kind = self.kind_of(seg)
            if self.is_scare(seg, seg_speakers[k]):
                continue
            if kind == "partial" and not _named(seg_speakers[k]):
                continue
            q = Quote(text=self.text[seg.start : seg.end], kind=kind, start=seg.start, end=seg.end)
            pending.append((q, seg_speakers[k]))
        pending.extend(self.indirect())
        # resolve speakers in text order, so pronouns see the speakers before them
        speakers = {id(sp): sp for _, sp in pending if sp is not None and sp.text is not None}
        for sp in sorted(speakers.values(), key=lambda x: x.start or 0):
            assert sp.start is not None
            self.resolver.resolve(sp, self.doc[sp.head], sp.start, sp.lo, sp.hi)
            self.resolver.add_speaker(sp)
        out: list[Quote] = []
        for q, sp in pending:
            if sp is not None:
                q.speaker, q.speaker_actor_id = sp.name, sp.actor_id
                q.speaker_text, q.cue = sp.text, sp.cue or None
                q.speaker_start, q.speaker_end = sp.start, sp.end
            out.append(q)
        out.sort(key=lambda q: (q.start, q.end))
        return out

    def _inherit(self, k: int, speakers: list[_Speaker | None], cues: list[bool]) -> _Speaker | None:
        """Speaker of a floating quote: the quote just before it in its paragraph, the last quote of the
        paragraph before when this one opens with the quote, the quote just after it in its paragraph,
        or the speaker introducing it with a colon at the end of the paragraph before."""
        seg = self.segs[k]
        pa, pb = self.para_bounds(seg.start)
        for j in range(k - 1, -1, -1):
            prev = self.segs[j]
            if prev.start < pa:
                break
            if _named(speakers[j]) and cues[j]:
                if self._few_words(prev.end, seg.start - 1, speakers[j]):
                    return speakers[j]
                break
        opens_paragraph = not self.text[pa : seg.start - 1].strip()
        prev_para = self._prev_paragraph(pa)
        if opens_paragraph and prev_para is not None:
            ppa, ppb = prev_para
            for j in range(k - 1, -1, -1):
                prev = self.segs[j]
                if prev.start < ppa:
                    break
                if prev.start >= pa:
                    continue
                if _named(speakers[j]) and cues[j] and self._few_words(prev.end, ppb, speakers[j], limit=14):
                    return speakers[j]
                break
        for j in range(k + 1, len(self.segs)):
            nxt = self.segs[j]
            if nxt.start >= pb:
                break
            if _named(speakers[j]) and cues[j]:
                if self._few_words(seg.end, nxt.start, None, limit=2):
                    return speakers[j]
                break
        # the sentence just before names who talks: `Bolton distanced himself from X. "I'm going to ..."`
        before = self.subject_before(seg, pa, prev_para if opens_paragraph else None)
        if before is not None:
            return before
        # a paragraph that ends by introducing the quote ("He added:")
        if opens_paragraph and prev_para is not None and self.text[prev_para[0] : prev_para[1]].rstrip().endswith(":"):
            intro = self.cues_in(prev_para[0], prev_para[1])
            if intro:
                return self.speaker_of(intro[-1], seg.start, seg.end)
        return None

    def subject_before(self, seg: _Seg, pa: int, prev_para: tuple[int, int] | None) -> _Speaker | None:
        """The person the sentence right before a floating quote is about (its subject), when that sentence
        is the reporter's own (no quote in it) and the subject is a name or he/she."""
        if self.text[pa : seg.start - 1].strip():
            lo, hi = pa, seg.start - 1
        elif prev_para is not None:
            lo, hi = prev_para
        else:
            return None
        si = self.sent_index(max(lo, hi - 1))
        sent = self.sents[si]
        if sent.start_char < lo or any(lo <= g.start < hi for g in self.segs if sent.start_char <= g.start):
            return None
        root = sent.root
        if self.in_quote(root.idx):  # the parse hung the intro on the quote: climb from the intro's last word
            toks = self.tokens(sent.start_char, hi)
            if not len(toks):
                return None
            root = toks[-1]
            while root.head.i != root.i and not self.in_quote(root.head.idx) and root.head.i < toks.end:
                root = root.head
        subj = next((c for c in root.children if c.dep_ == "nsubj"), None)
        if subj is None or self.in_quote(subj.idx):
            return None
        subj = _best_head(subj)
        colon = self.text[lo:hi].rstrip().endswith(":")  # `The campaign worded it carefully: "..."`
        if not (
            subj.ent_type_ == "PERSON"
            or subj.lower_ in {"he", "she"}
            or (
                colon
                and (
                    subj.pos_ == "PROPN"
                    or subj.ent_type_ in {"ORG", "NORP", "GPE"}
                    or any(t.pos_ == "PROPN" for t in subj.subtree)
                    or subj.lower_ in _ORG_NOUNS
                    or subj.lower_ == "they"
                )
            )
        ):
            return None
        a, b = _np_span(subj)
        return self.phrase(a, b, subj, "")

    def _few_words(self, lo: int, hi: int, sp: _Speaker | None, limit: int = 6) -> bool:
        """Is text[lo:hi] (between two quotes) no more than the attribution of the first: at most one
        sentence break and one reporting verb, or at most `limit` words?"""
        gap = self.text[lo:hi]
        if len(re.findall(r"\w+", gap)) <= limit:
            return True
        if sp is None:
            return False
        breaks = self.sent_index(max(lo, hi - 1)) - self.sent_index(lo)
        return breaks <= 1 and len(self.cues_in(lo, hi)) <= 2

    def _prev_paragraph(self, pa: int) -> tuple[int, int] | None:
        """Bounds of the last non-blank paragraph before the one starting at `pa`."""
        end = pa - 1
        while end > 0:
            start = self.text.rfind("\n", 0, end) + 1
            if self.text[start:end].strip():
                return start, end
            end = start - 1
        return None

    # -- reported speech ---------------------------------------------------------------------------
    def indirect(self) -> list[tuple[Quote, _Speaker | None]]:
        out: list[tuple[Quote, _Speaker | None]] = []
        doc = self.doc
        for i, word in enumerate(self.lowers):
            if word not in _CUE_WORDS:
                continue
            tok = self.toks[i]
            if tok.i in self.used_cues or not _is_cue(tok) or self.in_quote(tok.idx):
                continue
            low = tok.lower_
            if (low in _QUOTE_ONLY_VERBS and low not in _QUOTING_VERBS and low not in _OBJECT_REPORTS) or low in {
                "put",
                "puts",
                "went",
                "goes",
            }:
                continue
            span = self._content(tok)
            if span is None:
                continue
            a, b = span
            if b - a < 3:
                continue
            s, e = doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)
            if any(s <= seg.end and seg.start <= e for seg in self.segs):
                continue
            while s < e and self.text[s] in " ,;:\u2014-":
                s += 1
            while e > s and self.text[e - 1] in " ,;:.\u2014-":
                e -= 1
            q = Quote(text=self.text[s:e], kind="indirect", start=s, end=e)
            sp = self.speaker_of(tok, s, e)
            if sp is not None and sp.start is not None and s <= sp.start < e:
                continue
            if sp is None:
                sp = _Speaker(cue="according to" if low == "according" else tok.text)
            out.append((q, sp))
        return out

    def _content(self, verb: Token) -> tuple[int, int] | None:
        """Token range of what `verb` reports, or None."""
        low = verb.lower_
        if low == "according":
            host = verb.head
            if host is verb:
                return None
            skip = {t.i for t in verb.subtree}
            toks = [t.i for t in host.subtree if t.i not in skip]
            return self._contiguous(toks, verb)
        for child in verb.children:
            if child.dep_ in {"ccomp", "xcomp"}:
                toks = [t.i for t in child.subtree]
                return self._contiguous(toks, verb, drop_mark=True)
        if low in _OBJECT_REPORTS:  # "announced a plan to ...", "denied the claims"
            for child in verb.children:
                if child.dep_ == "dobj" and child.pos_ in {"NOUN", "PROPN"}:
                    toks = [t.i for t in child.subtree]
                    if len(toks) >= 3:
                        return self._contiguous(toks, verb)
        if low in _QUOTING_VERBS:
            for child in verb.children:
                if child.dep_ in {"advcl", "prep"}:
                    for sub in child.subtree:
                        if sub.lower_ in {"saying"}:
                            for c2 in sub.children:
                                if c2.dep_ == "ccomp":
                                    return self._contiguous([t.i for t in c2.subtree], verb, drop_mark=True)
            return None
        # "C, S said": the reporting clause hangs off the content clause
        if verb.dep_ in {"parataxis", "ccomp", "advcl", "conj"} and verb.head is not verb:
            host = verb.head
            if verb.i < host.i and verb.dep_ != "parataxis":
                return None
            skip = {t.i for t in verb.subtree}
            toks = [t.i for t in host.subtree if t.i not in skip]
            if verb.dep_ in {"advcl", "conj"} and not any(
                t.dep_ == "punct" and t.i == verb.left_edge.i - 1 for t in _doc_slice(verb)
            ):
                return None
            return self._contiguous(toks, verb)
        return None

    def _contiguous(self, toks: list[int], verb: Token, *, drop_mark: bool = False) -> tuple[int, int] | None:
        if not toks:
            return None
        toks.sort()
        doc = self.doc
        sent = self.sent_of(verb)
        # keep the run of tokens on the far side of the verb (content is on one side of the cue)
        if toks[-1] < verb.i:
            side = [i for i in toks if i < verb.i]
        elif toks[0] > verb.i:
            side = [i for i in toks if i > verb.i]
        else:
            before = [i for i in toks if i < verb.i]
            after = [i for i in toks if i > verb.i]
            side = before if len(before) >= len(after) else after
        side = [i for i in side if sent.start <= i < sent.end]
        if not side:
            return None
        a, b = side[0], side[-1] + 1
        if drop_mark and doc[a].lower_ in {"that", "whether", "if"} and doc[a].dep_ == "mark":
            a += 1
        while a < b and doc[a].is_punct:
            a += 1
        while b > a and doc[b - 1].is_punct:
            b -= 1
        if b <= a:
            return None
        return a, b


def _sentences(view: TokView) -> list[Span]:
    """spaCy's sentences, cut again at line breaks (the parser sometimes runs over a paragraph end)."""
    doc = view.doc
    texts = view.texts
    out: list[Span] = []
    for sent in doc.sents:
        start = sent.start
        for i in range(start, sent.end):
            text = texts[i]
            if "\n" in text and text.isspace():  # a white-space token with a line break (`tok.is_space`)
                if i > start:
                    out.append(doc[start:i])
                start = i + 1
        if start < sent.end:
            out.append(doc[start : sent.end])
    return out or [doc[:]]


def _doc_slice(tok: Token) -> list[Token]:
    """Tokens from just before `tok`'s subtree to its end (for the comma test)."""
    doc = tok.doc
    lo = max(0, tok.left_edge.i - 1)
    return list(doc[lo : tok.right_edge.i + 1])


def extract_quotes(
    doc: Doc, actors: list[Actor], mentions: list[Mention], *, view: TokView | None = None
) -> list[Quote]:
    """Direct, partial and indirect quotes of one story (offsets into `doc.text`).

    Scare quotes and titles in quote marks are left out. `speaker` is the canonical name of the actor
    the speaker phrase resolves to, the phrase itself for a proper nominal that is no actor, else None.
    `view` is the story's `TokView` when the caller already built one (see `extract_doc`).
    """
    if view is None:
        view = TokView(doc)
    if not view.text.strip():
        return []
    return _Extractor(view, actors, mentions).run()
