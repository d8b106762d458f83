"""docs/codebook.md, generated from the schema registry, the closed lists, the coding-file formats and the
built tables (worked examples are real rows of the seed articles). A second coder should be able to
reproduce the coding from this document alone. Never edit the output by hand: `dataset build` rewrites it,
and a test fails when the committed copy is stale.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from dataset.pipeline import articles as articles_stage
from dataset.pipeline import coding
from dataset.schema import FIELDS, TABLES
from dataset.schema.registry import Vocabulary
from dataset.schema.vocabularies import PROPERTIES, REGISTRY, active

RULES = """\
## Coding rules for the hard cases

**Quotes, not offsets.** Every event source and figure is bound to an exact quote of the article's clean
text (the `text` column of `articles`; paragraphs separated by one blank line, white space collapsed,
Unicode NFC). The coder writes the quote; the build finds it and computes `start`/`end`. A quote that occurs
more than once needs a `prefix` (the words right before it) or an `occurrence` number (1-based). A quote
that is not found, or is ambiguous, stops the build with the file, line and quote.

**One event, many sources.** An event is registered once in `events.yaml`. Every article that reports it
adds a source (a quote) in its own coding file; one article may give several quotes for one event. The
copying of Ennetcom's Canadian servers is one event with a Reuters source (2016) and a Dutch source (2017).

**Statements are not the events they announce.** "Dutch police said on Friday they have arrested the
owner" dates the police's statement (a `public_statement` on Friday), not the arrest. An event the text
does not date is `bounded`: `date_end` is the date of the statement or report that tells of it,
`date_start` is null unless the text gives a lower bound, `date_precision` is null. Never invent a date.

**Relative dates** are resolved against the article's publication date, only as far as its precision
allows. In a report of Friday 22 April 2016, "on Tuesday" is Tuesday 19 April 2016 (`resolved`, day). A
weekday in an article dated only to a month cannot be resolved: "donderdag" in a March 2017 article is some
Thursday on or before the unknown day of publication, so the event is `bounded` between the Thursday before
the month began and the last Thursday of the month.

**Stated dates** are coded at the precision the text gives: "in april 2016" is month precision,
2016-04-01 to 2016-04-30; another source may narrow it within that month (the Reuters report of 22 April
says the copying "has been" done, so date_end is 2016-04-22).

