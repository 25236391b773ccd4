"""Declared charsets that lie: the bytes win, and a warning says so (issue #15 point 5)."""

from __future__ import annotations

from pathlib import Path

from extractors.charset import reconcile_xml, true_encoding
from extractors.clean import decode_bytes
from extractors.readers import read_bytes

FIXTURE = Path(__file__).resolve().parents[1] / "golden" / "lang" / "afp-fr-latin1-declared.xml"


def test_afp_newsml_declared_latin1_but_utf8_reads_right() -> None:
    data = FIXTURE.read_bytes()
    assert data.startswith(b'<?xml version="1.0" encoding="iso-8859-1"?>')
    data.decode("utf-8")  # the bytes really are UTF-8
    (story,) = read_bytes(data, "drop/afp-fr.xml")
    assert story.source_kind == "afp-newsml"
    assert story.title is not None and story.title.startswith("Décès")
    assert "Ã" not in story.title + story.body
    assert "préfecture" in story.body and "très grave" in story.body
    assert (story.language, story.language_source) == ("fr", "stated")
    assert any("declared charset 'iso-8859-1' but the bytes are valid UTF-8" in w for w in story.warnings)


def test_latin1_bytes_declared_utf8_are_sniffed() -> None:
    text = "<?xml version='1.0' encoding='utf-8'?><p>Décès à Besançon : l'élu évoque « une tragédie ».</p>"
    data = text.replace("utf-8", "UTF-8").encode("latin-1")
    fixed, warning = reconcile_xml(data)
    assert warning and "not valid UTF-8" in warning
    assert "Décès à Besançon" in fixed.decode("utf-8")


def test_agreeing_declarations_are_left_alone() -> None:
    latin = "<?xml version='1.0' encoding='iso-8859-1'?><p>Décès</p>".encode("latin-1")
    assert reconcile_xml(latin) == (latin, None)
    utf8 = "<?xml version='1.0' encoding='utf-8'?><p>Décès</p>".encode()
    assert reconcile_xml(utf8) == (utf8, None)
    ascii_only = b"<?xml version='1.0' encoding='iso-8859-1'?><p>Deces</p>"
    assert true_encoding(ascii_only, "iso-8859-1") == ("iso8859-1", None)


def test_feed_declared_latin1_but_utf8() -> None:
    rss = """<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>Le Fil</title>
<link>https://fil.example/</link><language>fr</language><item><title>Décès d'un élu à Besançon</title>
<link>https://fil.example/1</link><guid>fil-1</guid><description>L'élu est décédé à l'hôpital, a annoncé la
préfecture.</description></item></channel></rss>""".encode()
    (story,) = read_bytes(rss, "fil.rss")
    assert story.title == "Décès d'un élu à Besançon"
    assert any("bytes are valid UTF-8" in w for w in story.warnings)


def test_html_meta_charset_lie_is_noted() -> None:
    page = ("<html lang='fr'><head><meta charset='iso-8859-1'><title>Décès</title></head><body><article>"
            "<h1>Décès d'un élu</h1><p>L'élu est décédé dimanche à l'hôpital de Besançon, a annoncé la "
            "préfecture dans un communiqué publié en fin de journée.</p></article></body></html>").encode()
    text, warnings = decode_bytes(page, "p.html")
    assert "Décès" in text
    assert any("declared charset 'iso-8859-1' but the bytes are utf-8" in w for w in warnings)
    honest = page.replace(b"iso-8859-1", b"utf-8")
    assert decode_bytes(honest, "p.html")[1] == []
