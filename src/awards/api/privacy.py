"""A person's data: download it (anyone signed in), erase it (the person, or the Secretariat)."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Response, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK

from awards.http.auth import secretariat, signed_in
from awards.http.cookies import session_cookie
from awards.privacy.erasure import Erased, erase_person
from awards.privacy.export import export_person
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime


class ErasureIn(msgspec.Struct, forbid_unknown_fields=True):
    confirm: str
    """Your own e-mail address: erasure cannot be undone."""


class PersonIn(msgspec.Struct, forbid_unknown_fields=True):
    email: str


class ErasedOut(msgspec.Struct):
    user_id: int
    pseudonym: str

    @classmethod
    def of(cls, erased: Erased) -> ErasedOut:
        return cls(erased.user_id, erased.name)


@get("/me/export", guards=[signed_in], tags=["privacy"])
async def export_me(
    runtime: NamedDependency[Runtime], actor: NamedDependency[Actor]
) -> Response[dict[str, Any]]:
    """Signed in: everything held about you, as a JSON file."""
    return Response(
        await export_person(runtime, actor=actor),
        headers={"Content-Disposition": 'attachment; filename="awards-my-data.json"'},
    )


@post("/me/erasure", guards=[signed_in], tags=["privacy"], status_code=HTTP_200_OK)
async def erase_me(
    data: JSONBody[ErasureIn], runtime: NamedDependency[Runtime], actor: NamedDependency[Actor]
) -> Response[ErasedOut]:
    """Signed in: erase yourself, confirming with your address; you are signed out."""
    erased = await erase_person(runtime, actor.email, actor=actor, confirm=data.confirm)
    return Response(ErasedOut.of(erased), cookies=[session_cookie("", runtime=runtime, max_age=0)])


@post("/erasures", guards=[secretariat], tags=["privacy"], status_code=HTTP_200_OK)
async def erase_someone(
    data: JSONBody[PersonIn], runtime: NamedDependency[Runtime], actor: NamedDependency[Actor]
) -> ErasedOut:
    """Secretariat: erase a person, at their request made by other means."""
    return ErasedOut.of(await erase_person(runtime, data.email, actor=actor))
