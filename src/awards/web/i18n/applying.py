"""The words of applying in English, part of the English source (`en.py`): a call's public
page and its eligibility pre-check, the preview before sending, what each step did, the
receipt, and why an upload was refused (`upload.<code>`, `awards.storage.content`)."""

from __future__ import annotations

DONE: dict[str, str] = {
    "submit": "Your candidacy is sent. Its receipt is on its way to you by e-mail.",
    "resubmit": "Your revised candidacy is sent again.",
    "withdraw": "The candidacy is withdrawn.",
    "contest": "The objection is recorded; the Secretariat will answer it.",
    "return_for_revision": "The candidacy is returned to its applicant for revision.",
    "mark_eligible": "The candidacy is marked eligible.",
    "mark_ineligible": "The candidacy is marked ineligible; its applicant is told why.",
    "start_review": "The candidacy is now in review.",
    "shortlist": "The candidacy is shortlisted.",
    "reject": "The candidacy is not selected.",
    "select": "The candidacy is selected.",
    "waitlist": "The candidacy is on the waiting list.",
    "award": "The distinction is awarded.",
    "choose": "The bid is chosen.",
    "mention": "The candidacy receives a special mention.",
    "propose_laureate": "The candidacy is proposed as a laureate.",
    "propose_mention": "The candidacy is proposed for a special mention.",
    "confirm_laureate": "The laureate is confirmed.",
    "confirm_mention": "The special mention is confirmed.",
    "reconsider": "The decision is reopened.",
    "complete": "The scholarship is completed.",
    "discontinue": "The scholarship is discontinued.",
    "open": "The call is open: candidacies are accepted.",
    "close": "The call is closed: no more candidacies are accepted.",
    "deliberate": "The jury's deliberation is open.",
    "declare_void": "The call is declared void: nothing is awarded.",
    "publish": "The results are published.",
    "archive": "The call is archived.",
}
"""What each transition did, as the page says it after the button (`transitioned.<name>`)."""

MESSAGES: dict[str, str] = {
    **{f"transitioned.{name}": text for name, text in DONE.items()},
    "draft.written_in.one": (
        "Write the texts in one of the call's languages, the one you choose: {languages}."
    ),
    "draft.written_in.all": "Write the texts in each of the call's languages: {languages}.",
    "call_page.more": "About this call: who may apply, documents, calendar",
    "call_page.what": "{kind}, a call of {network}.",
    "call_page.calendar": "Calendar and languages",
    "call_page.opens": "Opens",
    "call_page.your_time": "In your time zone:",
    "call_page.left": "Time left",
    "call_page.closed": "Closed",
    "call_page.languages": "Languages of the candidacies",
    "call_page.who": "Who may apply",
    "call_page.anyone": "Any organisation may apply.",
    "call_page.documents": "Documents to attach",
    "call_page.file_limits": "{types}; at most {size} MB.",
    "family.pdf": "PDF documents",
    "family.image": "images (PNG, JPEG, WebP, GIF)",
    "family.office": "office documents (Word, Excel, PowerPoint, OpenDocument)",
    "call_page.no_documents": "No document is asked for.",
    "condition.member_in_good_standing": "Members of {network} with their fees up to date.",
    "condition.not_member": "Organisations that are not yet members of {network}.",
    "condition.region_in": "Organisations in: {regions}.",
    "condition.member_for_at_least": "Members for at least {years} year(s) when the call opens.",
    "condition.within_submission_limit": "At most {max} candidacies per organisation.",
    "condition.not_excluded": (
        "Not excluded from this edition (the jury's cities, the host of the congress, the last "
        "laureates)."
    ),
    "condition.started_before_cutoff": "An initiative started before this edition's cut-off date.",
    "precheck.title": "May your organisation apply?",
    "precheck.intro": (
        "Answer these questions about your organisation to know, before you create an account, "
        "whether it meets the rules of this call."
    ),
    "precheck.network": "Your organisation is a member of",
    "precheck.no_network": "No network",
    "precheck.fees": "Its membership fees are up to date",
    "precheck.member_since": "Member since (year)",
    "precheck.region": "Its region",
    "precheck.check": "Check",
    "precheck.may": "Your organisation may apply.",
    "precheck.may_not": "Your organisation may not apply:",
    "precheck.register": (
        "This is a guide: when you submit, the rules are checked against the Secretariat's "
        "members register."
    ),
    "precheck.your_organisation": "your organisation",
    "region.Africa": "Africa",
    "region.Asia-Pacific": "Asia-Pacific",
    "region.Europe": "Europe",
    "region.Latin America": "Latin America",
    "region.Middle East": "Middle East",
    "region.North America": "North America",
    "preview.open": "Preview and submit",
    "preview.title": "Preview of candidacy {id}",
    "preview.intro": (
        "This is your candidacy as the Secretariat and the jury will read it. Check it, then "
        "confirm to send it."
    ),
    "preview.hidden": "not shown to the jury",
    "preview.confirm": "I have read my candidacy and confirm that it is complete and correct.",
    "preview.send": "Confirm and send",
    "preview.back": "Back to the form",
    "preview.blocked": "It cannot be sent yet:",
    "next.title": "What happens next",
    "next.submitted": (
        "The call closes on {closes}. The Secretariat then checks that your candidacy meets its "
        "rules and tells you by e-mail; after that comes the jury's decision, also by e-mail."
    ),
    "receipt.download": "Download the receipt (PDF)",
    "receipt.title": "Receipt of candidacy {id}",
    "receipt.call": "Call",
    "receipt.sent": "Sent on {when}",
    "receipt.answers": "Answers",
    "receipt.documents": "Documents",
    "receipt.fingerprint": "SHA-256 fingerprint of what was sent",
    "upload.too_large": "The file is too large: at most {size} MB.",
    "upload.too_many_pages": "The document has too many pages: at most {pages}.",
    "upload.not_accepted": "This kind of file is not accepted here; send {types}.",
    "upload.unrecognised": "This file is not a PDF, an image or an office document.",
    "upload.empty": "The file is empty.",
    "upload.macros": "The document contains macros, which are not accepted: save it without them.",
    "upload.extension": "The file's extension does not match its content.",
    "upload.changed": "The candidacy changed meanwhile: reload the page and upload again.",
    "upload.other": "The document could not be uploaded: reload the page and try again.",
}
