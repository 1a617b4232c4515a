"""The words of the Secretariat's later changes in English: erasing a person
(`awards.web.confirmations`), moving an open call's dates (`awards.web.call_dates`) and the
category a juror sits for; part of the English source (`en.py`)."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "erasure.link": "Erase…",
    "erasure.title": "Erase {name}?",
    "erasure.done_title": "{name}: erased",
    "erasure.who": "{email} · {role} · organisation: {organisation}.",
    "erasure.role.applicant": "applicant",
    "erasure.role.juror": "juror",
    "erasure.role.secretariat": "Secretariat",
    "erasure.scrubbed": (
        "Their name and e-mail address will be replaced by a pseudonym (such as Person 3F9A2C) "
        "wherever they appear: in the answers of {submissions} candidacies written by them or "
        "their organisation, and in {mails} mails sent to them."
    ),
    "erasure.cancelled": (
        "Mails still waiting to be sent to them ({pending}) are cancelled; their sessions, "
        "API tokens, sign-in links and invitations end."
    ),
    "erasure.kept": (
        "Kept as they are: {audit} audit records of their acts and {assignments} jury "
        "assignments with their reviews and scores, because they hold an id, not a name: "
        "decisions and rankings do not change."
    ),
    "erasure.go": "Yes: erase {name}",
    "erasure.done": "Erased on {at}. They are now {name} ({email}).",
    "erasure.done_scrubbed": (
        "Their name and address no longer appear in the answers of {submissions} candidacies "
        "or in the {mails} mails sent to them; mail waiting for them was cancelled and their "
        "sessions ended."
    ),
    "done.erased": "The person is erased.",
    "dates.link": "Move the dates",
    "dates.title": "Dates of {call}",
    "dates.help": (
        "Dates are in the call's time zone, {timezone}. A date that has passed no longer moves."
    ),
    "dates.passed": "(passed: it no longer moves)",
    "dates.review": "Review the change",
    "dates.confirm_title": "Move the dates of {call}?",
    "dates.moves": "{what}: {before} becomes {after}.",
    "dates.drafts": (
        "{count} organisations with a draft will have until {until} to submit it; they are "
        "told by e-mail, each in their language."
    ),
    "dates.audited": "The change is recorded in the call's history.",
    "dates.go": "Yes: move the dates",
    "dates.problem.passed": "{field}: this date has passed, it no longer moves.",
    "dates.problem.past": "{field}: choose a date and time still to come.",
    "dates.problem.same": "These are the call's dates already: change one of them.",
    "dates.problem.order": "{field}: the call must close after it opens.",
    "dates.problem.opens_at": "{field}: write it as a date and time.",
    "dates.problem.closes_at": "{field}: write it as a date and time.",
    "dates.problem.state": "Only an open call's dates move here.",
    "dates.problem.version": "The call changed meanwhile: reload the page and try again.",
    "dates.problem.other": "The dates could not be moved.",
    "done.dates_moved": "The dates are moved.",
    "panel.category": "Category",
    "panel.category_of": "Category {name} sits for",
    "panel.every_category": "Every category",
}
