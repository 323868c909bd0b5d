"""Pieces the operations' schemas share."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from teamhub.api.base import MAX_ID

# Text a person may type: anything but NUL, which no database column stores.
Text = Annotated[str, Field(pattern=r"^[^\x00]*$")]
# An id of a row, as the database holds them.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def choice(codes: tuple[str, ...]):
    """One of ``codes`` (the same lists the pages' select boxes offer)."""
    return Literal[codes]  # type: ignore[valid-type]


class Orm(BaseModel):
    """An answer read from a row's attributes."""

    model_config = ConfigDict(from_attributes=True)


class Body(BaseModel):
    """A request's body: fields the operation does not know are refused."""

    model_config = ConfigDict(extra="forbid")
