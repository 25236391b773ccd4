"""Hostile and broken input (issue #10.3): every bad file ends as a clear, recorded problem naming the file
(or, for merely noisy input, a clean story), the rest of the batch is stored, nothing leaks, nothing hangs.

The XML entity-bomb / XXE unit tests of the agency readers are in tests/unit/test_agency_safety.py (the
reliability report counts them); here the same kinds of files go through `read_bytes` and the whole CLI.
"""

from __future__ import annotations

import gzip
import json
import os
import time
from pathlib import Path

import duckdb
import pytest
from rel_harness import Ledger, make_corpus, run_cli, wire_env

from extractors.errors import BadInput
from extractors.readers import MAX_SOURCE_BYTES, read_bytes

pytestmark = pytest.mark.reliability

SECRET = "wire-secret-4c1f9e"  # written to a file that hostile XML tries to pull in


def _lol(depth: int) -> str:
    ents = ['<!ENTITY l0 "lollollollol">'] + [
        f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, depth)
    ]
    return "".join(ents)


def _hostile(tmp: Path) -> dict[str, bytes]:
    """name -> bytes of files no reader should choke on. Built here, small on disk where possible."""
    secret = tmp / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    para = "<p>Officials in Lowen said the harbour would reopen after repairs to the quay.</p>"
    return {
        "empty.txt": b"",
        "blank.txt": b" \n\t\r\n  \n",
        "binary.bin": bytes(range(256)) * 64,
        "nul_text.txt": b"Harbour story\x00 with NULs\x00 inside.\n",
        "invalid_utf8.txt": b"Port news\n\n\xc3\x28 bad \xa0\xa1 bytes \xf0\x28\x8c\x28 in the middle of the story.\n",
        "utf16.txt": "Port news\n\nThe quay reopened on Monday.".encode("utf-16"),
        "bom_only.txt": b"\xef\xbb\xbf",
        "controls.txt": bytes([1, 2, 3, 4, 5, 6, 7, 8]) * 500,
        "gzip_bomb.txt.gz": gzip.compress(b"\0" * 50_000_000, compresslevel=9),
        "gzip_text.txt.gz": gzip.compress(b"Harbour story\n\nThe quay reopened on Monday after repairs."),
        "nested_html.html": (b"<html><body>" + b"<div>" * 20_000 + para.encode() + b"</div>" * 20_000
                             + b"</body></html>"),
        "unclosed_html.html": b"<html><body><p>" + b"<b><i><span>" * 10_000 + b"The quay reopened.",
        "tracking.html": (
            b"<!doctype html><html><head><title>Quay reopens</title>"
            b"<script>document.write('TRACKER-SCRIPT-TEXT'); fetch('https://t.example/pixel')</script>"
            b"<script type='application/ld+json'>{\"@type\": \"NewsArticle\", \"headline\": {\"x\": [1, 2]},"
            b" \"author\": \"not a dict\", \"datePublished\": 42}</script>"
            b"<style>body{background:url(https://t.example/p.gif)}</style></head><body>"
            b"<img src='https://t.example/pixel.gif?u=1' width=1 height=1><noscript>TRACKER-NOSCRIPT</noscript>"
            b"<iframe src='https://t.example/frame'>TRACKER-IFRAME</iframe>"
            b"<div style='display:none'>TRACKER-HIDDEN</div><article>" + para.encode() * 3
            + b"<p onclick=\"alert('x')\">Repairs cost 4 million dollars, the port said.</p>"
            b"<div class='newsletter-signup'>TRACKER-NEWSLETTER</div></article></body></html>"
        ),
        "script_only.html": b"<html><body><script>" + b"var a = '<p>not text</p>';" * 2000 + b"</script></body></html>",
        "entity_bomb.xml": (f'<?xml version="1.0"?><!DOCTYPE nitf [{_lol(10)}]><nitf><body><body.content>'
                            f"<p>&l9;</p></body.content></body></nitf>").encode(),
        "entity_bomb_rss.xml": (f'<?xml version="1.0"?><!DOCTYPE rss [{_lol(10)}]><rss version="2.0"><channel>'
                                f"<title>t</title><item><title>x</title><description>&l9;</description></item>"
                                f"</channel></rss>").encode(),
        "xxe_nitf.xml": (f'<?xml version="1.0"?><!DOCTYPE nitf [<!ENTITY s SYSTEM "file://{secret}">]>'
                         f"<nitf><body><body.content><p>Leak: &s;</p></body.content></body></nitf>").encode(),
        "xxe_rss.xml": (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY s SYSTEM "file://{secret}">]>'
                        f'<rss version="2.0"><channel><title>t</title><item><title>Leak</title>'
                        f"<description>Leak: &s; and the quay reopened on Monday.</description></item>"
                        f"</channel></rss>").encode(),
        "xxe_html.html": (f'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY s SYSTEM "file://{secret}">]>'
                          f"<html><body><p>Leak: &s;</p></body></html>").encode(),
        "truncated_rss.xml": (b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
                              b"<item><title>Quay</title><description>The quay reopened on Mon"),
        "truncated_nitf.xml": b'<?xml version="1.0"?><nitf><head><title>Quay</title></head><body><body.con',
        "deep_json.json": b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
        "deep_ninjs.json": b'{"uri": "x", "body_text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        "ninjs_wrong_types.json": json.dumps({"uri": ["x"], "type": 7, "headlines": "no", "body_text": {"a": 1},
                                              "versioncreated": [1], "byline": 12}).encode(),
        "jsonfeed_wrong_types.json": json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": 3,
                                                 "items": [None, 1, {"id": [], "content_html": 5},
                                                           {"id": "a", "content_text": "The quay reopened."}]}
                                                ).encode(),
        "long_line.txt": b"word " * 300_000,
        "one_token.txt": b"x" * 1_500_000,
        "many_lt.txt": b"<" * 1_000_000,
        "huge_story.txt": b"Huge\n\n" + (b"The harbour board met again and said repairs continue. " * 40_000),
    }


