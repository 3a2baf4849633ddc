"""Typed dependencies shared by the routers."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from .settings import ServiceSettings
from .state import AnnotatorHolder


def get_holder(request: Request) -> AnnotatorHolder:
    return request.app.state.holder


def get_service_settings(request: Request) -> ServiceSettings:
    return request.app.state.settings


HolderDep = Annotated[AnnotatorHolder, Depends(get_holder)]
ServiceSettingsDep = Annotated[ServiceSettings, Depends(get_service_settings)]
