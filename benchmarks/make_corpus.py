#!/usr/bin/env python3
"""Generate a seeded, bilingual benchmark corpus: a whole project tree that `dataset build` builds green.

    python benchmarks/make_corpus.py --articles 10000 --seed 1 --out /tmp/corpus-10k

writes into DIR:

- ``data/raw/``: raw articles in both raw formats (``wordpress-html``: YAML front matter + HTML body with
  ``[ad_1]`` shortcodes, a script block and a "Source"/"Bron" link; ``dated-text``: `` date YYYY[-MM[-DD]] ``
  and wrapped blank-line paragraphs), English and Dutch in both, each with its ``.meta.yaml`` sidecar
  (publication dates at day, month and year precision);
- ``data/coding/{cases,actors,events}.yaml``: a generated registry (cases, each with a company, its owner,
  a spokesperson, the users; shared police, prosecution services and courts of five countries; three to six
  events per case) and ``data/coding/articles/<article_id>.yaml``: every event source and figure bound to a
  quote that occurs exactly once in the article's clean text, every planted number accounted for (figures,
  or ``not_figures`` with a reason), so the project builds green and passes a coverage gate;
- ``pyproject.toml``: a copy of the real one (the build reads the version from it), and
  ``data/coding/vocabularies.yaml``, the real controlled vocabularies;
- ``ground_truth.jsonl``: every number and date planted in the clean texts, one JSON object a line, in
  article and text order: ``article_id``, ``language``, ``kind`` (number, money, duration, age, percent,
  date), ``text`` (the surface), ``start``/``end`` (offsets into the clean text, found by running
  ``dataset.pipeline.formats.clean`` on the generated raw string: ``text == clean_text[start:end]``), ``value``,
  ``value_low``, ``value_high``, ``approximate``, ``unit``, ``currency`` and, for dates, ``date``,
  ``date_end`` and ``precision`` (day, week, month, year, or ``unresolved`` where a relative date depends on
  an unknown publication day: ``date`` is then the earliest and ``date_end`` the latest possible day);
- ``manifest.json``: the counts the generator planted (articles per language and format, figures,
  not-figures, event sources, registry sizes).

Conventions of the ground truth follow docs/codebook.md ("Coding rules") and the documented rules of
``dataset.detect``: a hedge is part of a figure's surface ("about 1,500 euros"), a preposition is not part of
a date's ("on Tuesday" -> "Tuesday"; "in april 2016" -> "april 2016"); "more than"/"ruim" leave value_high
null, "nearly"/"bijna" value_low; vague counts have no value and a range (tientallen 20..99, dozens
24..99, thousands/duizenden 2,000..9,999); ages written "Name, 36," or "Name (36)" have the digits as
surface.

Deterministic: the same N and seed give a byte-identical tree (every article draws from its own
``random.Random(f"{seed}:{index}:{attempt}")``; nothing depends on the clock, the machine or hash order).
Streaming: each article is written as it is made, so memory stays flat and time linear up to N = 100,000;
``--jobs`` spreads the work (mostly HTML cleaning) over processes without changing a byte.

A benchmark and test fixture, never part of the published dataset.
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import hashlib
import html
import json
import random
import re
import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATOR_VERSION = 1
MANIFEST = "manifest.json"
GROUND_TRUTH = "ground_truth.jsonl"

try:  # the project is installed in its venv; fall back to the checkout's src/ when run with another Python
    from dataset.pipeline.formats import clean
except ImportError:  # pragma: no cover
    sys.path.insert(0, str(ROOT / "src"))
    from dataset.pipeline.formats import clean

# ---------------------------------------------------------------------------------------------------------
# Vocabulary of the generated world
# ---------------------------------------------------------------------------------------------------------

EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")
NL_MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
             "november", "december")
EN_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
NL_DAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")

# Network names: prefix + middle + suffix, capitalised once ("Ghostlink", "Silverphone").
NET_PREFIX = ("Ennet", "Ghost", "Phantom", "Silver", "Iron", "Omni", "Nova", "Aero", "Black", "Secu", "Crypt",
              "Shadow", "Vault", "Stealth", "Cipher", "Quiet", "Zephyr", "Orbit", "Falcon", "Raven", "Lynx",
              "Polar", "Atlas", "Vortex")
NET_MIDDLE = ("", "o", "a", "i", "ex", "on", "ar", "el", "um", "is", "or", "an")
NET_SUFFIX = ("com", "link", "phone", "chat", "net", "tel", "crypt", "wire", "line", "talk", "cell", "mail",
              "sec", "box")

EN_FIRST = ("Danny", "Peter", "Mark", "Thomas", "Robert", "Kevin", "Steven", "Michael", "Patrick", "Vincent",
            "Martin", "Dennis", "Richard", "Frank", "Marco", "Ronald", "Erik", "Paul", "Hans", "Rick", "Sander",
            "Jeroen", "Bas", "Koen", "Ruben", "Niels", "Stefan", "Wouter", "Bram", "Joost", "Tim", "Lars",
            "Anna", "Sara", "Linda", "Monique", "Sandra", "Esther", "Marieke", "Ingrid", "Karin", "Nicole",
            "Ilse", "Femke", "Lotte", "Eva", "Laura", "Sophie")
LAST = ("Manupassa", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "Bos", "Vos", "Peters", "Hendriks",
        "Dekker", "Brouwer", "Dijkstra", "Verhoeven", "Kramer", "Kuipers", "Postma", "Schouten", "Willems",
        "Hoekstra", "Koster", "Prins", "Huisman", "Kok", "Timmermans", "Jacobs", "Claes", "Maes", "Wouters",
        "Goossens", "Mertens", "Lambrechts", "Dubois", "Lefevre", "Moreau", "Girard", "Weber", "Becker",
        "Hoffmann", "Schulz", "Keller", "Richter", "Tahiri", "Bouzid", "Yilmaz", "Kaya", "Demir", "Ozturk",
        "Ramdin", "Soekhoe", "Pinas", "Doelwijt", "Verbeek", "Lammers", "Evers", "Vermeulen", "Aerts",
        "Janssens", "Wuyts", "Segers")
INFIX = ("de", "van", "van der", "van den", "ter")
REPORTERS = ("Toby Sterling", "Anthony Deutsch", "Bart Meijer", "Stephanie van den Berg", "Ethan Lou",
             "Robin Emmott", "Philip Blenkinsop", "Charlotte Hooiveld", "Merel Dijkman", "Joris Veenstra",
             "Thijs Oudkerk", "Femke Zwart")
EDITORS = ("Dominic Evans", "Richard Chang", "Alison Williams", "Hugh Lawson", "Toby Chopra", "Mark Heinrich")

# Countries: how each language names the police and the prosecution (these are also registry names).
COUNTRIES: dict[str, dict[str, object]] = {
    "NL": {"en_name": "the Netherlands", "nl_name": "Nederland", "en_adj": "Dutch",
           "police": ("Netherlands Police", {"en": ["Dutch police"], "nl": ["Nationale Politie"]},
                      "Dutch police", "de Nationale Politie"),
           "pros": ("Netherlands Public Prosecution Service",
                    {"any": ["Openbaar Ministerie"], "en": ["Dutch prosecutors"], "nl": ["OM"]},
                    "Dutch prosecutors", "het OM"),
           "cities": (("Rotterdam", "Rotterdam"), ("Amsterdam", "Amsterdam"), ("The Hague", "Den Haag"),
                      ("Utrecht", "Utrecht"), ("Arnhem", "Arnhem"))},
    "BE": {"en_name": "Belgium", "nl_name": "België", "en_adj": "Belgian",
           "police": ("Belgian Federal Police", {"en": ["Belgian police"], "nl": ["Belgische politie"],
                                                 "any": ["Federale Politie"]},
                      "Belgian police", "de Belgische politie"),
           "pros": ("Belgian Federal Prosecutor's Office",
                    {"en": ["Belgian prosecutors"], "nl": ["federaal parket"]},
                    "Belgian prosecutors", "het federaal parket"),
           "cities": (("Antwerp", "Antwerpen"), ("Brussels", "Brussel"), ("Ghent", "Gent"))},
    "DE": {"en_name": "Germany", "nl_name": "Duitsland", "en_adj": "German",
           "police": ("Federal Criminal Police Office", {"any": ["Bundeskriminalamt"], "en": ["German police"],
                                                         "nl": ["Duitse politie"]},
                      "German police", "de Duitse politie"),
           "pros": ("German federal prosecutors", {"en": ["German prosecutors"], "nl": ["Duitse justitie"]},
                    "German prosecutors", "de Duitse justitie"),
           "cities": (("Frankfurt", "Frankfurt"), ("Cologne", "Keulen"), ("Berlin", "Berlijn"))},
    "FR": {"en_name": "France", "nl_name": "Frankrijk", "en_adj": "French",
           "police": ("French National Gendarmerie", {"any": ["Gendarmerie"], "en": ["French police"],
                                                      "nl": ["Franse politie"]},
                      "French police", "de Franse politie"),
           "pros": ("Paris Public Prosecutor's Office", {"any": ["Parquet de Paris"], "en": ["Paris prosecutors"],
                                                         "nl": ["Parijse parket"]},
                    "Paris prosecutors", "het Parijse parket"),
           "cities": (("Paris", "Parijs"), ("Lille", "Rijsel"), ("Lyon", "Lyon"))},
    "CA": {"en_name": "Canada", "nl_name": "Canada", "en_adj": "Canadian",
           "police": ("Royal Canadian Mounted Police", {"any": ["RCMP"], "en": ["Canadian police"],
                                                       "nl": ["Canadese politie"]},
                      "Canadian police", "de Canadese politie"),
           "pros": ("Public Prosecution Service of Canada", {"en": ["Canadian prosecutors"],
                                                             "nl": ["Canadese justitie"]},
                    "Canadian prosecutors", "de Canadese justitie"),
           "cities": (("Toronto", "Toronto"), ("Montreal", "Montreal"))},
}
HOME_COUNTRIES = ("NL", "NL", "NL", "BE", "BE", "DE", "FR")
SERVER_COUNTRIES = ("CA", "FR", "DE", "NL", "BE")

# Event types in the order a takedown unfolds.
EVENT_ORDER = ("investigation", "server_seizure", "arrest", "service_shutdown", "user_notification",
               "pretrial_detention_order", "data_access", "public_statement")

EN_OUTLETS = (("Reuters", "reuters"), ("Associated Press", "ap"), ("BBC News", "bbc"), ("The Guardian", "guardian"),
              ("Politico Europe", "politico"), ("DutchNews", "dutchnews"))
NL_OUTLETS = (("NOS", "nos"), ("de Volkskrant", "volkskrant"), ("NRC", "nrc"), ("Het Parool", "parool"),
              ("AD", "ad"), ("De Telegraaf", "telegraaf"), ("De Standaard", "standaard"))
DATELINES = ("AMSTERDAM", "THE HAGUE", "ROTTERDAM", "BRUSSELS", "ANTWERP", "FRANKFURT", "PARIS")
NL_HEADINGS = ("Afgeschermd", "Grote onrust", "Witwassen", "Servers", "Bewijs", "Versleuteld", "Liquidaties",
               "Klantenkring")

# ---------------------------------------------------------------------------------------------------------
# Templates. {ref} is an actor or place reference, {@fig} the planted figure, {@date} the planted date
# expression (always written " {@date}", dropped with its space when the sentence has no date), and [[ ]]
# the figure's quote. A template never starts with a slot (sentences are capitalised).
# ---------------------------------------------------------------------------------------------------------

EVENT_TEMPLATES: dict[str, dict[str, tuple[tuple[str, str | None], ...]]] = {
    "en": {
        "investigation": (
            ("{pros} said {@date} that {company} and its owner {owner} were suspected of money laundering.", None),
            ("An investigation into {company} was opened by {pros} {@date}, after its phones turned up in "
             "murder inquiries.", None),
        ),
        "server_seizure": (
            ("Servers of {company} in {server_loc} were copied {@date} in cooperation with {fpolice}, {pros} "
             "said.", None),
            ("{fpolice} seized the servers of {company} {@date} at the request of {pros}.", None),
        ),
        "arrest": (
            ("{police} arrested {owner}, the owner of {company}, {@date}.", None),
            ("{owner}, who ran {company}, was arrested {@date} by {police}.", None),
        ),
        "service_shutdown": (
            ("{police} took the encrypted network of {company} offline {@date}.", None),
            ("The network run by {company} was shut down {@date}, {police_short} said.", None),
        ),
        "user_notification": (
            ("All users of {company} were sent a message {@date} notifying them that the system was being "
             "investigated by {police_short}.", None),
            ("{police} sent a message to the users of {company} {@date}, telling them the service had been "
             "taken over.", None),
        ),
        "pretrial_detention_order": (
            ("{court} ordered {@date} that {owner_short} be held [[for {@fig}]] during the investigation.",
             "detention_length"),
            ("Judges in {court_city} ordered {@date} that {owner} remain in custody while the investigation "
             "continues.", None),
        ),
        "data_access": (
            ("Investigators gained access {@date} to [[{@fig} encrypted messages]] taken from the servers of "
             "{company}.", "messages_obtained"),
            ("{pros} said {@date} that investigators had decrypted messages from the servers of {company}.", None),
        ),
        "public_statement": (
            ("{pros} said in a statement {@date} that they had dismantled the largest encrypted network used by "
             "criminals in {home_en}.", None),
            ("Spokesperson {spokes} of the {pros_office} said {@date} that the data would be used in other "
             "investigations.", None),
        ),
    },
    "nl": {
        "investigation": (
            ("{pros} maakte {@date} bekend dat {company} en eigenaar {owner} worden verdacht van witwassen.", None),
            ("Het onderzoek naar {company} is {@date} gestart na meldingen over liquidaties.", None),
        ),
        "server_seizure": (
            ("De servers van {company} in {server_loc} werden {@date} gekopieerd op verzoek van {pros}.", None),
            ("{fpolice} nam {@date} de servers van {company} in beslag.", None),
        ),
        "arrest": (
            ("{police} heeft {owner}, de eigenaar van {company}, {@date} aangehouden.", None),
            ("{owner}, de man achter {company}, werd {@date} opgepakt door {police}.", None),
        ),
        "service_shutdown": (
            ("{police} haalde het netwerk van {company} {@date} uit de lucht.", None),
            ("Het versleutelde netwerk van {company} is {@date} offline gehaald door {police_short}.", None),
        ),
        "user_notification": (
            ("Alle gebruikers van {company} kregen {@date} een bericht dat het netwerk werd onderzocht door "
             "{police_short}.", None),
            ("{police} stuurde {@date} een bericht aan de klanten van {company}.", None),
        ),
        "pretrial_detention_order": (
            ("De {court} bepaalde {@date} dat {owner} [[{@fig} in voorarrest]] blijft.", "detention_length"),
            ("De rechter in {court_city} besliste {@date} dat {owner} in voorarrest blijft.", None),
        ),
        "data_access": (
            ("De opsporingsdiensten hebben {@date} toegang gekregen [[tot {@fig} versleutelde berichten]] van de "
             "servers van {company}.", "messages_obtained"),
            ("Rechercheurs konden {@date} de berichten op de servers van {company} lezen, meldt {pros}.", None),
        ),
        "public_statement": (
            ("Dat meldt {pros} {@date}.", None),
            ("Volgens {pros} is {company} de grootste aanbieder van versleutelde communicatie aan criminelen in "
             "{home_nl}, zo liet woordvoerder {spokes} {@date} weten.", None),
        ),
    },
}

FIGURE_TEMPLATES: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "network_customers": (
            "{company} provided encrypted communications for [[a network of {@fig} customers]], {police_short} "
            "said.",
            "The service counted [[{@fig} subscribers]], most of them in Europe, according to {pros}.",
        ),
        "network_users": (
            "{police} said the network had [[{@fig} users]] at its peak.",
            "According to {pros}, [[{@fig} people used the service]].",
        ),
        "registered_devices": (
            "The network consisted of [[{@fig} registered smartphones]], {pros} said.",
            "In total, [[{@fig} modified phones]] were registered on the network.",
        ),
        "price_per_device": (
            "\"The company sold modified telephones for [[{@fig} each]],\" {pros} said.",
            "Each phone cost [[{@fig}]], investigators said.",
        ),
        "messages_obtained": (
            "Investigators have read [[{@fig} messages]] from the network, {pros} said.",
        ),
        "investigations_supported": (
            "The data provided evidence in [[{@fig} criminal investigations]], {pros} said.",
            "Messages from the servers were used in [[{@fig} investigations]] into drug trafficking.",
        ),
        "suspect_age": (
            "[[{owner}, {@fig},]] is suspected of money laundering and illegal weapons possession.",
            "[[The {@fig}]] denies any wrongdoing, his lawyer said.",
            "[[{owner_short}, {@fig},]] denies any wrongdoing.",
        ),
        "detention_length": (
            "{court} extended the detention of {owner} [[by {@fig}]].",
        ),
    },
    "nl": {
        "network_customers": (
            "Het bedrijf had volgens {pros} [[{@fig} klanten]].",
        ),
        "network_users": (
            "Het netwerk telde [[{@fig} gebruikers]], aldus {police_short}.",
            "Volgens {police} maakten [[{@fig} mensen gebruik van de dienst]].",
        ),
        "registered_devices": (
            "Het afgeschermde communicatienetwerk bestond uit [[{@fig} geregistreerde smartphones]].",
            "Volgens {pros} waren er [[{@fig} toestellen]] in gebruik.",
        ),
        "price_per_device": (
            "Deze smartphones werden voor [[{@fig} per stuk]] verkocht.",
            "Een toestel kostte [[{@fig}]], aldus {pros}.",
        ),
        "messages_obtained": (
            "De recherche heeft [[{@fig} berichten]] kunnen ontsleutelen.",
        ),
        "investigations_supported": (
            "De gegevens leverden bewijs op voor [[{@fig} strafrechtelijke onderzoeken]].",
            "De berichten zijn gebruikt in [[{@fig} onderzoeken]] naar drugshandel.",
        ),
        "suspect_age": (
            "[[De {@fig} {owner}]] ontkent iedere betrokkenheid.",
            "[[{owner_initial} ({@fig})]] wordt verdacht van witwassen.",
        ),
        "detention_length": (
            "De {court} verlengde het voorarrest van {owner} met [[{@fig}]].",
        ),
    },
}

PERCENT_TEMPLATES = {
    "en": "Separately, customs said cocaine seizures at the port of {port_en} rose by [[{@fig}]].",
    "nl": "Los daarvan meldde de douane dat de cocaïnevangsten in de haven van {port_nl} met [[{@fig}]] stegen.",
}
PORTS = (("Antwerp", "Antwerpen"), ("Rotterdam", "Rotterdam"), ("Hamburg", "Hamburg"), ("Le Havre", "Le Havre"))

FILLER = {
    "en": (
        "Although using encrypted communications is legal, many of the network's users are believed to have "
        "been engaged in serious criminal activity.",
        "The phones had been modified so that they could not be used to make calls or use the internet.",
        "{company} said in a statement on its website that it regretted the course of events.",
        "The phones had turned up repeatedly in investigations into drug cases, criminal motorcycle gangs and "
        "gangland killings.",
        "{spokes} declined to comment on whether investigators would be able to decrypt all of the data.",
        "Lawyers for {owner} could not immediately be reached for comment.",
        "The company marketed its devices as offering complete privacy to its customers.",
        "Investigators said the network was built to evade interception by law enforcement.",
        "Officials declined to say how the encryption had been broken.",
        "Defence lawyers have questioned whether evidence taken from the servers can be used in court.",
        "{company} stands for freedom of privacy, the company said.",
        "The case is seen as a test of how far investigators may go in reading encrypted communications.",
        "Prosecutors said the company knew that most of its customers were criminals.",
        "The devices could only send messages to other phones on the same network.",
        "A remote wipe function allowed users to erase a phone if it was seized by police.",
        "Customers paid for subscriptions that had to be renewed every few months.",
        "The company denied that it had knowingly served criminals.",
        "Privacy campaigners warned that the case could set a precedent for other encrypted services.",
        "The network's servers handled traffic for customers across Europe.",
        "Investigators described the network as a communication channel built for organised crime.",
        "The company's website was replaced by a notice from law enforcement.",
        "{owner} has denied any involvement in the crimes of which the network's users are suspected.",
    ),
    "nl": (
        "Het bedrijf garandeerde zijn klanten een volstrekt afgeschermd berichtenverkeer.",
        "Aangepaste smartphones werden uitgerust met encryptiesoftware en ontdaan van camera en microfoon.",
        "Met het uit de lucht halen van de servers zaaide justitie grote onrust in het criminele milieu.",
        "Ook verdachten in liquidatiezaken gebruikten de peperdure gecodeerde telefoons.",
        "De advocaat van {owner} wilde niet reageren.",
        "Het bedrijf en de eigenaar worden verdacht van witwassen.",
        "Volgens de recherche was het netwerk speciaal gebouwd om afluisteren te voorkomen.",
        "Hoe de versleuteling is gekraakt, wil {pros} niet zeggen.",
        "Advocaten betwijfelen of het bewijs uit de servers in de rechtszaal mag worden gebruikt.",
        "{company} zegt op de eigen website de gang van zaken te betreuren.",
        "De zaak geldt als een test voor de grenzen van het opsporingsonderzoek.",
        "Klanten betaalden voor abonnementen die steeds opnieuw verlengd moesten worden.",
        "Met een speciale functie konden gebruikers hun toestel op afstand wissen.",
        "De toestellen konden alleen berichten sturen naar andere telefoons op hetzelfde netwerk.",
        "Privacyorganisaties waarschuwen dat de zaak gevolgen kan hebben voor andere versleutelde diensten.",
        "Het bedrijf ontkent dat het bewust criminelen heeft bediend.",
        "Op de website van het bedrijf staat inmiddels een mededeling van justitie.",
        "Volgens de recherche wist het bedrijf dat de meeste klanten criminelen waren.",
        "De servers verwerkten het berichtenverkeer van klanten in heel Europa.",
        "Rechercheurs omschrijven het netwerk als een communicatiekanaal voor de georganiseerde misdaad.",
        "{owner} ontkent iedere betrokkenheid bij de misdrijven waarvan de gebruikers worden verdacht.",
    ),
}

RIGHTS = {
    "en": "Copyright {outlet}. Generated benchmark text, not a real article; not covered by the dataset's licence.",
    "nl": "Copyright {outlet}. Gegenereerde benchmarktekst, geen echt artikel; niet onder de licentie van de dataset.",
}

# Hedges: (word, kind) with kind approx | lower | upper (codebook: "more than" leaves value_high null,
# "nearly" leaves value_low null; "about" keeps value_low == value_high == value).
HEDGES = {
    "en": (("about", "approx"), ("around", "approx"), ("some", "approx"), ("roughly", "approx"),
           ("more than", "lower"), ("over", "lower"), ("at least", "lower"),
           ("nearly", "upper"), ("almost", "upper"), ("up to", "upper")),
    "nl": (("ongeveer", "approx"), ("zo'n", "approx"), ("circa", "approx"), ("ruim", "lower"),
           ("meer dan", "lower"), ("minstens", "lower"), ("bijna", "upper"), ("maximaal", "upper")),
}
SPELLED_DAYS = {14: ("fourteen", "veertien"), 30: ("thirty", "dertig"), 60: ("sixty", "zestig"),
                90: ("ninety", "negentig")}

# ---------------------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------------------


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("ë", "e")).strip("-")


def q(value: object) -> str:
    """A YAML scalar: JSON strings are valid YAML double-quoted scalars; None is null."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return num(value)
    return json.dumps(value, ensure_ascii=False)


