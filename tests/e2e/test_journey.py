"""One candidacy from a city's first sign-in to its published result, in headless Chromium
against the real server (`awards serve`), with the links mailed through a real SMTP server.

A city signs in by the link it is mailed, fills and submits a candidacy with an upload; the
Secretariat marks it eligible and assigns the jury; the juror scores it on the anonymised
page (whose HTML names nobody); the president proposes it as laureate and the Secretariat
confirms and publishes; the city reads the result, and anyone finds it in the databank by a
word of its title. In English, French, Spanish and Portuguese: in the last three no English
word of the pages' catalogue may be left; in Spanish and Portuguese axe-core finds nothing
serious on any page, and the Spanish journey ends reading every page of the site. Screenshots
of every step: `var/e2e/`.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfWriter

from awards.app import create_app
from awards.submissions.consequences import IRREVERSIBLE
from awards.web.i18n import translator
from conftest import running_smtp_server
from e2e.browsing import browser, chromium, identities_in, inaccessible, shoot, untranslated
from e2e.servers import People, RunningService, people_of, running_service
from harness.databases import repository_settings
from harness.seeding import AWARD_TITLE
from reliability.roles import routes_of

LEVEL_3 = {"en": "Limited", "fr": "Limité", "es": "Limitado", "pt": "Limitado"}
"""What a score of 3 means in the award's rubric."""
CRITERIA = ("relevance", "impact", "scope", "government_involvement", "participation", "innovation")
AXED = ("es", "pt")
"""The journeys whose every page axe-core checks (each check takes a second or two)."""
BROWSER_LOCALE = {"en": "en-GB", "fr": "fr-FR", "es": "es-ES", "pt": "pt-PT"}
TEXTS = {
    "title": {
        "en": "Schoolyards as squares",
        "fr": "Cours d'école ouvertes",
        "es": "Patios abiertos",
        "pt": "Pátios abertos",
    },
    "summary": {
        "en": "Schoolyards stay open",
        "fr": "Les cours restent ouvertes",
        "es": "Los patios abren",
        "pt": "Os pátios abrem",
    },
    "description": {
        "en": "Weekends in forty schools",
        "fr": "Quarante écoles le week-end",
        "es": "Cuarenta escuelas",
        "pt": "Quarenta escolas",
    },
    "impact": {
        "en": "Twelve thousand visits",
        "fr": "Douze mille visites",
        "es": "Doce mil visitas",
        "pt": "Doze mil visitas",
    },
}


def annex(people: People) -> bytes:
    """A one-page PDF whose metadata names its authors: the jury must get it without them."""
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_metadata({"/Author": people.contact, "/Title": f"{people.organisation} candidacy"})
    content = io.BytesIO()
    writer.write(content)
    return content.getvalue()


