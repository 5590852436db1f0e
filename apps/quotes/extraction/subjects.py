"""Who a speech verb's subject is: the parse's subject where it holds, or the speaker found
past the parser's mistakes (a quoted word taken for the subject, a name hung on the wrong word,
a participle whose subject is its clause's, a passive verb's agent, ...). ``verb_subject`` is
what ``cues`` asks; the rest are its helpers and the tests a subject must pass.

Input: a spaCy token (the speech verb). Output: the token that stands for who speaks, or None.
"""

from apps.quotes.extraction.lexicon import (
    ADDRESSEE_VERBS,
    DOCUMENT_NOUNS,
    NAMING_VERBS,
    PERSON_NOUNS,
    TITLES,
)
from apps.quotes.extraction.speech import speakers_own, speech_verb

PERSON_SUFFIXES = ("ist", "man", "woman", "person", "ian", "eer", "year-old")

# Subjects that stand for no one: 'it was too early', 'there are discussions'.
EXPLETIVES = {"it", "there"}

# Parts of speech a subject cannot be: the parser's mistake ('Of Carson, Levine ... said').
MISPARSED_SUBJECTS = {"ADP", "ADV", "SCONJ", "CCONJ", "PUNCT", "PART", "DET"}


def verb_subject(token, quoted=lambda token: False):
    nearest = _inverted(token, quoted) or nearest_subject(token)
    nearest = _named_after(nearest, token) or nearest
    agent = _agent(token)
    if agent is not None and nearest is None and not quoted(agent):
        return agent  # 'the plan was described as "reckless" by Senator Ana Ruiz'
    for child in token.children:
        if child.dep_ == "nsubj" and child == nearest:
            if quoted(child) or child.pos_ in MISPARSED_SUBJECTS:
                # '"... Underestimation of Cruz," Robert Shrum, a strategist, said': the parser
                # took a quoted word (or a preposition) for the subject; the name is outside
                return _other_subject(token, child, quoted) or _name_before(token) or child
            return child
        if child.dep_ == "nsubjpass":
            if token.lemma_.lower() in ADDRESSEE_VERBS | NAMING_VERBS:
                # 'the minister was asked about ...': the one spoken to; 'the work could be
                # termed "influence peddling"': the thing named
                return None
            return child
    if token.dep_ == "acl" and token.head.lemma_.lower() in DOCUMENT_NOUNS:
        # 'she released a statement saying, "..."': whoever issued it
        issued = token.head.head
        if token.head.dep_ in {"dobj", "pobj"} and issued.pos_ in {"VERB", "AUX"}:
            return verb_subject(issued, quoted)
    if token.dep_ == "acl" and token.tag_ == "VBG" and _after_comma(token):
        # 'visited NBC to discuss his rival, Hillary Clinton, saying "..."': the participle
        # is the sentence's subject's act, whatever noun the parser hung it on
        verb = token.head
        while verb.pos_ not in {"VERB", "AUX"} and verb.head.i != verb.i:
            verb = verb.head
        if verb.pos_ in {"VERB", "AUX"}:
            return verb_subject(verb, quoted)
    clause = _past_set_phrase(token)
    if clause is not None:
        return verb_subject(clause, quoted)
    named = token.head
    if named.dep_ == "appos" and named.ent_type_ != "PERSON":
        named = named.head  # '..., the data editor who ... tweeted' hung on the description
    before = token.doc[token.i - 1] if token.i > token.sent.start else None
    if (
        token.dep_ == "amod"
        and token.tag_ in {"VBD", "VBN"}
        and before is not None
        and before.dep_ == "compound"
        and before.pos_ == "PROPN"
        and before.head.i > token.i
    ):
        return before  # 'Trump blasted Disney for ...' read as 'a Trump-blasted Disney'
    if token.dep_ == "acl" and is_age(named) and token.i > named.i:
        return named  # '"...?" the 43-year-old asked': the verb hung on the age
    if token.dep_ == "acl" and token.tag_ == "VBN" and _after_comma(token):
        # 'Beruff, a Scott ally, called the standards "strong."': a sentence with no verb but
        # this one; the name it hangs on (or the name its description stands beside) speaks
        root = token.head.head if token.head.dep_ == "appos" else token.head
        if root.dep_ == "ROOT" and root.pos_ == "PROPN":
            return root
    if token.dep_ == "acl" and token.lemma_.lower() not in ADDRESSEE_VERBS:
        if named.ent_type_ == "PERSON":
            return named  # 'Nate Silver, the polling guru, tweeted': a verb hung on the name
        if token.tag_ == "VBD" and token.head.pos_ in {"NOUN", "PROPN"}:
            return token.head  # 'a man yelled "Stay there!"': a finite verb is no modifier

    # 'McConnell deflected questions about Mr. Trump before saying, "..."': the one saying it
    # is the subject of the clause the participle hangs on, not the name just before it
    participle = token.tag_ == "VBG" and token.dep_ == "pcomp"
    as_whom = _as_subject(token)
    if as_whom is not None:
        return as_whom  # 'As Akhil Amar, professor of law at Yale, put it, "..."'
    # '..., his rival, Hillary Clinton, saying "...": a participle's subject is the clause's
    adverbial = token.tag_ == "VBG" and token.dep_ == "advcl"
    # 'Silverman was joined on stage by Sen. Al Franken and joked': the subject is shared
    shared = token.dep_ == "conj" and any(
        c.dep_ in {"nsubj", "nsubjpass"} for c in token.head.children
    )
    told = _told_to(token)
    if told is not None:
        return told  # 'a win that led her to declare that ...': she declares
    if shared:
        joined = _subject_joined_to_object(token)
        if joined is not None:
            return joined
    named = None if participle or adverbial or shared else _name_before(token)
    if named is not None:
        return named
    if token.dep_ == "ROOT" and not participle and not adverbial:
        described = _described_before(token)
        if described is not None:
            return described  # 'a White House official who spoke anonymously ... said'
    if speakers_own(token):
        return verb_subject(token.head.head, quoted)
    head = token
    for _ in range(4):  # 'noting that', 'adding that': the subject of the governing verb
        escaping = head is not token and quoted(head)
        if head.head.i == head.i or not (
            escaping
            or head.dep_ in {"advcl", "conj", "xcomp", "acomp"}
            or ((participle or adverbial) and head.dep_ in {"pcomp", "prep"})
        ):
            break
        joined = head.dep_ in {"conj", "advcl"}
        head = head.head
        if quoted(head):
            continue  # 'telling the crowd, "Some people get ..."' hung on the quote's verb
        if (
            joined
            and is_reported(head)
            and not quoted(head.head)  # the parser's 'said' inside the quote reports nothing
            and (
                _expletive(head)
                or (token.tag_ == "VBG") != (head.tag_ == "VBG")
                or not speaker_like(nearest_subject(head))
            )
        ):
            # 'Suu Kyi said it was too early ... but added, "..."', 'telling CNN that Trump is
            # a "faker" and questioning how ...': the parser joined the speaker's next act to
            # the clause reported, not to the reporting verb
            head = head.head
        subject = nearest_subject(head)
        if subject is not None and subject.lower_ in EXPLETIVES:
            # 'It was a potent punch, as Mrs. Clinton echoed the criticism, saying ...'
            return _speaker_before(token) or subject
        if subject is not None:
            outer = _outer_speech(head) if adverbial and _after_comma(token) else None
            if outer is not None and quoted(outer):
                outer = None  # the parser's 'said' inside the quote reports nothing
            return verb_subject(outer, quoted) if outer is not None else subject
        for child in head.children:
            # 'Mr. Trump was forced into damage control and said that ...', 'Silverman was
            # joined on stage by Sen. Al Franken and joked'
            if child.dep_ == "nsubjpass":
                return child
    for child in token.children:  # 'said Lavrov' parsed with the name as object
        if (
            child.dep_ in {"dobj", "attr", "npadvmod"}
            and child.i > token.i
            and child.ent_type_ not in {"DATE", "TIME"}  # 'said Wednesday'
            and (
                child.pos_ == "PROPN"
                or (  # '"...," said a person close to the Clintons.'
                    child.pos_ == "NOUN"
                    and token.i > 0
                    and token.doc[token.i - 1].is_punct
                    and token.lemma_.lower() not in ADDRESSEE_VERBS
                    and source_noun(child)
                )
            )
        ):
            return child
    return _inverted_before_clause(token)