def num(value: float | int) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def group(n: int, mark: str) -> str:
    return f"{n:,}".replace(",", mark)


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


@dataclass(frozen=True)
class Plant:
    """One planted number or date: what the raw text says (pre + surface + post) and what it means."""

    kind: str
    surface: str
    pre: str = ""
    post: str = ""
    value: float | None = None
    value_low: float | None = None
    value_high: float | None = None
    approximate: bool = False
    unit: str | None = None
    currency: str | None = None
    date: str | None = None
    date_end: str | None = None
    precision: str | None = None
    expression: str | None = None  # the date expression as the coder writes it ("on Tuesday")

    def truth(self, article_id: str, lang: str, start: int) -> dict[str, object]:
        return {"article_id": article_id, "language": lang, "kind": self.kind, "text": self.surface,
                "start": start, "end": start + len(self.surface), "value": self.value,
                "value_low": self.value_low, "value_high": self.value_high, "approximate": self.approximate,
                "unit": self.unit, "currency": self.currency, "date": self.date, "date_end": self.date_end,
                "precision": self.precision}


# ---------------------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------------------


def hedge(rng: random.Random, lang: str, p: float) -> tuple[str, str] | None:
    return rng.choice(HEDGES[lang]) if rng.random() < p else None


def bounded(kind: str, surface: str, value: float, h: tuple[str, str] | None, **extra: object) -> Plant:
    low = high = value
    if h is not None:
        surface = f"{h[0]} {surface}"
        if h[1] == "lower":
            high = None
        elif h[1] == "upper":
            low = None
    return Plant(kind, surface, value=value, value_low=low, value_high=high, approximate=h is not None,
                 **extra)  # type: ignore[arg-type]


