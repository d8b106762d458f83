"""Word lists of the detector, English and Dutch: hedges, currencies, units, scales, number words, month
and weekday names, date modifiers and the cue words that decide between readings."""

from __future__ import annotations

LANGS = ("en", "nl")


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")



APPROX, LOWER, UPPER = "approx", "lower", "upper"

_HEDGES: dict[str, dict[str, str]] = {
    "en": {
        **dict.fromkeys(["about", "around", "some", "roughly", "approximately", "approx.", "an estimated",
                         "estimated", "circa", "c.", "in the region of"], APPROX),
        **dict.fromkeys(["more than", "over", "at least", "just over", "well over", "upwards of",
                         "in excess of", "no fewer than", "no less than", "a minimum of", "north of", "a little over",
                         "a little more than", "slightly more than"], LOWER),
        **dict.fromkeys(["nearly", "almost", "close to", "just under", "under", "up to", "as many as",
                         "fewer than", "less than", "at most", "no more than", "not more than",
                         "a maximum of", "just shy of", "shy of", "as much as", "possibly as many as",
                         "perhaps as many as", "possibly up to", "slightly less than"], UPPER),
    },
    "nl": {
        **dict.fromkeys(["ongeveer", "circa", "ca.", "zo'n", "rond de", "rond", "rondom", "pakweg",
                         "ruwweg", "grofweg", "naar schatting", "om en nabij", "zowat", "om en bij", "om en bij de",
                         "misschien wel", "een slordige"], APPROX),
        **dict.fromkeys(["ruim", "meer dan", "minstens", "minimaal", "ten minste", "tenminste",
                         "niet minder dan", "zeker", "een goede", "een dikke", "dik", "goed"],
                         LOWER),
        **dict.fromkeys(["bijna", "nagenoeg", "krap", "nog geen", "minder dan", "maximaal", "hooguit",
                         "ten hoogste", "niet meer dan", "tot wel", "tot maximaal", "tot aan", "een kleine"], UPPER),
    },
}

_BETWEEN = {"en": ["between"], "nl": ["tussen de", "tussen"]}

_CURRENCY_PRE = {"€": "EUR", "eur": "EUR", "$": "USD", "us$": "USD", "usd": "USD", "£": "GBP", "gbp": "GBP",
                 "c$": "CAD", "ca$": "CAD", "cdn$": "CAD", "cad": "CAD"}
_CURRENCY_POST = {
    "en": {"euro": "EUR", "euros": "EUR", "eur": "EUR", "dollar": "USD", "dollars": "USD",
           "us dollars": "USD", "u.s. dollars": "USD", "usd": "USD", "canadian dollar": "CAD",
           "canadian dollars": "CAD", "cad": "CAD", "pounds sterling": "GBP", "british pounds": "GBP",
           "sterling": "GBP", "gbp": "GBP"},
    "nl": {"euro": "EUR", "euro's": "EUR", "eur": "EUR", "dollar": "USD", "dollars": "USD",
           "amerikaanse dollar": "USD", "amerikaanse dollars": "USD", "usd": "USD", "canadese dollar": "CAD",
           "canadese dollars": "CAD", "cad": "CAD", "britse pond": "GBP", "britse ponden": "GBP",
           "pond sterling": "GBP", "gbp": "GBP"},
}
# Bare "$" and "dollar" are read as US dollars; "pounds"/"pond" alone is left out (also a weight).
_ASSUMED_USD = {"$", "dollar", "dollars"}

