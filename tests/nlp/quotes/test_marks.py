"""Quotation marks found from the characters alone."""
from __future__ import annotations

import pytest

from nlp.quotes.marks import find_quoted_passages

pytestmark = pytest.mark.unit


def contents(text: str) -> list[str]:
    return [p.content(text) for p in find_quoted_passages(text)]


def test_straight_and_curly_double_marks() -> None:
    assert contents('"We will appeal," she said, "and we expect to win."') == ["We will appeal,", "and we expect to win."]
    assert contents("“It was hard,” he said.") == ["It was hard,"]


def test_multi_paragraph_quote_reopens_each_paragraph() -> None:
    text = "“The first paragraph of the statement.\n\n“The second, where it closes,” she said."
    (p,) = find_quoted_passages(text)
    assert len(p.segments) == 2
    assert p.content(text) == "The first paragraph of the statement. The second, where it closes,"


def test_guillemets_and_single_marks() -> None:
    assert contents("Il a dit « nous partons » hier.") == ["nous partons"]
    assert contents("He said: ‘We are ready.’") == ["We are ready."]
    assert contents("- 'Lived in fear' -") == ["Lived in fear"]


def test_apostrophes_are_not_quotes() -> None:
    assert contents("Don't say the players' union backed Russia's plan.") == []


@pytest.mark.parametrize("text", [
    '" stray mark at the start',
    'He said "never closed',
    "”Backwards marks“ and more ” text “",
    '""""',
    "«",
    "'",
    "“a\n\n“b\n\n“c",
])
def test_unbalanced_marks_never_raise(text: str) -> None:
    for p in find_quoted_passages(text):
        assert 0 <= p.start <= p.end <= len(text)


def test_unclosed_long_quote_ends_with_its_paragraph() -> None:
    text = 'He said "we are going to keep building these homes until every family has one\n\nNext paragraph.'
    (p,) = find_quoted_passages(text)
    assert not p.closed
    assert p.content(text).endswith("has one")
