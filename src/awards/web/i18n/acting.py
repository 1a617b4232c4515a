"""The words of the Secretariat's acts in English: bulk actions (`awards.web.bulk`),
confirmations of irreversible steps, panels and invitations, the call editor; part of the English
source (`en.py`), kept apart so each file stays one screenful per feature."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "bulk.with_chosen": "With the ticked candidacies:",
    "bulk.review": "Review before acting",
    "bulk.select_all": "Select all",
    "bulk.choose": "Choose candidacy {number}",
    "bulk.confirm_title": "{what}: candidacies chosen, {count}",
    "bulk.consequence": (
        "Each chosen candidacy moves to “{state}” on its own: its history records the step and "
        "the e-mails the step sends go out. A candidacy refused stays as it is, with the reason."
    ),
    "bulk.some_refused": "{count} of them cannot take this step now: see why below.",
    "bulk.chosen": "Chosen candidacies: {count}",
    "bulk.now": "Now",
    "bulk.ready": "ready",
    "bulk.go": "{what} ({count})",
    "bulk.report_title": "{what}: what happened to each candidacy",
    "bulk.summary": "Done: {done} of {count}. Refused: {refused}.",
    "bulk.outcomes": "Each candidacy",
    "bulk.outcome": "Outcome",
    "bulk.done": "done, now {state}",
    "bulk.refused": "refused",
    "bulk.refused.wrong_state": "not possible from “{state}”",
    "bulk.refused.forbidden": "you may not take this step on it",
    "bulk.refused.changed": "it changed meanwhile: reload the call and try again",
    "bulk.back": "Back to the call",
    "confirm.cancel": "Cancel, change nothing",
    "confirm.title": "{what}: {call}?",
    "confirm.close": (
        "{count} organisations with a candidacy not yet submitted will no longer be able to "
        "submit it, and no one can start a new one. The {submitted} candidacies submitted go on."
    ),
    "confirm.publish": (
        "The results become public and final: everyone sees this call as published, with the "
        "decisions on its {submitted} candidacies."
    ),
    "confirm.declare_void": (
        "No prize is given in this call: none of its {submitted} candidacies is awarded, and "
        "everyone sees the call as declared void."
    ),
    "confirm.irreversible": "This cannot be undone.",
    "confirm.not_now": "This step is not possible now:",
    "confirm.go": "Yes: {what}",
    "call.closed": "Closed; the deadline was",
    "panel.manage": "Choose the panel, invite jurors",
    "panel.page_title": "The jury's panel",
    "panel.choose": "Choose from the jurors known",
    "panel.choose_help": (
        "Tick who sits on this call's panel and choose its president. Someone not in the list: "
        "invite them below; once they accept, they sit on the panel."
    ),
    "panel.sits": "Sits",
    "panel.president_of": "{name} presides",
    "panel.nobody_yet": "No juror is known yet: invite the first ones below.",
    "invite.title": "Invite people by e-mail",
    "invite.addresses": "E-mail addresses",
    "invite.addresses_help": "One per line, the person's name after the address if you wish.",
    "invite.role": "As",
    "invite.as.juror": "juror",
    "invite.as.president": "president of the jury",
    "invite.as.applicant": "applicant for the organisation",
    "invite.language": "Language of the invitation",
    "invite.send": "Send the invitations",
    "invite.some_refused": (
        "These addresses were not invited; the others were. Correct them below and send again."
    ),
    "invite.empty": "Type at least one e-mail address.",
    "invite.refused.not_an_address": "this is not an e-mail address",
    "invite.refused.other_role": "this person already has another role here",
    "invite.refused.other_organisation": "this person acts for another organisation",
    "invite.refused.refused": "the invitation could not be sent",
    "invite.sent_title": "Invitations",
    "invite.none": "No invitation sent yet.",
    "invite.person": "Person",
    "invite.sent_at": "Sent",
    "invite.state": "State",
    "invite.state.sent": "sent, not accepted yet",
    "invite.state.accepted": "accepted",
    "invite.state.expired": "expired",
    "invite.until": "valid until",
    "invite.resend": "Send again",
    "done.invited": "Invitations sent by e-mail: {count}.",
    "done.invitation_resent": "The invitation is sent again, with a new link.",
    "call_form.new_title": "Create a call",
    "call_form.choose_kind": (
        "Choose the kind of call: it brings its form, rules, jury and workflow."
    ),
    "call_form.new_of": "New call: {kind}",
    "call_form.edit_title": "Edit {call}",
    "call_form.edit": "Edit the call",
    "call_form.edition": "Edition",
    "call_form.edition_help": "The year or name of this edition, such as 2027.",
    "call_form.languages": "Languages of the call",
    "call_form.languages_help": (
        "Everything applicants read exists in each; {language} is required."
    ),
    "call_form.titles": "Title in each language of the call",
    "call_form.timezone": "Time zone of the dates",
    "call_form.timezone_help": (
        "An IANA zone such as Europe/Madrid: the deadline is enforced there."
    ),
    "call_form.opens_at": "Opens on",
    "call_form.closes_at": "Closes on",
    "call_form.settings": "Settings of this edition",
    "call_form.setting.started_before": "Initiatives started before",
    "call_form.setting_help.started_before": (
        "Candidacies must describe an initiative started before this date."
    ),
    "call_form.setting.excluded": "Organisations excluded",
    "call_form.setting_help.excluded": (
        "One per line: the organisation's short name, then why (on the jury, hosting the congress)."
    ),
    "call_form.setting.grace_minutes": "Minutes of grace after the deadline",
    "call_form.setting_help.grace_minutes": "Submissions are still accepted this long after it.",
    "call_form.setting.reminder_days": "Reminders to drafts, in days before the deadline",
    "call_form.setting_help.reminder_days": "Such as 14, 3.",
    "call_form.create": "Create the call",
    "call_form.save": "Save the changes",
    "call_form.problem.edition": (
        "Write the edition; a call of this kind and edition may exist already."
    ),
    "call_form.problem.title": "Write the title in each language of the call, on one line.",
    "call_form.problem.languages": "Choose the call's languages, including its main one.",
    "call_form.problem.timezone": "This is not a time zone: write one such as Europe/Madrid.",
    "call_form.problem.opens_at": "Write when the call opens, as a date and time.",
    "call_form.problem.closes_at": "Write when the call closes, as a date and time after it opens.",
    "call_form.problem.started_before": "Write the cut-off as a date.",
    "call_form.problem.excluded": "Write one organisation per line, then the reason.",
    "call_form.problem.grace_minutes": (
        "Write the grace as a whole number of minutes, up to a week."
    ),
    "call_form.problem.reminder_days": "Write the reminders as whole days, such as 14, 3.",
    "call_form.problem.organisation": "An organisation excluded is not in the register.",
    "call_form.problem.version": "The call changed meanwhile: reload the page and edit again.",
    "call_form.problem.state": "Only a call not yet open is edited here.",
    "call_form.problem.other": "The call could not be saved.",
    "done.call_created": "The call is created, as a draft: open it when it is ready.",
    "done.call_edited": "The call is saved.",
    "workflow.title": "How a call of this kind goes",
    "workflow.call": "The call",
    "workflow.submission": "Each candidacy",
    "workflow.initial": "where it starts",
    "workflow.final": "where it ends",
    "workflow.mermaid": "As a Mermaid diagram",
    "workflow.role.secretariat": "Secretariat",
    "workflow.role.owner": "applicant",
    "workflow.role.president": "jury president",
    "workflow.role.system": "automatic",
    "accounts.title": "People who act for it",
    "accounts.none": "Nobody acts for this organisation yet.",
    "reopen.review_link": "Return this review to draft",
    "reopen.review_title": "Return a final review of {pseudonym} to draft",
    "reopen.review_what": (
        "{juror}'s final review of {pseudonym} (round: {round}) becomes a draft again: the "
        "ranking leaves it out until it is final again."
    ),
    "reopen.review_then": (
        "The juror is told by e-mail, with your reason, and may change it and finalise it again."
    ),
    "reopen.review_go": "Return the review to draft",
    "reopen.not_final": "This review is not final: its juror may still change it.",
    "reopen.round_closed": (
        "The round is closed: reopen the round to let its jurors change reviews."
    ),
    "reopen.reason": "Why (the juror reads it)",
    "reopen.round_link": "Reopen the round “{round}”",
    "reopen.round_title": "Reopen the round “{round}”",
    "reopen.round_what": (
        "Final reviews that become drafts again: {final}. Jurors of the round, each told by "
        "e-mail with your reason and the new deadline: {jurors}."
    ),
    "reopen.round_was_closed": "The round is closed; it opens again until the new deadline.",
    "reopen.round_deadline": "Its deadline now:",
    "reopen.until": "Open until ({zone})",
    "reopen.not_reviewing": "The call's jury no longer reviews: no round can reopen now.",
    "reopen.round_go": "Reopen the round",
    "done.review_reopened": "The review is a draft again; its juror is told by e-mail.",
    "done.round_reopened": (
        "The round is open again: {count} final reviews are drafts again; its jurors are told."
    ),
}
