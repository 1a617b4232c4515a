"""The words of the Secretariat's console in English: a candidacy's page, the exports of
candidacies, the committee's ranking and the dashboard. Part of the English source (`en.py`);
their translations are in the gettext catalogues."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "candidacy.number": "Candidacy {number}",
    "candidacy.answers": "Answers and documents",
    "candidacy.download": "Download",
    "candidacy.not_viewable": "This document cannot be shown in the page: download it.",
    "candidacy.no_checks": "No check: this step is always possible.",
    "candidacy.rules": "Eligibility rules",
    "candidacy.no_rules": "This call has no eligibility rule the Secretariat may override.",
    "candidacy.overridden_by": "Overridden by {by} on {at}:",
    "candidacy.reviews": "Reviews and comments",
    "candidacy.reviews_later": "The jury's reviews are shown here once the review has started.",
    "candidacy.comment_applicant": "Comment for the applicant",
    "candidacy.by": "By",
    "candidacy.system": "the system",
    "candidacy.created": "Started",
    "candidacy.overridden": "Rule overridden: {rule}",
    "candidacy.mails": "Mails sent about it",
    "candidacy.no_mails": "No mail about this candidacy yet.",
    "candidacy.override": "Override this rule for this candidacy",
    "candidacy.override_reason": "Why (kept in its history)",
    "candidacy.override_submit": "Override the rule",
    "done.override": "The rule is overridden for this candidacy; the reason is in its history.",
    "export.sheet": "Candidacies",
    "export.number": "Number",
    "export.pseudonym": "Pseudonym",
    "export.organisation": "Organisation",
    "export.country": "Country",
    "export.state": "State",
    "export.title": "Every candidacy with its answers",
    "export.intro": (
        "One row per candidacy sent (drafts are left out), one column per question, headed by "
        "its label in the language you choose."
    ),
    "export.language": "Language of the headers and answers",
    "export.anonymised": "Anonymised, as the jury reads them",
    "export.anonymised_help": (
        "Removes the organisation and its country and these questions: {fields}; names in "
        "the texts are blacked out and documents keep a neutral name."
    ),
    "export.no_field_removed": "none",
    "export.named": "With the organisations' names",
    "export.download": "Download ({format})",
    "ranking.for_committee": "The ranking for the committee, on a page of its own",
    "ranking.committee_title": "Ranking: {call}",
    "ranking.score_of": "Score (out of {high})",
    "ranking.raw_score": "Raw score",
    "ranking.range": "Its jurors' scores",
    "ranking.from_to": "from {low} to {high}",
    "ranking.discuss": "worth discussing",
    "ranking.score_help": (
        "A candidacy's score is the {aggregate} of its final reviews, each the weighted "
        "average of the criteria, on the scale from {low} to {high}, rounded to a tenth."
    ),
    "ranking.aggregate.mean": "mean",
    "ranking.aggregate.median": "median",
    "ranking.aggregate.trimmed_mean": "trimmed mean (the highest and lowest reviews left out)",
    "ranking.normalised_help": (
        "The score is normalised: each juror's scores are first put on the panel's footing, so "
        "that a harsh juror's candidacies are not ranked lower for it, nor a lenient one's "
        "higher. The raw score is the same average without that correction."
    ),
    "ranking.range_help": (
        "Its jurors' scores: the lowest and the highest review of the candidacy. Three points "
        "or more apart, the jurors read it differently: worth discussing before deciding."
    ),
    "ranking.leniency_help": (
        "A juror's leniency is how far their average is above (+) or below (-) the average of "
        "every review: a lenient juror scores high, a harsh one low. It is a habit, not an "
        "error; from half a point on, it is noted."
    ),
    "ranking.lenient": "lenient",
    "ranking.harsh": "harsh",
    "ranking.even": "in line with the panel",
    "ranking.agreement_none": (
        "The jury's agreement cannot be measured yet: it needs candidacies read by two jurors."
    ),
    "ranking.agreement_good": "the jurors agree: the ranking can be relied on.",
    "ranking.agreement_tentative": (
        "the jurors partly agree: rely on the ranking with care and discuss close places."
    ),
    "ranking.agreement_worry": (
        "the jurors disagree: the order may owe more to who read what than to the "
        "candidacies. Discuss the candidacies with far-apart scores before deciding."
    ),
    "ranking.agreement_help": (
        "The agreement (Krippendorff's alpha) is 1 when jurors reading the same candidacy give "
        "it the same score, 0 when their scores agree no more than chance. From 0.80 it is "
        "good; between 0.67 and 0.80 tentative; below 0.67, worry."
    ),
    "dashboard.title": "Dashboard",
    "dashboard.link": "Dashboard: what needs you now",
    "dashboard.now": "What needs you now",
    "dashboard.nothing": "Nothing waits for you.",
    "dashboard.overdue": "its deadline has passed: close the call.",
    "dashboard.waiting": "{count} in the state “{state}” wait for a step of yours.",
    "dashboard.late": "jurors late with their reviews: {count}",
    "dashboard.dead": "mails that could not be delivered: {count}",
    "dashboard.calls": "Calls from opening to decision",
    "dashboard.closed_at": "Closed",
    "dashboard.no_calls": "No call is open or under way.",
}
