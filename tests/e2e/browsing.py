"""Headless Chromium for the browser tests (Debian's, driven by Python Playwright), and what
the tests look for on a page: text left in English, and the applicant's identity."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from awards.web.i18n import CATALOGUES
from workflows import load_located_file

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "e2e"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
"""axe-core, the accessibility checker, as `npm ci` installs it from package.json."""

# Everything a person reads in the page's own language: text, and the attributes read aloud
# or shown on hover. Text marked with another language (`lang="en"` on a rule's English
# reason, a language's own name in the switcher) is what it says it is, not a forgotten word;
# nor is an address (a mail's link to `/my/submissions/1` is not the word "submissions").
_READABLE = """() => {
  const lang = document.documentElement.lang;
  const own = (el) => { const marked = el.closest('[lang]'); return !marked || marked.lang === lang; };
  const out = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const parent = walker.currentNode.parentElement;
    if (parent && !parent.closest('script,style') && own(parent)) { out.push(walker.currentNode.textContent); }
  }
  for (const el of document.querySelectorAll('[aria-label],[title],[placeholder],[alt],[data-confirm]')) {
    if (!own(el)) { continue; }
    for (const name of ['aria-label', 'title', 'placeholder', 'alt', 'data-confirm']) {
      if (el.hasAttribute(name)) { out.push(el.getAttribute(name)); }
    }
  }
  return out.join('\\n').replace(/https?:\\/\\/\\S+/g, '');
}"""


def chromium() -> str:
    """Debian's chromium; without it (or axe-core) the browser tests skip, except on CI,
    where they fail."""
    path = shutil.which("chromium") or "/usr/bin/chromium"
    missing = (
        None if Path(path).exists() else "chromium is not installed (apt-get install -y chromium)"
    )
    try:
        import playwright.sync_api  # noqa: F401 - only checking that it is installed
    except ImportError:
        missing = "playwright is not installed (pip install -e '.[test]')"
    if not AXE.exists():
        missing = "axe-core is not installed (npm ci)"
    if missing:
        if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
            pytest.fail(f"{missing}: .ci/run installs it")
        pytest.skip(missing)
    return path


@contextmanager
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    executable = chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        try:
            yield launched
        finally:
            launched.close()


@cache
def english_fragments(language: str) -> list[str]:
    """The English catalogue's words that `language` says otherwise, cut at placeholders,
    but for words `language` writes too (a round is "Final" in Spanish as in English)."""
    english, other = CATALOGUES["en"], CATALOGUES[language]
    own = "\n".join([*other.values(), *kind_texts(language)])
    fragments = set()
    for key, text in english.items():
        if text == other[key]:
            continue
        for piece in re.split(r"\{[^}]*\}", text):
            piece = piece.strip(" .:;,()*")
            if len(piece) >= 4 and not re.search(rf"(?<!\w){re.escape(piece)}(?!\w)", own):
                fragments.add(piece)
    return sorted(fragments, key=len, reverse=True)


def kind_texts(language: str) -> list[str]:
    """What the call kinds (config/calls) say in `language`: labels, terms, help."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get(language), str):
                found.append(node[language])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in sorted((ROOT / "config" / "calls").glob("*.yaml")):
        walk(load_located_file(path))  # with the lists it includes
    return found


def untranslated(page: Any, language: str) -> list[str]:
    """English catalogue text found on `page` (whose interface is in `language`)."""
    readable = page.evaluate(_READABLE)
    return [
        fragment
        for fragment in english_fragments(language)
        if re.search(rf"(?<!\w){re.escape(fragment)}(?!\w)", readable)
    ]


def identities_in(html: str, secrets: tuple[str, ...]) -> list[str]:
    return [secret for secret in secrets if secret in html]


def shoot(page: Any, language: str, step: str) -> None:
    folder = SCREENSHOTS / language
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{step}.png"), full_page=True)


_SERIOUS = """async () => {
  const found = await axe.run(document, {resultTypes: ['violations']});
  return found.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}"""


def inaccessible(page: Any) -> list[str]:
    """What axe-core finds on `page` of impact serious or critical, one line per rule.

    axe is evaluated through the browser's debugging protocol, which the pages' Content
    Security Policy (no inline script) does not govern, so the page is checked as served."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    return list(page.evaluate(_SERIOUS))