def _read_outcome(data: bytes, name: str) -> str:
    try:
        stories = read_bytes(data, name)
    except BadInput as exc:
        assert name in str(exc), f"message does not name the file: {exc}"
        return "refused"
    assert stories, f"{name}: no stories and no error"
    for s in stories:
        assert s.body.strip(), f"{name}: empty body"
        assert SECRET not in s.body and SECRET not in (s.title or "")
        assert "TRACKER" not in s.body and "not text" not in s.body
    return "read"


def test_read_bytes_handles_hostile_files(tmp_path: Path, ledger: Ledger) -> None:
    outcomes: dict[str, str] = {}
    for name, data in _hostile(tmp_path).items():
        t0 = time.monotonic()
        outcomes[name] = _read_outcome(data, name)
        assert time.monotonic() - t0 < 60, f"{name} took {time.monotonic() - t0:.0f}s"
    must_refuse = {"empty.txt", "blank.txt", "binary.bin", "gzip_bomb.txt.gz", "entity_bomb.xml",
                   "entity_bomb_rss.xml", "xxe_nitf.xml", "script_only.html", "controls.txt"}
    assert {n for n in must_refuse if outcomes[n] != "refused"} == set()
    assert outcomes["tracking.html"] == "read" and outcomes["invalid_utf8.txt"] == "read"
    ledger.record("hostile", "read_bytes on hostile files", inputs_tried=len(outcomes), inputs_handled=len(outcomes),
                  outcomes=outcomes)


def test_oversized_source_is_refused_before_parsing() -> None:
    data = b"a" * (MAX_SOURCE_BYTES + 1)
    t0 = time.monotonic()
    with pytest.raises(BadInput, match="larger than"):
        read_bytes(data, "big.txt")
    assert time.monotonic() - t0 < 1.0


@pytest.mark.slow
def test_backfill_records_every_bad_file_and_stores_the_rest(tmp_path: Path, ledger: Ledger) -> None:
    folder = tmp_path / "in"
    good = make_corpus(folder / "good", 3, seed=5)
    bad = _hostile(tmp_path)
    for name, data in bad.items():
        (folder / "bad" / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / "bad" / name).write_bytes(data)
    with (folder / "bad" / "two_hundred_mb.txt").open("wb") as fh:  # a 200 MB text file (written, not sparse)
        chunk = b"The harbour board met again and said repairs would continue for weeks.\n" * 14_000
        for _ in range(200 * 1024 * 1024 // len(chunk) + 1):
            fh.write(chunk)
    (folder / "bad" / "loop").symlink_to(folder)  # a folder that contains itself
    (folder / "bad" / os.fsdecode(b"name-not-utf8-\xff\xfe.txt")).write_bytes(b"Quay\n\nThe quay reopened.\n")
    db = tmp_path / "w.duckdb"
    run = run_cli(["backfill", str(folder), "--db", str(db), "--no-prefect", "--quiet"], wire_env(batch_files=8),
                  timeout=900)
    assert run.returncode == 0, f"{run.stdout}\n{run.stderr}"
    assert "Traceback" not in run.stderr
    con = duckdb.connect(str(db), read_only=True)
    try:
        items = dict(con.execute("SELECT source_uri, body FROM items").fetchall())
        problems = con.execute("SELECT source_uri, kind, reason FROM problems").fetchall()
        sources = dict(con.execute("SELECT source_uri, status FROM sources").fetchall())
    finally:
        con.close()
    for p in good:
        assert str(p) in items, f"good story {p.name} not stored"
    named = {Path(p[0]).name for p in problems}
    for uri, _kind, reason in problems:
        assert Path(uri).name in reason, f"problem does not name its file: {reason}"
        assert "Traceback" not in reason
    odd_name = [uri for uri, _kind, _reason in problems if "name-not-utf8-\\xff\\xfe.txt" in uri]
    assert odd_name, "a file whose name is not UTF-8 was not recorded"
    bad_files = sorted(p for p in (folder / "bad").iterdir()
                       if p.is_file() and not p.is_symlink() and "not-utf8" not in p.name)
    handled = 0
    for p in bad_files:
        status = sources.get(str(p))
        assert status is not None, f"{p.name} has no sources row"
        if str(p) in items:  # stored: the body must be clean and free of what the markup tried to smuggle in
            body = items[str(p)]
            assert SECRET not in body and "TRACKER" not in body and body.strip()
        else:
            assert status in {"skipped", "error"} and p.name in named, f"{p.name}: {status}, no problem recorded"
        handled += 1
    assert not any(SECRET in b for b in items.values())
    assert sources[str(folder / "bad" / "two_hundred_mb.txt")] == "skipped"
    assert "huge_story.txt" in named  # stored without facts: its NLP error is on record
    ledger.record("hostile", "backfill of hostile files beside good ones", inputs_tried=len(bad_files) + 1,
                  inputs_handled=handled + 1, good_stored=len(good), problems=len(problems))




def test_feed_with_a_non_ascii_digit_in_a_date_is_still_read() -> None:
    """Found by hypothesis: int() of '²' ('²'.isdigit() is True) lost every entry of the feed."""
    feed = ('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><guid>a</guid>'
            "<title>Quay</title><pubDate>Mon, 0\u00b2 Jun 2026</pubDate><description>The quay reopened on Monday."
            "</description></item></channel></rss>").encode()
    stories = read_bytes(feed, "odd-date.xml")
    assert [s.body for s in stories] == ["The quay reopened on Monday."]
