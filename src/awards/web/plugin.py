"""The web pages wired into the application in one line of `app.py`."""

from __future__ import annotations

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from litestar import Router
from litestar.config.app import AppConfig
from litestar.datastructures import CacheControlHeader
from litestar.exceptions import HTTPException, NotFoundException, ValidationException
from litestar.middleware import DefineMiddleware
from litestar.plugins import InitPlugin
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template import TemplateConfig

from awards.errors import AwardsError
from awards.settings import Settings
from awards.web.applicant import ApplicantPages
from awards.web.bodies import BodyPages
from awards.web.bulk import BulkPages
from awards.web.call import CallPage
from awards.web.call_dates import CallDatesPages
from awards.web.call_editor import CallEditorPages
from awards.web.candidacies import CandidacyPages
from awards.web.commitments import FollowUpPages, LaureatePages
from awards.web.confirmations import ConfirmationPages, ErasurePages
from awards.web.console import ConsolePages
from awards.web.databank import DatabankPages
from awards.web.errors import page_error, unknown_path
from awards.web.invitations import InvitationPage
from awards.web.jury import JuryPages
from awards.web.mailbox import MailboxPage
from awards.web.people import ApplicantAccountPages, PanelPages
from awards.web.public import PublicPages
from awards.web.register import RegisterPages
from awards.web.reopening import ReopeningPages
from awards.web.secretariat import SecretariatPages
from awards.web.security import PageCsrfMiddleware, csrf_config, security_headers


def template_environment(settings: Settings) -> Environment:
    """One Jinja environment for the pages: autoescaped, and loud about a missing value."""
    return Environment(
        loader=FileSystemLoader(settings.templates_dir / "pages"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


class WebPages(InitPlugin):
    """`/`, `/login`, `/databank`, `/my`, `/jury`, `/secretariat` (API.md, Pages), `/static`,
    and the demo's `/mailbox`.

    Also the CSRF check of cookie-borne requests and the security headers of every answer
    (`awards.web.security`). The pages' errors are pages; the API's stay JSON.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        https = self.settings.base_url.startswith("https://")
        engine = JinjaTemplateEngine.from_environment(template_environment(self.settings))
        app_config.template_config = TemplateConfig(instance=engine)
        pages = Router(
            path="/",
            route_handlers=[
                PublicPages,
                CallPage,
                DatabankPages,
                ApplicantPages,
                LaureatePages,
                JuryPages,
                BodyPages,
                SecretariatPages,
                CandidacyPages,
                ConsolePages,
                CallEditorPages,
                CallDatesPages,
                BulkPages,
                ConfirmationPages,
                ReopeningPages,
                ErasurePages,
                PanelPages,
                ApplicantAccountPages,
                FollowUpPages,
                RegisterPages,
                InvitationPage,
                MailboxPage,
            ],
            exception_handlers={
                AwardsError: page_error,
                HTTPException: page_error,
                ValidationException: page_error,
                Exception: page_error,
            },
            include_in_schema=False,
        )
        static = create_static_files_router(
            path="/static",
            directories=[self.settings.templates_dir.parent / "static"],
            opt={"exclude_from_auth": True},
            cache_control=CacheControlHeader(max_age=3600),
        )
        app_config.route_handlers.extend([pages, static])
        app_config.exception_handlers = {
            **app_config.exception_handlers,
            NotFoundException: unknown_path,
        }
        app_config.middleware.append(
            DefineMiddleware(
                PageCsrfMiddleware, config=csrf_config(self.settings.secret_key, https=https)
            )
        )
        app_config.before_send.append(security_headers(https=https))
        return app_config