def count_surface(rng: random.Random, lang: str, n: int) -> str:
    """An integer count as a journalist writes it: grouped thousands in the language's convention."""
    mark = "," if lang == "en" else "."
    if n < 1000:
        return str(n)
    if lang == "nl" and n < 10000 and not 1900 <= n <= 2099 and rng.random() < 0.3:
        return str(n)  # "7500": Dutch often leaves four digits ungrouped
    return group(n, mark)


def count_plant(rng: random.Random, lang: str, measure: str) -> Plant:
    if measure == "investigations_supported":
        if rng.random() < 0.5:
            return Plant("number", "dozens" if lang == "en" else "tientallen", post=" of" if lang == "en" else "",
                         value_low=24.0 if lang == "en" else 20.0, value_high=99.0, approximate=True)
        n = rng.choice((12, 18, 25, 40, 60, 75, 120, 150, 300))
        return bounded("number", str(n), float(n), hedge(rng, lang, 0.5))
    if measure == "messages_obtained" or (measure == "network_users" and rng.random() < 0.15):
        if rng.random() < 0.7:  # "3.6 million" / "3,6 miljoen"
            whole, tenth = rng.randint(1, 30), rng.randint(0, 9)
            scale = "million" if lang == "en" else "miljoen"
            if tenth:
                mark = "." if lang == "en" else ","
                surface, value = f"{whole}{mark}{tenth} {scale}", whole * 1_000_000 + tenth * 100_000
            else:
                surface, value = f"{whole} {scale}", whole * 1_000_000
            return bounded("number", surface, float(value), hedge(rng, lang, 0.3))
        n = rng.randint(12, 900) * 1000
        return bounded("number", count_surface(rng, lang, n), float(n), hedge(rng, lang, 0.3))
    if measure in ("network_users", "network_customers") and rng.random() < 0.1:
        word = "thousands" if lang == "en" else "duizenden"
        return Plant("number", word, post=" of" if lang == "en" else "", value_low=2000.0, value_high=9999.0,
                     approximate=True)
    n = rng.choice((rng.randint(3, 99) * 10, rng.randint(1, 99) * 500, rng.randint(10, 200) * 1000))
    return bounded("number", count_surface(rng, lang, n), float(n), hedge(rng, lang, 0.35))


