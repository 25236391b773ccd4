"""Language of every item: stated metadata checked by the detector, BCP 47 tags, routing to models."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.lang import (
    UNDETERMINED,
    decide_language,
    detect_language,
    model_for,
    no_model_reason,
    normalise_tag,
    settle_language,
)
from extractors.readers import read_bytes
from extractors.records import Story
from flows.settings import load_settings

SHORT = Path(__file__).resolve().parents[2] / "bench" / "langid_texts.tsv"

EN = ("The minister said on Tuesday that the government would present a new budget to parliament next "
      "week, after talks with the unions broke down late on Monday night.")
FR = ("Le ministre a déclaré mardi que le gouvernement présenterait un nouveau budget au Parlement la "
      "semaine prochaine, après l'échec des négociations avec les syndicats lundi soir.")


@pytest.mark.parametrize(("raw", "tag"), [
    ("en-gb", "en-GB"), ("pt_br", "pt-BR"), ("FR", "fr"), ("zh-hant-tw", "zh-Hant-TW"), ("es-419", "es-419"),
    ("English", None), ("", None), (None, None), ("x", None),
])
def test_tags_are_bcp47_cased(raw: str | None, tag: str | None) -> None:
    assert normalise_tag(raw) == tag


def test_short_texts_of_eight_languages_are_detected() -> None:
    rows = [line.split("\t", 1) for line in SHORT.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]
    assert {lang for lang, _ in rows} == {"en", "fr", "de", "pt", "es", "fi", "no", "it"}
    wrong = [(lang, text) for lang, text in rows if detect_language(text).language != lang]
    assert wrong == []


def test_stated_language_is_kept_when_the_text_agrees_or_is_too_short() -> None:
    assert decide_language("fr-FR", FR).language == "fr-FR"
    assert decide_language("fr-FR", FR).source == "stated"
    # two words say nothing: the statement stands
    assert decide_language("it", "Breaking news").language == "it"
    # Norwegian Bokmål stated, the detector says "no": the same language
    no = "Statsråden sa at budsjettet vil bli lagt fram for Stortinget neste uke, opplyser departementet."
    assert decide_language("nb-NO", no).language == "nb-NO"


def test_a_confident_detector_overrides_a_wrong_statement_with_a_warning() -> None:
    d = decide_language("it", EN)
    assert (d.language, d.source) == ("en", "detected")
    assert d.warning and "'it'" in d.warning


def test_nothing_stated_means_detected_or_undetermined() -> None:
    assert (decide_language(None, FR).language, decide_language(None, FR).source) == ("fr", "detected")
    assert decide_language(None, "1-0").language == UNDETERMINED
    assert decide_language("English", EN).language == "en"  # not a tag: detected, with a warning
    assert decide_language("English", EN).warning


def test_settle_is_done_once_and_records_the_stated_language() -> None:
    story = Story(source_uri="x", source_kind="text", body=EN, language="it")
    settle_language(story)
    assert (story.language, story.language_source, story.meta["language_stated"]) == ("en", "detected", "it")
    story.body = FR
    settle_language(story)
    assert story.language == "en"  # settled already


RSS = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Folha</title>
<link>https://folha.example/</link><language>pt-br</language><item><title>Tempestade deixa milhares sem luz</title>
<link>https://folha.example/1</link><guid>f1</guid><description>A tempestade deixou milhares de casas sem
energia elétrica no domingo, segundo a distribuidora, que prevê normalizar o serviço até terça-feira.
</description></item></channel></rss>"""
ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Technik</title>
<id>urn:t</id><updated>2024-01-01T00:00:00Z</updated><entry><id>urn:t:1</id><title>Sturm legt Strom lahm</title>
<updated>2024-01-01T00:00:00Z</updated><summary>Der Sturm hat am Sonntag Tausende Haushalte ohne Strom gelassen,
teilte der Netzbetreiber mit. Die Reparaturen sollen bis Dienstag dauern.</summary></entry></feed>"""


def test_feed_languages_stated_and_detected() -> None:
    (pt,) = read_bytes(RSS.encode(), "folha.rss")
    assert (pt.language, pt.language_source) == ("pt-BR", "stated")
    (de,) = read_bytes(ATOM.encode(), "technik.atom")
    assert (de.language, de.language_source) == ("de", "detected")


def test_html_lang_is_stated() -> None:
    page = (f"<html lang='fr'><head><title>Budget</title></head><body><article><h1>Budget</h1><p>{FR}</p>"
            f"<p>{FR}</p></article></body></html>")
    (story,) = read_bytes(page.encode(), "page.html")
    assert (story.language, story.language_source) == ("fr", "stated")


def test_models_setting_routes_languages() -> None:
    models = {"en": "en_core_web_sm", "pt-BR": "pt_core_news_sm", "fr": "fr_core_news_sm"}
    assert model_for("en-GB", models) == "en_core_web_sm"
    assert model_for("pt-BR", models) == "pt_core_news_sm" and model_for("pt-PT", models) is None
    assert model_for(UNDETERMINED, models) is None
    assert no_model_reason("en-US", models) is None and no_model_reason("fr-CA", models) is None
    assert "no NLP model for language 'de'" in (no_model_reason("de", models) or "")
    assert "no NLP model for language 'pt-PT'" in (no_model_reason("pt-PT", models) or "")
    assert "undetermined" in (no_model_reason(UNDETERMINED, models) or "")


def test_models_setting_from_toml_and_env(tmp_path: Path) -> None:
    cfg = tmp_path / "wire.toml"
    cfg.write_text('models = {fr = "fr_core_news_sm"}\n', encoding="utf-8")
    s = load_settings(cfg, env={})
    assert s.language_models() == {"en": "en_core_web_sm", "fr": "fr_core_news_sm"}
    s = load_settings(None, env={"WIRE_MODELS": "de=de_core_news_sm", "WIRE_CONFIG": str(tmp_path / "no.toml")})
    assert s.models == {"de": "de_core_news_sm"}


@pytest.mark.parametrize(("text", "lang", "value"), [
    ("1 000,5", "fr", 1000.5), ("1.000,5", "de", 1000.5), ("1,000.5", "en", 1000.5), ("3,2", "pt", 3.2),
    ("3.000", "de", 3000.0), ("3,000", "en", 3000.0), ("3.5", "en", 3.5), ("12", "fi", 12.0),
])
def test_figures_in_each_notation(text: str, lang: str, value: float) -> None:
    from extractors.lang.plain import parse_figure

    assert parse_figure(text, lang) == value


def test_plain_numbers_need_a_sign_a_percent_word_or_a_code() -> None:
    from extractors.lang.plain import plain_numbers

    found = [(n.text, n.value, n.unit, n.kind) for n in plain_numbers(
        "Im Jahr 2023 stieg der Umsatz um 4 Prozent auf 12,40 € je Aktie; 300 Mitarbeiter, 2,3 Mrd. EUR.", "de")]
    assert found == [("4 Prozent", 4.0, "%", "percent"), ("12,40 €", 12.4, "EUR", "money"),
                     ("2,3 Mrd. EUR", 2.3e9, "EUR", "money")]  # no bare year or head count without grammar


def test_plainly_english_text_is_taken_at_a_glance_and_other_languages_are_not() -> None:
    from extractors.lang import detect

    english = ("The minister said on Monday that the government would have to act, and that the plan, which "
               "has been debated for months, was the best of those they had seen. Critics who are opposed to "
               "it said their concerns were ignored by his office and by the committee that wrote it.")
    assert detect._english_at_a_glance(english)
    assert detect.detect_language(english) == detect.Detection("en", 1.0, len(detect._LETTER.findall(english)))
    norwegian = ("Regjeringen har lagt fram et forslag for Stortinget om at det skal brukes mer penger på "
                 "skole og helse, og at kommunene skal få et større ansvar for eldreomsorgen i årene som "
                 "kommer. Opposisjonen er kritisk til forslaget og mener at det er for lite og for sent.")
    german = ("Die Bundesregierung hat am Montag beschlossen, dass die Förderung für Solaranlagen auf den "
              "Dächern von Wohnhäusern im kommenden Jahr ausgeweitet wird, wie ein Sprecher des "
              "Ministeriums in Berlin mitteilte. Die Opposition kritisierte den Plan als zu spät.")
    for text in (norwegian, german):
        assert not detect._english_at_a_glance(text)
        assert detect.detect_language(text).language != "en"
    assert not detect._english_at_a_glance("The minister said that the plan was the best of those.")  # too short
