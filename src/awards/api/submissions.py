"""Submissions: drafts, edits, transitions, history."""

from __future__ import annotations

from litestar import Controller, get, patch, post
from litestar.di import NamedDependency
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK

from awards.api.schemas import (
    EditSubmissionIn,
    FireTransition,
    HistoryEntryOut,
    NewSubmissionIn,
    OverrideIn,
    SubmissionOut,
    SubmissionStateOut,
    TransitionOption,
    VersionOut,
)
from awards.http.auth import secretariat, signed_in
from awards.http.params import RowId
from awards.submissions.service import SubmissionService
from awards.transitions.actor import Actor


@post("/calls/{call_id:int}/submissions", guards=[signed_in], tags=["submissions"])
async def create_submission(
    call_id: RowId,
    data: JSONBody[NewSubmissionIn],
    submissions: NamedDependency[SubmissionService],
    actor: NamedDependency[Actor],
) -> SubmissionOut:
    """Applicant: a new draft of the caller's organisation in an open call."""
    return SubmissionOut.of(await submissions.create(call_id, data.answers, actor=actor))


class SubmissionController(Controller):
    path = "/submissions/{submission_id:int}"
    tags = ("submissions",)
    guards = (signed_in,)

    @get("/")
    async def get_submission(
        self,
        submission_id: RowId,
        submissions: NamedDependency[SubmissionService],
        actor: NamedDependency[Actor],
    ) -> SubmissionOut:
        """Owner, Secretariat: a submission with its answers, and what they break."""
        submission = await submissions.get(submission_id, actor=actor)
        return SubmissionOut.of(submission, await submissions.problems(submission))

    @patch("/")
    async def edit_submission(
        self,
        submission_id: RowId,
        data: JSONBody[EditSubmissionIn],
        submissions: NamedDependency[SubmissionService],
        actor: NamedDependency[Actor],
    ) -> SubmissionOut:
        """Owner, Secretariat: change answers of a draft at `version` (409 when stale); an
        answer breaking a rule a draft may break is kept as typed and listed in `problems`."""
        submission = await submissions.edit(
            submission_id, data.answers, version=data.version, actor=actor
        )
        return SubmissionOut.of(submission, await submissions.problems(submission))

    @get("/transitions")
    async def submission_transitions(
        self,
        submission_id: RowId,
        submissions: NamedDependency[SubmissionService],
        actor: NamedDependency[Actor],
    ) -> list[TransitionOption]:
        """Owner, Secretariat, a body that does not judge anonymised: what the caller may
        fire now, with the guards that stop it."""
        options = await submissions.options(submission_id, actor=actor)
        return [TransitionOption.of(option) for option in options]

    @post("/transitions", status_code=HTTP_200_OK)
    async def fire_submission_transition(
        self,
        submission_id: RowId,
        data: JSONBody[FireTransition],
        submissions: NamedDependency[SubmissionService],
        actor: NamedDependency[Actor],
    ) -> SubmissionStateOut:
        """Per the call kind's workflow: e.g. `submit` (owner), `mark_eligible` (Secretariat);
        a jury that judges anonymised names no id (404) and fires through the ranking's
        pseudonyms (`POST /api/v1/calls/{id}/ranking/{pseudonym}/transitions`)."""
        submission = await submissions.fire(
            submission_id, data.name, actor=actor, reason=data.reason, inputs=data.inputs
        )
        return SubmissionStateOut.of(submission)

    @get("/history")
    async def submission_history(
        self,
        submission_id: RowId,
        submissions: NamedDependency[SubmissionService],
        actor: NamedDependency[Actor],
    ) -> list[HistoryEntryOut]:
        """Owner, Secretariat: every transition of the submission, oldest first."""
        entries = await submissions.history(submission_id, actor=actor)
        return [HistoryEntryOut.of(entry) for entry in entries]

    @get("/versions")
    async def submission_versions(
        self,
        submission_id: RowId,
        submissions: NamedDependency[SubmissionService],
        actor: NamedDependency[Actor],
    ) -> list[VersionOut]:
        """Owner, Secretariat: each version the submission was sent with (submitted, then
        resubmitted after a return for revision), its answers and documents, and what changed."""
        return [VersionOut.of(v) for v in await submissions.versions(submission_id, actor=actor)]

    @post("/overrides", guards=[secretariat], status_code=HTTP_200_OK)
    async def override_rule(
        self,
        submission_id: RowId,
        data: JSONBody[OverrideIn],
        submissions: NamedDependency[SubmissionService],
        actor: NamedDependency[Actor],
    ) -> SubmissionOut:
        """Secretariat: let an eligibility rule hold for this submission, with a written reason."""
        submission = await submissions.override_rule(
            submission_id, data.rule, reason=data.reason, actor=actor
        )
        return SubmissionOut.of(submission)
