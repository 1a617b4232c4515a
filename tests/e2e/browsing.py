"""Headless Chromium for the browser tests (Debian's, driven by Python Playwright), and what
the tests look for on a page: text left in English, and the applicant's identity."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from awards.web.i18n import CATALOGUES

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "e2e"

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
    """Debian's chromium; without it the browser tests skip, except on CI, where they fail."""
    path = shutil.which("chromium") or "/usr/bin/chromium"
    missing = (
        None if Path(path).exists() else "chromium is not installed (apt-get install -y chromium)"
    )
    try:
        import playwright.sync_api  # noqa: F401 - only checking that it is installed
    except ImportError:
        missing = "playwright is not installed (pip install -e '.[test]')"
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


def english_fragments(language: str) -> list[str]:
    """The English catalogue's words that `language` says otherwise, cut at placeholders;
    not those `language` says so too in another message (Spanish "Final", a round)."""
    english, other = CATALOGUES["en"], CATALOGUES[language]
    own = {text.strip(" .:;,()*") for text in other.values()}
    fragments = set()
    for key, text in english.items():
        if text == other[key]:
            continue
        for piece in re.split(r"\{[^}]*\}", text):
            piece = piece.strip(" .:;,()*")
            if len(piece) >= 4 and piece not in own:
                fragments.add(piece)
    return sorted(fragments, key=len, reverse=True)


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
