"""The demo page at GET / (one static file, no build step, no CDN) and its sample article."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)


@lru_cache(maxsize=2)
def _static(name: str) -> str:
    return (resources.files("api") / "static" / name).read_text(encoding="utf-8")


@router.get("/", response_class=HTMLResponse)
async def demo_page() -> HTMLResponse:
    return HTMLResponse(_static("index.html"))


@router.get("/demo/sample")
async def demo_sample() -> dict[str, str]:
    """The seed page as scraped (menus, currency table and all): a fair test of cleaning."""
    return {"text": _static("sample.txt")}
