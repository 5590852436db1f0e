"""The words the engine knows: speech verbs, titles, nouns for people and for documents.

Kept apart from the rules that use them, and written as plain word lists."""


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Verbs of speech: a cue wherever they stand, and (but for a few, speech.INDIRECT_LEMMAS) the
# reporter of the clause they govern. Beside the common ones, the verbs of communication of
# Levin's classes (English Verb Classes and Alternations, 1993) that news uses for speech: say
# verbs (37.7: disclose, divulge, proclaim, recount), manner of speaking (37.3: bellow, mutter,
# whisper), complaining (37.8: gripe, grumble, moan), advising (37.9: admonish, counsel),
# conjecture as reporting (29.5: posit, speculate, surmise), and news style guides' reporting
# verbs (concur, elaborate, rebut, reason).
CUE_LEMMAS = _words(
    """
    acknowledge add admit affirm agree allege announce answer argue ask assert assure believe call
    caution claim comment complain concede conclude confirm contend continue counter declare
    deny describe echo emphasise emphasize explain insist joke maintain mention note observe
    point post predict promise quip read recall reiterate remark remember repeat reply report
    respond say state
    shout stress suggest tell testify tweet underline underscore urge vow warn write yell
    blurt confess confide disclose divulge hint insinuate intimate proclaim reaffirm reassert
    react recount relay restate reveal
    bellow chant holler mumble murmur mutter scream shriek stammer stutter whisper
    bemoan carp gripe grouse grumble moan object protest vent
    admonish advise counsel inform recommend remind
    conjecture hypothesise hypothesize opine posit reckon speculate surmise theorise theorize
    clarify concur dispute elaborate enthuse exult fulminate preach reason rebut refute
    summarise summarize email text utter
    """
)
# Verbs of judging, pledging and asking frame the quoted words they govern ('Manafort dismissed
# the kerfuffle as "absurd"', 'Sanders is pledging to "win many hundreds of delegates"'), but
# the clause they govern is no claim.
FRAMING_LEMMAS = _words(
    """
    accuse applaud assail attack belittle berate blame blast boast brag brand castigate
    champion characterise characterize charge chastise chide cite commend condemn criticise
    criticize decry demand denounce depict deplore deride discuss dismiss disparage dub enquire
    exclaim excoriate express extol fear gloat hail implore inquire interject invite jeer label
    lambast lambaste lament lampoon laud mock muse plead pledge portray praise query question
    quote rail rant rebuke refer reference reject reprimand retort ridicule riposte scoff scold
    slam snap snipe speak talk taunt term thank tout voice welcome wonder worry
    """
)
# Verbs that are speech only right after a quote ('"...," she cried', '"...," laughed Ana') or
# reporting a clause ('a judge determined that ...', 'the council estimates that ...'): elsewhere
# news mostly uses them for something else ('she cried at the funeral', 'the economy boomed',
# 'offered a deal', 'determined to win'), or for a sound or a gesture that goes with the words.
TAIL_ONLY_LEMMAS = _words(
    """
    allow bark beam beg begin boom chirp chuckle coo crow cry determine disagree drawl estimate
    explode fume gasp grin groan growl guess gush hiss howl huff interrupt laugh marvel nod offer
    ponder press propose purr rage rave reflect relate riff roar rule screech seethe shrug sigh
    smile snarl sneer sniff snort sob splutter sputter start swear tease thunder trumpet venture
    volunteer wail whine
    """
)
# Speech verbs that report nothing when a thing is their subject: 'Kasich revealed that ...',
# 'the Times revealed', but not 'the data revealed a "gap"' (unless right after a quote).
SPEAKER_SUBJECT_LEMMAS = _words("disclose reveal")
# Verbs of asking someone to do something: 'urged Moscow to stay out of Venezuela' is a claim
# of what the speaker wants.
REQUEST_LEMMAS = _words("ask beg call encourage implore invite press urge")
# Verbs of calling words out aloud: what they take is said, however capitalised ('chanting
# "Dump Trump"'), not a title.
UTTERING = _words("chant cry holler repeat scream shout yell")
# Verbs that give the quoted words as a name for their object: 'called it "nonsense"'.
NAMING_VERBS = _words("brand call declare deem dub label term")
# In the passive, these verbs' subject is the one spoken to or about, not the speaker.
ADDRESSEE_VERBS = _words("accuse ask call criticize describe question tell urge")
# Titles a role descriptor can end in: 'the Russian Foreign Minister', 'the expert'.
ROLE_TITLES = _words(
    """
    adviser advisor aide ambassador analyst chairman chairwoman chancellor chief deputy
    diplomat director envoy expert fm governor head leader minister official premier
    president professor representative scientist secretary senator spokesman spokesperson
    spokeswoman
    """
)
# Titles written before a name: 'Mayor Jane Okafor', 'Sen. Ruiz'.
TITLES = ROLE_TITLES | _words(
    """
    attorney coach congressman congresswoman councillor councilman councilwoman dr dr. gen
    gen. general gov gov. judge king lord mayor mr mr. mrs mrs. ms ms. pope prince princess
    prosecutor queen rep rep. rev. reverend sen sen. sheriff sir
    """
)
# Words and documents: their author is the speaker ('the State Department statement said').
DOCUMENT_NOUNS = _words(
    """
    ad advertisement analysis blog communique complaint cover document editorial email excerpt
    filing headline interview lawsuit letter memo memorandum message note op-ed page poll post
    release remark report speech statement study survey transcript tweet website
    """
)
# Nouns for something said: whose it is ('her remark that "..."', "Trump's promise to be
# "neutral"") is who said the words quoted in it.
SPEECH_NOUNS = _words(
    """
    accusation admission announcement argument assertion boast broadside call claim comment
    complaint criticism critique declaration denial description insistence joke lament pledge
    prediction promise quip rant rebuke rejection remark retort statement suggestion threat
    tirade vow warning words
    """
)
# Verbs whose object is a statement or a letter: 'Trump issued a statement, "..."'.
ISSUING_VERBS = _words("issue release publish post send pen")
# Nouns for a person, besides titles: 'the businessman said', 'a friend recalled'.
PERSON_NOUNS = _words(
    """
    activist actor actress adversary agent aide ally anchor attorney audience author
    billionaire bishop blogger board boss boy brother campaigner candidate ceo chair challenger
    channel citizen clerk colleague commander commentator conservative consultant correspondent
    counsel critic crowd daughter defendant democrat deputy dictator doctor editor emperor
    employee fan
    executive family father founder friend front-runner frontrunner girl group host husband
    incumbent insider investigator juror jury justice lawmaker lawyer leader legislator
    liberal magazine magnate man manager mediator member moderator mogul monarch mother narrator
    negotiator network newspaper nominee nurse observer officer opponent organiser organizer
    outlet owner panel paper partner people person pilot plaintiff pollster predecessor
    priest producer protester publication reporter republican resident rival ruler sister
    soldier son source speaker staffer star student successor supporter teacher team tycoon
    user veteran vice victim voter wife witness woman worker writer
    """
)
# Small words a Title Case name may keep lowercase: 'Fox & Friends', 'Game of Thrones'.
TITLE_SMALL = _words(
    """
    & a an and at by for in of on or the to with
    """
)
# A capital speaks for its country's government ('Washington said', 'Moscow warned'): the
# words that country's offices are named with ('US State Department', 'Russian Foreign Ministry').
CAPITALS = {
    "washington": ("us", "u s", "united states", "american"),
    "moscow": ("russia", "russian"),
    "beijing": ("china", "chinese"),
    "kyiv": ("ukraine", "ukrainian"),
    "kiev": ("ukraine", "ukrainian"),
    "london": ("uk", "u k", "britain", "british"),
    "paris": ("france", "french"),
    "berlin": ("germany", "german"),
    "tehran": ("iran", "iranian"),
    "damascus": ("syria", "syrian"),
    "pyongyang": ("north korea", "north korean"),
    "seoul": ("south korea", "south korean"),
    "tokyo": ("japan", "japanese"),
    "ankara": ("turkey", "turkish"),
    "caracas": ("venezuela", "venezuelan"),
    "kabul": ("afghanistan", "afghan"),
    "brussels": ("eu", "european"),
    "cairo": ("egypt", "egyptian"),
    "riyadh": ("saudi", "saudi arabia"),
    "jerusalem": ("israel", "israeli"),
    "new delhi": ("india", "indian"),
    "islamabad": ("pakistan", "pakistani"),
    "baghdad": ("iraq", "iraqi"),
    "beirut": ("lebanon", "lebanese"),
    "doha": ("qatar", "qatari"),
    "abu dhabi": ("uae", "emirati"),
    "addis ababa": ("ethiopia", "ethiopian"),
    "minsk": ("belarus", "belarusian"),
    "warsaw": ("poland", "polish"),
    "rome": ("italy", "italian"),
    "madrid": ("spain", "spanish"),
    "ottawa": ("canada", "canadian"),
    "canberra": ("australia", "australian"),
    "mexico city": ("mexico", "mexican"),
    "havana": ("cuba", "cuban"),
    "tbilisi": ("georgia", "georgian"),
    "yerevan": ("armenia", "armenian"),
    "baku": ("azerbaijan", "azerbaijani"),
}
# A relative clause's subject stands for the noun before it: 'Lavrov, who said'.
RELATIVES = _words("who which that")
# Words that tell a person's gender: 'Mr.', 'Ms.', 'the spokeswoman', 'his wife'.
GENDERED = {
    **dict.fromkeys(
        _words(
            """
            mr mr. sir lord king prince he him his himself man businessman congressman councilman
            spokesman chairman husband father son brother
            """
        ),
        "m",
    ),
    **dict.fromkeys(
        _words(
            """
            mrs mrs. ms ms. miss madam lady queen princess she her herself woman businesswoman
            congresswoman councilwoman spokeswoman chairwoman wife mother daughter sister
            """
        ),
        "f",
    ),
}
# Words that make a role another role: 'the deputy minister' is not 'the minister'.
ROLE_MODIFIERS = _words(
    "deputy vice assistant acting former ex shadow junior under associate interim co"
)
# Nouns that stand for the organisation the article introduced: 'the company said'.
GENERIC_ORGS = _words(
    "company firm ministry agency department bank group committee commission council campaign "
    "organisation organization union party corporation"
)
