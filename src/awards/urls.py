"""Where each page lives: the paths of the pages that links in mails and redirects point to,
built in one place (the routes that serve them are in `awards.web`; a test checks each path
here is one of theirs). Imports nothing of ours."""

from __future__ import annotations

from urllib.parse import quote, urlencode

HOME = "/"
MY = "/my"
JURY = "/jury"
SECRETARIAT = "/secretariat"
DATABANK = "/databank"
INVITATIONS = "/invitations"


def absolute(base_url: str, path: str) -> str:
    """`path` on the service's public address (`AWARDS_BASE_URL`), as mails link it."""
    return base_url.rstrip("/") + path


def page(path: str, *, done: str | None = None, anchor: str | None = None, **query: object) -> str:
    """`path` with its query: `done` names what the last action did (the page says it)."""
    values = {"done": done, **query} if done else query
    shown = urlencode({name: value for name, value in values.items() if value is not None})
    return path + (f"?{shown}" if shown else "") + (f"#{anchor}" if anchor else "")


def my_submission(submission_id: int, *, done: str | None = None) -> str:
    return page(f"{MY}/submissions/{submission_id}", done=done)


def my_commitments(submission_id: int, *, done: str | None = None) -> str:
    """What a laureate owes and is owed after the decision (`awards.commitments`)."""
    return page(f"{MY}/submissions/{submission_id}/commitments", done=done)


def jury_assignment(assignment_id: int, *, done: str | None = None) -> str:
    return page(f"{JURY}/assignments/{assignment_id}", done=done)


def jury_call(call_id: int, *, done: str | None = None) -> str:
    return page(f"{JURY}/calls/{call_id}", done=done)


def jury_vote(call_id: int, *, done: str | None = None) -> str:
    """A body that votes, as its members and chair see it."""
    return page(f"{JURY}/calls/{call_id}/vote", done=done)


def jury_selection(call_id: int, *, done: str | None = None) -> str:
    """A body that selects, as its members and chair see it."""
    return page(f"{JURY}/calls/{call_id}/selection", done=done)


def secretariat_call(
    call_id: int, *, done: str | None = None, anchor: str | None = None, **query: object
) -> str:
    return page(f"{SECRETARIAT}/calls/{call_id}", done=done, anchor=anchor, **query)


def secretariat_submission(
    submission_id: int, *, done: str | None = None, anchor: str | None = None
) -> str:
    return page(f"{SECRETARIAT}/submissions/{submission_id}", done=done, anchor=anchor)


def secretariat_panel(call_id: int, *, done: str | None = None, count: int | None = None) -> str:
    """Who sits on a call's panel, who may, and who was invited (`awards.web.people`);
    `count` says how many were just invited."""
    return page(f"{SECRETARIAT}/calls/{call_id}/panel", done=done, count=count)


def secretariat_organisation(
    slug: str, *, done: str | None = None, count: int | None = None
) -> str:
    return page(f"{SECRETARIAT}/organisations/{slug}", done=done, count=count)


def secretariat_erasure(user_id: int, *, done: str | None = None) -> str:
    """What erasing a person will do, and once done, what it did (`awards.web.confirmations`)."""
    return page(f"{SECRETARIAT}/people/{user_id}/erasure", done=done)


def secretariat_call_dates(call_id: int) -> str:
    """An open call's dates moved, confirmed with whom it affects (`awards.web.call_dates`)."""
    return f"{SECRETARIAT}/calls/{call_id}/dates"


def secretariat_commitments(call_id: int, *, done: str | None = None) -> str:
    """Each laureate's agreement, reports and payments in a call, late ones first."""
    return page(f"{SECRETARIAT}/calls/{call_id}/commitments", done=done)


def secretariat_organisations(*, done: str | None = None) -> str:
    return page(f"{SECRETARIAT}/organisations", done=done)


def secretariat_mail(*, done: str | None = None) -> str:
    return page(f"{SECRETARIAT}/mail", done=done)


def login_link(token: str) -> str:
    """The page a sign-in link opens (`awards.auth.login`)."""
    return f"/login/link/{token}"


def invitation(token: str) -> str:
    """The page an invitation opens (`awards.auth.invitations`)."""
    return f"{INVITATIONS}/{token}"


def sign_in(next_path: str) -> str:
    """The sign-in page, bringing the visitor back to `next_path` afterwards."""
    return f"/login?next={quote(next_path, safe='/')}"


def my_preview(submission_id: int) -> str:
    """A candidacy read as the Secretariat and the jury will, confirmed there to be sent."""
    return f"{MY}/submissions/{submission_id}/preview"
