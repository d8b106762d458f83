"""Closed lists used by the tables. Each code carries its definition; the codebook prints them."""

from __future__ import annotations

from dataset.schema.registry import Vocabulary

LANGUAGE = Vocabulary(
    "language",
    "Language of an article (ISO 639-1). Only languages the cleaning and detection rules support are allowed.",
    {"en": "English", "nl": "Dutch"},
)

DATE_PRECISION = Vocabulary(
    "date_precision",
    "How precisely a date is known (after ACLED's time_precision). A date at month precision says nothing "
    "about the day; a reader must not treat its first day as the date.",
    {
        "day": "The day is known.",
        "week": "Only the calendar week (Monday to Sunday) is known.",
        "month": "Only the month is known.",
        "year": "Only the year is known.",
    },
)

DATE_BASIS = Vocabulary(
    "date_basis",
    "How an event's dates were established from the text.",
    {
        "stated": "The text states the date or period itself (\"in april 2016\").",
        "resolved": "Resolved from a relative expression and the article's publication date (\"on Tuesday\" in "
        "an article of Friday 22 April 2016 is 2016-04-19).",
        "bounded": "The text gives no date for the event itself; it happened no later than date_end (the date "
        "of the statement or report that tells of it) and no earlier than date_start where that is known "
        "(null otherwise). date_precision is null: no period is known, only bounds.",
    },
)

ACTOR_TYPE = Vocabulary(
    "actor_type",
    "What kind of actor it is. Agencies are typed by what they are, not by where they are: a foreign agency "
    "(Toronto police in a Dutch case) is `police` with its own country, so `country` tells foreign from domestic.",
    {
        "person": "A named individual.",
        "company": "A business, such as the provider of the encrypted network.",
        "police": "A police force or criminal investigation service.",
        "prosecution": "A public prosecution service or one of its offices.",
        "court": "A court or its judges.",
        "government": "A ministry, department of justice or other government body that is not police, "
        "prosecution or court.",
        "group": "A collective of unnamed people described as one party (the network's users).",
    },
)

ROLE = Vocabulary(
    "role",
    "The part an actor plays in an event.",
    {
        "agent": "Carries out the event (arrests, orders, copies, states).",
        "target": "The event is done to or aimed at this actor (the arrested person, the company shut down).",
        "requester": "Asked for the event to be carried out (a prosecutor's request to copy servers).",
        "cooperating_party": "Helped the agent carry it out (a foreign police force assisting).",
        "spokesperson": "Speaks for the agent in a statement.",
    },
)

# Event types, each with its PLOVER type and mode where one fits (CAMEO2PLOVER-2021 of openeventdata/PLOVER:
# 173 "Arrest, detain" -> COERCE/arrest; 171 "Seize property" -> COERCE/confiscate; 172 "Impose administrative
# sanctions" -> COERCE/restrict; 091 "Investigate crime" -> ACCUSE/investigate). PLOVER codes what a statement
# is about, not the act of stating, so statements, notifications and data access have no PLOVER type.
EVENT_TYPE = Vocabulary(
    "event_type",
    "What happened. The PLOVER columns of `events` are derived from the type, never coded by hand.",
    {
        "arrest": "A person is taken into custody.",
        "pretrial_detention_order": "A court orders that a suspect be held in custody during the investigation.",
        "investigation": "Authorities investigate, or state that they suspect, an actor of a crime.",
        "server_seizure": "Servers, or the data on them, are seized or copied by or for investigators.",
        "service_shutdown": "A communication service is taken offline or forced to stop operating.",
        "user_notification": "The service's users are sent a message about the case (the sender only as the "
        "sources name it).",
        "data_access": "Investigators obtain readable access to communications taken from the servers.",
        "public_statement": "An actor makes a statement to the public or the press about the case (declining "
        "to comment included).",
    },
)
PLOVER: dict[str, tuple[str, str] | None] = {
    "arrest": ("COERCE", "arrest"),
    "pretrial_detention_order": ("COERCE", "arrest"),
    "investigation": ("ACCUSE", "investigate"),
    "server_seizure": ("COERCE", "confiscate"),
    "service_shutdown": ("COERCE", "restrict"),
    "user_notification": None,
    "data_access": None,
    "public_statement": None,
}
PLOVER_TYPE = Vocabulary(
    "plover_type",
    "PLOVER event type (Open Event Data Alliance; the successor of CAMEO used by POLECAT).",
    {
        "COERCE": "Repression, restriction, arrest or seizure of property by authorities.",
        "ACCUSE": "Accusation or investigation of an actor.",
    },
)
PLOVER_MODE = Vocabulary(
    "plover_mode",
    "PLOVER mode within the type.",
    {
        "arrest": "Arrest, detain, or charge with legal action.",
        "confiscate": "Seize or confiscate property.",
        "restrict": "Impose administrative sanctions or restrictions.",
        "investigate": "Investigate crime or corruption.",
    },
)

UNIT = Vocabulary(
    "unit",
    "What one unit of a figure's value is.",
    {
        "person": "People (users, customers, suspects).",
        "device": "Phones or other devices.",
        "message": "Messages.",
        "investigation": "Criminal investigations.",
        "EUR": "Euros (ISO 4217).",
        "USD": "US dollars (ISO 4217).",
        "CAD": "Canadian dollars (ISO 4217).",
        "day": "Days.",
        "year": "Years.",
    },
)

MEASURE = Vocabulary(
    "measure",
    "What a figure counts or measures.",
    {
        "network_customers": "Customers (subscribers) of the network, as stated.",
        "network_users": "Users of the network, as stated.",
        "registered_devices": "Devices registered on the network.",
        "price_per_device": "Price at which one device (a modified phone) was sold.",
        "messages_obtained": "Messages that investigators obtained or gained access to.",
        "investigations_supported": "Criminal investigations for which the data provided evidence.",
        "investigations_using_network": "Criminal investigations or cases in which suspects used the network's "
        "devices.",
        "detention_length": "Length of a detention ordered by a court.",
        "suspect_age": "Age of a suspect.",
    },
)

NOT_FIGURE_REASON = Vocabulary(
    "not_figure_reason",
    "Why a number the detector finds in an article is not a stated figure (coverage gate: every detected "
    "number is a coded figure or one of these).",
    {
        "part_of_date": "Belongs to a date or time the detector did not read as one (\"22.30 uur\").",
        "part_of_name": "Part of a name or title (\"Ocean's 11\", \"Zembla 3\").",
        "identifier": "An identifier, phone number, case or file number, not a quantity.",
        "reporting_metadata": "Bylines, datelines, photo credits, word counts: about the article, not the case.",
        "not_a_quantity": "A word that reads as a number but counts nothing (\"one of the\", \"een\" as article).",
        "ordinal_or_rank": "A position in a sequence (\"the second\"), not a count.",
        "other_case": "A figure about another case or subject than the article's case.",
    },
)
