from __future__ import annotations

from typing import Optional

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from nlp import __version__
from nlp.schema import PipelineInfo

from ..deps import HolderDep

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="The process is alive")
async def healthz() -> dict[str, str]:
    return {"status": "ok", "version": __version__}


class Readiness(BaseModel):
    status: str
    pipeline: Optional[PipelineInfo] = None


@router.get("/readyz", summary="The models are loaded and annotation can start", response_model=Readiness,
            responses={503: {"model": Readiness, "description": "Still loading (`loading`) or failed (`failed`)"}})
async def readyz(holder: HolderDep) -> JSONResponse:
    if holder.ready:
        return JSONResponse({"status": "ready", "pipeline": holder.pipeline.model_dump()})
    status = "failed" if holder.error else "loading"
    return JSONResponse({"status": status}, status_code=503, headers={"Retry-After": "5"})