class Journey:
    """The people's browsers on the running service, and the checks made at every step."""

    def __init__(
        self, service: RunningService, chromium: Any, people: People, language: str
    ) -> None:
        self.service = service
        self.chromium = chromium
        self.people = people
        self.language = language
        self.t = translator(language)
        self.used_links: set[str] = set()
        self.pages: dict[str, Any] = {}
        self.ids: dict[str, str] = {"organisation": people.organisation.lower()}
        """What the pages' addresses hold (`call`, `submission`, `assignment`), as met."""

    def page(self, who: str) -> Any:
        """A browser of its own for `who` (its own cookies), kept for the later steps."""
        context = self.chromium.new_context(
            locale=BROWSER_LOCALE[self.language],
            timezone_id="America/Sao_Paulo",
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(10_000)
        self.pages[who] = context.new_page()
        return self.pages[who]

    def step(self, page: Any, name: str) -> None:
        """A screenshot; in another language than English, no English left on the page; in
        `AXED`, nothing axe-core finds serious or critical."""
        shoot(page, self.language, name)
        if self.language != "en":
            assert untranslated(page, self.language) == [], (name, page.url)
        if self.language in AXED:
            assert inaccessible(page) == [], (name, page.url)

    def anonymous(self, page: Any) -> None:
        """Neither the page as shown nor its HTML source names the applicant."""
        assert identities_in(page.content(), self.people.secrets) == [], page.url
        source = page.context.request.get(page.url).text()
        assert identities_in(source, self.people.secrets) == [], page.url

    def sign_in(self, page: Any, email: str) -> None:
        """Ask for a link on /login, take it from the SMTP server, open it, press the button."""
        t = self.t
        page.goto(f"{self.service.base_url}/login")
        page.get_by_label(t("login.email")).fill(email)
        page.get_by_role("button", name=t("login.send")).click()
        page.get_by_role("heading", name=t("login.sent_title")).wait_for()
        link = self.service.new_sign_in_link(email, used=self.used_links)
        page.goto(link)
        page.get_by_role("button", name=t("link.sign_in")).click()
        page.get_by_role("button", name=t("nav.sign_out")).wait_for()

    def notice(self, page: Any, text: str) -> None:
        page.locator(".alert.ok", has_text=text).wait_for()

    def done(self, page: Any, transition: str) -> None:
        self.notice(page, self.t(f"transitioned.{transition}"))

    def call_step(self, page: Any, step: str) -> None:
        """A step of the call's lifecycle; an irreversible one is confirmed on its own page."""
        what = self.t(f"transition.{step}")
        page.locator("#lifecycle").get_by_role("button", name=what).click()
        if step in IRREVERSIBLE:
            page.locator("#consequence").wait_for()
            page.get_by_role("button", name=self.t("confirm.go", what=what)).click()
        self.done(page, step)


@pytest.fixture(params=["en", "fr", "es", "pt"])
def language(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_a_candidacy_goes_from_sign_in_to_published_result(language: str, tmp_path: Path) -> None:
    chromium()
    people = people_of(language)
    with (
        running_smtp_server() as smtp,
        running_service(tmp_path, smtp, people, language=language) as service,
        browser() as launched,
    ):
        journey = Journey(service, launched, people, language)
        try:
            submission = the_city_submits(journey)
            the_secretariat_prepares_the_jury(journey, submission)
            the_juror_scores_anonymously(journey)
            the_president_proposes_and_the_secretariat_decides(journey, submission)
            the_city_reads_the_result(journey, submission)
            the_public_finds_it_in_the_databank(journey)
            if language == SWEPT:
                every_page_reads_in_the_language_and_passes_axe(journey)
        except Exception:
            for who, page in journey.pages.items():
                shoot(page, language, f"failed-{who}")
            raise


def the_city_submits(journey: Journey) -> int:
    t, people, base = journey.t, journey.people, journey.service.base_url
    city = journey.page("city")
    city.goto(f"{base}/")
    city.get_by_text(AWARD_TITLE[journey.language]).wait_for()
    journey.step(city, "01-open-calls")
    journey.sign_in(city, people.city)
    journey.step(city, "02-my-submissions")

    city.get_by_role("button", name=t("my.start")).click()
    city.locator("#draft").wait_for()
    for field, texts in TEXTS.items():
        for language, text in texts.items():
            city.fill(f"#a-{field}-{language}", text)
    city.select_option("#a-focus_area", "lifelong_education")
    city.fill("#a-started_on", "2022-09-01")
    city.fill("#a-contact_name", people.contact)
    city.fill("#a-contact_email", people.contact_email)
    city.set_input_files(
        "#file-annex",
        files=[
            {
                "name": f"{people.organisation}-annex.pdf",
                "mimeType": "application/pdf",
                "buffer": annex(people),
            }
        ],
    )
    uploaded = city.locator("[data-field=annex]")
    uploaded.get_by_text(t("documents.uploaded")).wait_for()
    assert uploaded.locator("progress").evaluate("bar => bar.value") == 100
    submit = city.locator("#checks").get_by_role("link", name=t("preview.open"))
    submit.wait_for()
    saved = re.escape(t("autosave.saved", version="0")).replace("0", r"\d+")
    city.locator("#autosave", has_text=re.compile(saved)).wait_for()
    journey.step(city, "03-candidacy-filled")

    submit.click()
    city.locator("#preview").get_by_text("Cours d'école ouvertes").first.wait_for()
    journey.step(city, "03b-candidacy-previewed")
    city.locator("#send").get_by_label(t("preview.confirm")).check()
    city.locator("#send").get_by_role("button", name=t("preview.send")).click()
    journey.done(city, "submit")
    city.locator("#next").wait_for()
    assert t("state.submitted") in city.locator(".meta").inner_text()
    assert "Cours d'école ouvertes" in city.content()
    # The mail saying it arrived carries the receipt, and the Messages panel says so.
    receipt = t("mail.attached", what=t("attachment.receipt"))
    city.locator("#messages summary", has_text=receipt).first.wait_for()
    journey.step(city, "04-candidacy-submitted")
    journey.ids["submission"] = city.url.split("?")[0].rsplit("/", 1)[1]
    return int(journey.ids["submission"])


def the_secretariat_prepares_the_jury(journey: Journey, submission: int) -> None:
    t, people = journey.t, journey.people
    staff = journey.page("secretariat")
    journey.sign_in(staff, people.secretariat)
    journey.step(staff, "05-secretariat")
    staff.get_by_role("link", name=AWARD_TITLE[journey.language]).click()
    staff.wait_for_url(re.compile(r"/secretariat/calls/\d+$"))
    journey.ids["call"] = staff.url.rsplit("/", 1)[1]
    row = staff.locator(f"#submission-{submission}")
    assert people.organisation in row.inner_text()  # the Secretariat knows who applied
    row.get_by_role("button", name=t("transition.mark_eligible")).click()
    journey.done(staff, "mark_eligible")
    for step in ("close", "start_review"):
        journey.call_step(staff, step)
    row.get_by_role("button", name=t("transition.start_review")).click()
    journey.done(staff, "start_review")
    staff.get_by_role("link", name=t("panel.manage")).click()
    staff.get_by_role("checkbox", name="Nadia Diallo").check()
    staff.get_by_role("radio", name=t("panel.president_of", name="Nadia Diallo")).check()
    staff.get_by_role("button", name=t("panel.save")).click()
    journey.notice(staff, t("done.panel"))
    staff.locator(".crumbs").get_by_role("link", name=AWARD_TITLE[journey.language]).click()
    staff.get_by_role("button", name=t("assign.submit")).click()
    journey.notice(staff, t("done.assigned", created=1, short=0))
    journey.step(staff, "06-jury-assigned")


def the_juror_scores_anonymously(journey: Journey) -> None:
    t, people = journey.t, journey.people
    juror = journey.page("juror")
    journey.sign_in(juror, people.juror)
    juror.get_by_text(t("jury.progress", done=0, total=1)).first.wait_for()
    journey.anonymous(juror)
    journey.step(juror, "07-jury-assignments")

    juror.get_by_role("link", name=re.compile(r"^ECA26-")).click()
    juror.get_by_role("heading", name=t("review.title")).wait_for()
    journey.ids["assignment"] = juror.url.split("?")[0].rsplit("/", 1)[1]
    journey.anonymous(juror)
    assert juror.locator("iframe.document").count() == 1  # the annex beside the scores
    document = juror.locator(".dossier a[href*='/documents/']")
    assert document.inner_text() == "annex-1.pdf"
    served = juror.context.request.get(
        f"{journey.service.base_url}{document.get_attribute('href')}"
    )
    content = served.body().decode("latin-1")
    assert content.startswith("%PDF")
    assert identities_in(content, people.secrets) == []  # its metadata named the city
    journey.step(juror, "08-anonymised-dossier")
    for criterion in CRITERIA:
        juror.fill(f"#score-{criterion}", "8")
    juror.fill("#score-innovation", "3")  # the total and the level follow as scores are typed
    total = t("review.total", total="7.2", high=10, scored=len(CRITERIA), count=len(CRITERIA))
    assert juror.locator("#review-total").inner_text() == total
    assert juror.locator("#level-innovation").inner_text() == LEVEL_3[journey.language]
    juror.get_by_label(t("review.comment_jury")).fill("Convaincant, transférable.")
    juror.get_by_role("button", name=t("review.finalise")).click()
    journey.notice(juror, t("done.review_final"))
    journey.anonymous(juror)
    journey.step(juror, "09-review-final")


def the_president_proposes_and_the_secretariat_decides(journey: Journey, submission: int) -> None:
    t = journey.t
    staff, juror = journey.pages["secretariat"], journey.pages["juror"]
    staff.reload()
    staff.locator("#ranking svg.chart").first.wait_for()
    journey.step(staff, "10-ranking")
    journey.call_step(staff, "deliberate")

    juror.goto(f"{journey.service.base_url}/jury")
    juror.get_by_role("link", name=t("jury.deliberate", call=AWARD_TITLE[journey.language])).click()
    juror.get_by_role("button", name=t("transition.propose_laureate")).click()
    journey.done(juror, "propose_laureate")
    journey.anonymous(juror)
    journey.step(juror, "11-president-proposes")

    staff.reload()
    row = staff.locator(f"#submission-{submission}")
    row.get_by_role("button", name=t("transition.confirm_laureate")).click()
    journey.done(staff, "confirm_laureate")
    journey.call_step(staff, "publish")
    row.get_by_role("button", name=t("transition.publish")).click()
    journey.done(staff, "publish")
    assert t("state.published") in row.inner_text()
    journey.step(staff, "12-decided-and-published")


def the_city_reads_the_result(journey: Journey, submission: int) -> None:
    t, city = journey.t, journey.pages["city"]
    city.goto(f"{journey.service.base_url}/my/submissions/{submission}")
    assert t("state.published") in city.locator(".meta").inner_text()
    history = city.locator("#history").inner_text()
    assert t("transition.confirm_laureate") in history
    journey.step(city, "13-result")
    city.set_viewport_size({"width": 390, "height": 844})
    assert city.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    journey.step(city, "14-result-on-a-phone")


SEARCHED = {"en": "squares", "fr": "ouvertes", "es": "abiertos", "pt": "abertos"}
"""A word of the candidacy's title in each journey's language."""


def the_public_finds_it_in_the_databank(journey: Journey) -> None:
    t, language = journey.t, journey.language
    visitor = journey.page("public")
    visitor.goto(f"{journey.service.base_url}/")
    visitor.get_by_role("navigation").get_by_role("link", name=t("nav.databank")).click()
    visitor.get_by_label(t("databank.words")).fill(SEARCHED[language])
    visitor.get_by_label(t("databank.distinction")).select_option("laureate")
    visitor.get_by_role("button", name=t("databank.search")).click()
    entry = visitor.locator(".entry", has_text=TEXTS["title"][language])
    entry.wait_for()
    assert t("distinction.laureate") in entry.inner_text()
    assert journey.people.organisation in entry.inner_text()  # a laureate is public
    assert visitor.locator(".entry").count() == 1
    journey.step(visitor, "15-databank")


SWEPT = "es"
"""The journey that then reads every page: once is enough, in a language other than English."""
PAGES = {
    "/": ("public", "/"),
    "/login": ("public", "/login"),
    "/login/link/{token:str}": ("public", "/login/link/not-a-link"),
    "/invitations/{token:str}": ("public", "/invitations/not-an-invitation"),
    "/mailbox": ("public", "/mailbox"),
    "/databank": ("public", "/databank"),
    "/calls/{call_id:int}/results": ("public", "/calls/{call}/results"),
    "/calls/{call_id:int}": ("public", "/calls/{call}"),
    "/my": ("city", "/my"),
    "/my/submissions/{submission_id:int}/preview": ("city", "/my/submissions/{submission}/preview"),
    "/my/submissions/{submission_id:int}/commitments/agreement/blank": (
        "city",
        "/my/submissions/{submission}/commitments/agreement/blank",
    ),
    "/my/submissions/{submission_id:int}": ("city", "/my/submissions/{submission}"),
    "/my/submissions/{submission_id:int}/commitments": (
        "city",
        "/my/submissions/{submission}/commitments",
    ),
    "/jury": ("juror", "/jury"),
    "/jury/assignments/{assignment_id:int}": ("juror", "/jury/assignments/{assignment}"),
    "/jury/calls/{call_id:int}": ("juror", "/jury/calls/{call}"),
    "/jury/calls/{call_id:int}/vote": ("juror", "/jury/calls/{call}/vote"),
    "/jury/calls/{call_id:int}/selection": ("juror", "/jury/calls/{call}/selection"),
    "/secretariat": ("secretariat", "/secretariat"),
    "/secretariat/calls/{call_id:int}": ("secretariat", "/secretariat/calls/{call}"),
    "/secretariat/calls/{call_id:int}/conflicts": (
        "secretariat",
        "/secretariat/calls/{call}/conflicts",
    ),
    "/secretariat/calls/{call_id:int}/commitments": (
        "secretariat",
        "/secretariat/calls/{call}/commitments",
    ),
    "/secretariat/mail": ("secretariat", "/secretariat/mail"),
    "/secretariat/dashboard": ("secretariat", "/secretariat/dashboard"),
    "/secretariat/calls/new": ("secretariat", "/secretariat/calls/new"),
    "/secretariat/calls/{call_id:int}/edit": ("secretariat", "/secretariat/calls/{call}/edit"),
    "/secretariat/calls/{call_id:int}/panel": ("secretariat", "/secretariat/calls/{call}/panel"),
    "/secretariat/calls/{call_id:int}/ranking": (
        "secretariat",
        "/secretariat/calls/{call}/ranking",
    ),
    "/secretariat/calls/{call_id:int}/bulk": (
        "secretariat",
        "/secretariat/calls/{call}/bulk?name=publish&id={submission}",
    ),
    "/secretariat/calls/{call_id:int}/confirm": (
        "secretariat",
        "/secretariat/calls/{call}/confirm?name=publish",
    ),
    "/secretariat/submissions/{submission_id:int}": (
        "secretariat",
        "/secretariat/submissions/{submission}",
    ),
    "/secretariat/calls/{call_id:int}/rounds/{round_name:str}/reopen": (
        "secretariat",
        "/secretariat/calls/{call}/rounds/preselection/reopen",
    ),
    "/secretariat/calls/{call_id:int}/assignments/{assignment_id:int}/reopen": (
        "secretariat",
        "/secretariat/calls/{call}/assignments/{assignment}/reopen",
    ),
    "/secretariat/calls/{call_id:int}/dates": ("secretariat", "/secretariat/calls/{call}/dates"),
    "/secretariat/calls/{call_id:int}/dates/confirm": (
        "secretariat",
        "/secretariat/calls/{call}/dates/confirm?closes_at=2099-01-31T18:00",
    ),
    "/secretariat/people/{user_id:int}/erasure": ("secretariat", "/secretariat/people/1/erasure"),
    "/secretariat/organisations": ("secretariat", "/secretariat/organisations"),
    "/secretariat/organisations/{slug:str}": (
        "secretariat",
        "/secretariat/organisations/{organisation}",
    ),
}
"""Every page of the site (a GET route that answers HTML), by whom the sweep reads it and
where; a link or an invitation that does not exist, and the mailbox (off here), are read
as the error page they answer."""
NOT_PAGES = ("/api/", "/schema", "/static/", "/health", "/ready", "/metrics", ".atom", ".ics")
NOT_PAGES_EITHER = {
    "/jury/assignments/{assignment_id:int}/documents/{field:str}",
    "/secretariat/submissions/{submission_id:int}/documents/{attachment_id:int}",
    "/my/submissions/{submission_id:int}/receipt.pdf",
    "/secretariat/calls/{call_id:int}/candidacies",
}
"""Documents, not pages: the PDFs the dossier's and the candidacy's pages frame (checked with
those pages), the receipt, the export of candidacies."""


def test_the_sweep_reads_every_page_of_the_site(tmp_path: Path) -> None:
    app = create_app(repository_settings(f"sqlite+aiosqlite:///{tmp_path / 'unused.db'}"))
    pages = {
        route.removeprefix("GET ")
        for route in routes_of(app)
        if route.startswith("GET ") and not any(part in route for part in NOT_PAGES)
    }

    assert pages - NOT_PAGES_EITHER == set(PAGES)


def every_page_reads_in_the_language_and_passes_axe(journey: Journey) -> None:
    """Every page, as the person who reads it: in the journey's language, with no English
    left, and nothing axe-core finds serious or critical (an error page included)."""
    for route, (who, path) in PAGES.items():
        page = journey.pages[who]
        page.goto(journey.service.base_url + path.format_map(journey.ids))
        name = "sweep" + route.replace("/", "-").replace(":", "")
        journey.step(page, re.sub(r"[{}]", "", name))
