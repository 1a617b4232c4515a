"""`/mailbox`: the demo's mail, read in the browser (`awards.notify.mailbox`).

Who may read it: with `mail_transport = "mailbox"` (as `make run` sets it), anyone who
reaches the service, signed in or not, since this is how a demo user signs in; with the
default, SMTP, nobody: the page does not exist (404).
"""

from __future__ import annotations

import re
from typing import Any

from litestar import Controller, Request, get
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.handlers.base import BaseRouteHandler
from litestar.params import FromQuery
from litestar.response import Template
from markupsafe import Markup

from awards.notify.mailbox import Mailbox
from awards.transitions.runtime import Runtime
from awards.web.page import render


async def mailbox_on(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Guard: the page exists only while the demo keeps its mail in the mailbox."""
    runtime: Runtime = connection.app.state.runtime
    if not runtime.settings.keeps_mail_in_mailbox:
        raise NotFoundException()


class MailboxPage(Controller):
    path = "/mailbox"
    guards = (mailbox_on,)

    @get("/")
    async def mailbox(
        self,
        request: Request[Any, Any, Any],
        runtime: NamedDependency[Runtime],
        to: FromQuery[str] = "",
    ) -> Template:
        """Anyone, while the mailbox transport is on: the newest mail, to `to` if given."""
        settings = runtime.settings
        mailbox = Mailbox(
            settings.mailbox_dir, sender=settings.mail_from, secret_key=settings.secret_key
        )
        letters = await mailbox.letters(to=to)
        return render(
            request,
            "public/mailbox.html",
            to=to.strip(),
            letters=[
                (letter, with_links(letter.text, base_url=settings.base_url)) for letter in letters
            ],
        )


def with_links(text: str, *, base_url: str) -> Markup:
    """`text`, escaped, with the service's own addresses in it (a sign-in link) as links."""
    own_address = re.compile(re.escape(base_url) + r"(?:/[^\s<>\"']*)?")
    parts, shown = [], 0
    for found in own_address.finditer(text):
        parts.append(Markup.escape(text[shown : found.start()]))
        parts.append(Markup('<a href="{0}">{0}</a>').format(found.group(0)))
        shown = found.end()
    parts.append(Markup.escape(text[shown:]))
    return Markup("").join(parts)
