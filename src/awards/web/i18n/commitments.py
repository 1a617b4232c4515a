"""The commitments pages' words in English (`awards.commitments`), part of the English source
(`en.py`); kept apart so each file stays one screenful per feature. Their translations are in
the gettext catalogues. `commitments.refused.<code>` says a refused step
(`awards.commitments.refusals`)."""

from __future__ import annotations

from awards.commitments.refusals import REFUSALS

MESSAGES: dict[str, str] = {
    "commitments.title": "After the decision",
    "commitments.blank": "Download the agreement to sign",
    "commitments.done": "Recorded.",
    "commitments.expected": "What is expected, and when",
    "commitments.what": "What",
    "commitments.due": "Due on",
    "commitments.state": "State",
    "commitments.late": "late",
    "commitments.state.due": "to send",
    "commitments.state.signed": "signed",
    "commitments.state.sent": "sent, awaiting the Secretariat",
    "commitments.state.returned": "returned for changes",
    "commitments.state.accepted": "accepted",
    "commitments.returned_because": "Returned because:",
    "commitments.accept_intro": (
        "By accepting, you sign the agreement in the name of your organisation; "
        "your name and the time are kept."
    ),
    "commitments.accept": "Accept and sign the agreement",
    "commitments.baseline_target": "Baseline {baseline}, target {target}",
    "commitments.send": "Send the report",
    "commitments.payments": "What was paid",
    "commitments.instalment": "Instalment",
    "commitments.amount": "Amount",
    "commitments.after": "Paid after",
    "commitments.paid": "Paid on",
    "commitments.not_paid": "not paid yet",
    "commitments.after_report": "{report} accepted",
    "commitments.after_agreement": "the agreement signed",
    "commitments.follow_title": "Laureates' commitments",
    "commitments.export": "Payments for the accountants (CSV)",
    "commitments.actions": "Actions",
    "commitments.accept_report": "Accept",
    "commitments.return_report": "Return for changes",
    "commitments.new_due": "New due date",
    "commitments.extend": "Extend",
    "commitments.paid_on": "paid on {day}, reference {reference}",
    "commitments.reference": "Reference",
    "commitments.record_payment": "Record the payment",
    "commitments.none": "No laureate has commitments in this call yet.",
    "commitments.totals": "Totals",
    "commitments.category": "Category",
    "commitments.planned": "Planned",
    "commitments.whole_call": "Whole call",
    "commitments.indicators": "Indicators across laureates",
    "commitments.no_values": "No report has given a value yet.",
    "commitments.link": "Commitments after the decision",
    **{f"commitments.refused.{code}": text for code, text in REFUSALS.items()},
}
