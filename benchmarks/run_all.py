"""Run every benchmark and assemble BENCHMARKS.md from their result files.

    python benchmarks/run_all.py            # everything (about 40 minutes on 2 cores)
    python benchmarks/run_all.py --assemble # only rebuild BENCHMARKS.md from benchmarks/results/*.md

Each benchmark writes its own section to ``benchmarks/results/<name>.md`` with the command
that produced it; this script runs them in order and concatenates the sections.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

# (result file, command) in the order they appear in BENCHMARKS.md
BENCHMARKS = (
    ("ingest", [sys.executable, "benchmarks/ingest.py", "--articles", "100000"]),
    ("search", [sys.executable, "benchmarks/search.py", "--articles", "100000"]),
    ("langid", [sys.executable, "benchmarks/langid.py"]),
    ("dates", [sys.executable, "benchmarks/dates.py", "--write"]),
    ("dedup", [sys.executable, "benchmarks/dedup.py", "--out", "benchmarks/results/dedup.md"]),
    # readers.py prints its table rows; results/readers.md records two curated runs of it
    ("readers", [sys.executable, "benchmarks/readers.py", "5000"]),
    ("ner", [sys.executable, "benchmarks/ner.py"]),
    ("attribution", [sys.executable, "benchmarks/attribution.py", "--out",
                     "benchmarks/results/attribution.md"]),
    ("stories", [sys.executable, "benchmarks/stories.py", "--out", "benchmarks/results/stories.md"]),
    ("web", [sys.executable, "benchmarks/web.py", "--out", "benchmarks/results/web.md"]),
    ("scale", [sys.executable, "benchmarks/scale.py", "--part", "all", "--out",
               "benchmarks/results/scale.md"]),
)

HEADER = """# Benchmarks

Speed and quality of nyhetsvakt, measured on this project's machine (2 cores, 24 GB) against
the library a user would otherwise pick, side by side in the same run. Every section names the
command that produced it; `make bench` (or `python benchmarks/run_all.py`) re-runs them all.
Quality floors that fail the build when a score drops live in the tests (`tests/test_language.py`,
`tests/test_dates.py`, `tests/test_golden.py`, `tests/test_ner.py`, `tests/test_attribution.py`,
`tests/test_stories.py`).

"""


def _as_section(text: str) -> str:
    """Shift a result file's headings so its top heading is a level-2 section."""
    levels = [len(m.group(1)) for m in re.finditer(r"^(#+) ", text, re.M)]
    shift = 2 - min(levels) if levels else 0
    return re.sub(r"^(#+) ", lambda m: "#" * (len(m.group(1)) + shift) + " ", text, flags=re.M)


def assemble() -> Path:
    parts = [HEADER]
    for name, _ in BENCHMARKS:
        f = HERE / "results" / f"{name}.md"
        if f.exists():
            parts.append(_as_section(f.read_text("utf-8").strip()) + "\n\n")
    out = REPO / "BENCHMARKS.md"
    out.write_text("".join(parts).rstrip() + "\n", "utf-8")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--assemble", action="store_true", help="only rebuild BENCHMARKS.md")
    args = ap.parse_args()
    if not args.assemble:
        for name, cmd in BENCHMARKS:
            print(f"== {name}: {' '.join(cmd[1:])}", flush=True)
            subprocess.run(cmd, cwd=REPO, check=True)
    print(f"wrote {assemble()}")


if __name__ == "__main__":
    main()