_DURATIONS = {
    "en": {"day": "day", "days": "day", "week": "week", "weeks": "week", "month": "month", "months": "month",
           "year": "year", "years": "year", "hour": "hour", "hours": "hour", "minute": "minute",
           "minutes": "minute", "seconds": "second", "decade": "decade", "decades": "decade"},
    "nl": {"dag": "day", "dagen": "day", "week": "week", "weken": "week", "maand": "month",
           "maanden": "month", "jaar": "year", "jaren": "year", "uur": "hour", "uren": "hour", "minuut": "minute",
           "minuten": "minute", "seconde": "second", "seconden": "second", "decennium": "decade",
           "decennia": "decade",
           # adjectives: "een 14-daagse termijn", "24-urige", "een zes maands abonnement"
           "daagse": "day", "daags": "day", "weekse": "week", "maandse": "month", "maands": "month",
           "urige": "hour"},
}
# A period of a rate with a count ("£1,500 for six months", "€900 for a six-month licence", "1500 euro voor
# zes maanden"): the duration units a rate's period can be written in, and the words before the count.
_RATE_SPAN_UNITS = ("year", "month", "week", "day")
_RATE_FOR = {"en": ["for", "per", "every"], "nl": ["voor", "per", "elke", "iedere"]}
# The period of a rate ("£2,400 a year", "2000 euro per maand"): after a money figure only.
_RATE_PERIODS = {
    "en": {"year": "year", "month": "month", "week": "week", "day": "day", "hour": "hour", "annum": "year"},
    "nl": {"jaar": "year", "maand": "month", "week": "week", "dag": "day", "uur": "hour"},
}
_RATE_WORDS = {"en": ["a", "an", "per", "every", "each"], "nl": ["per", "elke", "iedere"]}
# Units of mass, volume and length: (kind, unit symbol). Values stay in the stated unit ("17 tonnes" is 17 t).
_MEASURES = {
    "en": {**dict.fromkeys(["kg", "kgs", "kilo", "kilos", "kilogram", "kilograms", "kilogramme", "kilogrammes"],
                           ("mass", "kg")),
           **dict.fromkeys(["tonne", "tonnes", "ton", "tons", "metric tons", "metric tonnes"], ("mass", "t")),
           **dict.fromkeys(["gram", "grams", "gramme", "grammes"], ("mass", "g")),
           **dict.fromkeys(["lb", "lbs"], ("mass", "lb")),
           **dict.fromkeys(["litre", "litres", "liter", "liters"], ("volume", "l")),
           **dict.fromkeys(["ml", "millilitres", "milliliters"], ("volume", "ml")),
           **dict.fromkeys(["km", "kilometre", "kilometres", "kilometer", "kilometers"], ("length", "km")),
           **dict.fromkeys(["metre", "metres", "meter", "meters"], ("length", "m")),
           **dict.fromkeys(["cm", "centimetres", "centimeters"], ("length", "cm")),
           **dict.fromkeys(["ft", "feet", "foot"], ("length", "ft")),
           **dict.fromkeys(["mile", "miles"], ("length", "mi"))},
    "nl": {**dict.fromkeys(["kg", "kilo", "kilo's", "kilos", "kilogram", "kilootje", "kilootjes"], ("mass", "kg")),
           **dict.fromkeys(["ton"], ("mass", "t")),
           **dict.fromkeys(["gram", "grammetje"], ("mass", "g")),
           **dict.fromkeys(["liter", "liters", "litertje"], ("volume", "l")),
           **dict.fromkeys(["ml", "milliliter"], ("volume", "ml")),
           **dict.fromkeys(["km", "kilometer"], ("length", "km")),
           **dict.fromkeys(["meter", "m"], ("length", "m")),
           **dict.fromkeys(["cm", "centimeter"], ("length", "cm"))},
}
# Single-letter symbols count only glued to digits and in lower case ("1.2t", "500g"; "5G" is a network).
_GLUED_MEASURES = {"t": ("mass", "t"), "g": ("mass", "g")}
# Dutch "ton" without a substance after it is colloquial for 100,000 euros ("bijna een ton verdiend").
_TON_EUR = 100_000
_SUBSTANCES = frozenset({"cocaïne", "coke", "cocaine", "hasj", "heroïne", "cannabis", "wiet", "drugs", "xtc",
                         "amfetamine", "speed", "mdma", "crystal", "meth", "marihuana", "hennep", "grondstoffen",
                         "chemicaliën", "pillen", "aan", "synthetische", "goud", "zilver", "afval"})
# Dutch approximate tens: "een tiental" is about ten.
_ABOUT_TENS = {"tiental": 10, "twintigtal": 20, "dertigtal": 30, "veertigtal": 40, "vijftigtal": 50,
               "zestigtal": 60, "zeventigtal": 70, "tachtigtal": 80, "negentigtal": 90, "honderdtal": 100,
               "duizendtal": 1000}
# Words before "one day/week/year" that make it a length of time, not "some day".
_DURATION_CUES = {"for", "to", "within", "after", "of", "in", "lasting", "just", "only"}

