"""An Educating Cities Award edition published through the workflow: 3 laureates and 7
special mentions, each in its own town, with its own words, documents and consents."""

from __future__ import annotations

from dataclasses import dataclass

from awards.calls.service import CallService
from awards.submissions.attachments import AttachmentService
from awards.submissions.service import SubmissionService
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime
from conftest import MovableClock, Tokens, chunks_of, draft
from harness.seeding import applicant, city

COUNTRIES = ("ES", "PT", "FR", "MX", "IT")
THEMES = ("lifelong_education", "socio_labour_integration", "cultural_community_life")
WORDS = {"en": "garden", "fr": "jardin", "es": "huerto", "pt": "horta"}


@dataclass(frozen=True)
class Town:
    number: int
    submission: int

    @property
    def laureate(self) -> bool:
        return self.number < 3

    @property
    def consent(self) -> list[str]:
        """Laureates share everything; odd mentions their summary; even mentions nothing."""
        if self.laureate:
            return ["summary", "contact", "documents"]
        return ["summary"] if self.number % 2 else []

    @property
    def country(self) -> str:
        return COUNTRIES[self.number % len(COUNTRIES)]

    @property
    def theme(self) -> str:
        return THEMES[self.number % len(THEMES)]

    @property
    def principle(self) -> int:
        return self.number + 1

    @property
    def secret(self) -> str:
        """A word only this town's summary holds."""
        return f"summaryword{self.number}"

    @property
    def email(self) -> str:
        return f"contact{self.number}@town{self.number}.test"

    @property
    def website(self) -> str:
        return f"https://town{self.number}.test/experience"

    def document(self, field: str) -> tuple[str, bytes]:
        """The file this town uploaded as `field` (`annex`, `support_letter`): name, bytes."""
        return f"{field}-town{self.number}.pdf", f"%PDF-1.4\n% {field} {self.number}\n".encode()


def answers(number: int, consent: list[str]) -> dict[str, object]:
    return {
        "title": {language: f"{word}{number} school" for language, word in WORDS.items()},
        "summary": {
            language: f"summaryword{number} {word} {language}" for language, word in WORDS.items()
        },
        "focus_area": THEMES[number % len(THEMES)],
        "charter_principles": [str(number + 1), "17"],
        "contact_email": f"contact{number}@town{number}.test",
        "website": f"https://town{number}.test/experience",
        "publication_consent": consent,
    }


async def upload(runtime: Runtime, town: Town, field: str, actor: Actor) -> None:
    name, content = town.document(field)

    await AttachmentService(runtime).upload(
        town.submission, field, chunks_of(content), name, actor=actor
    )


async def published_edition(
    runtime: Runtime, clock: MovableClock, tokens: Tokens, call_id: int
) -> list[Town]:
    """Ten towns' candidacies with an annex and a support letter each: 0-2 laureates, 3-9
    special mentions, all published."""
    staff, service, calls = (
        tokens.actors["secretariat"],
        SubmissionService(runtime),
        CallService(runtime),
    )
    towns = []
    for number in range(10):
        member = city(f"Town {number}", country=COUNTRIES[number % len(COUNTRIES)])
        actor = await applicant(runtime, clock, member)
        consent = Town(number, 0).consent
        town = Town(number, await draft(runtime, call_id, actor, **answers(number, consent)))
        for field in ("annex", "support_letter"):
            await upload(runtime, town, field, actor)
        await service.fire(town.submission, "submit", actor=actor)
        await service.fire(town.submission, "mark_eligible", actor=staff)
        towns.append(town)
    for step in ("close", "start_review"):
        await calls.fire(call_id, step, actor=staff)
    for town in towns:
        await service.fire(town.submission, "start_review", actor=staff)
    await calls.fire(call_id, "deliberate", actor=staff)
    for town in towns:
        await service.fire(town.submission, "award" if town.laureate else "mention", actor=staff)
    await calls.fire(call_id, "publish", actor=staff)
    for town in towns:
        await service.fire(town.submission, "publish", actor=staff)
    return towns
