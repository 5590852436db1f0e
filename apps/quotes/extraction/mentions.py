"""Mentions: what the subject of a speech verb says about who speaks. A name (its parts, not
the titles before it), the author of a document ('Lavrov's letter'), the organisation a
spokesman speaks for, the noun a relative pronoun stands for, a share of the people a poll asked
('75 percent of voters'), and people the article leaves unnamed ('One of them said').

Input: spaCy tokens of a parsed unit. Output: tokens, texts and yes/no answers; ``cues.make_cue``
puts them together into a cue's mention.
"""

import re

from apps.quotes.extraction.document import Article
from apps.quotes.extraction.lexicon import DOCUMENT_NOUNS, RELATIVES, TITLES
from apps.quotes.extraction.names import first_name_gender

AUTHOR_ENTS = {"PERSON", "ORG", "GPE", "NORP"}


def one_of_them(verb, subject) -> bool:
    """'One said ...', 'another added', 'one of the protesters said': a person the article
    leaves unnamed (not the generic 'one could say')."""
    return (
        subject.lower_ in {"one", "another"}
        and subject.pos_ in {"NUM", "PRON", "DET", "NOUN"}
        and not any(c.tag_ == "MD" for c in verb.children)
    )


# Words for a few people the article met: 'Several said', 'Both said' (not 'some say', 'many
# argue', 'others believe': opinion at large, no one's words).
FEW_OF_THEM = {"several", "both"}


def some_of_them(verb, subject) -> bool:
    """'Several said ...', 'About four in 10 said', 'those surveyed said': some of the people
    the article met or asked, unnamed (not 'several would say')."""
    if any(c.tag_ == "MD" for c in verb.children) or not subject.dep_.startswith("nsubj"):
        return False
    if subject.lower_ in FEW_OF_THEM and subject.pos_ in {"PRON", "DET", "ADJ", "NOUN"}:
        return True
    if subject.pos_ == "NUM" and subject.like_num:  # 'four in 10', 'two of the five'
        return True
    return subject.lower_ == "those" and any(c.dep_ in {"acl", "relcl"} for c in subject.children)


SHARES = {"percent", "%", "majority", "minority", "plurality", "share", "third", "half"}
POLLS = {"poll", "survey"}


def is_share(subject) -> bool:
    """A share of the people asked: '75 percent of Republicans', 'a majority of voters', 'six
    in 10 Republicans', 'three out of four voters'."""
    return (subject.lemma_.lower() in SHARES and subject.tag_ != "NNP") or any(
        c.dep_ == "nummod"
        and any(q.dep_ == "quantmod" and q.lower_ in {"in", "of"} for q in c.children)
        for c in subject.children
    )


def poll_before(art: Article, subject):
    """The poll or survey named before a share of the people it asked, in its sentence or
    the two before it."""
    sents = [s for s in subject.doc.sents if s.start <= subject.i]
    for sent in reversed(sents[-3:]):
        for token in reversed(sent):
            if (
                token.i < subject.i
                and token.lemma_.lower() in POLLS
                and token.pos_ == "NOUN"
                and not art.in_quote_token(token)
            ):
                return token
    return None


def author(noun):
    """The person or organisation a statement or letter is by: "Lavrov's", 'State Department'."""
    for child in noun.children:
        if child.dep_ == "poss" and (child.pos_ == "PROPN" or child.ent_type_):
            return child
    names = [c for c in noun.children if c.dep_ == "compound" and c.ent_type_ in AUTHOR_ENTS]
    if names:
        return names[-1]
    for child in noun.children:  # 'a statement by the ministry', 'the front page of the Herald'
        if child.dep_ == "prep" and child.lower_ in {"by", "from", "of"}:
            objects = [o for o in child.children if o.dep_ == "pobj"]
            if objects and (objects[0].ent_type_ in AUTHOR_ENTS or objects[0].pos_ == "PROPN"):
                return objects[0]
    return None


def antecedent(subject):
    """'Lavrov, who said ...': the noun a relative pronoun stands for."""
    if subject.lower_ in RELATIVES and subject.head.dep_ == "relcl":
        noun = subject.head.head
        if subject.lower_ == "who" and noun.pos_ in {"NOUN", "PROPN"}:
            return noun
        if noun.lemma_.lower() in DOCUMENT_NOUNS or noun.ent_type_ in AUTHOR_ENTS:
            return noun  # 'a letter, which says', 'the Associated Press, which notes'
    return None


def person_named(token) -> bool:
    """A person's name: tagged as one, or starting with a known first name."""
    if token.ent_type_ == "PERSON":
        return True
    first = name_tokens(token)[0]
    return token.ent_type_ not in {"GPE", "NORP"} and first_name_gender(first.text) is not None


def name_tokens(token):
    """The name a mention gives, without the titles before it ('Mayor Jane Okafor')."""
    tokens = [token]
    for child in sorted(token.children, key=lambda c: -c.i):
        if (
            child.dep_ in {"compound", "flat"}
            and child.i == tokens[0].i - 1
            and child.pos_ == "PROPN"
        ) or (child.tag_ == "HYPH" and child.i == tokens[0].i - 1 and child.i > 0):
            tokens.insert(0, child)  # 'Asab Al-Tabchi': the hyphen joins the name's parts
    if tokens[0].tag_ == "HYPH":
        tokens.pop(0)
    # 'Mayor Jane Okafor', 'Democrat Jane Okafor': the title and the party are no name
    while len(tokens) > 1 and (tokens[0].lower_ in TITLES or tokens[0].ent_type_ == "NORP"):
        tokens.pop(0)
    return tokens


def name_text(tokens) -> str:
    """The name as written, hyphens and all: 'Asab Al-Tabchi', not 'Asab Al - Tabchi'."""
    return tokens[0].doc[tokens[0].i : tokens[-1].i + 1].text


def strip_det(text: str) -> str:
    return re.sub(r"^(?:the|a|an)\s+", "", text.strip(), flags=re.IGNORECASE)


def employer(noun):
    """The organisation a spokesman or an official speaks for: 'a spokesman for the State
    Department', 'officials at the ministry', 'a spokesman for the developer, Quay Holdings'
    (not 'the Secretary of State': that is a title)."""
    for prep in noun.children:
        if prep.dep_ != "prep" or prep.lower_ not in {"for", "at"}:
            continue
        for obj in prep.children:
            if obj.dep_ != "pobj":
                continue
            named = [obj] + [c for c in (*obj.children, *noun.children) if c.dep_ == "appos"]
            for candidate in reversed(named):
                ent = next((e for e in noun.doc.ents if e.start <= candidate.i < e.end), None)
                if ent is not None and ent.label_ in {"ORG", "GPE", "NORP"}:
                    return ent
    return None