_SCALES = {
    "en": {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9, "trillion": 10**12,
           "dozen": 12, "mln": 10**6, "mn": 10**6, "bn": 10**9},
    "nl": {"honderd": 100, "duizend": 1000, "miljoen": 10**6, "miljard": 10**9, "biljoen": 10**12,
           "dozijn": 12, "mln": 10**6, "mld": 10**9, "mrd": 10**9},
}
# Abbreviations glued to a figure ("$2m", "€5k") count only after a currency sign: "2 m" is two metres.
_GLUED_SCALES = {"m": 10**6, "mn": 10**6, "bn": 10**9, "k": 1000}

# Vague counts: (lowest, first value above the range). At least two of the unit, fewer than ten times it.
_VAGUE = {
    "en": {"dozens": (24, 100), "hundreds": (200, 10**3), "thousands": (2000, 10**4),
           "tens of thousands": (2 * 10**4, 10**5), "hundreds of thousands": (2 * 10**5, 10**6),
           "millions": (2 * 10**6, 10**7), "tens of millions": (2 * 10**7, 10**8),
           "hundreds of millions": (2 * 10**8, 10**9), "billions": (2 * 10**9, 10**10)},
    "nl": {"tientallen": (20, 100), "honderden": (200, 10**3), "duizenden": (2000, 10**4),
           "tienduizenden": (2 * 10**4, 10**5), "honderdduizenden": (2 * 10**5, 10**6),
           "miljoenen": (2 * 10**6, 10**7), "tientallen miljoenen": (2 * 10**7, 10**8),
           "honderden miljoenen": (2 * 10**8, 10**9), "miljarden": (2 * 10**9, 10**10)},
}
# Plural number nouns that need "of" to count ("scores of arrests", "tens of people"; "the scores" do not).
_VAGUE["en"].update({"scores of": (40, 100), "tens of": (20, 100)})
_VAGUE["nl"].update({"dozijnen": (24, 100)})
# Vague counts with no upper bound: "several" is more than two, "meerdere" more than one; nothing in the
# word caps them (unlike "tientallen", fewer than a hundred). (lowest, None).
_VAGUE_OPEN = {"en": {"several": 3, "a number of": 2},
               "nl": {"verscheidene": 3, "meerdere": 2, "een aantal": 2, "diverse": 2, "verschillende": 2}}
# A few: at least two and fewer than ten, as in the vague relative dates ("a few weeks ago"); "a couple of"
# is two or three.
_VAGUE_FEW = {"en": {"a few": (2, 10), "a handful": (2, 10), "a couple of": (2, 4)},
              "nl": {"enkele": (2, 10), "een paar": (2, 10), "een handvol": (2, 10)}}
_PLURAL_NOUNS = {lang: dict(_VAGUE[lang]) for lang in _VAGUE}
for _lang, _words in _VAGUE_OPEN.items():
    _VAGUE[_lang].update({word: (low, None) for word, low in _words.items()})
for _lang, _words in _VAGUE_FEW.items():
    _VAGUE[_lang].update(_words)
    # "enkele honderden", "a few thousands", "meerdere tientallen": the plural noun's range.
    for _few in (*_words, *_VAGUE_OPEN[_lang]):
        _VAGUE[_lang].update({f"{_few} {noun}": bounds for noun, bounds in _PLURAL_NOUNS[_lang].items()
                              if not noun.endswith(" of")})
# Words that count only where no determiner or degree word comes before them: "the scores of the teams",
# "een enkele keer" (a single time), "de verschillende diensten" (the various services), "heel verschillende"
# (very different) are no counts.
_VAGUE_BARE = {"en": frozenset({"scores of"}), "nl": frozenset({"enkele", "diverse", "verschillende"})}
_NOT_BEFORE_BARE = {
    "en": frozenset({"the", "their", "its", "his", "her", "our", "your", "my", "these", "those", "high", "low",
                     "test", "final"}),
    "nl": frozenset({"een", "de", "het", "die", "deze", "dit", "dat", "geen", "elke", "iedere", "zijn", "haar",
                     "hun", "ons", "onze", "mijn", "heel", "zeer", "totaal", "erg", "zo", "nogal"}),
}
# Vague quantifiers that fix no size are not counts, so the coverage gate leaves them to the coder: "many",
# "numerous", "countless", "most", "some", "veel", "vele", "talloze", "tal van", "ontelbare", "de meeste".

_EN_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
             "nine": 9}
_EN_TEENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
             "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
_EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
            "ninety": 90}
_EN_WORDS = {**_EN_UNITS, **_EN_TEENS, **_EN_TENS}
_NL_UNITS = {"een": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8,
             "negen": 9}
