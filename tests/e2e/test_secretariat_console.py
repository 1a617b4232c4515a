"""The Secretariat runs a call without the command line, in Spanish, in headless Chromium
against the real server (`awards serve`), mail read from a real SMTP server.

It creates a call from its kind, invites two jurors nobody knows yet (each accepts from the
mail and sits on the panel), and marks ten candidacies eligible in one action, confirmed
first and reported for each. No English word of the pages' catalogue may be left on a page.
Screenshots of every step: `var/e2e/es/`.
"""

from __future__ import annotations

import io
import re
import time
from pathlib import Path
from typing import Any

import openpyxl

from awards.web.i18n import translator
from conftest import running_smtp_server
from e2e.browsing import browser, chromium, shoot, untranslated
from e2e.servers import RunningService, people_of, running_service, submitted
from harness.seeding import AWARD_TITLE

LANGUAGE = "es"
INVITATION = re.compile(r"http://127\.0\.0\.1:\d+/invitations/[\w-]+")
JURORS = {"lucia.mendez@jurado.example": "Lucía Méndez", "tomas.ruiz@jurado.example": "Tomás Ruiz"}
TITLES = {
    "en": "Educating Cities Award 2027",
    "fr": "Prix Villes éducatrices 2027",
    "es": "Premio Ciudades Educadoras 2027",
    "pt": "Prémio Cidades Educadoras 2027",
}
CANDIDACIES = 10


