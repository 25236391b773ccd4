"""French as a second full language: routing per model, the French extractors, HTTP charsets that lie."""

from __future__ import annotations

import pytest

from extractors.lang.fr.numbers import number_words_value
from flows.fetch import http_feed_bytes, http_text
from flows.settings import Settings, load_settings

FR = ("Le ministre de l'Intérieur, Paul Garnier, a affirmé lundi que les contrôles seraient renforcés. "
      "« Nous ne céderons rien », martèle-t-il. Selon l'Insee, 2 300 emplois ont été perdus, soit 3,5 %.")
EN = "Mayor Ana Costa said on Monday that 300 jobs would go at the Lisbon plant."


def test_default_models_serve_english_and_french() -> None:
    assert Settings().language_models() == {"en": "en_core_web_sm", "fr": "fr_core_news_sm"}
    s = load_settings(None, env={"WIRE_MODEL": "en_core_web_md", "WIRE_CONFIG": "/nonexistent/wire.toml"})
    assert s.language_models() == {"en": "en_core_web_md", "fr": "fr_core_news_sm"}  # `model` alone moves en
    s = load_settings(None, env={"WIRE_MODELS": "en=x_en,de=x_de", "WIRE_CONFIG": "/nonexistent/wire.toml"})
    assert s.language_models() == {"en": "x_en", "de": "x_de"}


def test_french_model_keeps_its_own_components() -> None:
    from extractors.nlp import load_nlp

    nlp = load_nlp("fr_core_news_sm")
    assert nlp.lang == "fr" and "conll_ner" not in nlp.pipe_names and "ner" in nlp.pipe_names
    assert "conll_ner" in load_nlp().pipe_names  # the English model still gets the bundled CoNLL ner


def test_runner_parses_each_text_with_its_model_in_input_order() -> None:
    from extractors.records import Extraction
    from flows.pipeline import NLPRunner

    runner = NLPRunner("en_core_web_sm", 1, use_service=False)
    out = runner.run_models([(EN, None, None), (FR, None, None), (EN, None, None)],
                            ["en_core_web_sm", "fr_core_news_sm", "en_core_web_sm"])
    assert all(isinstance(x, Extraction) for x in out)
    en, fr, en2 = out
    assert isinstance(en, Extraction) and isinstance(fr, Extraction) and en == en2
    assert any(a.name == "Lisbon" for a in en.actors)
    garnier = next(a for a in fr.actors if a.name == "Paul Garnier")
    assert garnier.kind == "person" and garnier.titles == ["ministre de l'Intérieur"]
    assert fr.extractor_version != en.extractor_version  # the version names the model parsed with
    with pytest.raises(ValueError):
        runner.submit([(EN, None, None)], ["a", "b"])


def test_french_quotes_and_numbers() -> None:
    from extractors.extract import extract_parsed
    from extractors.nlp import load_nlp

    ex = extract_parsed(load_nlp("fr_core_news_sm")(FR), body_len=len(FR))
    said = {(q.kind, q.text, q.speaker, q.cue) for q in ex.quotes}
    assert ("direct", "Nous ne céderons rien", "Paul Garnier", "martèle-t-il") in said
    assert ("indirect", "les contrôles seraient renforcés", "Paul Garnier", "a affirmé") in said
    assert any(q.speaker == "Insee" and q.kind == "indirect" and q.text.startswith("2 300") for q in ex.quotes)
    nums = {(n.text, n.value, n.kind, n.unit, n.counted) for n in ex.numbers}
    assert ("2 300 emplois", 2300.0, "count", None, "emplois") in nums and ("3,5 %", 3.5, "percent", "%", None) in nums
    assert number_words_value("quatre-vingt-dix") == 90 and number_words_value("trente et un") == 31
    assert number_words_value("deux mille cinq cents") == 2500 and number_words_value("soixante-dix") == 70


def test_http_charset_lies_lose_to_the_bytes() -> None:
    text = "Décès à Montréal"
    page, warning = http_text(text.encode("utf-8"), "iso-8859-1", "https://a.example/p")
    assert page == text and warning and "valid UTF-8" in warning and "HTTP Content-Type" in warning
    long = ("Le ministère a confirmé le décès à Montréal d'un élève âgé de 12 ans, après une fête où l'été "
            "s'était achevé. Les élèves, très émus, ont déposé des fleurs près de l'école élémentaire. ") * 3
    page, warning = http_text(long.encode("cp1252"), "utf-8", "https://a.example/p")  # served as UTF-8: it is not
    # read by charset_normalizer (extractors.charset.sniff_8bit), which takes this French text for cp1250:
    # "é"/"â"/"ô" right, "è" not; what is checked here is that the declared UTF-8 lost, with a warning
    assert warning and "not valid UTF-8" in warning and "\ufffd" not in page and "Montréal" in page
    assert http_text(text.encode("utf-8"), "utf-8", "u") == (text, None)
    assert http_text(text.encode("latin-1"), "iso-8859-1", "u") == (text, None)  # the truth is kept silently
    feed = f"<rss><channel><title>{text}</title></channel></rss>"
    data, warning = http_feed_bytes(feed.encode("latin-1"), "iso-8859-1", "u")  # no XML declaration
    assert data.decode("utf-8") == feed and warning is None
    data, warning = http_feed_bytes(feed.encode("utf-8"), "iso-8859-1", "u")
    assert data.decode("utf-8") == feed and warning and "valid UTF-8" in warning
    assert http_feed_bytes(feed.encode("utf-8"), None, "u") == (feed.encode("utf-8"), None)


@pytest.mark.slow
def test_nlp_service_serves_every_configured_model() -> None:
    from extractors.records import Extraction
    from flows.nlp_service import NLPService
    from flows.pipeline import NLPRunner

    with NLPService("en_core_web_sm", 1, models=["fr_core_news_sm"]) as service:
        runner = NLPRunner("en_core_web_sm", 1)
        out = runner.run_models([(FR, None, None), (EN, None, None)], ["fr_core_news_sm", "en_core_web_sm"])
        assert service.requests == 2 and runner.use_service  # one request per model, none refused
        fr = out[0]
        assert isinstance(fr, Extraction) and any(a.name == "Paul Garnier" for a in fr.actors)
        other = NLPRunner("en_core_web_sm", 1)
        with pytest.raises(Exception, match="no_such_model"):  # refused by the service, then fails here
            other.run_models([(EN, None, None)], ["no_such_model"])
        assert service.requests == 2 and not other.use_service
        runner.close()
