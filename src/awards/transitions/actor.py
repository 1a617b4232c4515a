"""The caller of a use case and the workflow roles it holds on a subject."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from awards.db.tables import Submission, User


class Role(StrEnum):
    """A user's standing role (API.md)."""

    SECRETARIAT = "secretariat"
    JUROR = "juror"
    APPLICANT = "applicant"


class WorkflowRole(StrEnum):
    """Roles named in call-kind workflows, derived from the user and the subject."""

    SECRETARIAT = "secretariat"
    OWNER = "owner"
    JUROR = "juror"
    """A member of the call's panel: it knows the candidacies exist (a transition it may not
    fire is refused, not hidden)."""
    PRESIDENT = "president"
    """President of the call's jury panel."""
    SYSTEM = "system"


@dataclass(frozen=True)
class Actor:
    """A signed-in user, an anonymous visitor, or the system itself (timers)."""

    id: int | None
    email: str
    role: Role | None
    organisation_id: int | None = None
    locale: str = "en"
    system: bool = False
    network: str | None = None
    """The network a Secretariat member runs the calls of; None for every network."""

    @classmethod
    def of(cls, user: User) -> Actor:
        return cls(
            id=user.id,
            email=user.email,
            role=Role(user.role),
            organisation_id=user.organisation_id,
            locale=user.locale,
            network=user.network,
        )

    @property
    def is_secretariat(self) -> bool:
        return self.role is Role.SECRETARIAT

    def runs(self, network: str) -> bool:
        """Whether this is the Secretariat of `network` (a call kind's network)."""
        return self.is_secretariat and self.network in (None, network)

    def owns(self, submission: Submission) -> bool:
        return (
            self.role is Role.APPLICANT
            and self.organisation_id is not None
            and self.organisation_id == submission.organisation_id
        )

    @property
    def is_anonymous(self) -> bool:
        return self.role is None and not self.system

    def roles_on_call(self) -> set[str]:
        if self.system:
            return {WorkflowRole.SYSTEM}
        return {WorkflowRole.SECRETARIAT} if self.is_secretariat else set()

    def roles_on(self, submission: Submission) -> set[str]:
        roles = self.roles_on_call()
        if self.owns(submission):
            roles.add(WorkflowRole.OWNER)
        return roles


SYSTEM = Actor(id=None, email="system", role=None, system=True)
ANONYMOUS = Actor(id=None, email="", role=None)
