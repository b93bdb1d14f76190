"""How many content lines of each seed survive when the seed is wrapped as HTML and extracted."""

import difflib
import re
from pathlib import Path

from trafilatura import bare_extraction, extract

from nyhetsvakt.readers.html import extract_html, wrap_text_as_html

seeds = sorted(Path("examples").glob("*.txt"))


def lines(t):
    return [ln.strip() for ln in t.split("\n") if ln.strip()]




def kept_in_order(expected, got_text):
    got = [ln.strip() for ln in got_text.split("\n") if ln.strip()]
    return sum(
        b.size for b in difflib.SequenceMatcher(None, expected, got, autojunk=False).get_matching_blocks()
    )


rows = {
    "trafilatura extract() txt, defaults": lambda h: extract(h) or "",
    "trafilatura extract() favor_recall": lambda h: extract(h, favor_recall=True) or "",
    "trafilatura extract() favor_precision": lambda h: extract(h, favor_precision=True) or "",
    "trafilatura bare_extraction().text": lambda h: bare_extraction(h).text or "",
    "nyhetsvakt read_html (NBSP stand-in + own rendering)": lambda h: extract_html(h).text,
}
total = sum(len(lines(f.read_text())) for f in seeds)


def chunks(text):
    return [
        [ln.rstrip() for ln in c.strip("\n").split("\n")] for c in re.split(r"\n[ \t]*\n", text) if c.strip()
    ]


for name, fn in rows.items():
    kept = 0
    same_chunks = 0
    for f in seeds:
        t = f.read_text()
        out = fn(wrap_text_as_html(t, f.stem))
        kept += kept_in_order(lines(t), out)
        same_chunks += chunks(out) == chunks(t)
    print(f"| {name} | {kept}/{total} | {total - kept} | {same_chunks}/5 |")
