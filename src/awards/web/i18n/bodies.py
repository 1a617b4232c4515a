"""The words of the pages of a body that votes or selects (`awards.web.bodies`) in English,
part of the English source (`en.py`); their translations are in the gettext catalogues."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "body.seats": "Committees you sit on",
    "body.seat.vote": "Vote: {call}",
    "body.seat.select": "Selection: {call}",
    "body.chair": "you chair it",
    "body.candidacies": "The candidacies",
    "body.none": "No candidacy is before the committee.",
    "body.answers": "What it proposes",
    "body.conflicted": "You have a conflict of interest with this candidacy: you do not judge it.",
    "body.conflict_submit": "Declare the conflict",
    "body.vote.title": "{body}: the vote",
    "body.vote.ballot": "Your vote",
    "body.vote.secret": "The vote is secret: who voted is kept, not how. You vote once.",
    "body.vote.open": "You vote once; how each member voted is kept.",
    "body.vote.choose": "Choose one candidacy, or abstain",
    "body.vote.abstain": "I abstain",
    "body.vote.submit": "Cast my vote",
    "body.vote.cast_secret": "Your vote is cast; how you voted is not kept.",
    "body.vote.abstained": "You abstained.",
    "body.vote.cast_for": "You voted for {candidacy}.",
    "body.vote.closed": "The vote is closed.",
    "body.vote.tally": "The tally",
    "body.vote.turnout": "{voted} of {members} members have voted; the quorum is {quorum}.",
    "body.vote.votes": "Votes",
    "body.vote.abstentions": "Abstentions",
    "body.vote.tie": "Tied with {votes} vote(s) each: your casting vote",
    "body.vote.settle": "Cast the deciding vote",
    "body.vote.close": "Close the vote",
    "body.vote.elected": "The vote is closed: {candidacy} is chosen.",
    "body.mark.accepted": "Accepted",
    "body.mark.rejected": "Rejected",
    "body.mark.waitlisted": "On the waiting list",
    "body.select.title": "{body}: the selection",
    "body.select.intro": (
        "Mark each candidacy accepted (with its format and session), rejected or on the "
        "waiting list. You may change your mark until the chair confirms the programme."
    ),
    "body.select.your_mark": "Your mark",
    "body.select.save_mark": "Save my mark",
    "body.select.programme": "The programme",
    "body.select.programme_intro": (
        "What most members marked is proposed: change what the committee decided otherwise, "
        "then confirm. Each candidacy takes its outcome and its applicants are told."
    ),
    "body.select.outcome": "Outcome",
    "body.select.confirm": "Confirm the programme",
    "done.voted": "Your vote is recorded.",
    "done.tie_settled": "Your deciding vote is recorded.",
    "done.vote_closed": "The vote is closed.",
    "done.marked": "Your mark is saved.",
    "done.programme_confirmed": "The programme is confirmed.",
    "done.body_conflict": (
        "Your conflict of interest is recorded: you no longer judge this candidacy."
    ),
}