def money_plant(rng: random.Random, lang: str) -> tuple[Plant, str]:
    """A price per device; returns the plant and its unit (EUR, USD, CAD)."""
    cents = rng.random() < 0.1
    n = rng.randint(16, 100) * 50
    if 1900 <= n <= 2099:
        n += 200
    value: float = n - 0.05 if cents else float(n)
    currency = rng.choices(("EUR", "USD", "CAD"), (0.75, 0.15, 0.1))[0]
    if lang == "en":
        digits = f"{value:,.2f}" if cents else group(n, ",")
        forms = {"EUR": (f"€{digits}", f"{digits} euros"), "USD": (f"${digits}", f"{digits} US dollars"),
                 "CAD": (f"{digits} Canadian dollars", f"C${digits}")}
    else:
        grouped = f"{value:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".") if cents else group(n, ".")
        plain = grouped if cents else str(n)
        forms = {"EUR": (f"€{grouped}", f"{plain} euro", f"{grouped} euro"),
                 "USD": (f"{grouped} dollar", f"${grouped}"), "CAD": (f"{grouped} Canadese dollar",)}
    surface = rng.choice(forms[currency])
    return bounded("money", surface, value, hedge(rng, lang, 0.4), unit=currency, currency=currency), currency


def duration_plant(rng: random.Random, lang: str) -> Plant:
    n = rng.choice((14, 14, 30, 60, 90, 21, 28))
    words = SPELLED_DAYS.get(n)
    number = words[0 if lang == "en" else 1] if words and rng.random() < 0.35 else str(n)
    unit = "days" if lang == "en" else "dagen"
    return Plant("duration", f"{number} {unit}", value=float(n), value_low=float(n), value_high=float(n),
                 unit="day")


def age_plant(rng: random.Random, lang: str, form: str) -> Plant:
    n = float(rng.randint(24, 67))
    if form == "hyphen":
        surface = f"{int(n)}-year-old" if lang == "en" else f"{int(n)}-jarige"
    elif form == "aged":
        surface = f"aged {int(n)}"
    else:  # "Name, 36," and "Name (36)": the digits
        surface = str(int(n))
    return Plant("age", surface, value=n, value_low=n, value_high=n, unit="year")


def percent_plant(rng: random.Random, lang: str) -> Plant:
    whole = rng.randint(3, 45)
    if rng.random() < 0.25:
        tenth = rng.randint(1, 9)
        digits, value = f"{whole}{'.' if lang == 'en' else ','}{tenth}", whole + tenth / 10
    else:
        digits, value = str(whole), float(whole)
    word = rng.choice(("percent", "%") if lang == "en" else ("procent", "%"))
    surface = f"{digits}%" if word == "%" else f"{digits} {word}"
    return Plant("percent", surface, value=value, value_low=value, value_high=value, unit="percent")


# ---------------------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------------------


def iso_label(day: dt.date, precision: str) -> str:
    return {"month": day.isoformat()[:7], "year": day.isoformat()[:4]}.get(precision, day.isoformat())


def resolve_relative(kind: str, target: int, anchor: dt.date) -> tuple[dt.date, dt.date, str]:
    """The codebook's reading of a relative date against one publication day."""
    if kind == "weekday":  # the most recent such day on or before the publication day
        found = anchor - dt.timedelta(days=(anchor.weekday() - target) % 7)
        return found, found, "day"
    if kind == "last_weekday":  # strictly before
        found = anchor - dt.timedelta(days=(anchor.weekday() - target - 1) % 7 + 1)
        return found, found, "day"
    if kind == "yesterday":
        found = anchor - dt.timedelta(days=1)
        return found, found, "day"
    monday = anchor - dt.timedelta(days=anchor.weekday() + 7)  # last week: Monday to Sunday
    return monday, monday + dt.timedelta(days=6), "week"


def relative_truth(kind: str, target: int, published: dt.date, precision: str) -> tuple[str, str, str]:
    """(date, date_end, precision) of a relative date in an article published at `precision`."""
    if precision == "day":
        first, last, prec = resolve_relative(kind, target, published)
        return iso_label(first, prec), last.isoformat(), prec
    lo, hi = published.replace(day=1), month_end(published)  # month precision (year never gets one)
    a, b = resolve_relative(kind, target, lo), resolve_relative(kind, target, hi)
    if a[2] == b[2] and iso_label(a[0], a[2]) == iso_label(b[0], b[2]):
        return iso_label(a[0], a[2]), max(a[1], b[1]).isoformat(), a[2]
    return a[0].isoformat(), b[1].isoformat(), "unresolved"


def stated_date(rng: random.Random, lang: str, day: dt.date, precision: str) -> Plant:
    if precision == "day":
        if lang == "en" and rng.random() < 0.5:
            surface = f"{EN_MONTHS[day.month - 1]} {day.day}, {day.year}"
        else:
            month = EN_MONTHS[day.month - 1] if lang == "en" else NL_MONTHS[day.month - 1]
            surface = f"{day.day} {month} {day.year}"
        pre, date, end = ("on " if lang == "en" else "op "), day.isoformat(), day.isoformat()
    elif precision == "month":
        month = EN_MONTHS[day.month - 1] if lang == "en" else NL_MONTHS[day.month - 1]
        surface, pre, date, end = f"{month} {day.year}", "in ", iso_label(day, "month"), month_end(day).isoformat()
    else:
        surface, pre, date, end = str(day.year), "in ", str(day.year), f"{day.year}-12-31"
    return Plant("date", surface, pre=pre, date=date, date_end=end, precision=precision,
                 expression=pre + surface)


