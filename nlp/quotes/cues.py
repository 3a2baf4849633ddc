"""Reporting verbs and the grammar around them: who is the subject, what is the content."""
from __future__ import annotations

from spacy.tokens import Span, Token

# Verbs that report speech (by lemma). A speech act with a clausal complement is a quote.
REPORTING = frozenset("""
say tell add explain note write claim argue insist announce declare ask answer reply respond
warn suggest acknowledge admit report recount describe predict promise deny confirm comment
remark tweet testify recall repeat concede contend maintain assert emphasize emphasise stress
joke quip shout yell vow pledge complain mention observe conclude counter reiterate post state
caution allege boast reveal disclose inform assure caution threaten concur scream whisper
""".split())
# Verbs that judge rather than report: a quote only when their object holds quoted words
# ("hailed France's "unprecedented" move").
EVALUATIVE = frozenset("hail praise criticize criticise condemn welcome blast slam dismiss denounce applaud label brand call describe".split())
# Speech acts whose content is a prepositional object: "called for a recount", "called on
# Congress to act", "spoke about the plan"; and "urged X to Y".
PREPOSITIONAL = {"call": {"for", "on"}, "speak": {"about", "of"}, "talk": {"about"}, "write": {"about"}, "complain": {"about"}, "warn": {"about", "of", "against"}}
DIRECTIVE = frozenset("urge press implore".split())
# Reporting verbs whose content may be a gerund or infinitive ("recounted crossing the border").
NONFINITE_CONTENT = frozenset("recount recall describe deny admit acknowledge suggest promise pledge vow threaten".split())
SUBJECT_DEPS = ("nsubj", "csubj")
PERSONAL_PRONOUNS = frozenset("he she they it we i you him her them".split())
RELATIVE_PRONOUNS = frozenset("who which that whom".split())
DASHES = frozenset("—―–-")
MAX_MENTION_TOKENS = 40
_NP_LEFT_DEPS = {"compound", "amod", "det", "poss", "nmod", "nummod", "quantmod", "npadvmod", "case", "punct", "prep"}


def is_reporting_verb(token: Token) -> bool:
    return token.pos_ in {"VERB", "AUX"} and token.lemma_.lower() in REPORTING


def is_evaluative_verb(token: Token) -> bool:
    return token.pos_ == "VERB" and token.lemma_.lower() in EVALUATIVE


def is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)


def subject_of(verb: Token, depth: int = 0) -> Token | None:
    """The verb's subject; for "…, adding that" or "said A and added B", the subject of the
    verb it hangs from."""
    subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
    if subjects:
        # Two subjects is a parse of an apposition ("Another deserter, Mikhail, said"):
        # the name is the speaker.
        named = [c for c in subjects if c.pos_ == "PROPN"]
        return (named or subjects)[-1]
    if depth < 4 and verb.dep_ in ("conj", "advcl", "xcomp", "pcomp", "prep") and verb.head.i != verb.i:
        return subject_of(verb.head, depth + 1)  # "aside from saying …" climbs through "from"
    return None


def noun_phrase(head: Token) -> Span:
    """The speaker as written: the head with its left modifiers ("longtime Democratic
    pollster Pat Caddell", "The deserters"), without relative clauses or appositions."""
    doc = head.doc
    if head.lower_ in PERSONAL_PRONOUNS | RELATIVE_PRONOUNS:
        return doc[head.i : head.i + 1]
    start = head.i
    for child in head.lefts:
        if child.dep_ in _NP_LEFT_DEPS or child.dep_ == "poss":
            start = min(start, child.left_edge.i)
    while start < head.i and (doc[start].is_punct or doc[start].is_space):
        start += 1
    end = head.i + 1
    for child in head.rights:  # "Pat Caddell" parsed with a flat right part
        if child.dep_ in ("flat", "compound") and child.i == end:
            end = child.i + 1
    # never run over a comma ("Prokopieva, head of …")
    for i in range(head.i - 1, start - 1, -1):
        if doc[i].text in {",", "(", ")", "—", "–"}:
            start = i + 1
            break
    return doc[start:end]


def mention_span(head: Token) -> Span:
    """The speaker as the article writes it, appositions and relative clauses included
    ("Craig Bryan, head of the National Center for Veterans Studies,"), without
    enclosing punctuation; a long one is cut back to its noun phrase."""
    doc = head.doc
    start, end = head.left_edge.i, head.right_edge.i + 1
    while start < end and (doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_punct and doc[end - 1].text != ")" or doc[end - 1].is_space):
        end -= 1
    if end - start > MAX_MENTION_TOKENS or any("\n" in t.text for t in doc[start:end]):
        return noun_phrase(head)
    return doc[start:end]


def content_head(verb: Token) -> Token | None:
    """The clause a reporting verb reports."""
    for child in verb.children:
        if child.dep_ == "ccomp":
            return child
    for child in verb.children:  # "recounted how he resisted", parsed as an adverbial clause
        if child.dep_ == "advcl" and any(g.tag_ in ("WRB", "WP") and g.i < child.i for g in child.children):
            return child
    if verb.lemma_.lower() in NONFINITE_CONTENT:
        for child in verb.children:
            if child.dep_ in ("xcomp", "dobj", "pcomp") and child.pos_ in {"VERB", "AUX"}:
                return child
    return None


def prepositional_content(verb: Token) -> Span | None:
    """ "called on President Obama to retaliate": from after the preposition to the end of
    the verb's phrase; "urged other countries to follow suit": the object and its clause."""
    doc = verb.doc
    lemma = verb.lemma_.lower()
    if lemma in DIRECTIVE:
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        comp = next((c for c in verb.children if c.dep_ == "xcomp"), None)
        if obj is not None and comp is not None:
            return doc[obj.left_edge.i : comp.right_edge.i + 1]
        return None
    preps = PREPOSITIONAL.get(lemma)
    if not preps:
        return None
    for child in verb.rights:
        if child.dep_ == "prep" and child.lower_ in preps and child.i == verb.i + 1:
            end = child.right_edge.i
            for later in verb.rights:
                if later.i > child.i and later.dep_ in ("xcomp", "advcl", "ccomp"):
                    end = max(end, later.right_edge.i)
            return doc[child.i + 1 : end + 1]
    return None


def parenthetical_host(verb: Token) -> Token | None:
    """ "All of which, he said, would help": the reporting verb hangs from the clause it
    reports (parataxis) instead of governing it."""
    if verb.dep_ in ("parataxis", "ccomp", "advcl") and verb.head.pos_ in {"VERB", "AUX"} and verb.head.i != verb.i:
        if verb.head.i < verb.i or any(t.text == "," for t in verb.doc[verb.i : verb.right_edge.i + 2]):
            return verb.head
    return None


def clause_span(head: Token) -> Span:
    """The subtree of a clause, without a leading "that" or enclosing punctuation."""
    doc = head.doc
    start, end = head.left_edge.i, head.right_edge.i + 1
    while start < end and (doc[start].lower_ == "that" and doc[start].dep_ == "mark" or doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_punct and doc[end - 1].text not in "\"”’'?!" or doc[end - 1].is_space):
        end -= 1
    return doc[start:end]
