"""Public pages of the databank: search with filters and pages, and a call's published
results. Both read the databank's and the calls' services; nothing here queries."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any, Literal
from urllib.parse import urlencode

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Template

from awards.calls.service import CallService
from awards.databank.mapping import Distinction, mapping_of
from awards.databank.search import DatabankQuery
from awards.databank.service import DatabankService
from awards.db.types import MAX_ROW_ID
from awards.http.params import PageNumber, RowId
from awards.kinds.kind import CallKind
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime
from awards.web.page import Visitor, render, visitor


@dataclass(frozen=True)
class Filters:
    """The search form as typed: empty means any; numbers that are not numbers are ignored."""

    q: str = ""
    kind: str = ""
    year: str = ""
    country: str = ""
    theme: str = ""
    principle: str = ""
    lang: str = ""
    distinction: str = ""

    def query(self, page: int) -> DatabankQuery:
        return DatabankQuery(
            q=self.q.strip(),
            kind=self.kind or None,
            year=_number(self.year),
            country=self.country.strip() or None,
            theme=self.theme or None,
            principle=_number(self.principle),
            lang=self.lang or None,
            distinction=self.distinction or None,
            page=page,
        )

    def link(self, page: int) -> str:
        """This search at another page."""
        typed = {name: value for name, value in asdict(self).items() if value}
        return "/databank?" + urlencode({**typed, "page": page})


def _number(text: str) -> int | None:
    # isdecimal, not isdigit: int() refuses a superscript "²"; past the database's integers
    # a filter matches nothing anyway.
    number = int(text) if text.strip().isdecimal() else None
    return number if number is not None and number <= MAX_ROW_ID else None


def themes(kinds: Mapping[str, CallKind], reader: Visitor) -> dict[str, str]:
    """Every theme the kinds publish under, labelled in the reader's language."""
    return _published_options(kinds, reader, "themes")


def principles(kinds: Mapping[str, CallKind], reader: Visitor) -> dict[str, str]:
    """Every principle of the Charter an experience may name, by number, with its name."""
    return _published_options(kinds, reader, "principles")


def _published_options(
    kinds: Mapping[str, CallKind], reader: Visitor, answer: Literal["themes", "principles"]
) -> dict[str, str]:
    """The options of the field each kind's databank mapping files as `answer`, labelled."""
    labelled: dict[str, str] = {}
    for kind in kinds.values():
        named = getattr(mapping, answer) if (mapping := mapping_of(kind)) else None
        field = kind.form.field(named) if named else None
        if field is None:
            continue
        for option in field.options:
            label = field.option_label(
                option, language=reader.language, default=kind.default_language
            )
            labelled.setdefault(option, label)
    return labelled


class DatabankPages(Controller):
    @get("/databank")
    async def search(
        self,
        request: Request[Any, Any, Any],
        runtime: NamedDependency[Runtime],
        q: FromQuery[str] = "",
        kind: FromQuery[str] = "",
        year: FromQuery[str] = "",
        country: FromQuery[str] = "",
        theme: FromQuery[str] = "",
        principle: FromQuery[str] = "",
        lang: FromQuery[str] = "",
        distinction: FromQuery[str] = "",
        page: PageNumber = 1,
    ) -> Template:
        """Anyone: the published experiences matching the search, 20 a page."""
        filters = Filters(q, kind, year, country, theme, principle, lang, distinction)
        found = await DatabankService(runtime).search(filters.query(page))
        return render(
            request,
            "public/databank.html",
            filters=filters,
            found=found,
            pages=max(-(-found.total // found.page_size), 1),
            kinds={slug: k for slug, k in runtime.kinds.items() if mapping_of(k)},
            themes=themes(runtime.kinds, visitor(request)),
            principles=principles(runtime.kinds, visitor(request)),
            distinctions=list(Distinction),
        )

    @get("/calls/{call_id:int}/results")
    async def results(
        self,
        request: Request[Any, Any, Any],
        call_id: RowId,
        runtime: NamedDependency[Runtime],
        calls: NamedDependency[CallService],
        actor: NamedDependency[Actor],
    ) -> Template:
        """Anyone: a published call's laureates and mentions."""
        entries = await DatabankService(runtime).results(call_id, actor=actor)
        return render(
            request,
            "public/results.html",
            call=await calls.get(call_id, actor=actor),
            entries=entries,
            themes=themes(runtime.kinds, visitor(request)),
        )
