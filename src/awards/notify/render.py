"""Render e-mails from `templates/emails/<lang>/<name>.j2`.

Each template defines three blocks: `subject`, `text` and `html`; the `html` block wraps its
body in `{% autoescape true %}`. A template missing in the reader's language falls back to the
call's default language, never to a key (invariant 8).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template, TemplateNotFound, meta

from awards.errors import ConfigurationError


@dataclass(frozen=True)
class InReadersLanguage:
    """A value a mail shows in its reader's language (a candidacy's answers, with their
    labels): each recipient's mail reads `said(language)`."""

    said: Callable[[str], Any]


@dataclass(frozen=True)
class RenderedMail:
    language: str
    subject: str
    text: str
    html: str


@cache
def renderer(templates_dir: Path) -> MailRenderer:
    """The process's renderer of the e-mails under `templates_dir`: made once, so each
    template is compiled once."""
    return MailRenderer(templates_dir)


class MailRenderer:
    """One Jinja environment for every e-mail."""

    def __init__(self, templates_dir: Path) -> None:
        self.templates_dir = templates_dir / "emails"
        self.environment = Environment(
            loader=FileSystemLoader(self.templates_dir),
            undefined=StrictUndefined,
            autoescape=False,
            keep_trailing_newline=True,
        )
        self._variables: dict[str, frozenset[str]] = {}

    def exists(self, name: str, *, language: str) -> bool:
        """Whether e-mail `name` is written in `language`; if not, readers get the fallback."""
        return (self.templates_dir / language / f"{name}.j2").is_file()

    def variables(self, name: str) -> frozenset[str]:
        """The values e-mail `name` reads, in any of its languages: what a sender must give."""
        if name not in self._variables:
            found: set[str] = set()
            for path in self.templates_dir.glob(f"*/{name}.j2"):
                found |= meta.find_undeclared_variables(self.environment.parse(path.read_text()))
            self._variables[name] = frozenset(found - set(self.environment.globals))
        return self._variables[name]

    def render(
        self, name: str, *, language: str, fallback: str, values: dict[str, Any]
    ) -> RenderedMail:
        for candidate in dict.fromkeys([language, fallback]):
            try:
                template = self.environment.get_template(f"{candidate}/{name}.j2")
            except TemplateNotFound:
                continue
            blocks = _render_blocks(template, values)
            return RenderedMail(
                language=candidate,
                subject=" ".join(blocks["subject"].split()),
                text=blocks["text"] + "\n",
                html=blocks["html"] + "\n",
            )
        raise ConfigurationError(f"no e-mail template '{name}' in {language} or {fallback}")


def _render_blocks(template: Template, values: dict[str, Any]) -> dict[str, str]:
    context = template.new_context(values)
    return {
        name: "".join(template.blocks[name](context)).strip()
        for name in ("subject", "text", "html")
    }