**Periods and points within bounds.** An event the text says lasted a stated time ("messages were
intercepted from April to June 2020") is a `period`: date_start is the first day of its first stated
period, date_end the last day of its last (2020-04-01 to 2020-06-30, precision month); the timeline draws
it as a solid bar. An event known only to have happened at some point within a window is `bounded` (a
bracketed line). A season or a vague span the detector reports with precision `range` ("last summer") is a
stated date with precision `range`, its first and last day.

**Units, rates and substances.** A figure's unit is a code of `unit` or any ISO 4217 currency code, as
stated ("£54m" is GBP, never converted). A mass, volume, length or time of a fixed factor gets normalised
values in its dimension's base unit ("8 tonnes" and "8,000 kilos" are both 8000 kg in value_normalised); a
month or a year has no fixed length and is not normalised. A price or rate keeps its period in `per_period`
(ISO 8601: "£1,500 for six months" is 1500 GBP, measure subscription_price, per_period P6M); drugs seized
name their `substance`. The measures that need one say so (`requires` in the registry).

**Numbers in two formats.** English uses a comma for thousands and a point for decimals ("19,000",
"2.5 million"); Dutch the reverse ("40.000", "3,6 miljoen" = 3600000). `value` is always the number itself.

**Approximations and ranges.** A figure is `approximate` only where the text hedges it (about, some,
nearly, more than, ongeveer, bijna, ruim, meer dan, zo'n). A hedge without bounds keeps value_low =
value_high = value; "more than"/"ruim" leaves value_high null; "nearly"/"bijna" leaves value_low null. A
vague count without a point value ("tientallen", tens) has value null and a range (20 to 99); one whose
word sets no upper bound ("verscheidene", several: more than two) has value_low 3 and value_high null. A round number
without a hedge ("3,6 miljoen") is not approximate.

**Vague counts.** A vague count states a count without a numeral and is coded as a range with value null: a
plural number noun is at least two of its unit and fewer than ten ("tientallen", "tens of" 20 to 99;
"honderden", "hundreds" 200 to 999; "tienduizenden", "tens of thousands" 20,000 to 99,999), "dozens" and
"dozijnen" 24 to 99, "scores of" 40 to 99; "a few", "a handful", "enkele", "een paar", "een handvol" 2 to 9,
"a couple of" 2 to 3; "several" and "verscheidene" at least 3, and "meerdere", "a number of", "een aantal",
"diverse", "verschillende" at least 2, with no upper bound. Before a plural number noun a few or several
keeps the noun's range ("enkele honderden" 200 to 999); before a scale word it multiplies ("a few hundred"
200 to 999, "several thousand" at least 3,000). Quantifiers that fix no size ("many", "numerous",
"countless", "veel", "talloze", "tal van") are not figures. The coverage gate requires every vague count to
be a figure or a `not_figures` entry with a reason.

**Attribution.** `stated_by_actor_id` is the actor the article says gives the figure: the speaker of the
reporting clause that governs the sentence ("..., the prosecutors said"), or of the reporting sentence that
refers back to it ("Dat meldt het OM donderdag" attributes the preceding paragraphs to the OM). Where the
outlet states a figure in its own voice, it is null. Two cases are the outlet's voice even inside a reported
statement: an appositive that describes an actor ("the owner of Ennetcom, a provider of encrypted
communications for a network of 19,000 customers,") is the outlet's background, not the speaker's words;
and an actor that orders or does what the figure measures does not thereby state it ("Rotterdam judges
ordered that Danny Manupassa, 36, be held for 14 days": no reporting clause, so no speaker for the 14 days or
the age).

**As of.** A figure's `as_of` is the date of the statement that gives it (by default the article's
publication date), at the finest precision that is certain: a figure the OM gave on a Thursday known only to
lie between 23 February and 30 March 2017 is as of 2017, year precision, not March 2017.

**Actors in events.** An actor takes part in an event only as the text names it. A passive without an agent
("has been copied in cooperation with Toronto police", "were sent a message") gets no agent: an agent is
never inferred from who would usually act. A requester or cooperating party is coded where the text names
one.

**Ongoing processes.** An investigation or other process that a report says is under way is `bounded` by
the first report that says so (`date_end` is when it is first known to be under way, not its end); later
reports that it continues are further sources, and its notes say so. A source's lower bound applies where
the text states an event the coded one depends on: access to copied data begins no earlier than the copy.

**Corrections.** A coded value changed after it was released is corrected where it is coded and recorded
in `data/coding/corrections.yaml`: the version that carries the correction, the table, the row's primary
key (a correction keeps it), the column, the old and new value, the reason (the rule applied) and the
article passage that is the evidence. Each entry becomes a row of `corrections`; the build checks that its
new value is the value published. The ledger is history: an entry names its row by the key the table had in
the entry's version, as it was published, and is never rewritten when a later version changes that key. Event
sources were keyed by `event_id, article_id, start` up to 0.3.0 (`{event_id: ..., article_id: ..., start:
0}`) and by `source_id` since: an entry of 0.3.0 or earlier names an event source by the old key, a later
entry by its `source_id`; the build matches each against the rows by the key it names.

**Row ids are never reused.** The id of a row a coder names (a case, actor, event, event source, figure or
article) is cited, so it keeps meaning that row: a correction keeps it, and once a release has removed a row
its id is recorded in `releases.json` (`removed`) and the build refuses any later row that takes it. An event
source has its own id (`source_id`: the article_id and the entry's `id`, `s01`, `s02`, ...), so a corrected
quote, even one that starts elsewhere, is a correction of the same source; a new source of an article takes
the next id never used in it, not the id of a source removed before.

**Date expressions are words of their own quote.** An event source's `date_expression` is a passage of its
quote; a date an event takes from another sentence (the statement that reports it) is explained in the
event's notes, not written on the source.

**Actors** are typed by what they are (police, prosecution, court, government...), with their country
where the text gives or implies it by the actor's office (a Dutch court, the Toronto police) and null where
the text is silent (a person's nationality is never assumed); a foreign agency is recognised by its country,
not by a separate type. Reporters and editors named in a
credit line are not actors (they are in `articles.author`). A Wikidata id is recorded only where a coder
verified it. Names and aliases in `actors.yaml` are matched case-sensitively at word boundaries; a generic
word ("prosecutors", "police", "justitie") is listed under `case_names` so that it names the actor only in
articles coded for that case. A collective actor named by a plural noun is listed with its article ("de
opsporingsdiensten"): the bare plural is generic ("zelfs voor opsporingsdiensten niet te volgen") and no
mention.
"""

# Rows of the built tables shown as worked examples: (table, primary key value, what it illustrates).
EXAMPLES = (
    ("events", "ennetcom-owner-arrested", "an undated event, bounded by the statement that reports it"),
    ("events", "ennetcom-users-notified", "a weekday resolved against a day-precision publication date"),
    ("events", "ennetcom-om-announcement-2017", "a weekday in a month-dated article: bounds, no day"),
    ("events", "ennetcom-servers-copied", "a month stated in one source, narrowed by another"),
    ("figures", "nl-2017-03-ennetcom-messages-accessed-f01", "a Dutch decimal comma with a scale word"),
    ("figures", "nl-2017-03-ennetcom-messages-accessed-f04", "a Dutch thousands point, hedged"),
    ("figures", "nl-2017-03-ennetcom-messages-accessed-f02", "a vague count coded as a range"),
    ("figures", "reuters-2016-04-ennetcom-servers-seized-f01", "an English thousands comma, attributed"),
)


def _constraints(table: str, name: str) -> str:
    f = FIELDS[name]
    parts = []
    if TABLES[table].primary_key == (name,):
        parts.append("unique")
    if f.vocabulary is not None:
        parts.append(f"one of `{f.vocabulary}`" + (f" ({', '.join(f.codes)} only)" if f.codes else ""))
    if f.pattern is not None:
        parts.append(f"pattern `{f.pattern}`")
    if f.minimum is not None:
        parts.append(f">= {f.minimum:g}")
    for fk in TABLES[table].foreign_keys:
        if fk.fields == (name,):
            parts.append(f"refers to `{fk.table}.{fk.reference[0]}`")
    return "; ".join(parts)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table_section(name: str) -> list[str]:
    t = TABLES[name]
    out = [f"### `{name}`: {t.title}", "", t.description, "",
           f"Primary key: `{', '.join(t.primary_key)}`"
           + "".join(f" (up to {last}: `{', '.join(key)}`, the key by which the ledger's entries of those versions "
                     "name a row)" for last, key in t.former_keys)
           + f". Files: `data/processed/{name}.parquet`, "
           f"`data/processed/{name}.csv`.", "",
           "| column | type | required | constraints | unit | description |", "|---|---|---|---|---|---|"]
    for field_name in t.fields:
        f = FIELDS[field_name]
        description = f.description
        out.append(f"| `{field_name}` | {f.type} | {'yes' if f.required else 'no'} | "
                   f"{_cell(_constraints(name, field_name))} | {f.unit or ''} | {_cell(description)} |")
    if t.checks:
        out += ["", "Rules across columns and tables (checked by the build; Frictionless cannot express them):", ""]
        out += [f"- `{rc.name}`: {rc.description}" for rc in t.checks]
    return [*out, ""]


def _vocabulary_section(v: Vocabulary) -> list[str]:
    properties = list(PROPERTIES.get(v.name, {}))
    out = [f"### `{v.name}`", "", v.description, "",
           "| " + " | ".join(["code", "label", "definition", *properties]) + " |",
           "|" + "---|" * (3 + len(properties))]
    for code, c in v.codes.items():
        cells = [f"`{code}`", _cell(c.label), _cell(c.definition)]
        cells += [_cell(_property_text(c.properties.get(p))) for p in properties]
        out.append("| " + " | ".join(cells) + " |")
    if v.currencies:
        out += ["", "Any ISO 4217 currency code (pycountry's list: GBP, EUR, USD, ...) is a code of this list too, "
                "labelled with its ISO name; money is never converted."]
    return [*out, ""]


def _property_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(f"`{v}`" for v in value)
    return str(value)  # a factor as written (0.45359237, never rounded)


def _keys(title: str, required: tuple[str, ...], optional: tuple[str, ...]) -> str:
    line = f"- {title}: " + ", ".join(f"`{k}`" for k in required)
    return line + (" (optional: " + ", ".join(f"`{k}`" for k in optional) + ")" if optional else "")


def _coding_files_section() -> list[str]:
    return [
        "## Coding files (the input a coder writes)", "",
        "Every key listed must be written (`null` where unknown); unknown keys are errors, so a typo never goes "
        "unnoticed.", "",
        _keys("`data/raw/<file>.meta.yaml` (sidecar of each raw article)", articles_stage.SIDECAR_REQUIRED,
              articles_stage.SIDECAR_OPTIONAL),
        _keys("`data/coding/cases.yaml`, under `cases:`", coding.CASE_KEYS, coding.CASE_OPTIONAL),
        _keys("`data/coding/actors.yaml`, under `actors:`", coding.ACTOR_KEYS, coding.ACTOR_OPTIONAL),
        _keys("`data/coding/events.yaml`, under `events:`", coding.EVENT_KEYS, coding.EVENT_OPTIONAL),
        _keys("each entry of an event's `actors:`", coding.EVENT_ACTOR_KEYS, coding.EVENT_ACTOR_OPTIONAL),
        _keys("`data/coding/articles/<article_id>.yaml`", coding.ARTICLE_KEYS, coding.ARTICLE_OPTIONAL),
        _keys("each entry of its `events:` (an event source)", coding.SOURCE_KEYS, coding.SOURCE_OPTIONAL),
        _keys("each entry of its `figures:`", coding.FIGURE_KEYS, coding.FIGURE_OPTIONAL),
        _keys("each entry of its `not_figures:`", coding.NOT_FIGURE_KEYS, coding.NOT_FIGURE_OPTIONAL),
        "",
        "A figure's `value_low`/`value_high` default to `value` when left out (write `null` for an open bound); "
        "`as_of`/`as_of_precision` default to the article's publication date and precision; `figure_id` (and "
        "an event source's `source_id`) is the article_id, a hyphen and the entry's `id` (`f01`, `s01`: "
        "required, unique in the article). The PLOVER columns of `events` are derived from "
        "`event_type`.", "",
    ]


def _example(tables: Mapping[str, pd.DataFrame], table: str, key: str, what: str) -> list[str]:
    df = tables[table]
    pk = TABLES[table].primary_key[0]
    rows = df[df[pk] == key]
    if rows.empty:
        return []
    row = rows.iloc[0]
    cells = ", ".join(f"{c}={'null' if pd.isna(row[c]) else row[c]}" for c in df.columns
                      if c not in ("summary", "quote", "article_id", "case_id", "language"))
    out = [f"- **{what}** (`{table}`, `{key}`): {cells}."]
    if table == "events":
        sources = tables["event_sources"][tables["event_sources"]["event_id"] == key]
        out += [f"  - source `{s.article_id}`: \"{s.quote}\" (date expression: "
                f"{s.date_expression if not pd.isna(s.date_expression) else 'none'})"
                for s in sources.itertuples()]
    else:
        out.append(f"  - quote: \"{row['quote']}\"")
    return out


def render_codebook(tables: Mapping[str, pd.DataFrame], version: str) -> str:
    lines = [
        "# Codebook", "",
        f"Version {version}. Generated by `dataset build` from `src/dataset/schema/` (every column), "
        f"`{REGISTRY}` (every closed list), `src/dataset/pipeline/coding.py` (the coding-file formats) and the "
        "built tables (worked examples). "
        "Do not edit by hand.", "",
        "## Tables", "",
        "Identifiers are lower-case slugs. Dates are ISO 8601; `published` and `as_of` are written at their "
        "precision (`2017-03` is a month, not 1 March). Offsets count Unicode code points in "
        "`articles.text`.", "",
    ]
    for name in TABLES:
        lines += _table_section(name)
    lines += ["## Closed lists", "",
              f"Every list below is read from `{REGISTRY}` (the project's human-edited registry of codes): a "
              "code is added there, with its label and definition, and nowhere else. Adding a code is a minor "
              "version; removing one or changing its definition a major one.", ""]
    for v in active().values():
        lines += _vocabulary_section(v)
    lines += _coding_files_section()
    lines += [*RULES.splitlines(), "", "## Worked examples from the seed articles", ""]
    for table, key, what in EXAMPLES:
        lines += _example(tables, table, key, what)
    return "\n".join(lines).rstrip() + "\n"