def invitation_link(service: RunningService, recipient: str, *, timeout: float = 15.0) -> str:
    """The invitation link of the latest mail to `recipient`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in reversed(service.smtp.messages):
            if recipient in str(message["To"]):
                body = message.get_body(preferencelist=("plain",))
                found = INVITATION.search(body.get_content()) if body is not None else None
                if found:
                    return found.group(0)
        time.sleep(0.1)
    raise AssertionError(f"no invitation for {recipient}: {service.log.read_text()[-2000:]}")


class Console:
    """The Secretariat's browser (and the jurors') on the running service."""

    def __init__(self, service: RunningService, chromium: Any) -> None:
        self.service = service
        self.chromium = chromium
        self.t = translator(LANGUAGE)
        self.pages: dict[str, Any] = {}

    def page(self, who: str) -> Any:
        context = self.chromium.new_context(
            locale="es-ES", timezone_id="Europe/Madrid", viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(10_000)
        self.pages[who] = context.new_page()
        return self.pages[who]

    def step(self, page: Any, name: str) -> None:
        shoot(page, LANGUAGE, name)
        assert untranslated(page, LANGUAGE) == [], (name, page.url)

    def notice(self, page: Any, text: str) -> None:
        page.locator(".alert.ok", has_text=text).wait_for()


def test_the_secretariat_runs_a_call_from_its_pages(tmp_path: Path) -> None:
    chromium()
    people = people_of(LANGUAGE)
    with (
        running_smtp_server() as smtp,
        running_service(
            tmp_path, smtp, people, language=LANGUAGE, more=submitted(CANDIDACIES)
        ) as service,
        browser() as launched,
    ):
        console = Console(service, launched)
        try:
            staff = console.page("secretariat")
            sign_in(console, staff, people.secretariat)
            the_secretariat_creates_a_call(console, staff)
            it_invites_two_jurors_who_accept_from_their_mail(console, staff)
            it_marks_ten_eligible_in_one_action(console, staff)
            it_reads_a_candidacy_and_its_document(console, staff)
            it_exports_them_to_xlsx(console, staff)
        except Exception:
            for who, page in console.pages.items():
                shoot(page, LANGUAGE, f"console-failed-{who}")
            raise


def sign_in(console: Console, page: Any, email: str) -> None:
    t = console.t
    page.goto(f"{console.service.base_url}/login")
    page.get_by_label(t("login.email")).fill(email)
    page.get_by_role("button", name=t("login.send")).click()
    page.get_by_role("heading", name=t("login.sent_title")).wait_for()
    page.goto(console.service.new_sign_in_link(email, used=set()))
    page.get_by_role("button", name=t("link.sign_in")).click()
    page.get_by_role("button", name=t("nav.sign_out")).wait_for()


def the_secretariat_creates_a_call(console: Console, staff: Any) -> None:
    t = console.t
    staff.get_by_role("link", name=t("call_form.new_title")).click()
    staff.get_by_role("link", name="Premio Ciudades Educadoras").click()
    staff.locator("#workflow-call").wait_for()
    console.step(staff, "console-01-new-call")
    staff.fill("#edition", "2027")
    for language, title in TITLES.items():
        staff.fill(f"#title-{language}", title)
    staff.fill("#timezone", "Europe/Madrid")
    staff.fill("#opens_at", "2026-11-02T09:00")
    staff.fill("#closes_at", "2027-01-31T18:00")
    staff.fill("#reminder_days", "10, 2")
    staff.get_by_role("button", name=t("call_form.create")).click()
    console.notice(staff, t("done.call_created"))
    assert TITLES[LANGUAGE] in staff.locator("h1").inner_text()
    assert "2027-01-31 18:00 Europe/Madrid" in staff.locator(".meta").inner_text()
    console.step(staff, "console-02-call-created")


def it_invites_two_jurors_who_accept_from_their_mail(console: Console, staff: Any) -> None:
    t = console.t
    staff.get_by_role("link", name=t("panel.manage")).click()
    staff.get_by_label(t("invite.addresses")).fill(
        "\n".join(f"{email} {name}" for email, name in JURORS.items())
    )
    staff.get_by_role("button", name=t("invite.send")).click()
    console.notice(staff, t("done.invited", count=2))
    assert staff.locator("#invitations", has_text=t("invite.state.sent")).count() == 1
    console.step(staff, "console-03-jurors-invited")

    for email in JURORS:
        juror = console.page(email)
        juror.goto(invitation_link(console.service, email))
        juror.get_by_role("button", name=t("invitation.accept")).click()
        juror.get_by_role("button", name=t("nav.sign_out")).wait_for()
        assert juror.url.endswith("/jury")

    staff.reload()
    invitations = staff.locator("#invitations").inner_text()
    assert invitations.count(t("invite.state.accepted")) == 2
    for name in JURORS.values():
        assert staff.get_by_role("checkbox", name=name).is_checked()  # accepting seated them
    console.step(staff, "console-04-jurors-accepted")


def it_marks_ten_eligible_in_one_action(console: Console, staff: Any) -> None:
    t = console.t
    staff.goto(f"{console.service.base_url}/secretariat")
    staff.get_by_role("link", name=AWARD_TITLE[LANGUAGE]).click()
    queue = staff.locator("#queue")
    queue.get_by_role("checkbox", name=t("bulk.select_all")).check()
    assert queue.locator("input[name=id]:checked").count() == CANDIDACIES
    console.step(staff, "console-05-ten-chosen")
    queue.get_by_role("button", name=t("bulk.review")).click()

    what = t("transition.mark_eligible")
    staff.get_by_role("heading", name=t("bulk.confirm_title", what=what, count=10)).wait_for()
    assert staff.locator("#chosen tbody tr").count() == CANDIDACIES
    console.step(staff, "console-06-confirm-ten")
    staff.get_by_role("button", name=t("bulk.go", what=what, count=10)).click()

    staff.get_by_text(t("bulk.summary", done=10, count=10, refused=0)).wait_for()
    done = t("bulk.done", state=t("state.eligible"))
    assert staff.locator("#outcomes tbody tr", has_text=done).count() == CANDIDACIES
    console.step(staff, "console-07-ten-eligible")


def it_reads_a_candidacy_and_its_document(console: Console, staff: Any) -> None:
    t = console.t
    staff.locator("#outcomes a[href^='/secretariat/submissions/']").first.click()
    staff.get_by_role("heading", name=t("candidacy.answers")).wait_for()
    assert "Núria Peña" in staff.locator("main").inner_text()
    shown = staff.locator("iframe.viewer").first.get_attribute("src")
    document = staff.request.get(console.service.base_url + shown)
    assert document.ok and document.body().startswith(b"%PDF")
    console.step(staff, "console-08-candidacy")


def it_exports_them_to_xlsx(console: Console, staff: Any) -> None:
    t = console.t
    staff.goto(f"{console.service.base_url}/secretariat")
    staff.get_by_role("link", name=AWARD_TITLE[LANGUAGE]).click()
    export = staff.locator("#candidacies-export")
    export.get_by_label(t("export.named")).check()
    console.step(staff, "console-09-export")
    with staff.expect_download() as downloading:
        export.get_by_role("button", name=t("export.download", format="XLSX")).click()
    assert downloading.value.suggested_filename.endswith(".xlsx")
    workbook = io.BytesIO(Path(downloading.value.path()).read_bytes())
    sheet = openpyxl.load_workbook(workbook).active
    assert sheet is not None
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert "Título de la experiencia" in header
    contact = header.index("Persona de contacto")
    assert sorted(str(row[contact]) for row in rows) == sorted(
        f"Núria Peña {number}" for number in range(1, CANDIDACIES + 1)
    )
