"""Regenerate the README's generated blocks: example queries with their real output, and the schema.

    python docs/render_readme.py [--db warehouse.duckdb]     (or `make readme`, after `make demo`)

Blocks live between `<!-- NAME:start -->` and `<!-- NAME:end -->` markers: `examples`, `schema` (from
docs/schema.md) and `notebook` (from docs/notebook.md, whose code a test runs). Example queries come from
warehouse/examples.py and run read-only on the demo warehouse, so the README shows what the code prints.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from flows.cli import format_table  # noqa: E402
from warehouse.examples import EXAMPLES  # noqa: E402
from warehouse.query import run_query  # noqa: E402


def examples_block(db: str) -> str:
    out = []
    for ex in EXAMPLES:
        res = run_query(db, ex.sql)
        out.append(f"**{ex.question}**\n\n```sql\n{ex.sql}\n```\n\n```text\n"
                   f"{format_table(res.columns, res.rows, 48)}\n```\n")
    return "\n".join(out)


def replace_block(text: str, name: str, body: str) -> str:
    pattern = re.compile(rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)", re.S)
    if not pattern.search(text):
        raise SystemExit(f"README.md has no {name} markers")
    return pattern.sub(lambda m: m.group(1) + body.rstrip("\n") + "\n" + m.group(2), text)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", default=str(REPO / "warehouse.duckdb"))
    args = ap.parse_args()
    readme = REPO / "README.md"
    text = readme.read_text(encoding="utf-8")
    text = replace_block(text, "examples", examples_block(args.db))
    for block, source in (("schema", "schema.md"), ("notebook", "notebook.md")):
        path = REPO / "docs" / source
        if path.exists():
            text = replace_block(text, block, path.read_text(encoding="utf-8"))
    readme.write_text(text, encoding="utf-8")
    print(f"README.md updated from {args.db}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