def _name_before(verb):
    """A person named just before a verb the parser left without a subject: 'stating that Rex
    Tillerson at a meeting with his counterpart said ...', or a name hung on the phrase before
    it: 'While Trump declares ... in Osaka, Japan, the Russian Foreign Ministry noted that'."""
    doc = verb.doc
    comma = verb.i - 1 > verb.sent.start and doc[verb.i - 1].text == ","
    k = verb.i - 1 - comma
    if k >= 0 and doc[k].dep_ == "appos" and doc[k].ent_type_ in {"PERSON", "ORG"}:
        return doc[k]  # '..., her adviser, Jake Sullivan, said:', '... Japan, the Ministry noted'
    if comma:
        # '”, Gene Sperling, a top Clinton adviser, said': a name, then a description of them
        j = k
        while j > max(verb.sent.start, k - 20):
            if doc[j].is_quote:
                # 'Bill Eastland, wearing "Ted Cruz" pins, said': past a short quote inside
                # the description, not back into the quote the verb reports
                opening = next(
                    (i for i in range(j - 1, max(j - 6, 0), -1) if doc[i].is_quote), None
                )
                if opening is None or opening <= verb.sent.start:
                    break
                j = opening - 1
                continue
            if (
                doc[j].pos_ in {"VERB", "AUX"}
                and doc[j].tag_ != "VBG"
                and not _in_relative_clause(doc[j])
            ):
                break  # 'Levine, who has given money to Rubio, said': past the clause
            if doc[j].text == ",":
                name = doc[j - 1] if j > verb.sent.start else None
                if name is not None and name.ent_type_ == "PERSON" and name.ent_iob_ != "O":
                    return name
                break
            j -= 1
    k = verb.i - 1
    while k >= max(verb.sent.start, verb.i - 12):
        token = verb.doc[k]
        if token.ent_type_ == "PERSON" and token.ent_iob_ in {"B", "I"}:
            # 'who Beck on Wednesday called', parsed with the name as the clause's verb
            return token if token.dep_ in {"pobj", "dobj", "compound", "appos", "relcl"} else None
        if token.text == ")" and k > verb.sent.start:
            # 'Sen. Elizabeth Warren (D-MA) said': past the party and state
            back = range(k - 1, max(k - 8, -1), -1)
            opening = next((j for j in back if doc[j].text == "("), None)
            if opening is not None:
                k = opening - 1
                continue
        if token.pos_ in {"VERB", "AUX"} or token.is_punct or token.is_quote:
            return None
        k -= 1
    return None


