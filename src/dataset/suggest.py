"""`dataset suggest`: drafts of everything a new article needs, for a coder to confirm.

A coder adding an article writes four files: the article's coding file and, where the article brings them,
entries of the three registries (`cases.yaml`, `events.yaml`, `actors.yaml`). `suggest` drafts all of them
from the detector and the registries:

- the **coding file**, with `draft: true` at the top (the build refuses it while it says so): every detected
  figure with a quote made unique in the text, its value, range, approximation, the unit and measure where a
  word of its sentence names them (a guess, marked by the draft), and the actor that states it where a
  reporting verb names one; every sentence that reports an event (an event word or a date expression) as a
  source of a drafted or registered event, with the date expression and the date it resolves to;
- the **case**, when `--case` names no case of `cases.yaml`: its entry, with the country the article's
  actors share;
- **events**: one per kind of event the article reports (an arrest reported twice is one event with two
  sources; statements one per speaker), with its type, dates from the sentence's date expression (a date
  right after the reporting verb, "said on Friday", dates the statement; the events it reports are `bounded`
  by it, or by the publication date where nothing dates them), and the actors its sources name, each with a
  role guessed from its type; its summary is left null, for the coder to write (the build refuses it until
  then). A statement's speaker is the subject of its reporting verb ("X said", "said X.", "according to X"),
  never merely the name nearest it ("police said they had arrested Y": not Y), else left null. Where the case
  already has an event of that kind (a statement: by the same speaker with the same date bound), the source
  points to it and nothing is drafted: the second article of a case adds sources, not events;
- **actors**: the network of a new case (its name in the text) as a company; agencies named by a nationality
  or a level and a noun ("Belgian police", "Federal prosecutors", "het federaal parket"), with the bare noun
  as a name within the case; and the capitalised names that no registry name covers, each with a type
  guessed from its words. The list leaves out sentence starts and common words ("In Britain", "The Dutch": a
  function word then a place or a nationality; "Eurojust. According" is "Eurojust"), datelines, month and
  day names, a generic word alone ("Police", "Court"), the bylines' reporters and editors ("Reporting by
  ...") and the people the sidecar's `author` names. An agency of the type and country of a registered actor
  ("Belgische politie" where `belgian-police` is registered) is not drafted: the coding file's header names
  it as that actor's likely other name.

Every drafted registry entry carries `draft: <article_id>`: the build refuses such an entry as an unconfirmed
draft, so nothing drafted reaches the tables before a coder has reviewed it and deleted that line. Without `--out` the
drafts are printed as YAML documents, each headed by the file it belongs in. With `--out` into the project's
`data/coding/articles/` the coding file is written there (never over an existing file unless `--force`) and
the registry entries are appended to the registry files: every file is checked first (its list under its
last key, a block list), its bytes are kept, the new entries go after them, and the result is read back (the
old entries unchanged, the new ones after them) before it replaces the file by a rename. Entries already
drafted for this article (a second run) are not appended again. With `--out` elsewhere the registries are
left alone and their drafted entries printed.

Everything here is a guess for a coder, from word lists and the registries (no model): the README measures
how much of the coding it leaves to write.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from dataset.errors import InputError
from dataset.pipeline.anchor import occurrences
from dataset.pipeline.coding import ActorName
from dataset.pipeline.mentions import find_mentions

# Words that mark an organisation in English or Dutch news (a small gazetteer, not a model), with the actor
# type they suggest.
_ORG_TYPES = {
    **dict.fromkeys(("Police", "Politie", "Gendarmerie", "Guardia", "Polizei", "Europol", "FBI", "NCA", "Constabulary",
                     "Carabinieri", "Policía", "Police."), "police"),
    **dict.fromkeys(("Prosecutor", "Prosecutors", "Prosecution", "Parket", "OM", "Eurojust", "Ministère",
                     "Procureur", "Fiscalía", "Staatsanwaltschaft", "Attorney"), "prosecution"),
    **dict.fromkeys(("Court", "Rechtbank", "Hof", "Tribunal", "Judge", "Judges", "Rechter"), "court"),
    **dict.fromkeys(("Ministry", "Ministerie", "Department", "Justice", "Justitie", "Government", "Regering",
                     "Agency", "Service", "Dienst", "Office", "Bureau"), "government"),
    **dict.fromkeys(("B.V.", "BV", "Ltd", "Inc", "Ltd.", "Inc.", "N.V.", "GmbH", "S.A.", "LLC"), "company"),
}
# An organisation word alone names no one ("Police said"); these stand alone as names.
_PROPER_ORGS = {"Europol", "Eurojust", "FBI", "NCA", "OM", "Interpol"}
# Words that start a sentence or a phrase but are not part of a name.
_FUNCTION = {
    "In", "The", "A", "An", "On", "At", "By", "For", "From", "With", "As", "After", "Before", "But", "And", "Or",
    "According", "While", "When", "Although", "Since", "Until", "Under", "Over", "Of", "To", "This", "That",
    "These", "Those", "Its", "His", "Her", "Their", "It", "He", "She", "They", "We", "If", "Both", "All", "Some",
    "Most", "Many", "Several", "Last", "Next", "Earlier", "Later", "Also", "Meanwhile", "However", "Police",
    "De", "Het", "Een", "Die", "Dat", "Deze", "Dit", "Bij", "Volgens", "Ook", "Maar", "En", "Na", "Voor", "Op",
    "Tijdens", "Sinds", "Van", "Met", "Door", "Zo", "Er", "Ze", "Zij", "Hij", "Wij", "Toen", "Nadat", "Als",
}
# Nationalities and places a name may start with: no actor by themselves ("The Dutch", "In Britain").
_DEMONYMS = {
    "Dutch": "NL", "Nederlandse": "NL", "Nederlands": "NL", "Netherlands": "NL", "Nederland": "NL",
    "Belgian": "BE", "Belgische": "BE", "Belgium": "BE", "België": "BE", "French": "FR", "Franse": "FR",
    "France": "FR", "Frankrijk": "FR", "British": "GB", "Britse": "GB", "Britain": "GB", "UK": "GB",
    "Engelse": "GB", "Spanish": "ES", "Spaanse": "ES", "Spain": "ES", "Spanje": "ES", "German": "DE",
    "Duitse": "DE", "Germany": "DE", "Duitsland": "DE", "Italian": "IT", "Italiaanse": "IT", "Italy": "IT",
    "Canadian": "CA", "Canadese": "CA", "Canada": "CA", "American": "US", "Amerikaanse": "US", "U.S.": "US",
    "US": "US", "Swedish": "SE", "Zweedse": "SE", "Sweden": "SE", "Irish": "IE", "Ierse": "IE", "Ireland": "IE",
    "European": None, "Europese": None, "Europe": None, "Europa": None, "Scotland": "GB", "Scottish": "GB",
    "Australian": "AU", "Australia": "AU", "Serbian": "RS", "Moroccan": "MA", "Marokkaanse": "MA",
}
_CALENDAR = {
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
    "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Januari",
    "Februari", "Maart", "Mei", "Juni", "Juli", "Augustus", "Oktober", "Maandag", "Dinsdag", "Woensdag",
    "Donderdag", "Vrijdag", "Zaterdag", "Zondag",
}
# A byline's people are the outlet's, not the case's: "(Reporting by Toby Sterling; Editing by ...)".
_BYLINE = re.compile(r"(?:reporting|editing|writing|additional reporting|compiled|door|redactie)\s+by\s+\Z|"
                     r"(?:reporting|editing|writing|reporting)\s+by\s+(?:[A-Z][\w'\u2019.-]+\s+)*(?:and|,)\s+\Z",
                     re.IGNORECASE)
_AGENCY_NOUNS = {"police": "police", "politie": "police", "prosecutors": "prosecution", "prosecutor": "prosecution",
                 "prosecution": "prosecution", "prosecutor's office": "prosecution", "parket": "prosecution",
                 "gendarmerie": "police", "court": "court", "rechtbank": "court", "justice ministry": "government",
                 "ministry of justice": "government", "customs": "government", "douane": "government"}
# Words before an agency noun that make it a name: a nationality (with its country) or a level of government
# (the case's country).
_NATIONS = ("Dutch", "Nederlandse", "Belgian", "Belgische", "French", "Franse", "British", "Britse", "Spanish",
            "Spaanse", "German", "Duitse", "Italian", "Italiaanse", "Canadian", "Canadese", "Swedish", "Irish",
            "Australian", "Serbian")
_LEVEL_WORDS = ("Federal", "Federale", "Federaal", "National", "Nationale", "Landelijke", "Landelijk", "Regional",
                "Regionale")
_LEVELS = (*_NATIONS, *_LEVEL_WORDS)
_GENERIC_AGENCY = re.compile(
    r"(?<![\w-])(?P<level>" + "|".join(f"[{w[0]}{w[0].lower()}]{re.escape(w[1:])}"
                                         for w in sorted(_LEVELS, key=len, reverse=True))
    + r")\s+(?P<noun>" + "|".join(sorted(map(re.escape, _AGENCY_NOUNS), key=len, reverse=True)) + r")(?!\w)")
# A name runs over spaces, never over a line break ("Afgeschermd\n\nDie servers": a heading, then a sentence).
_CAPITALISED = re.compile(r"(?<![\w.])(?:[A-Z][\w'\u2019.-]+)(?:[ \t]+(?:van|de|der|den|of|the|[A-Z][\w'\u2019.-]+))*")
# A sentence ends at "!", "?", a line break or a period, but not at a period between digits ("1.2 tonnes",
# "3.6 million"), inside a word ("U.S.", "e.g."), after a single capital letter ("J. Smith", "U.S. officials")
# or after a known abbreviation ("Jan. 5", "No. 5", "Mr. Smith").
_BREAK = re.compile(r"[.!?\n]")
_ABBREVIATIONS = {
    "Mr", "Mrs", "Ms", "Dr", "Prof", "St", "Jr", "Sr", "Gen", "Lt", "Col", "Sgt", "Capt", "Insp", "Supt", "Det",
    "Rep", "Sen", "Gov", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
    "vs", "dhr", "Dhr", "mevr", "Mevr", "mr", "bijv", "ca", "approx",
}
_NUMBER_ABBREVIATIONS = {"No", "no", "Nos", "Nr", "nr", "Art", "art"}  # "No. 5": before a number only

# Event words, in the order they are tried, with the event type they suggest (a guess for the coder).
_EVENT_WORDS = (
    ("interception", r"intercept\w*|infiltrat\w*|hack\w*|onderschep\w*|meegelezen|meelezen|afgetapt|"
                     r"(?:lazen|lezen|leest|las)\b.{0,80}\bmee\b"),
    ("pretrial_detention_order", r"remanded|be held for|ordered .{0,60}held|voorlopige hechtenis|in bewaring"),
    ("arrest", r"arrest\w*|detain\w*|aangehouden|arrestat\w*|opgepakt|gearresteerd|aanhouding\w*"),
    ("server_seizure", r"servers?\b.{0,40}(?:seiz\w*|copied|gekopieerd|in beslag)"),
    ("service_shutdown", r"shut\w* down|taken (?:offline|down)|dismantl\w*|uit de lucht|offline|ontmanteld"),
    ("data_access", r"decrypt\w*|ontsleuteld|toegang gekregen|access to|read .{0,40}messages|berichten .{0,40}"
                    r"(?:gelezen|ingezien)"),
    ("user_notification", r"users were sent|sent a message|bericht gestuurd|gewaarschuwd"),
    ("investigation", r"investigation\w*|investigated|suspected of|charged|onderzoek(?:en)?\b|verdacht van|"
                      r"vervolgd"),
    ("public_statement", r"\bsaid\b|\bsays\b|statement|announced|zegt|zei|meldt|maakte bekend|verklaring"),
)
_EVENT_RES = tuple((kind, re.compile(rf"\b(?:{words})", re.IGNORECASE)) for kind, words in _EVENT_WORDS)
# A reporting verb after or before a known actor: that actor states the figures of the sentence.
_REPORTING = re.compile(r"\b(?:said|says|told|stated|announced|according to|zegt|zei|meldt|meldde|volgens|"
                        r"maakte bekend|laat weten)\b", re.IGNORECASE)
# What may stand between a reporting verb's subject and the verb: a place ("Police in Hartwell said"), an
# apposition between commas ("Europol, the EU's police agency, said"), "on Friday" in Dutch word order, nothing.
_SUBJECT_BEFORE = re.compile(r"(?:\s+(?:in|of|at|from|van|uit|te)(?:\s+the)?\s+[A-Z][\w'\u2019-]*"
                             r"(?:\s+[A-Z][\w'\u2019-]*)*)?"
                             r"(?:\s*,[^,.;:!?]{1,60},)?\s*(?:has\s+|have\s+|had\s+|heeft\s+|hebben\s+)?")
# After the verb: an actor that ends the clause ("..., said Europol."), follows "according to"/"volgens", or
# follows a speaker's title ("said spokesman Wim de Bruin of the national prosecutor's office"), perhaps after
# a nationality ("meldt de Nederlandse politie").
_SOURCE_AFTER = re.compile(r"according to|volgens", re.IGNORECASE)
_TITLE = r"(?:spokes(?:man|woman|person)|woordvoer(?:der|ster)|official|detective|inspector|chief|director|minister)"
_ARTICLE_GAP = re.compile(r"\s+(?:the\s+|de\s+|het\s+|an?\s+|een\s+)?(?:[A-Z][\w'\u2019-]*\s+)?"
                          rf"(?P<title>(?:[\w-]+\s+){{0,2}}?{_TITLE}\s+)?")
_CLAUSE_END = re.compile(r"\s*(?:[,.;:!?)]|\Z)")
# Words near a figure that suggest its measure and unit (a guess; the vocabulary decides what is valid): the
# noun right after the number, and, where the noun alone does not decide, a word of the sentence.
_PEOPLE = r"people|persons|mensen|personen"
_MESSAGES = r"messages?|berichten|chats?"
_DEVICES = r"phones?|devices?|handsets?|telefoons?|toestellen|smartphones?"
_CASES = r"investigations?|\w*onderzoeken|cases|\w*zaken"  # Dutch compounds: "liquidatiezaken"
_MEASURE_WORDS = (
    ("network_users", "person", r"users?|customers?|subscribers?|gebruikers?|klanten|abonnees", None),
    ("network_users", "person", _PEOPLE, r"\bus(?:ed|ers?)\b|gebruik"),
    ("arrests", "person", rf"{_PEOPLE}|suspects?|verdachten|arrests", r"arrest|detain|aangehouden|opgepakt|aanhouding"),
    ("convictions", "person", rf"{_PEOPLE}|suspects?|defendants?|verdachten", r"convict|veroordeeld"),
    ("suspects", "person", r"suspects?|verdachten", None),
    ("messages_read", "message", _MESSAGES, r"\bread\b|gelezen|\b(?:lazen|lezen|las|leest)\b|decrypt|ontsleutel"),
    ("messages_intercepted", "message", _MESSAGES, r"intercept|onderschep"),
    ("messages_obtained", "message", _MESSAGES, None),
    ("registered_devices", "device", _DEVICES, r"registered|geregistreerd|active\b|actief|actieve"),
    ("devices", "device", _DEVICES, None),
    ("investigations_supported", "investigation", _CASES, r"evidence|bewijs"),
    ("investigations_using_network", "investigation", _CASES,
     r"turned up|\bused\b|gebruikt|opgedoken|\bdoken\b.{0,40}\bop\b|opduiken"),
    ("investigations", "investigation", _CASES, None),
    ("weapons_seized", "weapon", r"weapons?|firearms?|guns?|wapens?|vuurwapens?", None),
)
_MEASURE_RES = tuple((m, u, re.compile(rf"\b(?:{noun})\b", re.IGNORECASE),
                      re.compile(context, re.IGNORECASE) if context else None)
                     for m, u, noun, context in _MEASURE_WORDS)
_CASH = re.compile(r"\b(?:cash|contant\w*|seized|in beslag)\b", re.IGNORECASE)
_PRICE = re.compile(r"\b(?:each|apiece|per (?:phone|device|handset|stuk|toestel)|(?:een|elk|per) toestel|"
                    r"(?:a|each|the) (?:phone|handset|device)s? (?:cost|sold))\b", re.IGNORECASE)
_DRUGS = re.compile(r"\b(cocaine|cocaïne|coke|cannabis|heroin|heroïne|amphetamine|amfetamine|meth\w*|mdma|xtc|"
                    r"drugs)\b", re.IGNORECASE)
_SUBSTANCE = {"cocaine": "cocaine", "cocaïne": "cocaine", "coke": "cocaine", "cannabis": "cannabis",
              "heroin": "heroin", "heroïne": "heroin", "amphetamine": "amphetamine", "amfetamine": "amphetamine",
              "mdma": "mdma", "xtc": "mdma", "drugs": "unspecified"}
_ISO_PERIODS = {"day": "P1D", "week": "P1W", "month": "P1M", "year": "P1Y"}
_ROLE_OF_TYPE = {"police": "agent", "prosecution": "agent", "court": "agent", "government": "agent",
                 "person": "target", "company": "target", "group": "target"}


def unique_quote(text: str, start: int, end: int) -> str:
    """The shortest quote around text[start:end], widened word by word, that occurs once in the text."""
    left, right = start, end
    while len(occurrences(text, text[left:right])) > 1:
        grown = False
        if right < len(text):
            nxt = text.find(" ", right + 1)
            right = len(text) if nxt < 0 else nxt
            grown = True
        if len(occurrences(text, text[left:right])) > 1 and left > 0:
            prev = text.rfind(" ", 0, left - 1)
            left = 0 if prev < 0 else prev + 1
            grown = True
        if not grown:
            break
    return text[left:right].strip()


def _ends_sentence(text: str, at: int) -> bool:
    """Whether the period at text[at] ends a sentence (see `_BREAK`)."""
    after = text[at + 1:at + 2]
    if after.isalnum():  # "1.2", "U.S", "e.g": inside a number or a word
        return False
    word = re.search(r"(?<![\w.])[\w.]*?(\w+)\Z", text[max(0, at - 30):at])
    if word is None:
        return True
    token = word.group(1)
    if len(token) == 1 and token.isupper():  # "J. Smith", "U.S. officials"
        return False
    if token in _ABBREVIATIONS:
        return False
    return not (token in _NUMBER_ABBREVIATIONS and re.match(r"\s+\d", text[at + 1:at + 4]))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Offsets of the text's sentences, each with its final "." "!" or "?" and without a line break; the
    empty ones (between two line breaks) included."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BREAK.finditer(text):
        at = match.start()
        if text[at] == "\n":
            spans.append((start, at))
            start = at + 1
        elif text[at] != "." or _ends_sentence(text, at):
            spans.append((start, at + 1))
            start = at + 1
    spans.append((start, len(text)))
    return spans


def sentence_span(text: str, position: int) -> tuple[int, int]:
    """Offsets of the sentence that holds `position` (a candidate event's quote)."""
    for start, end in sentence_spans(text):
        if start <= position < end:
            while start < end and text[start].isspace():
                start += 1
            return start, end
    return position, position + 1


def _trimmed(words: list[str]) -> list[str]:
    """A capitalised sequence without the function words, nationalities, places and dateline ("AMSTERDAM") it
    starts with."""
    while words and (words[0] in _FUNCTION or words[0] in _DEMONYMS or words[0] in _CALENDAR
                     or (words[0].isupper() and len(words[0]) >= 5)):
        words = words[1:]
    while words and words[-1] in ("of", "the", "van", "de", "der", "den"):
        words = words[:-1]
    return words


def _byline(text: str, start: int) -> bool:
    return bool(_BYLINE.search(text[max(0, start - 80):start]))


_WORDS = re.compile(r"[\w'\u2019-]+")


def author_names(author: object) -> list[str]:
    """The people a sidecar's `author` names ("Anna Mertens and Tom Hals; Reuters"): the article's bylines."""
    if not author:
        return []
    parts = author if isinstance(author, list) else [author]
    return [name for part in parts for name in (n.strip(" .") for n in re.split(
        r"\s*(?:[,;&/]|\band\b|\ben\b|\bby\b)\s*", str(part), flags=re.IGNORECASE)) if name]


def _is_author(name: str, authors: Iterable[str]) -> bool:
    """Whether `name` is one of the authors, or part of one, or holds one ("Anna Mertens Reuters")."""
    def words(text: str) -> str:
        return " " + " ".join(_WORDS.findall(text.lower())) + " "
    return any(words(name) in words(a) or words(a) in words(name) for a in authors if a.strip())


def candidate_names(text: str, known: Iterable[str], authors: Iterable[str] = ()) -> list[str]:
    """Capitalised sequences that look like actors (a proper organisation word, an organisation word with a
    name, or two capitalised words) but that no registry name covers; sentence starts, nationalities, month
    and day names, generic words alone, bylines and the article's `authors` left out."""
    known_set = set(known)
    authors = list(authors)
    found: list[str] = []
    for match in _CAPITALISED.finditer(text):
        # a sentence ends inside the sequence: "Eurojust. According" is "Eurojust"
        raw = re.split(r"(?<=[a-z\u00e0-\u00ff)])\.\s+", match.group())[0]
        words = _trimmed(raw.strip(" .,").split())
        if not words or _byline(text, match.start() + match.group().find(words[0])):
            continue
        name = " ".join(words).strip(" .")
        capitalised = [w for w in words if w[:1].isupper()]
        org = any(w.strip(".") in _ORG_TYPES or w in _ORG_TYPES for w in words)
        if len(words) == 1 and words[0] not in _PROPER_ORGS:
            continue  # "Police", "Britain", "Manupassa": a generic word or a bare name is no new actor
        looks_like_actor = org or len(capitalised) >= 2
        if looks_like_actor and not any(k in name for k in known_set) and name not in found and not _is_author(
                name, authors):
            found.append(name)
    return found


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _actor_type(name: str) -> str:
    generic = _GENERIC_AGENCY.fullmatch(name)
    if generic:
        return next(kind for noun, kind in _AGENCY_NOUNS.items() if name.lower().endswith(noun))
    for word in name.split():
        kind = _ORG_TYPES.get(word) or _ORG_TYPES.get(word.strip("."))
        if kind:
            return kind
    return "person"


def _country(name: str) -> str | None:
    return next((_DEMONYMS[w] for w in name.split() if _DEMONYMS.get(w)), None)


@dataclass
class Drafts:
    """What `suggest` drafts for one article: the coding file and the registry entries it needs."""

    article_id: str
    coding: str
    registries: dict[str, list[dict[str, object]]] = field(default_factory=dict)  # file stem -> new entries

    def printed(self) -> str:
        """Every draft as a YAML document headed by the file it belongs in."""
        parts = [self.coding] if self.coding else []
        for stem, entries in self.registries.items():
            if entries:
                parts.append(f"# data/coding/{stem}.yaml: add under `{stem}:`\n---\n" + _entries_yaml(entries))
        return "---\n".join(parts)

    def write(self, coding_dir: Path, out: Path, write_coding: Callable[[str], None]) -> str:
        """Write the coding file with `write_coding` and, where it goes to the project's `articles/`, append
        the drafted entries to its registry files (see the module's docstring); every registry is checked
        before anything is written. Elsewhere (a draft outside the project) the registries are left alone and
        their entries given as `printed` gives them. What was done, for the coder."""
        if out.resolve().parent != (coding_dir / "articles").resolve():
            write_coding(self.coding)
            rest = Drafts(self.article_id, "", self.registries).printed()
            return f"draft written to {out}" + (
                f"\nthe registries are left alone (the draft is not in {coding_dir / 'articles'}); their drafted "
                f"entries:\n{rest}" if rest else "")
        appended = [_appended(coding_dir / f"{stem}.yaml", stem, entries, self.article_id)
                    for stem, entries in self.registries.items() if entries]
        write_coding(self.coding)
        return "\n".join([f"draft written to {out}", *(_replace(path, text, said) for path, text, said in appended)])


def _entries_yaml(entries: list[dict[str, object]]) -> str:
    return yaml.safe_dump(entries, sort_keys=False, allow_unicode=True, width=110)


def _appended(path: Path, key: str, entries: list[dict[str, object]], article_id: str
              ) -> tuple[Path, str | None, str]:
    """The text of `path` with `entries` appended to its list under `key` (None where they are there already),
    checked: the file's bytes kept, and read back as the old entries followed by the new ones."""
    where = str(path)
    if not path.is_file() or path.is_symlink():
        raise InputError.one(where, "cannot add the drafted entries: not a regular file")
    before = path.read_text(encoding="utf-8")
    old = yaml.safe_load(before) or {}
    items = old.get(key) if isinstance(old, dict) else None
    if not isinstance(items, list) or list(old)[-1] != key or re.search(rf"^{key}:\s*\[", before, re.MULTILINE):
        raise InputError.one(where, f"cannot add the drafted entries: expected `{key}:` as the file's last key, "
                             "a block list (nothing written; `dataset suggest` without --out prints them)")
    if any(isinstance(e, dict) and e.get("draft") == article_id for e in items):
        return path, None, f"{path}: entries drafted for {article_id} are there already (none added)"
    added = "".join("\n" + _indent(_entries_yaml([entry])) for entry in entries)
    after = (before if before.endswith("\n") else before + "\n") + (
        f"\n  # DRAFT from `dataset suggest` for {article_id}: review each entry, then delete its `draft:` line\n"
        + added.lstrip("\n"))
    new = yaml.safe_load(after)
    if list(new) != list(old) or new[key][:len(items)] != items or new[key][len(items):] != entries:
        raise InputError.one(where, "cannot add the drafted entries: the file would not read back as it was "
                             "plus the new entries (nothing written)")
    return path, after, f"{path}: {len(entries)} drafted {key} added (each says `draft: {article_id}`)"


def _replace(path: Path, text: str | None, said: str) -> str:
    """Replace `path` by `text` through a rename (never half-written), keeping its mode."""
    if text is not None:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.chmod(tmp, path.stat().st_mode & 0o777)
            os.replace(tmp, path)
        finally:
            if os.path.lexists(tmp):
                os.unlink(tmp)
    return said


def _indent(block: str) -> str:
    return "".join(f"  {line}" if line.strip() else line for line in block.splitlines(keepends=True))


@dataclass
class _Registry:
    """What the registries hold, as `suggest` needs it."""

    names: list[ActorName]
    case_ids: set[str]
    case_country: dict[str, str | None]
    actor_type: dict[str, str]
    actor_country: dict[str, str | None]
    event_ids: set[str]
    case_events: dict[tuple[str, str], list[str]]  # (case_id, event_type) -> the case's events of that type
    codes: dict[str, set[str]]

    @classmethod
    def of(cls, names: list[ActorName], rows: Mapping[str, list[dict[str, object]]],
           vocabularies: Mapping[str, object] | None) -> _Registry:
        codes: dict[str, set[str]] = {}
        for name, spec in (vocabularies or {}).items():
            if isinstance(spec, dict) and isinstance(spec.get("codes"), dict):
                codes[name] = set(spec["codes"])
        case_events: dict[tuple[str, str], list[str]] = {}
        event_of = {str(r["event_id"]): r for r in rows.get("events", [])}
        for r in rows.get("events", []):
            case_events.setdefault((str(r["case_id"]), str(r["event_type"])), []).append(str(r["event_id"]))
        for r in rows.get("event_actors", []):  # a statement is known by its case and its speaker
            event = event_of.get(str(r["event_id"]))
            if event is not None and event["event_type"] == "public_statement" and r["role"] == "agent":
                key = f"statement by {r['actor_id']} until {event['date_end']}"  # one speaker, many statements
                case_events.setdefault((str(event["case_id"]), key), []).append(str(r["event_id"]))
        return cls(names, {str(r["case_id"]) for r in rows.get("cases", [])},
                   {str(r["case_id"]): r.get("country") for r in rows.get("cases", [])},  # type: ignore[misc]
                   {str(r["actor_id"]): str(r["actor_type"]) for r in rows.get("actors", [])},
                   {str(r["actor_id"]): r.get("country") for r in rows.get("actors", [])},  # type: ignore[misc]
                   {str(r["event_id"]) for r in rows.get("events", [])}, case_events, codes)

    def valid(self, vocabulary: str, code: str | None) -> str | None:
        """`code` where the vocabulary has it (or no vocabulary file was read), else None."""
        known = self.codes.get(vocabulary)
        if code is None or known is None or code in known:
            return code
        return code if vocabulary == "unit" and re.fullmatch(r"[A-Z]{3}", code) else None


def _figure_guess(sentence: str, d: object, reg: _Registry) -> tuple[str | None, str | None, str | None]:
    """(measure, unit, substance) a figure's sentence suggests."""
    kind, unit, per = d.kind, d.unit, d.per  # type: ignore[attr-defined]
    if kind == "money":
        measure = ("subscription_price" if per else "price_per_device" if _PRICE.search(sentence)
                   else "cash_seized" if _CASH.search(sentence) else None)
        return reg.valid("measure", measure), unit, None
    if kind in ("mass", "volume"):
        drug = _DRUGS.search(sentence)
        substance = _SUBSTANCE.get(drug.group(1).lower()) if drug else None
        return (reg.valid("measure", "drugs_seized" if drug else None),
                reg.valid("unit", unit), reg.valid("substance", substance))
    if kind == "age":
        return reg.valid("measure", "suspect_age"), reg.valid("unit", unit), None
    if kind == "duration":
        detention = re.search(r"held|detention|custody|hechtenis|bewaring|vast", sentence, re.IGNORECASE)
        return reg.valid("measure", "detention_length" if detention else None), reg.valid("unit", unit), None
    at = sentence.find(d.text)  # type: ignore[attr-defined]
    after = sentence[at + len(d.text):][:30] if at >= 0 else ""  # type: ignore[attr-defined]
    for text in (after, sentence):
        nouns = [(m.start(), n) for n, (_, _, noun, _) in enumerate(_MEASURE_RES) for m in [noun.search(text)] if m]
        for position, n in sorted(nouns):
            measure, count_unit, _, context = _MEASURE_RES[n]
            if position == min(nouns)[0] and (context is None or context.search(sentence)) and reg.valid(
                    "measure", measure):
                return measure, reg.valid("unit", count_unit), None
        if nouns:
            return None, reg.valid("unit", _MEASURE_RES[min(nouns)[1]][1]), None
    return None, None, None


class _Article:
    """One article's text with the actors its sentences name (registry and drafted names)."""

    def __init__(self, article: Mapping[str, object], names: list[ActorName], case: str | None,
                 types: Mapping[str, str]) -> None:
        import pandas as pd

        self.text = str(article["text"])
        self.types = types
        self.country: str | None = None  # the case's country, where the registry or the article says
        frame = pd.DataFrame([{k: article[k] for k in ("article_id", "language", "text")}])
        mentions = find_mentions(frame, names, {str(article["article_id"]): case} if case else {})
        self.spans = [(int(s), int(e), str(a)) for s, e, a in
                      zip(mentions["start"], mentions["end"], mentions["actor_id"], strict=True)]

    def actors_in(self, start: int, end: int) -> list[str]:
        out: list[str] = []
        for s, e, actor in self.spans:
            if start <= s and e <= end and actor not in out:
                out.append(actor)
        return out

    def speaker(self, start: int, end: int) -> str | None:
        """The actor that is the subject of a reporting verb of the sentence, if any: "X said", "X, the agency's
        spokesman, said", "Police in Hartwell said", "..., said X.", "according to X". Never the nearest name
        otherwise ("police said they had arrested Tobias Renwick": not Renwick): where no actor is the verb's
        subject the speaker is left to the coder (None)."""
        text = self.text
        named = [(s, e, a) for s, e, a in self.spans if start <= s and e <= end and self.types.get(a) != "group"]
        for verb in _REPORTING.finditer(text, start, end):
            for _, e, actor in sorted(named, key=lambda n: -n[1]):  # the nearest before the verb first
                if e <= verb.start() and _SUBJECT_BEFORE.fullmatch(text, e, verb.start()):
                    return actor
            after_only = _SOURCE_AFTER.fullmatch(verb.group())
            for s, e, actor in sorted(named):
                gap = _ARTICLE_GAP.fullmatch(text, verb.end(), s) if s >= verb.end() else None
                if gap and (after_only or gap["title"] or _CLAUSE_END.match(text, e)):
                    return actor
        return None


def draft_all(article: Mapping[str, object], detections: list, registry_names: list[ActorName],
              rows: Mapping[str, list[dict[str, object]]], case_id: str | None,
              vocabularies: Mapping[str, object] | None = None) -> Drafts:
    """The drafts for one article (a dict with article_id, language, text, raw_sha256 and, where known,
    published): its coding file and the case, events and actors the registries lack."""
    reg = _Registry.of(registry_names, rows, vocabularies)
    article_id = str(article["article_id"])
    case = case_id or None
    text = str(article["text"])
    actors, aliases = _draft_actors(text, registry_names, reg, article_id, case, author_names(article.get("author")))
    types = {**reg.actor_type, **{str(a["actor_id"]): str(a["actor_type"]) for a in actors}}
    names = [*registry_names, *_drafted_names(actors)]
    doc = _Article(article, names, case, types)
    countries = [a["country"] for a in actors if a["country"]]
    country = reg.case_country.get(case or "") or (max(set(countries), key=countries.count) if countries else None)
    doc.country = country
    for actor in actors:  # "Federal prosecutors", "Nationale Politie": the case's country's agencies
        if actor["country"] is None and str(actor["name"]).split()[0].capitalize() in _LEVEL_WORDS:
            actor["country"] = country
    sources, events = _draft_events(doc, detections, reg, case, article)
    figures = _draft_figures(doc, detections, reg)
    coding = {"draft": True, "article_id": article_id, "raw_sha256": article["raw_sha256"], "case_id": case,
              "events": sources, "figures": figures, "not_figures": []}
    header = (
        "# DRAFT coding made by `dataset suggest`: the build refuses this file while it says `draft: true`.\n"
        "# Review every entry against the article: keep the sources of each event (the drafted events and\n"
        "# actors are in data/coding/events.yaml and actors.yaml with `draft:`), check each figure's unit,\n"
        "# measure, subject and stated_by (guesses), move numbers that are not figures to not_figures with a\n"
        "# reason, then delete `draft: true`.\n"
    ) + "".join(f"# {alias!r} is likely another name of actor {actor}: add it to that actor's names in actors.yaml\n"
                for alias, actor in aliases.items())
    registries: dict[str, list[dict[str, object]]] = {}
    if case is not None and case not in reg.case_ids:
        registries["cases"] = [{"case_id": case, "case_name": case.replace("-", " ").title(), "country": country,
                                "description": None, "draft": article_id}]
    registries["actors"] = actors
    registries["events"] = events
    return Drafts(article_id, header + yaml.safe_dump(coding, sort_keys=False, allow_unicode=True, width=110),
                  registries)


def generic_actors(text: str, known: Iterable[str]) -> dict[str, list[str]]:
    """Agencies named by a nationality or level and a common noun ("Belgian police", "Federal prosecutors",
    "the federal prosecutor's office", "Belgische politie") that no registry name is: the usual way news
    names a case's agencies. The names of one agency (the same level and kind) come together, first first."""
    known_set = {k.lower() for k in known}
    found: dict[tuple[str, str], list[str]] = {}
    for match in _GENERIC_AGENCY.finditer(text):
        name = match.group()
        if name.lower() in known_set:
            continue
        key = (match["level"].lower(), _AGENCY_NOUNS[match["noun"].lower()])
        if name not in found.setdefault(key, []):
            found[key].append(name)
    return {names[0]: names for names in found.values()}


def _draft_actors(text: str, names: list[ActorName], reg: _Registry, article_id: str, case: str | None,
                  authors: Iterable[str] = ()) -> tuple[list[dict[str, object]], dict[str, str]]:
    """An actors.yaml entry for each name that looks like an actor and that no registry name covers: the
    network of a new case (its name in the text) as a company, the agencies named by a nationality and a noun
    (with the bare noun, "prosecutors", as a name within the case, as the codebook's `case_names` allow), and
    the capitalised names; and the agency names that are likely another name of a registered actor (of the
    same type and country), with that actor."""
    known = [n.text for n in names]
    aliases_of: dict[str, str] = {}
    network = re.search(rf"(?<!\w){re.escape(case.replace('-', ' '))}(?!\w)", text, re.IGNORECASE) if case else None
    candidates: dict[str, dict[str, object]] = {}
    if network and not any(network.group() in k for k in known):
        candidates[network.group()] = {"actor_type": "company", "names": {"any": [network.group()]}}
    agencies = generic_actors(text, known)
    nouns = [_GENERIC_AGENCY.fullmatch(name)["noun"].lower() for name in agencies]  # type: ignore[index]
    for (name, aliases), noun in zip(agencies.items(), nouns, strict=True):
        kind = _actor_type(name)
        country = _country(name) or (reg.case_country.get(case or "") if name.split()[0].capitalize()
                                     in _LEVEL_WORDS else None)
        same = [a for a, t in reg.actor_type.items() if t == kind and country and reg.actor_country.get(a) == country]
        if same:  # "Belgische politie" in a Dutch report of a case whose Belgian police is registered
            aliases_of.update({alias: same[0] for alias in aliases})
            continue
        entry: dict[str, object] = {"actor_type": kind, "names": {"any": aliases}}
        if case and nouns.count(noun) == 1 and noun in ("police", "politie", "prosecutors", "justitie", "parket"):
            entry["case_names"] = {case: [noun, noun.capitalize()]}
        candidates[name] = entry
    covered = [*known, *(a for names in agencies.values() for a in names)]
    for name in candidate_names(text, covered, authors):
        candidates.setdefault(name, {"actor_type": _actor_type(name), "names": {"any": [name]}})
    drafted: list[dict[str, object]] = []
    for name, spec in candidates.items():
        actor_id = _slug(name)
        if _is_author(name, authors):  # the byline's reporter (README): never an actor of the case
            continue
        if actor_id and actor_id not in reg.actor_type and actor_id not in {a["actor_id"] for a in drafted}:
            drafted.append({"actor_id": actor_id, "name": name, "actor_type": spec["actor_type"],
                            "country": _country(name), "description": None, "wikidata_id": None,
                            "names": spec["names"], **({"case_names": spec["case_names"]} if "case_names" in spec
                                                       else {}), "draft": article_id})
    return drafted, aliases_of


def _drafted_names(actors: list[dict[str, object]]) -> list[ActorName]:
    """The names of drafted actors, as the mention finder takes them."""
    out = []
    for actor in actors:
        actor_id = str(actor["actor_id"])
        out += [ActorName(actor_id, n) for n in actor["names"]["any"]]  # type: ignore[index]
        for case, texts in (actor.get("case_names") or {}).items():  # type: ignore[union-attr]
            out += [ActorName(actor_id, n, case_id=case) for n in texts]
    return out


def _draft_events(doc: _Article, detections: list, reg: _Registry, case: str | None,
                  article: Mapping[str, object]) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """The article's event sources (each sentence with an event word) and the events.yaml entries of the
    events that its case does not have yet: one per type (statements: one per speaker)."""
    text = doc.text
    dated: dict[tuple[int, int], list] = {}
    for start, end in sentence_spans(text):
        if text[start:end].strip():
            dated.setdefault(sentence_span(text, start), [])
    for d in detections:
        if d.kind == "date":
            dated.setdefault(sentence_span(text, d.start), []).append(d)
    events: dict[str, dict[str, object]] = {}
    sources = []
    for (start, end), dates in sorted(dated.items()):
        sentence = text[start:end]
        if _byline(text, start) or sentence.lstrip().startswith("("):
            continue
        kinds = [k for k, pattern in _EVENT_RES if pattern.search(sentence)]
        speaker = doc.speaker(start, end)
        # a statement is its own event where it is all the sentence reports or where it is dated ("police said
        # on Friday they had arrested ...": the arrest and the announcement)
        if "public_statement" in kinds and len(kinds) > 1 and not (speaker and dates):
            kinds.remove("public_statement")
        # a date right after the reporting verb dates the statement ("said on Friday"); the events it reports
        # happened by then (bounded), unless the sentence dates them too
        verbs = [m.end() + start for m in _REPORTING.finditer(sentence)]
        said = [d for d in dates if any(0 <= d.start - v <= 15 for v in verbs)]
        for kind in kinds:
            own = said if kind == "public_statement" else [d for d in dates if d not in said]
            when = _dates(own[0], None) if own else _dates(None, said[0].date_end if said else article.get(
                "published"))
            _draft_source(doc, reg, case, kind, speaker if kind == "public_statement" else None, (start, end),
                          dates, when, article, events, sources)
    for event in events.values():
        if not event["actors"]:
            event["actors"] = [{"actor_id": None, "role": "agent"}]
    return sources, list(events.values())


def _draft_source(doc: _Article, reg: _Registry, case: str | None, kind: str, speaker: str | None,
                  span: tuple[int, int], dates: list, when: dict[str, object], article: Mapping[str, object],
                  events: dict[str, dict[str, object]], sources: list[dict[str, object]]) -> str:
    """Add the sentence at `span` as a source of an event of `kind` (the case's registered one of that kind,
    or a drafted one, dated by `when`); the event's id."""
    (start, end), text, article_id = span, doc.text, str(article["article_id"])
    kind = reg.valid("event_type", kind) or kind
    base = f"{speaker}-statement" if speaker else kind.replace("_", "-")
    event_id = f"{case}-{base}" if case else base
    statement = f"statement by {speaker} until {when['date_end']}"
    known = reg.case_events.get((str(case), statement if speaker else kind), [])
    if event_id in reg.event_ids or known:
        # the case has an event of this kind already: the source points to it (the coder checks that it is
        # the same event); otherwise a new id beside the registry's
        event_id = event_id if event_id in known else known[0] if known else f"{event_id}-{_slug(article_id)}"
    source: dict[str, object] = {"id": f"s{len(sources) + 1:02d}", "event_id": event_id,  # the next free id
                                 "quote": unique_quote(text, start, end)}
    if dates:
        source["date_expression"] = dates[0].text
    sources.append(source)
    if event_id in reg.event_ids:
        return event_id
    event = events.get(event_id)
    if event is None:
        event = events[event_id] = {
            "event_id": event_id, "case_id": case, "event_type": kind, "summary": None,
            "country": reg.case_country.get(str(case)) or doc.country, "location": None, **when, "actors": [],
            "draft": article_id}
    elif event["date_basis"] == "bounded" and when["date_basis"] != "bounded":
        event.update(when)
    listed = {a["actor_id"] for a in event["actors"]}  # type: ignore[union-attr]
    for actor in [speaker] if speaker else doc.actors_in(start, end):
        if actor not in listed:
            role = "agent" if speaker else _ROLE_OF_TYPE.get(doc.types.get(actor, ""), "agent")
            event["actors"].append({"actor_id": actor, "role": role})  # type: ignore[union-attr]
    return event_id


def _draft_figures(doc: _Article, detections: list, reg: _Registry) -> list[dict[str, object]]:
    """A figure for every detected number, with the unit, measure, subject and speaker its sentence suggests."""
    text = doc.text
    companies = [a for _, _, a in doc.spans if doc.types.get(a) == "company"]
    figures: list[dict[str, object]] = []
    for d in (d for d in detections if d.kind != "date"):
        s, e = sentence_span(text, d.start)
        measure, unit, substance = _figure_guess(text[s:e], d, reg)
        here = doc.actors_in(s, e)
        person = next((a for a in here if doc.types.get(a) == "person"), None)
        company = next((a for a in here if doc.types.get(a) == "company"), None) or next(iter(companies), None)
        subject = person if d.kind in ("age", "duration") and person else company
        speaker = doc.speaker(s, e)
        entry: dict[str, object] = {
            "id": f"f{len(figures) + 1:02d}", "quote": unique_quote(text, d.start, d.end), "value": _number(d.value),
            "value_low": _number(d.value_low), "value_high": _number(d.value_high), "approximate": d.approximate,
            "unit": unit,
            "measure": measure, "subject_actor_id": subject, "stated_by_actor_id": speaker}
        # a rate, its period as an ISO 8601 duration: "150 euro per maand" (a unit word), "£1,500 for six
        # months" (the detector's duration, P6M)
        period = _ISO_PERIODS.get(d.per) or (d.per if isinstance(d.per, str) and d.per.startswith("P") else None)
        if period:
            entry["per_period"] = period
        if substance:
            entry["substance"] = substance
        figures.append(entry)
    return figures


def _number(value: float | None) -> float | int | None:
    """A whole number as an integer (19000, not 19000.0), as a coder writes it."""
    return int(value) if value is not None and float(value).is_integer() else value


def _dates(date: object, published: object) -> dict[str, object]:
    """An event's date columns from the date expression of its first dated source, else bounded by the
    publication date (the codebook's rules; the coder checks them)."""
    if date is None:  # bounded by `published` (the statement's or the article's day)
        day = str(published) if published and re.fullmatch(r"\d{4}-\d\d-\d\d", str(published)) else None
        return {"date_start": None, "date_end": day, "date_precision": None, "date_basis": "bounded"}
    precision = date.precision  # type: ignore[attr-defined]
    relative = not re.search(r"\d", date.text)  # type: ignore[attr-defined]
    basis = "resolved" if relative else "stated"
    first = str(date.date) + {4: "-01-01", 7: "-01"}.get(len(str(date.date)), "")  # type: ignore[attr-defined]
    if precision == "unresolved":
        return {"date_start": first, "date_end": date.date_end,  # type: ignore[attr-defined]
                "date_precision": None, "date_basis": "bounded"}
    return {"date_start": first, "date_end": date.date_end,  # type: ignore[attr-defined]
            "date_precision": precision, "date_basis": basis}


def draft(article: dict[str, object], detections: list, names: list[ActorName], case_id: str | None) -> str:
    """The draft coding file alone (no registry rows known: every event and actor is drafted)."""
    return draft_all(article, detections, names, {}, case_id).coding


def vocabularies_of(project: object) -> Mapping[str, object] | None:
    """The controlled lists of data/coding/vocabularies.yaml as plain YAML (a draft only checks that a guessed
    code is listed; the build checks the file), or None where there is none."""
    path = Path(project.coding) / "vocabularies.yaml"  # type: ignore[attr-defined]
    if not path.is_file():
        return None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None
