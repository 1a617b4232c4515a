"""Render e-mails from `templates/emails/<lang>/<name>.j2`.

Each template defines three blocks: `subject`, `text` and `html`; the `html` block wraps its
body in `{% autoescape true %}`. A template missing in the reader's language falls back to the
call's default language, never to a key (invariant 8).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template, TemplateNotFound

from awards.errors import ConfigurationError


@dataclass(frozen=True)
class RenderedMail:
    language: str
    subject: str
    text: str
    html: str


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

    def exists(self, name: str, *, language: str) -> bool:
        """Whether e-mail `name` is written in `language`; if not, readers get the fallback."""
        return (self.templates_dir / language / f"{name}.j2").is_file()

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