def _in_relative_clause(token) -> bool:
    return any(t.dep_ == "relcl" for t in (token, *token.ancestors))


def source_noun(token) -> bool:
    """A noun for a person, a group of people or a document: one that can say things."""
    lemma = token.lemma_.lower()
    return (
        lemma in TITLES
        or lemma in PERSON_NOUNS
        or lemma in DOCUMENT_NOUNS
        or lemma.endswith(PERSON_SUFFIXES)
        or token.ent_type_ in {"PERSON", "NORP"}
        or is_age(token)
    )


def mistagged_name(token) -> bool:
    """'Husted continued by saying': a name the tagger took for a verb or an adjective."""
    return (
        token.dep_ == "nsubj"
        and token.pos_ in {"VERB", "ADJ"}
        and token.tag_ not in {"VBG", "JJS", "JJR"}
        and token.is_title
        and (not token.is_sent_start or _who_follows(token))
    ) or (token.dep_ == "nsubj" and token.tag_ == "VBN" and token.is_title)


def _who_follows(token) -> bool:
    """'Small, who attended the rally, said': a word a relative 'who' is about is someone."""
    doc = token.doc
    after = doc[token.i + 1 : token.i + 3]
    return [t.lower_ for t in after] == [",", "who"]


def is_age(token) -> bool:
    """'the 46-year-old', which the parser reads as an adjective: a person."""
    return token.lower_ == "old" and any(c.lower_ in {"year", "years"} for c in token.children)


