"""Typed dependencies shared by the routers."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from nlp.settings import Settings

from .state import AnnotatorHolder


def get_holder(request: Request) -> AnnotatorHolder:
    return request.app.state.holder


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


HolderDep = Annotated[AnnotatorHolder, Depends(get_holder)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
