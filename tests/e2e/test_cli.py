"""The `wire` CLI: help on every command, one-line errors, sql formats, extract, config, tables."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from flows.cli import build_parser, format_table, main, print_table

STORY = "Storm hits coast\n\nA storm hit the coast on Tuesday, officials said.\n"


def _commands() -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return sorted(sub.choices)  # type: ignore[arg-type]


@pytest.mark.parametrize("command", _commands())
def test_help_on_every_command(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: wire " + command)
    assert len(out.splitlines()) > 3


def test_commands_that_touch_the_warehouse_take_db() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, p in sub.choices.items():  # type: ignore[union-attr]
        if name in {"extract", "config", "schema"}:  # these never open a warehouse
            continue
        assert any("--db" in a.option_strings for a in p._actions), name


def test_sql_on_missing_warehouse_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["sql", "SELECT 1", "--db", str(tmp_path / "none.duckdb")])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "none.duckdb" in err and "Traceback" not in err


def test_backfill_sql_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "s.txt").write_text(STORY)
    db = str(tmp_path / "w.duckdb")
    assert main(["backfill", str(tmp_path / "s.txt"), "--db", db, "--no-prefect", "--quiet", "--workers", "1"]) == 0
    out = capsys.readouterr().out
    assert "stored                 1" in out and "files seen             1" in out
    assert main(["sql", "SELECT title, word_count FROM items", "--db", db, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"title": "Storm hits coast", "word_count": 9}]
    assert main(["sql", "SELECT title FROM items", "--db", db, "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["title", "Storm hits coast"]
    assert main(["sql", "SELECT title FROM items", "--db", db]) == 0
    assert "| Storm hits coast |" in capsys.readouterr().out
    assert main(["sql", "DROP TABLE items", "--db", db]) == 2
    assert "refused" in capsys.readouterr().err


def test_extract_prints_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "s.txt"
    f.write_text(STORY)
    assert main(["extract", str(f), "--compact"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["story"]["title"] == "Storm hits coast"
    assert set(data) >= {"actors", "mentions", "quotes", "numbers", "body"}


def test_extract_unreadable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "blob.bin"
    f.write_bytes(b"\x00\x01" * 100)
    assert main(["extract", str(f)]) == 2
    err = capsys.readouterr().err
    assert "blob.bin" in err and "binary" in err


def test_config_shows_origins(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WIRE_DB", "x.duckdb")
    monkeypatch.chdir(tmp_path)
    assert main(["config", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["db"] == {"value": "x.duckdb", "from": "$WIRE_DB"}


def test_tables_are_drawn_by_rich_only_on_a_terminal(capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    columns, rows = ["name", "n", "note"], [("[b]Storm[/b] hits", 3, None), ("Quay", 12.5, "x" * 90)]
    print_table(columns, rows, 40)  # captured stdout is no terminal: the plain text, byte for byte
    assert capsys.readouterr().out == format_table(columns, rows, 40) + "\n"
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    print_table(columns, rows, 40)
    out = capsys.readouterr().out
    assert "┃" in out and "[b]Storm[/b] hits" in out and "NULL" in out and "(2 rows)" in out
    assert "x" * 40 not in out  # cells cut at max_width as in the plain table


def test_console_script_installed() -> None:
    exe = Path(sys.executable).with_name("wire")
    res = subprocess.run([str(exe), "--help"], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0 and "backfill" in res.stdout