def relative_date(rng: random.Random, lang: str, kind: str, event_day: dt.date, published: dt.date,
                  precision: str) -> Plant:
    target = event_day.weekday()
    en, nl = EN_DAYS[target], NL_DAYS[target]
    pre = ""
    if kind == "weekday":
        surface = en if lang == "en" else nl
        pre = "on " if lang == "en" else rng.choice(("", "op "))
    elif kind == "last_weekday":
        surface = f"last {en}" if lang == "en" else f"{rng.choice(('afgelopen', 'vorige'))} {nl}"
    elif kind == "yesterday":
        surface = "yesterday" if lang == "en" else "gisteren"
    else:
        surface = "last week" if lang == "en" else "vorige week"
    date, end, prec = relative_truth(kind, target, published, precision)
    return Plant("date", surface, pre=pre, date=date, date_end=end, precision=prec, expression=pre + surface)


# ---------------------------------------------------------------------------------------------------------
# The registry: cases, actors, events
# ---------------------------------------------------------------------------------------------------------


@dataclass
class Actor:
    actor_id: str
    name: str
    actor_type: str
    country: str | None
    description: str
    part_of: str | None = None
    names: dict[str, list[str]] = field(default_factory=dict)
    case_names: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Event:
    event_id: str
    case_id: str
    event_type: str
    day: dt.date
    summary: str
    country: str
    location: str | None
    actors: list[tuple[str, str]]


@dataclass
class Case:
    case_id: str
    name: str
    country: str
    server_country: str
    city: tuple[str, str]
    owner: str
    owner_id: str
    spokes: str
    spokes_id: str
    events: list[Event] = field(default_factory=list)
    n_articles: int = 0


@dataclass
class Registry:
    cases: list[Case]
    actors: dict[str, Actor]