def _inverted_before_clause(verb):
    """'"...," said Ben Carson, asked about his claims': the parser made the name the subject
    of the participle after it, a clause of the verb's own."""
    doc = verb.doc
    if verb.i == 0 or not (doc[verb.i - 1].is_punct or doc[verb.i - 1].is_quote):
        return None
    for clause in verb.children:
        if clause.dep_ != "ccomp" or clause.i < verb.i:
            continue
        name = nearest_subject(clause)
        if (
            name is not None
            and name.left_edge.i == verb.i + 1
            and name.i + 1 < clause.i
            and doc[name.i + 1].text == ","
            and (name.pos_ == "PROPN" or name.ent_type_ == "PERSON")
        ):
            return name
    return None


def _outer_speech(verb):
    """The speech verb whose reported clause ``verb`` is in: a participle after a comma hung
    on it goes on with that speech ('a strategist said Clinton will have to choose, saying,
    "..."'), not 'I remember Carter going on TV, declaring ...' (no finite clause reported)."""
    node = verb
    while node.head.i != node.i:
        if node.dep_ == "ccomp" and speech_verb(node.head) and _finite(node):
            return node.head
        if node.dep_ not in {"ccomp", "xcomp", "conj", "advcl"}:
            return None
        node = node.head
    return None


def _finite(verb) -> bool:
    return verb.tag_ in {"VBD", "VBZ", "VBP", "MD"} or any(
        c.dep_ in {"aux", "auxpass"} and c.tag_ in {"MD", "VBD", "VBZ", "VBP"}
        for c in verb.children
    )


def _named_after(subject, verb):
    """'Or maybe Jeb Bush, digital consultant Phil Musser says.': another person named in
    apposition right before the verb is the one who says it."""
    if subject is None or subject.ent_type_ != "PERSON" or subject.i > verb.i:
        return None
    for child in subject.children:
        if (
            child.dep_ == "appos"
            and child.ent_type_ == "PERSON"
            and child.right_edge.i == verb.i - 1
            and child.text != subject.text
        ):
            return child
    return None


def _inverted(verb, quoted):
    """'Bill Clinton has been "very worked up about it," said a source close to the campaign':
    of two subjects, the one after the verb, where the quote stands between the other and it."""
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    before = [c for c in subjects if c.i < verb.i]
    after = [c for c in subjects if c.i > verb.i and not quoted(c)]
    if not before or not after:
        return None
    between = verb.doc[before[-1].i + 1 : verb.i]
    return after[0] if any(quoted(t) for t in between) else None


def _other_subject(verb, wrong, quoted):
    """'"Thanks, Clarkston," said master of ceremonies Asab Al-Tabchi': the subject after
    the verb, where the parser also took a quoted word for one."""
    return next(
        (
            c
            for c in verb.children
            if c.dep_ == "nsubj"
            and c is not wrong
            and not quoted(c)
            and c.pos_ not in MISPARSED_SUBJECTS
        ),
        None,
    )


def _as_subject(verb):
    """'As Akhil Amar ... put it': the parser may hang the name on 'as', not on the verb."""
    for k in range(verb.i - 1, max(verb.sent.start, verb.i - 40) - 1, -1):
        word = verb.doc[k]
        if word.lower_ == "as" and word.dep_ == "prep":
            opens = k == verb.sent.start or verb.doc[k - 1].is_punct
            objects = [c for c in word.children if c.dep_ == "pobj" and c.i < verb.i]
            if opens and objects and (objects[0].pos_ == "PROPN" or source_noun(objects[0])):
                return objects[0]
            return None
        if word.pos_ in {"VERB", "AUX"} and word.i != verb.i:
            return None
    return None


def nearest_subject(verb):
    """The verb's subject; of two, the one nearest before it ('in Berea, OH, after winning
    Ohio, Gov. John Kasich said')."""
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    before = [c for c in subjects if c.i < verb.i]
    return (before[-1:] or subjects[:1] or [None])[0]


# Verbs that make someone do what their complement says: 'led her to declare'.
CAUSATIVES = {"lead", "prompt", "cause", "force", "compel", "drive", "spur", "push", "move"}


