"""Errors on the pages: the same mapping as the API (`awards.http.errors`), shown as a page.

Someone not signed in is sent to sign in and brought back; a refused action shows what was
refused and why, in a page or, for an HTMX request, in the page's alert area.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    NotFoundException,
    ValidationException,
)
from litestar.response import Redirect, Template
from litestar.status_codes import (
    HTTP_401_UNAUTHORIZED,
    HTTP_404_NOT_FOUND,
    HTTP_500_INTERNAL_SERVER_ERROR,
)

from awards import urls
from awards.commitments.refusals import CommitmentRefused
from awards.errors import AwardsError
from awards.http.errors import STATUS_OF, http_error
from awards.jury.candidacies import BodyRefused
from awards.transitions.apply import TransitionRefused
from awards.web.page import render, visitor
from workflows import GuardFailure

HTMX = "hx-request"
KNOWN_STATUSES = (400, 401, 403, 404, 409, 413, 422, 429, 503)
JURY_PAGES = "/jury"
MACHINE_PATHS = ("/api/", "/schema")
"""Where clients are programs: an unknown path there is answered in JSON."""


def is_htmx(request: Request[Any, Any, Any]) -> bool:
    return request.headers.get(HTMX) == "true"


def sign_in_first(request: Request[Any, Any, Any]) -> Response[Any]:
    """Where a page that needs a user sends an anonymous visitor."""
    target = urls.sign_in(request.url.path)
    if is_htmx(request):
        return Response(None, status_code=HTTP_401_UNAUTHORIZED, headers={"HX-Redirect": target})
    if request.method == "GET":
        return Redirect(target)
    return error_page(request, HTTP_401_UNAUTHORIZED, "", ())


def page_error(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    """Exception handler of the pages' router."""
    if isinstance(error, NotAuthorizedException):
        return sign_in_first(request)
    failed: Sequence[GuardFailure] = ()
    if isinstance(error, AwardsError):
        status = next(
            (code for cls, code in STATUS_OF.items() if isinstance(error, cls)),
            HTTP_500_INTERNAL_SERVER_ERROR,
        )
        detail = error.message
        if isinstance(error, TransitionRefused):
            failed = error.failures
        if isinstance(error, BodyRefused):
            # Counts and pseudonyms only: safe on the jury's pages too.
            reason = visitor(request).reason(error.reason)
            return error_page(request, status, "", (), explained=reason)
        if isinstance(error, CommitmentRefused):
            t = visitor(request).t
            return error_page(
                request,
                status,
                "",
                (),
                explained=t(f"commitments.refused.{error.code}", **error.values),
            )
    elif _no_such_page(error):
        status, detail = HTTP_404_NOT_FOUND, ""
    elif isinstance(error, HTTPException):
        status, detail = error.status_code, error.detail
    else:  # a bug or an outage, logged by `awards.http.errors.log_unexpected`
        status, detail = HTTP_500_INTERNAL_SERVER_ERROR, ""
    if request.url.path.startswith(JURY_PAGES):
        # A refusal's text may name the applicant (a rule's reason): the jury gets the status.
        return error_page(request, status, "", ())
    return error_page(request, status, detail, failed)


def _no_such_page(error: Exception) -> bool:
    """A path or query value the page cannot take (an id no row can have, a page number out
    of range: `awards.http.params`): that page does not exist, as for an unknown id."""
    problems = error.extra if isinstance(error, ValidationException) else None
    return isinstance(problems, list) and any(
        p.get("source") in ("path", "query") for p in problems
    )


def unknown_path(request: Request[Any, Any, Any], error: NotFoundException) -> Response[Any]:
    """App-wide handler of 404s no route answered: a page in the visitor's language, but
    JSON (API.md's error shape) under the API."""
    if request.url.path.startswith(MACHINE_PATHS):
        return http_error(request, error)
    return error_page(request, HTTP_404_NOT_FOUND, "", ())


def error_page(
    request: Request[Any, Any, Any],
    status: int,
    detail: str,
    failed: Sequence[GuardFailure],
    *,
    explained: str = "",
) -> Template:
    """The error's page; `explained` is why, in the reader's words, where the English
    `detail` would otherwise be."""
    shown = status if status in KNOWN_STATUSES else HTTP_500_INTERNAL_SERVER_ERROR
    if is_htmx(request):
        return render(
            request,
            "_alert.html",
            status=status,
            headers={"HX-Retarget": "#alerts", "HX-Reswap": "innerHTML"},
            status_code=shown,
            detail=detail,
            failed=failed,
            explained=explained,
        )
    return render(
        request,
        "error.html",
        status=status,
        status_code=shown,
        detail=detail,
        failed=failed,
        explained=explained,
    )
