from __future__ import annotations

import pytest

from nlp.article import prepare_article
from nlp.errors import BinaryContentError, EmptyTextError, InvalidInputError, TooLargeError, UnsupportedLanguageError
from nlp.schema import ArticleIn

pytestmark = pytest.mark.unit

CLEAN = (
    "The harbour bridge will close to lorries from Monday, the city council said.\n\n"
    "Engineers had warned for years that its steel frame was corroding."
)
HTML = """<html><head><title>Bridge to close | Nordic Daily</title></head><body>
<nav><a href="/">Home</a> | <a href="/world">World</a> | Subscribe</nav>
<article><h1>Bridge to close</h1>
<p>The harbour bridge will close to lorries from Monday, the city council said on Tuesday.</p>
<p>"We cannot wait for it to fail," the council's chair, Maria Lind, told reporters at city hall.</p>
<p>Repairs are expected to take two years and to cost about 40 million kroner in all.</p>
</article><footer>Copyright 2024 Nordic Daily. All rights reserved.</footer></body></html>"""


def prepare(**kw) -> object:
    return prepare_article(ArticleIn(**kw), max_chars=10_000)


def test_clean_text_unchanged_offsets_equal_input() -> None:
    p = prepare(text=CLEAN, id="a1")
    assert p.text == CLEAN
    assert p.id == "a1"
    assert p.warnings == []


def test_missing_id_is_a_stable_hash() -> None:
    assert prepare(text=CLEAN).id == prepare(text=CLEAN).id
    assert prepare(text=CLEAN).id != prepare(text=CLEAN + " More.").id


def test_html_main_text_and_title() -> None:
    p = prepare(html=HTML)
    assert p.title == "Bridge to close"
    assert p.text.startswith("The harbour bridge will close")
    assert "Maria Lind" in p.text and "40 million kroner" in p.text
    assert "Subscribe" not in p.text and "Copyright" not in p.text


def test_caller_title_wins() -> None:
    assert prepare(text=CLEAN, title="My headline").title == "My headline"


@pytest.mark.parametrize("kwargs, error", [
    ({"text": ""}, EmptyTextError),
    ({"text": " \n\t "}, EmptyTextError),
    ({"html": "<html><body>   </body></html>"}, EmptyTextError),
    ({}, InvalidInputError),
    ({"text": "a", "html": "<p>a</p>"}, InvalidInputError),
    ({"text": "abc\x00\x01\x02def" * 10}, BinaryContentError),
    ({"text": "Le gouvernement a présenté mercredi un projet de loi sur les retraites, "
              "qui sera débattu à l'Assemblée nationale le mois prochain."}, UnsupportedLanguageError),
    ({"text": "word " * 5000}, TooLargeError),
])
def test_bad_input_raises_clear_errors(kwargs: dict, error: type) -> None:
    with pytest.raises(error) as info:
        prepare(**kwargs)
    assert info.value.message


def test_unsupported_language_names_the_language() -> None:
    with pytest.raises(UnsupportedLanguageError) as info:
        prepare(text="Die Bundesregierung hat am Mittwoch ein neues Gesetz zur Rente beschlossen, "
                     "das im Bundestag im nächsten Monat beraten werden soll.")
    assert info.value.language == "de"
    assert "'de'" in info.value.message


def test_short_text_is_not_refused_for_language() -> None:
    assert prepare(text="Smith resigned.").language == "en"


def test_from_obj_rejects_unknown_fields_and_non_objects() -> None:
    with pytest.raises(InvalidInputError, match="unknown field 'body'"):
        ArticleIn.from_obj({"body": "x"})
    with pytest.raises(InvalidInputError, match="got list"):
        ArticleIn.from_obj([1, 2])
