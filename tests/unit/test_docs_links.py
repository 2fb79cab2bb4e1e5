"""The README is a guide to docs/: every relative link in it and in docs/ must lead to a file that exists (a page
moved or renamed would otherwise leave its readers at a dead end), and the README stays a guide, not a manual."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def test_every_relative_link_in_the_readme_and_docs_resolves() -> None:
    broken = [f"{page.relative_to(ROOT)} -> {target}"
              for page in PAGES for target in LINK.findall(page.read_text("utf-8"))
              if not target.startswith(("http://", "https://", "mailto:")) and not (page.parent / target).exists()]
    assert broken == []


def test_the_readme_is_a_guide_of_about_two_hundred_lines_that_reaches_every_page_for_readers() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert len(readme.splitlines()) <= 200
    linked = {(ROOT / target).resolve() for target in LINK.findall(readme)}
    pages = {p.resolve() for p in (ROOT / "docs").glob("*/*.md")
             if p.parent.name in ("bank", "developers", "operators")}
    assert pages <= linked, sorted(str(p.relative_to(ROOT)) for p in pages - linked)
