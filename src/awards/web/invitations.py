"""The page an invitation's link opens: accepting is a button, so a mail scanner that opens
the link accepts nothing; accepting signs the person in, as a sign-in link does."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_409_CONFLICT

from awards import urls
from awards.auth.invitations import accept_invitation, peek_invitation
from awards.auth.sessions import MAX_AGE, SESSION_COOKIE, end_session
from awards.errors import Conflict
from awards.http.cookies import session_cookie
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime
from awards.web.page import HOME_OF, render, see_other

REFUSED = "public/link_expired.html"


class InvitationPage(Controller):
    path = urls.INVITATIONS
    include_in_schema = False

    @get("/{token:str}")
    async def show(
        self,
        request: Request[Any, Any, Any],
        token: FromPath[str],
        runtime: NamedDependency[Runtime],
    ) -> Template:
        found = await peek_invitation(runtime, token)
        language = found.language if found else None
        if found is None or not found.usable:
            return render(request, REFUSED, status=HTTP_409_CONFLICT, language=language)
        return render(
            request,
            "public/invitation.html",
            language=language,
            token=token,
            role=found.role.value,
        )

    @post("/{token:str}")
    async def accept(
        self,
        request: Request[Any, Any, Any],
        token: FromPath[str],
        runtime: NamedDependency[Runtime],
    ) -> Template | Redirect:
        try:
            accepted = await accept_invitation(runtime, token)
        except Conflict:  # used, expired, or the role no longer fits the person
            found = await peek_invitation(runtime, token)
            language = found.language if found else None
            return render(request, REFUSED, status=HTTP_409_CONFLICT, language=language)
        # One person per browser: whoever was signed in here before is signed out.
        await end_session(runtime.db, request.cookies.get(SESSION_COOKIE, ""))
        cookie = session_cookie(
            accepted.session_secret, runtime=runtime, max_age=int(MAX_AGE.total_seconds())
        )
        return see_other(HOME_OF[Actor.of(accepted.user).role], cookies=[cookie])
