"""The agency table (extractors.agencies): one row per agency, read by the readers and by actor recognition."""

from __future__ import annotations

from extractors.agencies import AGENCIES_IN_TEXT, AGENCY_NAMES, agency_name, known_agency
from extractors.text import read_text


def test_metadata_spellings_and_text_forms_come_from_one_row() -> None:
    assert AGENCY_NAMES["agence france-presse"] == AGENCY_NAMES["afp"] == "AFP"
    assert AGENCIES_IN_TEXT["Agence France-Presse"] == "AFP"
    assert AGENCIES_IN_TEXT["KCNA"] == "Korean Central News Agency" and AGENCY_NAMES["kcna"] == "KCNA"
    assert "Europa Press" not in AGENCIES_IN_TEXT  # a form is recognised in text only when listed so


def test_agency_name_and_known_agency() -> None:
    assert agency_name("nprov:REUTERS") == agency_name("Thomson Reuters") == "Reuters"
    assert agency_name("Itar-Tass") == "TASS"
    assert agency_name("Example Wire Service") == "Example Wire Service"
    assert known_agency("dpa-tns") == "dpa" and known_agency("Interfax") == "Interfax"
    assert known_agency("Staff") is None


def test_text_reader_names_the_agency_from_the_table() -> None:
    story = read_text("MONTREAL (Canadian Press) - The council met.\n\nIt voted.\n\n© 2024 Canadian Press", "t.txt")
    assert story.agency == "CP" and story.dateline == "MONTREAL (Canadian Press)"


def test_text_reader_splits_datelines_as_the_agency_readers_do() -> None:
    story = read_text("Dec 29 (Reuters) - Clinton spoke.\n\nShe left.", "t.txt")
    assert (story.dateline, story.agency, story.located) == ("Dec 29 (Reuters)", "Reuters", None)
    assert story.body.startswith("Clinton spoke.")
    story = read_text("RIO DE JANEIRO, Aug 5 (AFP) - The games opened.\n\nMore.", "t.txt")
    assert (story.agency, story.located) == ("AFP", "Rio De Janeiro")