_NL_TEENS = {"tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15,
             "zestien": 16, "zeventien": 17, "achttien": 18, "negentien": 19}
_NL_TENS = {"twintig": 20, "dertig": 30, "veertig": 40, "vijftig": 50, "zestig": 60, "zeventig": 70,
            "tachtig": 80, "negentig": 90}
_NL_WORDS = {**_NL_UNITS, **_NL_TEENS, **_NL_TENS}

_ORDINALS = {
    "en": {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
           "ninth": 9, "tenth": 10},
    "nl": {"tweede": 2, "derde": 3, "vierde": 4, "vijfde": 5, "zesde": 6, "zevende": 7, "achtste": 8,
           "negende": 9, "tiende": 10},
}
# Ordinals as their own kind (a rank): all of these, and digits with a suffix ("3rd", "21ste", "2de").
_RANKS = {
    "en": {"first": 1, **_ORDINALS["en"], "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
           "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
           "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "hundredth": 100},
    "nl": {"eerste": 1, **_ORDINALS["nl"], "elfde": 11, "twaalfde": 12, "dertiende": 13, "veertiende": 14,
           "vijftiende": 15, "zestiende": 16, "zeventiende": 17, "achttiende": 18, "negentiende": 19,
           "twintigste": 20, "dertigste": 30, "veertigste": 40, "vijftigste": 50, "honderdste": 100},
}
# English spelled ordinals rank only after one of these ("the second raid"; "police first arrested" is an
# adverb); Dutch "eerste", "tweede" are adjectives (the adverb is "eerst") and always rank.
_RANK_BEFORE = {"the", "a", "an", "its", "their", "his", "her", "our", "this", "that", "every", "each", "whose",
                "my", "your"}
# Fractions: the denominators, by word.
_FRACTIONS = {
    "en": {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fifth": 5, "fifths": 5,
           "sixth": 6, "tenth": 10, "tenths": 10},
    "nl": {"derde": 3, "kwart": 4, "vierde": 4, "vijfde": 5, "zesde": 6, "tiende": 10, "helft": 2},
}

_MONTHS = {
    "en": {"January": 1, "February": 2, "March": 3, "April": 4, "May": 5, "June": 6, "July": 7, "August": 8,
           "September": 9, "October": 10, "November": 11, "December": 12},
    "nl": {"januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7, "augustus": 8,
           "september": 9, "oktober": 10, "november": 11, "december": 12},
}
# Abbreviations only ever count next to a day number ("Sept. 22"): alone, "Jan" is a name.
_MONTH_ABBR = {
    "en": {"Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8, "Sep": 9, "Sept": 9,
           "Oct": 10, "Nov": 11, "Dec": 12},
    "nl": {"jan": 1, "feb": 2, "mrt": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
           "okt": 10, "nov": 11, "dec": 12},
}
_WEEKDAYS = {
    "en": {"Monday": 0, "Tuesday": 1, "Wednesday": 2, "Thursday": 3, "Friday": 4, "Saturday": 5, "Sunday": 6},
    "nl": {"maandag": 0, "dinsdag": 1, "woensdag": 2, "donderdag": 3, "vrijdag": 4, "zaterdag": 5,
           "zondag": 6},
}
# Weekday modifiers: "before" = strictly before the anchor, "after" = strictly after, "this"/"last"/"next"
# week = that weekday in the anchor's own, the previous or the next Monday-to-Sunday week.
_WEEKDAY_MODS = {
    "en": {"last": "before", "past": "before", "this past": "before", "next": "after", "coming": "after",
           "this coming": "after", "this": "thisweek"},
    "nl": {"afgelopen": "before", "vorige": "before", "verleden": "before", "voorbije": "before",
           "komende": "after", "volgende": "after",
           "aanstaande": "after", "deze": "thisweek", "deze week": "thisweek", "vorige week": "lastweek",
           "volgende week": "nextweek", "komende week": "nextweek"},
}
# Day words: offset in days from the publication day. "last night" is the evening before publication.
_DAY_WORDS = {
    "en": {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1, "this morning": 0, "this afternoon": 0,
           "this evening": 0, "last night": -1},
    "nl": {"eergisteren": -2, "gisteren": -1, "gisteravond": -1, "gistermiddag": -1, "gisterochtend": -1,
           "gistermorgen": -1, "gisternacht": -1, "vandaag": 0, "vanochtend": 0, "vanmorgen": 0,
           "vanmiddag": 0, "vanavond": 0, "morgen": 1, "morgenochtend": 1, "morgenmiddag": 1,
           "morgenavond": 1, "overmorgen": 2, "deze namiddag": 0, "deze voormiddag": 0, "deze ochtend": 0,
           "deze middag": 0, "deze avond": 0, "vannacht": 0, "vannamiddag": 0, "vanvoormiddag": 0,
           "gisterenavond": -1, "gisterennamiddag": -1, "gisterenmiddag": -1, "gisterenochtend": -1,
           "gisterennacht": -1, "gisternamiddag": -1, "gistervoormiddag": -1, "gisterenvoormiddag": -1,
           "eergisteravond": -2, "eergisterenavond": -2, "morgennamiddag": 1, "morgenvroeg": 1},
}
# Part of the day after an English day word or weekday ("yesterday afternoon", "Monday morning"): part of the
# surface, the day unchanged.
_DAY_PARTS = {"en": ["morning", "afternoon", "evening", "night"],
              "nl": ["ochtend", "morgen", "middag", "namiddag", "voormiddag", "avond", "nacht"]}
# Seasons (meteorological, northern hemisphere): first month; each lasts three months, winter runs into the
# next year (December to February).
_SEASONS = {"en": {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12},
            "nl": {"lente": 3, "voorjaar": 3, "zomer": 6, "herfst": 9, "najaar": 9, "winter": 12}}
# Words before a bare season ("in the summer", "sinds de zomer") that make it a date; "fall" needs a
# modifier or a year ("the fall of the regime").
_SEASON_CUES = {"en": {"the", "in", "since", "during", "until", "till", "through", "by", "over", "from",
                       "before", "after"},
                "nl": {"de", "het", "in", "sinds", "sedert", "tijdens", "tot", "vanaf", "na", "voor"}}
# Modifiers of a season or month name: the latest one ended before publication, the one of this year (or
# running at publication), or the first one starting after publication.
_CYCLE_MODS = {"en": {"last": "last", "past": "last", "this past": "last", "this": "this", "next": "next",
                      "this coming": "next", "coming": "next"},
               "nl": {"afgelopen": "last", "vorige": "last", "vorig": "last", "verleden": "last",
                      "voorbije": "last", "voorbij": "last", "deze": "this", "dit": "this", "komende": "next",
                      "volgende": "next", "aanstaande": "next", "komend": "next", "volgend": "next"}}
# A year relative to the publication year after a month or a day ("in March last year", "22 maart vorig jaar").
_REL_YEARS = {"en": {"last year": -1, "this year": 0, "next year": 1},
              "nl": {"vorig jaar": -1, "verleden jaar": -1, "dit jaar": 0, "volgend jaar": 1,
                     "komend jaar": 1}}
# Vague counts of a unit before "ago"/"geleden": at least two, fewer than ten ("a few weeks ago"); a plural
# unit alone ("weeks ago", "jaren geleden") reads the same.
_FEW = {"en": ["a few", "a couple of", "several", "some", "few", "a number of"],
        "nl": ["enkele", "een paar", "een aantal", "verscheidene", "meerdere", "wat", "een tal van"]}
_FEW_RANGE = (2, 9)
# Plural units of a vague relative date.
_PLURAL_UNITS = {"en": {"days": "day", "weeks": "week", "months": "month", "years": "year"},
                 "nl": {"dagen": "day", "weken": "week", "maanden": "month", "jaren": "year"}}
# Words after a count of units that make it a date in the past ("two weeks ago", Belgian "twee weken terug").
_AGO = {"en": ["ago", "back"], "nl": ["geleden", "terug"]}
# Vague spans ending or starting at publication ("in recent weeks", "de afgelopen maanden", "the coming
# weeks"): -1 before publication, +1 after.
_SPAN_MODS = {"en": {"recent": -1, "past few": -1, "last few": -1, "past": -1, "last": -1, "coming": 1,
                     "next few": 1, "coming few": 1},
              "nl": {"afgelopen": -1, "voorbije": -1, "laatste": -1, "recente": -1, "komende": 1,
                     "volgende": 1}}
# Part of a period: which third of it ("early 2021" = January to April, "mid-February" = 11 to 20 February,
# "late summer" = August). The article of "the end of the 1990s" / "halfweg de jaren negentig" goes with it.
_PART_OF = {"en": {"early": 0, "the beginning of": 0, "the start of": 0, "beginning of": 0, "start of": 0,
                   "mid": 1, "the middle of": 1, "middle of": 1, "late": 2, "the end of": 2, "end of": 2,
                   "the early": 0, "the mid": 1, "the late": 2},
            "nl": {"begin": 0, "eind": 2, "einde": 2, "eind van": 2, "einde van": 2, "medio": 1, "half": 1,
                   "halverwege": 1, "halfweg": 1, "midden": 1, "begin van": 0, "midden van": 1,
                   "het begin van": 0, "het einde van": 2, "het eind van": 2, "het midden van": 1,
                   "vroeg in": 0, "laat in": 2, "eind van de": 2, "begin van de": 0, "midden van de": 1}}
# Decades: "the 1990s", "the nineties", "de jaren negentig", "de jaren '90".
_DECADE_WORDS = {"en": {"twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60,
                        "seventies": 70, "eighties": 80, "nineties": 90},
                 "nl": {"twintig": 20, "dertig": 30, "veertig": 40, "vijftig": 50, "zestig": 60,
                        "zeventig": 70, "tachtig": 80, "negentig": 90}}
# "morgen" after these words is "the morning", not "tomorrow".
_MORNING_BEFORE = {"de", "deze", "die", "elke", "iedere", "s", "van", "goede"}
# Period modifiers: an offset in periods, or "earlier"/"later" within the current one.
_PERIOD_MODS = {
    "en": {"last": -1, "this": 0, "next": 1, "earlier this": "earlier", "later this": "later"},
    "nl": {"vorige": -1, "vorig": -1, "afgelopen": -1, "verleden": -1, "voorbije": -1, "deze": 0, "dit": 0,
           "volgende": 1, "volgend": 1,
           "komende": 1, "komend": 1, "eerder deze": "earlier", "eerder dit": "earlier",
           "later deze": "later", "later dit": "later"},
}
_PERIODS = {"en": {"week": "week", "month": "month", "year": "year"},
            "nl": {"week": "week", "maand": "month", "jaar": "year"}}

# Words before a bare four-digit number that make it a year.
_YEAR_CUES = {
    "en": {"in", "since", "until", "till", "by", "from", "of", "during", "before", "after", "early", "late",
           "mid", "year", "summer", "winter", "spring", "autumn", "fall", "through", "to", "between"},
    "nl": {"in", "sinds", "sedert", "vanaf", "tot", "van", "uit", "voor", "na", "eind", "einde", "begin",
           "medio", "half", "halverwege", "halfweg", "midden", "jaar", "zomer", "winter", "lente", "voorjaar",
           "najaar", "herfst", "tussen"},
}
# Lower-case words that may follow a year without making it a count ("in 2016 the police...").
_YEAR_FOLLOWERS = {
    "en": {"and", "or", "but", "the", "a", "an", "to", "when", "as", "after", "before", "was", "were",
           "is", "are", "had", "has", "have", "will", "would", "that", "which", "where", "in", "on", "at",
           "by", "for", "of", "with", "from", "until", "through", "it", "he", "she", "they", "we", "there"},
    "nl": {"en", "of", "maar", "de", "het", "een", "werd", "werden", "was", "waren", "is", "zijn", "heeft",
           "hebben", "had", "hadden", "zal", "zou", "toen", "als", "dat", "die", "in", "op", "bij", "voor",
           "na", "tot", "van", "met", "aan", "om", "uit", "door", "al", "nog", "ook", "er", "hij", "zij",
           "ze", "we"},
}
# Words before a bare month name that make it a date ("in April"); "May" alone is a verb.
_MONTH_CUES = {
    "en": {"in", "since", "until", "till", "by", "from", "of", "during", "early", "late", "mid", "through",
           "before", "after"},
    "nl": {"in", "sinds", "sedert", "vanaf", "tot", "van", "eind", "einde", "begin", "medio", "half",
           "halverwege", "halfweg", "midden", "vroeg", "laat", "per", "na", "voor", "rond", "omstreeks"},
}
# Words before a year-less "April 22" (English) that make it a date ("on April 22"; not "In March 10 men").
_MONTH_DAY_CUES = {"on", "by", "since", "until", "till", "from", "before", "after", "through", "of"}

_NAME_STOP = set(_MONTHS["en"]) | set(_WEEKDAYS["en"]) | {m.capitalize() for m in _MONTHS["nl"]} | {
    w.capitalize() for w in _WEEKDAYS["nl"]}
