"""Pages for everyone: the open calls, signing in by e-mail and out, the language."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import (
    HTTP_409_CONFLICT,
    HTTP_422_UNPROCESSABLE_ENTITY,
    HTTP_429_TOO_MANY_REQUESTS,
)

from awards import urls
from awards.auth.login import LinkRefused, TooManyRequests, local_path, peek_link, request_link
from awards.auth.login import sign_in as spend_link
from awards.auth.preferences import set_locale
from awards.auth.sessions import MAX_AGE, SESSION_COOKIE, end_session
from awards.calls.service import CallService
from awards.errors import Invalid
from awards.http.cookies import session_cookie
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime
from awards.vocabulary import LANGUAGES, CallState
from awards.web.page import HOME_OF, LANGUAGE_COOKIE, render, see_other, visitor

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
ONE_YEAR = 365 * 24 * 3600


class PublicPages(Controller):
    @get("/")
    async def home(
        self,
        request: Request[Any, Any, Any],
        calls: NamedDependency[CallService],
        actor: NamedDependency[Actor],
    ) -> Template:
        """The open calls, with their deadlines in the visitor's time zone, and the calls
        whose results are published."""
        summaries = await calls.visible(actor=actor)
        open_calls = [s for s in summaries if s.call.state == CallState.OPEN]
        published = [s.call for s in summaries if s.call.state == CallState.PUBLISHED]
        return render(request, "public/home.html", open_calls=open_calls, published=published)

    @get("/login")
    async def login_form(
        self, request: Request[Any, Any, Any], next: FromQuery[str] = ""
    ) -> Template:
        return render(request, "public/login.html", next=local_path(next), email="", problem="")

    @post("/login")
    async def ask_for_link(
        self, request: Request[Any, Any, Any], data: Form, runtime: NamedDependency[Runtime]
    ) -> Template:
        """Mail a sign-in link; the answer is the same whether the address is known or not."""
        email, next_path = data.get("email", ""), local_path(data.get("next", ""))
        ip = request.client.host if request.client else "unknown"
        try:
            await request_link(
                runtime, email, ip=ip, language=visitor(request).language, next_path=next_path
            )
        except TooManyRequests as refusal:
            minutes = -(-int(refusal.extra["retry_after"]) // 60)
            return render(
                request,
                "public/login.html",
                status=HTTP_429_TOO_MANY_REQUESTS,
                headers={"Retry-After": str(refusal.extra["retry_after"])},
                next=next_path,
                email=email,
                problem=visitor(request).t("login.too_many", minutes=minutes),
            )
        except Invalid:
            return render(
                request,
                "public/login.html",
                status=HTTP_422_UNPROCESSABLE_ENTITY,
                next=next_path,
                email=email,
                problem=visitor(request).t("login.not_an_address"),
            )
        return render(
            request,
            "public/login_sent.html",
            email=email.strip(),
            mailbox=runtime.settings.keeps_mail_in_mailbox,
        )

    @get("/login/link/{token:str}")
    async def link_page(
        self,
        request: Request[Any, Any, Any],
        token: FromPath[str],
        runtime: NamedDependency[Runtime],
    ) -> Template:
        """What a mailed link opens, in the language it was asked in; signing in is a button,
        so a mail scanner that opens the link does not spend it."""
        status = await peek_link(runtime, token)
        language = status.language if status else None
        if status is None or not status.usable:
            return render(
                request, "public/link_expired.html", status=HTTP_409_CONFLICT, language=language
            )
        return render(request, "public/link.html", language=language, token=token)

    @post("/login/link/{token:str}")
    async def use_link(
        self,
        request: Request[Any, Any, Any],
        token: FromPath[str],
        runtime: NamedDependency[Runtime],
    ) -> Template | Redirect:
        try:
            signed_in = await spend_link(runtime, token)
        except LinkRefused:
            status = await peek_link(runtime, token)
            return render(
                request,
                "public/link_expired.html",
                status=HTTP_409_CONFLICT,
                language=status.language if status else None,
            )
        # Whoever was signed in on this browser before is signed out: one person per browser.
        await end_session(runtime.db, request.cookies.get(SESSION_COOKIE, ""))
        cookie = session_cookie(
            signed_in.session_secret, runtime=runtime, max_age=int(MAX_AGE.total_seconds())
        )
        home = HOME_OF[Actor.of(signed_in.user).role]
        return see_other(signed_in.next_path or home, cookies=[cookie])

    @post("/logout")
    async def logout(
        self, request: Request[Any, Any, Any], runtime: NamedDependency[Runtime]
    ) -> Redirect:
        await end_session(runtime.db, request.cookies.get(SESSION_COOKIE, ""))
        return see_other(urls.HOME, cookies=[session_cookie("", runtime=runtime, max_age=0)])

    @post("/language")
    async def choose_language(
        self,
        data: Form,
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> Redirect:
        """Signed in: the user's setting (pages and e-mails); otherwise a cookie."""
        language = data.get("language", "")
        back = local_path(data.get("next", "")) or "/"
        if language not in LANGUAGES:
            return see_other(back)
        if actor.is_anonymous:
            cookie = Cookie(key=LANGUAGE_COOKIE, value=language, max_age=ONE_YEAR, samesite="lax")
            return see_other(back, cookies=[cookie])
        await set_locale(runtime.db, language, actor=actor)
        return see_other(back)
