"""The furniture filter on page shapes written for these tests (not the seed page)."""
from __future__ import annotations

import pytest

from nlp.furniture import is_sentence_like, remove_furniture

pytestmark = pytest.mark.unit

STORY = [
    "The city council voted on Tuesday to close the old harbour bridge to heavy lorries.",
    "Engineers had warned for years that the steel frame was corroding faster than expected.",
    "\"We cannot wait for it to fail,\" the council's chair, Maria Lind, told reporters.",
    "Repairs are expected to take two years and cost about 40 million kroner.",
]


def page(*blocks: str) -> str:
    return "\n\n".join(blocks)


def test_clean_text_passes_through_unchanged() -> None:
    text = "Harbour bridge to close\n\n" + page(*STORY) + "\n"
    cleaned = remove_furniture(text)
    assert cleaned.text == text
    assert cleaned.removed_chars == 0


def test_ticker_table_and_prompts_removed_story_kept() -> None:
    tickers = "\n".join(f"  • {code}\n\n    {chg}\n\n    {px}\n\n    {pct}" for code, chg, px, pct in [
        ("ACME", "-1.2000", "55.10", "-2.1%"), ("GLOBX", "0.3300", "12.01", "+2.8%"), ("ZZT", "0.0100", "3.50", "+0.29%"),
    ])
    text = page(
        "Nordic Daily | Harbour bridge to close",
        "USD -\nSEK 10.512\nNOK 10.901\nDKK 6.874\nEUR 0.921",
        tickers,
        "Harbour bridge to close",
        "Harbour bridge to close / Picture: Jan Berg - NTB",
        STORY[0],
        "Font size:",
        STORY[1], STORY[2],
        "Share this article",
        STORY[3],
        "J.Berg--NTB----",
    )
    cleaned = remove_furniture(text)
    assert cleaned.title == "Harbour bridge to close"
    assert cleaned.text == page(*STORY)
    assert cleaned.removed_chars == len(text) - len(cleaned.text)
    for gone in ("SEK 10.512", "GLOBX", "+2.8%", "Font size", "Picture:", "Share this", "NTB", "Nordic Daily"):
        assert gone not in cleaned.text


def test_headings_between_paragraphs_are_kept() -> None:
    text = page("EUR -\nUSD 1.0831\nGBP 0.8312", STORY[0], "- 'Years of warnings' -", STORY[1], STORY[2])
    cleaned = remove_furniture(text)
    assert "- 'Years of warnings' -" in cleaned.text
    assert "GBP" not in cleaned.text
    assert cleaned.text.startswith(STORY[0])


def test_cookie_and_newsletter_prompts() -> None:
    text = page(STORY[0], "We use cookies. Accept all", STORY[1], "Sign up for our newsletter", STORY[2])
    cleaned = remove_furniture(text)
    assert cleaned.text == page(STORY[0], STORY[1], STORY[2])


def test_number_only_lines_removed() -> None:
    text = page(STORY[0], "12,345", "+0.52%", STORY[1])
    assert remove_furniture(text).text == page(STORY[0], STORY[1])


@pytest.mark.parametrize("line, expected", [
    ("The minister said the plan would be ready next spring.", True),
    ("AED 3.987865", False),
    ("Text size:", False),
    ("Breaking news", False),
])
def test_sentence_likeness(line: str, expected: bool) -> None:
    assert is_sentence_like(line) is expected


def test_live_blog_time_stamps_do_not_make_a_clean_text_scraped() -> None:
    text = page("7 p.m.", STORY[0], "___.", "6:05 p.m.", STORY[1])
    assert remove_furniture(text).text == text


def test_headline_with_a_name_after_a_dash_is_not_a_site_header() -> None:
    text = page("Bridge saga to drag on - Lind", "Lind says the council will decide in spring.", STORY[0])
    cleaned = remove_furniture(text)
    assert cleaned.text == text
    assert cleaned.title == "Bridge saga to drag on - Lind"