def n_cases(n_articles: int) -> int:
    return max(1, n_articles // 50)


def person_name(rng: random.Random, taken: set[str], last_taken: set[str]) -> str:
    for attempt in range(1000):
        first, last = rng.choice(EN_FIRST), rng.choice(LAST)
        if rng.random() < 0.3:
            last = f"{rng.choice(INFIX)} {last}"
        if attempt > 20:
            first = f"{first} {chr(ord('A') + rng.randrange(26))}."
        name = f"{first} {last}"
        if name not in taken and last not in last_taken:
            taken.add(name)
            last_taken.add(last)
            return name
    raise RuntimeError("ran out of person names")


def make_registry(n_articles: int, seed: int) -> Registry:
    rng = random.Random(f"{seed}:registry")  # noqa: S311 - seeded test data, not crypto
    count = n_cases(n_articles)
    names = [p + m + s for p in NET_PREFIX for m in NET_MIDDLE for s in NET_SUFFIX]
    rng.shuffle(names)
    if count > len(names):
        raise SystemExit(f"at most {len(names) * 50} articles ({len(names)} cases)")
    actors: dict[str, Actor] = {}
    for code, c in COUNTRIES.items():
        police_name, police_names, _, _ = c["police"]  # type: ignore[misc]
        pros_name, pros_names, _, _ = c["pros"]  # type: ignore[misc]
        actors[f"{code.lower()}-police"] = Actor(f"{code.lower()}-police", police_name, "police", code,
                                                 f"The national police of {c['en_name']}.", names=police_names)
        actors[f"{code.lower()}-prosecution"] = Actor(
            f"{code.lower()}-prosecution", pros_name, "prosecution", code,
            f"The public prosecution service of {c['en_name']}.", names=pros_names)
        for en_city, nl_city in c["cities"]:  # type: ignore[attr-defined]
            actors[f"court-{slug(en_city)}"] = Actor(
                f"court-{slug(en_city)}", f"{en_city} District Court", "court", code,
                f"The district court in {en_city}.",
                names={"en": [f"{en_city} judges", f"{en_city} court"], "nl": [f"rechtbank {nl_city}"]})
    taken: set[str] = set()
    cases = []
    case_articles = [len(range(c, n_articles, count)) for c in range(count)]
    for index in range(count):
        name = names[index]
        case_id = slug(name)
        home = rng.choice(HOME_COUNTRIES)
        server = rng.choice([c for c in SERVER_COUNTRIES if c != home])
        city = rng.choice(COUNTRIES[home]["cities"])  # type: ignore[arg-type]
        last_taken: set[str] = set()
        owner, spokes = person_name(rng, taken, last_taken), person_name(rng, taken, last_taken)
        case = Case(case_id, name, home, server, city, owner, slug(owner), spokes, slug(spokes),
                    n_articles=case_articles[index])
        actors[case_id] = Actor(case_id, name, "company", home,
                                f"Provider of PGP-encrypted phones and the servers that carried their traffic "
                                f"(generated case {index + 1}).", names={"any": [name]})
        surname = owner.split(" ")[-1]
        actors[case.owner_id] = Actor(case.owner_id, owner, "person", home, f"Owner of {name}.",
                                      names={"any": [owner]}, case_names={case_id: [surname]})
        actors[case.spokes_id] = Actor(case.spokes_id, spokes, "person", home,
                                       f"Spokesperson of the prosecution in the {name} case.", names={"any": [spokes]})
        actors[f"{case_id}-users"] = Actor(f"{case_id}-users", f"{name} users", "group", None,
                                           f"The customers and users of {name}, taken as one group.",
                                           case_names={case_id: ["the network's users", "de gebruikers"]})
        police, pros = actors[f"{home.lower()}-police"], actors[f"{home.lower()}-prosecution"]
        police.case_names[case_id] = ["police", "Police", "politie"]
        pros.case_names[case_id] = ["prosecutors", "Prosecutors", "justitie"]
        n_events = max(1, min(rng.randint(3, 6), case.n_articles))
        types = sorted(rng.sample(EVENT_ORDER, n_events), key=EVENT_ORDER.index)
        day = dt.date(2015, 1, 5) + dt.timedelta(days=rng.randrange(9 * 365))
        for event_type in types:
            case.events.append(make_event(case, event_type, day))
            day += dt.timedelta(days=rng.randint(1, 21))
        cases.append(case)
    return Registry(cases, actors)


def make_event(case: Case, event_type: str, day: dt.date) -> Event:
    home, police, pros = case.country, f"{case.country.lower()}-police", f"{case.country.lower()}-prosecution"
    court = f"court-{slug(case.city[0])}"
    fpolice = f"{case.server_country.lower()}-police"
    roles = {
        "investigation": [(pros, "agent"), (case.case_id, "target"), (case.owner_id, "target")],
        "server_seizure": [(fpolice, "agent"), (pros, "requester"), (case.case_id, "target")],
        "arrest": [(police, "agent"), (case.owner_id, "target")],
        "service_shutdown": [(police, "agent"), (case.case_id, "target")],
        "user_notification": [(police, "agent"), (f"{case.case_id}-users", "target")],
        "pretrial_detention_order": [(court, "agent"), (case.owner_id, "target")],
        "data_access": [(police, "agent"), (case.case_id, "target")],
        "public_statement": [(pros, "agent"), (case.spokes_id, "spokesperson")],
    }[event_type]
    summary = {
        "investigation": f"Prosecutors investigate {case.name} and its owner {case.owner} for money laundering.",
        "server_seizure": f"The servers of {case.name} in {COUNTRIES[case.server_country]['en_name']} are "
                          "seized and copied at the request of the prosecution.",
        "arrest": f"Police arrest {case.owner}, the owner of {case.name}.",
        "service_shutdown": f"Police take the encrypted network of {case.name} offline.",
        "user_notification": f"The users of {case.name} are sent a message that the network is under investigation.",
        "pretrial_detention_order": f"A court orders that {case.owner} be held in pretrial detention.",
        "data_access": f"Investigators gain access to the messages on the servers of {case.name}.",
        "public_statement": f"The prosecution announces the takedown of {case.name}.",
    }[event_type]
    location = {"server_seizure": COUNTRIES[case.server_country]["en_name"],
                "pretrial_detention_order": case.city[0]}.get(event_type)
    country = case.server_country if event_type == "server_seizure" else home
    return Event(f"{case.case_id}-{event_type.replace('_', '-')}", case.case_id, event_type, day, summary, country,
                  location, roles)  # type: ignore[arg-type]


def write_registries(reg: Registry, coding: Path) -> None:
    with open(coding / "cases.yaml", "w", encoding="utf-8") as out:
        out.write("# Generated by benchmarks/make_corpus.py: a benchmark fixture, not real cases.\ncases:\n")
        for c in reg.cases:
            out.write(f"  - case_id: {c.case_id}\n    case_name: {q(c.name)}\n    country: {c.country}\n"
                      f"    description: {q(f'Generated takedown of the encrypted-phone network {c.name}.')}\n")
    with open(coding / "actors.yaml", "w", encoding="utf-8") as out:
        out.write("# Generated by benchmarks/make_corpus.py: a benchmark fixture, not real actors.\nactors:\n")
        for a in reg.actors.values():
            out.write(f"  - actor_id: {a.actor_id}\n    name: {q(a.name)}\n    actor_type: {a.actor_type}\n"
                      f"    country: {q(a.country)}\n    description: {q(a.description)}\n")
            if a.part_of:
                out.write(f"    part_of: {a.part_of}\n")
            out.write("    wikidata_id: null\n")
            for key, spec in (("names", a.names), ("case_names", a.case_names)):
                if spec:
                    out.write(f"    {key}:\n")
                    for scope, texts in spec.items():
                        out.write(f"      {scope}: [{', '.join(q(t) for t in texts)}]\n")
    with open(coding / "events.yaml", "w", encoding="utf-8") as out:
        out.write("# Generated by benchmarks/make_corpus.py: a benchmark fixture, not real events.\nevents:\n")
        for c in reg.cases:
            for e in c.events:
                out.write(f"  - event_id: {e.event_id}\n    case_id: {e.case_id}\n    event_type: {e.event_type}\n"
                          f"    summary: {q(e.summary)}\n    country: {e.country}\n    location: {q(e.location)}\n"
                          f"    date_start: {q(e.day.isoformat())}\n    date_end: {q(e.day.isoformat())}\n"
                          "    date_precision: day\n    date_basis: stated\n    actors:\n")
                for actor_id, role in e.actors:
                    out.write(f"      - {{actor_id: {actor_id}, role: {role}}}\n")


# ---------------------------------------------------------------------------------------------------------
# Articles
# ---------------------------------------------------------------------------------------------------------

_SLOT = re.compile(r"\{@?\w+\}|\[\[|\]\]")


@dataclass
class Sentence:
    text: str
    plants: list[tuple[int, Plant]]  # offset of each plant's surface in the sentence
    quote: tuple[int, int] | None = None  # the figure's quote
    figure: dict[str, object] | None = None  # the coding entry of the figure (or not-figure)
    event_id: str | None = None
    date_expression: str | None = None


def render(template: str, refs: dict[str, str], fig: Plant | None = None, date: Plant | None = None) -> Sentence:
    if date is None:
        template = template.replace(" {@date}", "")
    out: list[str] = []
    plants: list[tuple[int, Plant]] = []
    length, quote_start, quote = 0, None, None
    position = 0
    for m in _SLOT.finditer(template):
        literal = template[position:m.start()]
        out.append(literal)
        length += len(literal)
        mark = m.group()
        if mark == "[[":
            quote_start = length
        elif mark == "]]":
            quote = (quote_start, length)
        elif mark in ("{@fig}", "{@date}"):
            plant = fig if mark == "{@fig}" else date
            assert plant is not None, template  # noqa: S101 - a template/caller mismatch is a generator bug
            plants.append((length + len(plant.pre), plant))
            piece = plant.pre + plant.surface + plant.post
            out.append(piece)
            length += len(piece)
        else:
            piece = refs[mark[1:-1]]
            out.append(piece)
            length += len(piece)
        position = m.end()
    out.append(template[position:])
    text = "".join(out)
    return Sentence(text[0].upper() + text[1:], plants, quote)


@dataclass
class Article:
    raw_name: str
    raw: bytes
    sidecar: str
    coding_name: str
    coding: str
    truth: list[str]
    language: str
    fmt: str
    counts: dict[str, int]
    attempt: int = 0


def article_refs(case: Case, lang: str, reg: Registry, rng: random.Random) -> dict[str, str]:
    home, server = COUNTRIES[case.country], COUNTRIES[case.server_country]
    _, _, police_en, police_nl = home["police"]  # type: ignore[misc]
    _, _, pros_en, pros_nl = home["pros"]  # type: ignore[misc]
    _, _, fpolice_en, fpolice_nl = server["police"]  # type: ignore[misc]
    first, *rest = case.owner.split(" ")
    initial = rest[-1][0]
    court_actor = reg.actors[f"court-{slug(case.city[0])}"]
    if lang == "en":
        return {"company": case.name, "owner": case.owner, "owner_short": rest[-1], "spokes": case.spokes,
                "police": police_en, "police_short": "police", "pros": pros_en, "pros_office": "prosecutor's office",
                "fpolice": fpolice_en, "server_loc": str(server["en_name"]), "court": court_actor.names["en"][0],
                "court_city": case.city[0], "home_en": str(home["en_name"]), "owner_initial": f"{first} {initial}.",
                "port_en": rng.choice(PORTS)[0]}
    return {"company": case.name, "owner": case.owner, "owner_short": rest[-1], "spokes": case.spokes,
            "police": police_nl, "police_short": "de politie", "pros": pros_nl, "fpolice": fpolice_nl,
            "server_loc": str(server["nl_name"]), "court": court_actor.names["nl"][0], "court_city": case.city[1],
            "home_nl": str(home["nl_name"]), "owner_initial": f"{first} {initial}.", "port_nl": rng.choice(PORTS)[1]}


def figure_plant(rng: random.Random, lang: str, measure: str, template: str) -> tuple[Plant, str]:
    """The planted figure for a measure and the unit it is coded in."""
    if measure == "price_per_device":
        return money_plant(rng, lang)
    if measure == "detention_length":
        return duration_plant(rng, lang), "day"
    if measure == "suspect_age":
        form = "hyphen" if "[[The {@fig}]]" in template or "[[De {@fig}" in template else "digits"
        if form == "digits" and lang == "en" and template.startswith("[[{owner_short}") and rng.random() < 0.5:
            form = "aged"
        return age_plant(rng, lang, form), "year"
    unit = {"network_customers": "person", "network_users": "person", "registered_devices": "device",
            "messages_obtained": "message", "investigations_supported": "investigation"}[measure]
    return count_plant(rng, lang, measure), unit


def figure_entry(plant: Plant, unit: str, measure: str, subject: str, stated_by: str | None) -> dict[str, object]:
    entry: dict[str, object] = {"value": plant.value}
    if plant.value_low != plant.value or plant.value_high != plant.value:
        entry["value_low"], entry["value_high"] = plant.value_low, plant.value_high
    entry.update(approximate=plant.approximate, unit=unit, measure=measure, subject_actor_id=subject,
                 stated_by_actor_id=stated_by)
    return entry


def stated_by(template: str, case: Case) -> str | None:
    """Who the sentence says gives the figure (the reporting clause's speaker), or None (the outlet)."""
    pros, police = f"{case.country.lower()}-prosecution", f"{case.country.lower()}-police"
    if "{pros}" in template:
        return pros
    if "{police" in template:
        return police
    if "{court" in template:
        return f"court-{slug(case.city[0])}"
    return None


def choose_dates(rng: random.Random, precision: str, anchor_day: dt.date) -> tuple[str, dt.date]:
    """The kind of date expression for the article's main event, and the publication day it implies."""
    if precision == "year":
        kinds, weights = ("day", "month", "year", "none"), (4, 3, 2, 1)
    elif precision == "month":
        kinds, weights = ("weekday", "last_week", "day", "month", "year", "none"), (4, 1, 3, 2, 1, 1)
    else:
        kinds, weights = ("weekday", "last_weekday", "yesterday", "last_week", "day", "month", "year", "none"), (
            6, 2, 2, 2, 4, 2, 1, 1)
    kind = rng.choices(kinds, weights)[0]
    if kind == "weekday":
        delta = rng.randint(0, 6)
    elif kind == "last_weekday":
        delta = rng.randint(1, 7)
    elif kind == "yesterday":
        delta = 1
    elif kind == "last_week":
        delta = 7 - anchor_day.weekday() + rng.randint(0, 6)
    else:
        delta = rng.randint(0, 30)
    return kind, anchor_day + dt.timedelta(days=delta)


FIRST_ARTICLES = (("en", "wordpress-html", "day"), ("nl", "dated-text", "month"), ("nl", "wordpress-html", "day"),
                  ("en", "dated-text", "year"))


def make_article(reg: Registry, index: int, seed: int, attempt: int) -> Article | None:
    """Article `index` (None when its quotes are not unique: the caller tries the next attempt)."""
    rng = random.Random(f"{seed}:{index}:{attempt}")  # noqa: S311 - seeded test data
    n = len(reg.cases)
    case = reg.cases[index % n]
    lang = "en" if rng.random() < 0.5 else "nl"
    fmt = "wordpress-html" if rng.random() < 0.5 else "dated-text"
    if fmt == "wordpress-html":
        precision = "day" if rng.random() < 0.9 else "month"
    else:
        precision = rng.choices(("day", "month", "year"), (0.5, 0.35, 0.15))[0]
    if index < len(FIRST_ARTICLES):  # every language, format and precision, however small the corpus
        lang, fmt, precision = FIRST_ARTICLES[index]
    anchor_index = (index // n) % len(case.events)
    anchor = case.events[anchor_index]
    kind, published = choose_dates(rng, precision, anchor.day)
    pub_label = iso_label(published, precision)
    refs = article_refs(case, lang, reg, rng)

    sentences: list[Sentence] = []
    used_measures: set[str] = set()

    def event_sentence(event: Event, date: Plant | None) -> Sentence:
        template, measure = rng.choice(EVENT_TEMPLATES[lang][event.event_type])
        fig = None
        if measure is not None and measure not in used_measures:
            fig, unit = figure_plant(rng, lang, measure, template)
        elif measure is not None:  # the measure is taken: use the other template (without a figure)
            template, measure = next(t for t in EVENT_TEMPLATES[lang][event.event_type] if t[1] is None)
        s = render(template, refs, fig, date)
        s.event_id, s.date_expression = event.event_id, date.expression if date else None
        if fig is not None and measure is not None:
            used_measures.add(measure)
            subject = case.owner_id if measure == "detention_length" else case.case_id
            s.figure = figure_entry(fig, unit, measure, subject, stated_by(template, case))
        return s

    if kind == "none":
        main_date = None
    elif kind in ("day", "month", "year"):
        main_date = stated_date(rng, lang, anchor.day, kind)
    else:
        main_date = relative_date(rng, lang, kind, anchor.day, published, precision)
    lead = event_sentence(anchor, main_date)
    body: list[Sentence] = []
    for event in case.events[:anchor_index]:  # earlier events of the case, stated absolutely
        if rng.random() < 0.6:
            dated = rng.random() < 0.7
            prec = rng.choice(("day", "month", "month", "year")) if dated else None
            body.append(event_sentence(event, stated_date(rng, lang, event.day, prec) if prec else None))
    measures = [m for m in FIGURE_TEMPLATES[lang] if m not in used_measures]
    for measure in rng.sample(measures, rng.randint(2, min(5, len(measures)))):
        template = rng.choice(FIGURE_TEMPLATES[lang][measure])
        fig, unit = figure_plant(rng, lang, measure, template)
        s = render(template, refs, fig)
        subject = case.owner_id if measure in ("suspect_age", "detention_length") else case.case_id
        s.figure = figure_entry(fig, unit, measure, subject, stated_by(template, case))
        used_measures.add(measure)
        body.append(s)
    if rng.random() < 0.3:
        s = render(PERCENT_TEMPLATES[lang], refs, percent_plant(rng, lang))
        s.figure = {"reason": "other_case"}
        body.append(s)
    body += [render(t, refs) for t in rng.sample(FILLER[lang], rng.randint(6, 14))]
    rng.shuffle(body)
    sentences = [lead, *body]

    # Paragraphs: one to three sentences each; the clean text is them joined by one blank line.
    paragraphs: list[list[Sentence]] = []
    rest = list(sentences)
    while rest:
        take = rng.randint(1, 3)
        paragraphs.append(rest[:take])
        rest = rest[take:]
    dateline = rng.choice(DATELINES) if lang == "en" and fmt == "wordpress-html" and rng.random() < 0.7 else None
    outlet, outlet_slug = rng.choice(EN_OUTLETS if lang == "en" else NL_OUTLETS)
    article_id = f"{outlet_slug}-{pub_label}-{case.case_id}-{index:06d}"

    texts: list[str] = []  # clean paragraphs (and headings / the credit line)
    offset = 0
    truth: list[str] = []
    events: list[str] = []
    figures: list[str] = []
    not_figures: list[str] = []
    spans: list[tuple[str, str]] = []  # (quote, kind) that must be unique
    headings = rng.sample(NL_HEADINGS, 2) if lang == "nl" and fmt == "dated-text" else []
    heading_before = set(rng.sample(range(1, len(paragraphs)), min(len(headings), len(paragraphs) - 1))) \
        if len(paragraphs) > 1 else set()
    html_blocks: list[str] = []
    for p_index, para in enumerate(paragraphs):
        if p_index in heading_before:
            heading = headings.pop()
            texts.append(heading)
            html_blocks.append(f"<h3>{html.escape(heading, quote=False)}</h3>")
            offset += len(heading) + 2
        prefix = f"{dateline} " if dateline and p_index == 0 else ""
        pieces = [prefix] if prefix else []
        cursor = offset + len(prefix)
        for s_index, s in enumerate(para):
            if s_index:
                pieces.append(" ")
                cursor += 1
            for at, plant in s.plants:
                truth.append(json.dumps(plant.truth(article_id, lang, cursor + at), ensure_ascii=False))
            if s.event_id is not None:
                entry = f"  - id: s{len(events) + 1:02d}\n    event_id: {s.event_id}\n    quote: {q(s.text)}\n"
                if s.date_expression:
                    entry += f"    date_expression: {q(s.date_expression)}\n"
                events.append(entry)
                spans.append((s.text, "event"))
            if s.figure is not None and s.quote is not None:
                quote = s.text[s.quote[0]:s.quote[1]]
                spans.append((quote, "figure"))
                if "reason" in s.figure:
                    not_figures.append(f"  - quote: {q(quote)}\n    reason: {s.figure['reason']}\n")
                else:
                    lines = [f"  - id: f{len(figures) + 1:02d}", f"    quote: {q(quote)}"]
                    lines += [f"    {k}: {q(v)}" for k, v in s.figure.items()]
                    figures.append("\n".join(lines) + "\n")
            pieces.append(s.text)
            cursor += len(s.text)
        paragraph = "".join(pieces)
        texts.append(paragraph)
        html_blocks.append(paragraph)
        offset += len(paragraph) + 2
    credit = None
    if lang == "en" and fmt == "wordpress-html":
        reporter, editor = rng.choice(REPORTERS), rng.choice(EDITORS)
        credit = f"(Reporting by {reporter}; Editing by {editor})"
        texts.append(credit)
    expected = "\n\n".join(texts)
    for quote, _ in spans:
        first = expected.find(quote)
        if first < 0 or expected.find(quote, first + 1) >= 0:
            return None
    truth.sort(key=lambda line: json.loads(line)["start"])

    title = (f"{COUNTRIES[case.country]['en_adj']} police take down encrypted phone network {case.name}"
             if lang == "en" else f"Politie haalt versleuteld telefoonnetwerk {case.name} uit de lucht")
    author = rng.choice(REPORTERS) if rng.random() < 0.7 else None
    url = f"https://news.example.org/{outlet_slug}/{published.year}/{case.case_id}-{index:06d}"
    if fmt == "wordpress-html":
        raw = wordpress(rng, index, title, author, url, published, html_blocks, dateline, credit, lang)
    else:
        raw = dated_text(rng, pub_label, texts)
    where = f"data/raw/{index:06d}.txt"
    cleaned = clean(raw, fmt, where).text
    if cleaned != expected:  # the generator's idea of the clean text must be the pipeline's
        raise RuntimeError(f"article {index}: clean text differs from the planted one:\n{cleaned!r}\n{expected!r}")
    for line in truth:
        record = json.loads(line)
        if cleaned[record["start"]:record["end"]] != record["text"]:
            raise RuntimeError(f"article {index}: ground truth {record} does not point at its surface")
    data = raw.encode("utf-8")
    raw_sha = hashlib.sha256(data).hexdigest()
    raw_name = f"{index:06d}_{hashlib.sha256(f'{seed}:{index}'.encode()).hexdigest()[:16]}.txt"

    sidecar = [f"# What is known about {raw_name} (generated by benchmarks/make_corpus.py).",
               f"article_id: {article_id}"]
    if rng.random() < 0.8:
        sidecar.append(f"format: {fmt}")
    sidecar += [f"title: {q(title if fmt == 'wordpress-html' or rng.random() < 0.5 else None)}",
                f"outlet: {q(outlet)}", f"author: {q(author)}",
                f"url: {q(url if fmt == 'wordpress-html' or rng.random() < 0.5 else None)}",
                f"published: {q(pub_label)}", f"published_precision: {precision}", f"language: {lang}",
                f"rights: {q(RIGHTS[lang].format(outlet=outlet))}"]
    coding = [f"# Coding of data/raw/{raw_name} (generated).", f"article_id: {article_id}",
              f"raw_sha256: {raw_sha}", f"case_id: {case.case_id}", ""]
    for section, entries in (("events", events), ("figures", figures), ("not_figures", not_figures)):
        if entries:
            coding.append(f"{section}:\n" + "".join(entries))
    counts = {"figures": len(figures), "not_figures": len(not_figures), "event_sources": len(events),
              "planted": len(truth)}
    return Article(raw_name, data, "\n".join(sidecar) + "\n", f"{article_id}.yaml", "\n".join(coding),
                   truth, lang, fmt, counts)


def wordpress(rng: random.Random, index: int, title: str, author: str | None, url: str, published: dt.date,
              blocks: list[str], dateline: str | None, credit: str | None, lang: str) -> str:
    post = dt.datetime.combine(published, dt.time()) + dt.timedelta(minutes=rng.randrange(24 * 60 + 12 * 60))
    front = (f"---\nID: {1000 + index}\npost_title: >\n  {title}\nauthor: {author or 'Staff Writer'}\n"
             f"post_date: {post:%Y-%m-%d %H:%M:%S}\npost_excerpt: \"\"\nlayout: post\npermalink: >\n"
             f"  https://www.blog.example.com/{slug(title)}-{index}/\npublished: true\noriginal_cats:\n"
             f"  - {'technologyNews' if lang == 'en' else 'binnenland'}\noriginal_title:\n  - >\n    {title}\n"
             f"original_link:\n  - >\n    {url}\n---\n")
    body = [' [ad_1]\n<br><div id="articleText">\n<span id="midArticle_start"></span>\n',
            f"<script>var adSlot = {rng.randrange(10**6)}; var ord = {rng.randrange(10**9)};</script>\n"]
    for n, block in enumerate(blocks):
        if block.startswith("<h3>"):
            body.append(block + "\n")
            continue
        text = html.escape(block, quote=False)
        if n == 0 and dateline:
            text = f'<span class="articleLocation">{dateline}</span> ' + text[len(dateline) + 1:]
        body.append(f"<p>{text}</p><span id=\"midArticle_{n}\"></span>")
        if rng.random() < 0.2:
            body.append('\n        \n        <span class="article-divide"></span>')
    if credit:
        body.append(f"<p> {html.escape(credit, quote=False)}</p>")
    link = "Source" if lang == "en" else "Bron"
    body.append(f'</div>\n<br>[ad_2]\n<br><a href="{html.escape(url)}">{link} </a>\n')
    return front + "".join(body)


def wrap(text: str, width: int) -> str:
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "\n".join(lines)


def dated_text(rng: random.Random, pub_label: str, paragraphs: list[str]) -> str:
    width = rng.choice((0, 0, 72, 100))
    parts = [wrap(p, width) if width else p for p in paragraphs]
    gap = rng.choice(("\n\n", "\n\n\n\n", "\n\n\n\n"))
    return f" date {pub_label} " + gap.join(parts) + rng.choice(("", "\n"))


# ---------------------------------------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------------------------------------

_WORKER: tuple[Registry, int] | None = None


def _init_worker(n_articles: int, seed: int) -> None:
    global _WORKER  # one registry per worker process
    _WORKER = (make_registry(n_articles, seed), seed)


def _make_chunk(indices: range) -> list[tuple[int, Article]]:
    assert _WORKER is not None  # noqa: S101
    reg, seed = _WORKER
    return [(i, first_valid(reg, i, seed)) for i in indices]


def first_valid(reg: Registry, index: int, seed: int, start: int = 0) -> Article:
    """The first attempt at article `index` (from attempt `start` on) whose quotes are all unique."""
    for attempt in range(start, start + 100):
        art = make_article(reg, index, seed, attempt)
        if art is not None:
            art.attempt = attempt
            return art
    raise RuntimeError(f"article {index}: no attempt gave unique quotes")


def _articles(reg: Registry, n_articles: int, seed: int, jobs: int) -> Iterator[tuple[int, Article]]:
    if jobs <= 1:
        for i in range(n_articles):
            yield i, first_valid(reg, i, seed)
        return
    import multiprocessing

    chunk = 200
    ranges = [range(s, min(s + chunk, n_articles)) for s in range(0, n_articles, chunk)]
    with multiprocessing.get_context("fork").Pool(jobs, _init_worker, (n_articles, seed)) as pool:
        for results in pool.imap(_make_chunk, ranges):
            yield from results


def generator_sha256() -> str:
    """Of this script: a corpus made by another version of it is never taken for this one's."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def generate(n_articles: int, seed: int, out: Path, jobs: int = 1) -> dict[str, object]:
    """Write the corpus into `out` (which must not exist or be empty); returns the manifest."""
    if n_articles < 1:
        raise ValueError("at least one article")
    reg = make_registry(n_articles, seed)
    raw_dir, coding_dir = out / "data" / "raw", out / "data" / "coding"
    (coding_dir / "articles").mkdir(parents=True, exist_ok=True)
    raw_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ROOT / "pyproject.toml", out / "pyproject.toml")
    shutil.copyfile(ROOT / "data" / "coding" / "vocabularies.yaml", coding_dir / "vocabularies.yaml")
    write_registries(reg, coding_dir)
    totals = {"articles": 0, "en": 0, "nl": 0, "wordpress-html": 0, "dated-text": 0, "figures": 0,
              "not_figures": 0, "event_sources": 0, "planted": 0, "raw_bytes": 0}
    seen: set[bytes] = set()
    with open(out / GROUND_TRUTH, "w", encoding="utf-8") as truth:
        for index, art in _articles(reg, n_articles, seed, jobs):
            while hashlib.sha256(art.raw).digest() in seen:  # pragma: no cover - astronomically rare
                art = first_valid(reg, index, seed, art.attempt + 1)
            seen.add(hashlib.sha256(art.raw).digest())
            (raw_dir / art.raw_name).write_bytes(art.raw)
            (raw_dir / (art.raw_name + ".meta.yaml")).write_text(art.sidecar, encoding="utf-8")
            (coding_dir / "articles" / art.coding_name).write_text(art.coding, encoding="utf-8")
            for line in art.truth:
                truth.write(line + "\n")
            totals["articles"] += 1
            totals[art.language] += 1
            totals[art.fmt] += 1
            totals["raw_bytes"] += len(art.raw)
            for key, value in art.counts.items():
                totals[key] += value
    manifest = {"generator_version": GENERATOR_VERSION, "generator_sha256": generator_sha256(), "seed": seed,
                **totals, "cases": len(reg.cases),
                "events": sum(len(c.events) for c in reg.cases), "actors": len(reg.actors)}
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--articles", type=int, required=True, help="number of articles (N)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", type=Path, required=True, help="directory to create (must be empty or absent)")
    p.add_argument("--force", action="store_true", help="replace OUT if it holds an earlier generated corpus")
    p.add_argument("--jobs", type=int, default=1, help="worker processes (output is the same for any number)")
    args = p.parse_args(argv)
    out: Path = args.out
    if out.exists() and any(out.iterdir()):
        if not (args.force and (out / MANIFEST).is_file()):
            print(f"error: {out} is not empty (use --force to replace a generated corpus)", file=sys.stderr)
            return 2
        shutil.rmtree(out)
    started = time.perf_counter()
    manifest = generate(args.articles, args.seed, out, args.jobs)
    seconds = time.perf_counter() - started
    print(f"generated {manifest['articles']} articles ({manifest['en']} en, {manifest['nl']} nl; "
          f"{manifest['wordpress-html']} wordpress-html, {manifest['dated-text']} dated-text), "
          f"{manifest['figures']} figures, {manifest['event_sources']} event sources, {manifest['planted']} "
          f"planted numbers and dates in {seconds:.1f} s ({manifest['articles'] / seconds:.0f} articles/s) "
          f"into {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