def _described_before(verb):
    """'a White House official who spoke anonymously to discuss strategy said Wednesday': a
    noun for someone, with a relative clause that ends right before the verb, which the parser
    hung elsewhere (as an apposition to the clause before) and left the verb without a subject."""
    if verb.i == verb.sent.start:
        return None
    last = verb.doc[verb.i - 1]
    for node in (last, *last.ancestors):
        if node.i >= verb.i or node.head.i == node.i:
            return None
        if node.dep_ == "relcl" and node.right_edge.i == verb.i - 1:
            noun = node.head
            ok = noun.pos_ in {"NOUN", "PROPN"} and noun.i < node.i and source_noun(noun)
            return noun if ok else None
    return None


def _told_to(verb):
    """The one a causative verb made speak: 'a win that led her to declare', 'the question
    prompted Ruiz to say' (the speech verb has no subject of its own; the object of the verb
    before, not its subject, does it). Not 'requires staffers to promise', 'asked her to say':
    speech asked for, not made."""
    if verb.dep_ != "xcomp" or any(c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children):
        return None
    if verb.head.lemma_.lower() not in CAUSATIVES:
        return None
    if not any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return None
    obj = next((c for c in verb.head.children if c.dep_ == "dobj" and c.i < verb.i), None)
    return obj if obj is not None and speaker_like(obj) else None


def _subject_joined_to_object(verb):
    """'the Times will call you a liar and Channel Five will accuse you of ...': the parser
    joined the second clause's subject to the first one's object ('a liar and Channel Five'),
    leaving its verb to share the first subject. The noun that ends the words just before
    the verb (past its auxiliaries), joined by 'and' to a noun, is that verb's subject."""
    k = verb.i - 1
    while k > verb.sent.start and verb.doc[k].dep_ in {"aux", "neg", "advmod"}:
        k -= 1
    noun = verb.doc[k]
    if noun.dep_ != "conj" or noun.pos_ not in {"PROPN", "NOUN"} or noun.head.i > noun.i:
        return None
    if noun.head.pos_ not in {"PROPN", "NOUN", "PRON"} or noun.head.dep_ == "nsubj":
        return None  # 'Ruiz and Okafor will speak': both subjects already
    joined = any(c.dep_ == "cc" for c in noun.head.children) or any(
        t.dep_ == "cc" for t in verb.doc[noun.head.i : noun.left_edge.i]
    )
    return noun if joined else None


def _speaker_before(token):
    """The subject of the nearest speech verb before ``token`` in its sentence."""
    for k in range(token.i - 1, token.sent.start - 1, -1):
        verb = token.doc[k]
        if verb.pos_ in {"VERB", "AUX"} and speech_verb(verb):
            subject = nearest_subject(verb)
            if subject is not None and subject.lower_ not in EXPLETIVES:
                return subject
    return None


def _past_set_phrase(token):
    """'Ortiz battled the council, at one point calling the mayor a "liar"': a participle the
    parser hung on the noun of a phrase that opens after a comma ('at one point', 'in March')
    is the act of the clause's subject: the verb that phrase hangs on."""
    noun = token.head
    if token.dep_ != "acl" or token.tag_ != "VBG" or noun.dep_ != "pobj" or noun.i > token.i:
        return None
    prep, verb = noun.head, noun.head.head
    if prep.dep_ != "prep" or verb.pos_ not in {"VERB", "AUX"} or verb.i > prep.i:
        return None
    return verb if _after_comma(prep) else None


def _after_comma(token) -> bool:
    return token.i > 0 and token.doc[token.i - 1].text == ","


def is_reported(verb) -> bool:
    """The verb of a clause a speech verb reports: 'said [it was too early]'."""
    return verb.dep_ == "ccomp" and speech_verb(verb.head)


def speaker_like(subject) -> bool:
    """A subject that can speak: a name, a person's pronoun, a noun for people ('his recent
    attacks on Trump' cannot)."""
    if subject is None:
        return False
    if subject.pos_ == "PROPN" or subject.ent_type_ in {"PERSON", "ORG", "NORP", "GPE"}:
        return True
    if subject.pos_ == "PRON":
        return subject.lower_ not in EXPLETIVES | {"this", "that", "what"}
    return source_noun(subject)


def _expletive(verb) -> bool:
    return any(c.dep_ in {"nsubj", "expl"} and c.lower_ in EXPLETIVES for c in verb.children)


def _agent(verb):
    """Who did it, of a passive verb: the object of its 'by'."""
    for child in verb.children:
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None
