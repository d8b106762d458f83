"""Coding (after ingest, before validation): the human coding in data/coding/ -> typed rows of the coded tables.

Human coding is input data, like the raw articles:
- ``cases.yaml``, ``actors.yaml``, ``events.yaml``: registries written once for the whole corpus (an event
  reported by two articles is one event, with two sources);
- ``articles/<article_id>.yaml``: one file per coded article, binding events and figures to exact quotes in
  that article's clean text. It records the raw file's sha256: when the raw file changes after coding, the
  build stops rather than trust quotes made against another text.

Every row remembers the file and line it was written on (`Origin`), so any problem, here or later in pandera,
is reported there.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import NamedTuple

import pandas as pd
import pyarrow

from dataset.errors import Collector, InputError
from dataset.inputs import input_dir, regular_files
from dataset.parallel import Runner
from dataset.pipeline.anchor import AnchorError, anchor
from dataset.pipeline.cache import Store, cached_call
from dataset.pipeline.rows import Origin, check_keys, convert, frame_of, to_arrow
from dataset.project import Project
from dataset.schema import vocabularies
from dataset.schema.tables import ANCHOR_KEYS, entry_columns, entry_keys
from dataset.schema.vocabularies import Vocabularies
from dataset.yamlio import LineDict, load_mapping, loads, shown

# The keys each kind of entry must write (null where unknown) and may write: from the schema registry for the
# entries that are rows of a table (schema/tables.py ENTRIES), written here for the two that are not.
CASE_KEYS, CASE_OPTIONAL = entry_keys("case")
ACTOR_KEYS, ACTOR_OPTIONAL = entry_keys("actor")
EVENT_KEYS, EVENT_OPTIONAL = entry_keys("event")
EVENT_ACTOR_KEYS, EVENT_ACTOR_OPTIONAL = entry_keys("event actor")
ARTICLE_KEYS = ("article_id", "raw_sha256", "case_id")
ARTICLE_OPTIONAL = ("events", "figures", "not_figures", "notes")
SOURCE_KEYS, SOURCE_OPTIONAL = entry_keys("event source")
FIGURE_KEYS, FIGURE_OPTIONAL = entry_keys("figure")
NOT_FIGURE_KEYS = ("quote", "reason")
NOT_FIGURE_OPTIONAL = ("notes", *ANCHOR_KEYS)
# The columns of a row each writes.
CASE_COLUMNS, ACTOR_COLUMNS, EVENT_COLUMNS, EVENT_ACTOR_COLUMNS = (
    entry_columns(what) for what in ("case", "actor", "event", "event actor"))


@dataclass(frozen=True)
class ActorName:
    """A name or alias that identifies an actor in text; `language` and `case_id` narrow where it applies
    (a generic word such as "prosecutors" names an actor only within one case's articles)."""

    actor_id: str
    text: str
    language: str | None = None
    case_id: str | None = None


@dataclass(frozen=True)
class NotFigure:
    """A number in an article that is not a stated figure, with the coder's reason (coverage gate)."""

    article_id: str
    quote: str
    start: int
    end: int
    reason: str
    origin: Origin


@dataclass
class Coding:
    """The coded rows of each table, row for row with their `Origin`s. Rows are added as dicts; the rows of a
    chunk of coding files are then compacted to Arrow (`compact`), so that a large corpus is never held as
    hundreds of thousands of dicts."""

    rows: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    arrow: dict[str, list[pyarrow.Table]] = field(default_factory=dict)
    origins: dict[str, list[Origin]] = field(default_factory=dict)
    names: list[ActorName] = field(default_factory=list)
    article_case: dict[str, str] = field(default_factory=dict)
    not_figures: list[NotFigure] = field(default_factory=list)
    # The registries' references, for checking the article coding files': each event's case, every case.
    event_case: dict[str, str] = field(default_factory=dict)
    case_ids: set[str] = field(default_factory=set)
    # Problems found while reading; reported together with what validation finds in the tables.
    problems: Collector = field(default_factory=Collector)

    def add(self, table: str, row: dict[str, object], origin: Origin) -> None:
        self.rows.setdefault(table, []).append(row)
        self.origins.setdefault(table, []).append(origin)

    def compact(self) -> None:
        """Move the rows added so far into Arrow, after those compacted before."""
        for table, rows in self.rows.items():
            self.arrow.setdefault(table, []).append(to_arrow(rows, table))
        self.rows.clear()

    def merge(self, other: Coding) -> None:
        """Append `other`'s coding (the next chunk of files) to this one's."""
        self.compact()
        other.compact()
        for table, parts in other.arrow.items():
            self.arrow.setdefault(table, []).extend(parts)
        for table, origins in other.origins.items():
            self.origins.setdefault(table, []).extend(origins)
        self.article_case.update(other.article_case)
        self.not_figures += other.not_figures
        self.problems.problems += other.problems.problems

    def pop_frame(self, table: str) -> pd.DataFrame:
        """Table `table` as a DataFrame in the order its rows were added; this coding lets go of them."""
        self.compact()
        return frame_of(self.arrow.pop(table, []), table)


def _entries(path: Path, where: str, key: str, problems: Collector, store: Store | None = None) -> Iterator[LineDict]:
    """The list under `key` in a registry file; an entry `dataset suggest` drafted (`draft: <article_id>`) is
    refused until a coder has reviewed it. With the build's `store`, the file's parse is taken from it when its
    text is unchanged (the registries of a 10,000-article corpus took 0.3 s to parse in every build)."""
    if not os.path.lexists(path):
        problems.add(where, f"registry file is missing (expected a list under `{key}:`)")
        return
    data = load_mapping(path, where, partial(_parse_registry, store))
    items = data.get(key)
    if not isinstance(items, list):
        problems.add(where, f"expected a list under `{key}:`", field=key, line=data.line_of(key))
        return
    for item in items:
        if isinstance(item, LineDict) and "draft" in item:
            problems.add(where, f"is an unconfirmed draft from `dataset suggest` (for {shown(item['draft'])}): review "
                         "it, then delete its `draft:` line", field="draft", line=item.line_of("draft"))
        elif isinstance(item, LineDict):
            yield item
        else:
            problems.add(where, f"each entry under `{key}:` must be a mapping", line=data.line_of(key))


def _parse_registry(store: Store | None, text: str, where: str) -> object:
    """`loads(text, where)`, from `store` when stored under the text and where it was read (its messages say)."""
    return cached_call(store, "yaml", partial(loads, text, where), where, text)


def _row(entry: LineDict, columns: tuple[str, ...], where: str, problems: Collector) -> dict[str, object]:
    return {c: convert(c, entry.get(c), where, entry.line_of(c), problems) for c in columns}


def _names(entry: LineDict, case_ids: set[str], languages: set[str], where: str,
           problems: Collector) -> list[ActorName]:
    """`names: {any: [...], en: [...], nl: [...]}` and `case_names: {case_id: [...]}`: each scope a language
    code (or `any`) or a case of the case registry."""
    actor_id = str(entry.get("actor_id"))
    out: list[ActorName] = []
    scopes = {"names": ({"any", *languages}, "a language code or `any`"),
              "case_names": (case_ids, "a case_id of data/coding/cases.yaml")}
    for key, scope_kind in (("names", "language"), ("case_names", "case_id")):
        spec = entry.get(key) or {}
        if not isinstance(spec, dict):
            problems.add(where, "expected a mapping of scope: [names]", field=key, line=entry.line_of(key))
            continue
        for scope, texts in spec.items():
            known, expected = scopes[key]
            if scope not in known:
                problems.add(where, f"{shown(scope)} is not {expected}", field=key, line=spec.line_of(scope))
            elif not isinstance(texts, list) or not all(isinstance(t, str) and t.strip() for t in texts):
                problems.add(where, "expected a list of non-empty names", field=f"{key}.{scope}",
                             line=entry.line_of(key))
                continue
            narrowed = None if scope == "any" else str(scope)
            out += [ActorName(actor_id, t, **{scope_kind: narrowed}) for t in texts]
    return out


def read_registries(project: Project, coding: Coding, problems: Collector,
                    registry: Vocabularies | None = None, store: Store | None = None) -> None:
    """Cases, actors and events; `registry`, the project's vocabularies, read here when not given; each file's
    parse from the build's `store` when given and its text unchanged."""
    registry = registry or vocabularies.for_project(project)
    cases, actors, events = (project.coding / f"{name}.yaml" for name in ("cases", "actors", "events"))
    where = project.rel(cases)
    for entry in _entries(cases, where, "cases", problems, store):
        if check_keys(entry, where, entry.line, CASE_KEYS, CASE_OPTIONAL, problems, "case"):
            coding.add("cases", _row(entry, CASE_COLUMNS, where, problems), Origin.of(cases, where, entry))
            coding.case_ids.add(str(entry["case_id"]))
    where = project.rel(actors)
    for entry in _entries(actors, where, "actors", problems, store):
        if check_keys(entry, where, entry.line, ACTOR_KEYS, ACTOR_OPTIONAL, problems, "actor"):
            row = _row(entry, ACTOR_COLUMNS, where, problems)
            coding.add("actors", row, Origin.of(actors, where, entry))
            coding.names += _names(entry, coding.case_ids, set(registry["language"].codes), where, problems)
    where = project.rel(events)
    for entry in _entries(events, where, "events", problems, store):
        if not check_keys(entry, where, entry.line, EVENT_KEYS, EVENT_OPTIONAL, problems, "event"):
            continue
        row = _row(entry, EVENT_COLUMNS, where, problems)
        coding.event_case[str(row["event_id"])] = str(row["case_id"])
        plover = registry.plover(row["event_type"])
        row["plover_type"], row["plover_mode"] = plover or (None, None)
        coding.add("events", row, Origin.of(events, where, entry))
        event_actors = entry.get("actors")
        if not isinstance(event_actors, list) or not event_actors:
            problems.add(where, "expected a list of {actor_id, role} (at least one)", field="actors",
                         line=entry.line_of("actors"))
            continue
        for actor in event_actors:
            if check_keys(actor, where, entry.line_of("actors"), EVENT_ACTOR_KEYS, EVENT_ACTOR_OPTIONAL, problems,
                          "event actor"):
                row = {"event_id": entry.get("event_id"), **_row(actor, EVENT_ACTOR_COLUMNS, where, problems)}
                coding.add("event_actors", row, Origin.of(events, where, actor))


def anchored(entry: LineDict, text: str, where: str, problems: Collector, key: str = "quote"
             ) -> tuple[int, int] | None:
    """The offsets of the entry's quote (under `key`) in `text`, using its `prefix` or `occurrence` where the
    quote occurs more than once; None, with the problem collected, where it cannot be found."""
    quote = entry.get(key)
    if not isinstance(quote, str):
        problems.add(where, "expected the exact quote as text", field=key, line=entry.line_of(key))
        return None
    occurrence = entry.get("occurrence")
    try:
        start = anchor(text, quote, prefix=entry.get("prefix"),
                       occurrence=occurrence if isinstance(occurrence, int) else None)
    except AnchorError as exc:
        problems.add(where, str(exc), field=key, line=entry.line_of(key))
        return None
    return start, start + len(quote)


def entry_id(article_id: object, entry: LineDict) -> str:
    """The published id of an article's figure or event source: the article_id, a hyphen and the entry's `id`
    (required and of the registry's pattern, fields.INPUT_FIELDS; unique in the article as the table's key)."""
    return f"{article_id}-{entry.get('id')}"


def _figure(entry: LineDict, article: Mapping[str, object], span: tuple[int, int], where: str,
            problems: Collector, registry: Vocabularies) -> dict[str, object]:
    row = _row(entry, (*FIGURE_KEYS[2:], "substance", "per_period"), where, problems)
    for bound in ("value_low", "value_high"):
        # Omitted bounds equal the value (UCDP style); an explicit null is an open bound.
        row[bound] = convert(bound, entry.get(bound, entry.get("value")), where, entry.line_of(bound), problems)
    # Where the unit converts at a fixed factor (tonne, g -> kg), the values in its dimension's base unit.
    conversion = registry.normalised(row["unit"])
    for column in ("value", "value_low", "value_high"):
        value = row[column]
        row[f"{column}_normalised"] = value * conversion[0] if conversion and isinstance(value, float) else None
    row["unit_normalised"] = conversion[1] if conversion else None
    row["as_of"] = convert("as_of", entry.get("as_of", article["published"]), where, entry.line_of("as_of"),
                           problems)
    row["as_of_precision"] = entry.get("as_of_precision", article["published_precision"])
    return {
        "figure_id": entry_id(article["article_id"], entry),
        "article_id": article["article_id"],
        "quote": entry.get("quote"),
        "start": span[0],
        "end": span[1],
        **row,
        "language": article["language"],
    }


class References(NamedTuple):
    """What the registries define, for the references of an article coding file: every case, each event's."""

    case_ids: set[str]
    event_case: dict[str, str]
    vocabularies: Vocabularies


def read_article_coding(project: Project, path: Path, articles: Mapping[str, Mapping[str, object]],
                        coding: Coding, problems: Collector, references: References) -> None:
    where = project.rel(path)
    data = load_mapping(path, where)
    if data.get("draft"):
        problems.add(where, "is an unconfirmed draft from `dataset suggest`: review every entry, then delete the "
                     "`draft: true` line", field="draft", line=data.line_of("draft"))
        return
    if not check_keys(data, where, 1, ARTICLE_KEYS, ARTICLE_OPTIONAL, problems, "article coding file"):
        return
    article_id = data["article_id"]
    if path.stem != article_id:
        problems.add(where, f"file is named {path.name} but codes {article_id!r} (expected {article_id}.yaml)",
                     field="article_id", line=data.line_of("article_id"))
        return
    article = articles.get(article_id)
    if article is None:
        problems.add(where, f"no article {article_id!r} in data/raw/ (expected an article_id of a sidecar)",
                     field="article_id", line=data.line_of("article_id"))
        return
    if data["raw_sha256"] != article["raw_sha256"]:
        problems.add(where, f"raw file {article['raw_path']} changed after it was coded (its sha256 is now "
                     f"{article['raw_sha256']}): check every quote against the new text, then update raw_sha256",
                     field="raw_sha256", line=data.line_of("raw_sha256"))
        return
    case_id = str(data["case_id"])
    if case_id not in references.case_ids:
        problems.add(where, f"{shown(data['case_id'])} is not a known cases.case_id (dangling reference)",
                     field="case_id", line=data.line_of("case_id"))
    coding.article_case[article_id] = case_id
    text = str(article["text"])
    sections = (("events", "event source", SOURCE_KEYS, SOURCE_OPTIONAL),
                ("figures", "figure", FIGURE_KEYS, FIGURE_OPTIONAL),
                ("not_figures", "not-a-figure entry", NOT_FIGURE_KEYS, NOT_FIGURE_OPTIONAL))
    for section, what, required, optional in sections:
        entries = data.get(section) or []
        if not isinstance(entries, list):
            problems.add(where, "expected a list", field=section, line=data.line_of(section))
            continue
        for entry in entries:
            if not check_keys(entry, where, data.line_of(section), required, optional, problems, what):
                continue
            span = anchored(entry, text, where, problems)
            if span is None:
                continue
            origin = Origin.of(path, where, entry)
            if section == "events":
                _check_event_case(entry, case_id, references, where, problems)
                expression = entry.get("date_expression")
                if isinstance(expression, str) and expression not in entry["quote"]:
                    # codebook, "Date expressions are words of their own quote": a date taken from another
                    # sentence is explained in the event's notes
                    problems.add(where, f"{expression!r} is not in this source's quote (a date expression is a "
                                 "passage of its own quote; a date taken from another sentence goes in the "
                                 "event's notes)", field="date_expression", line=entry.line_of("date_expression"))
                row = {"source_id": entry_id(article_id, entry), "event_id": entry["event_id"],
                       "article_id": article_id, "quote": entry["quote"],
                       "start": span[0], "end": span[1], "date_expression": entry.get("date_expression")}
                coding.add("event_sources", row, origin)
            elif section == "figures":
                coding.add("figures", _figure(entry, article, span, where, problems, references.vocabularies),
                           origin)
            else:
                coding.not_figures.append(
                    NotFigure(article_id, entry["quote"], span[0], span[1], str(entry["reason"]), origin))


def _check_event_case(source: LineDict, case_id: str, references: References, where: str,
                      problems: Collector) -> None:
    """An article sources only events of its own case (an unknown event is the foreign key's to report)."""
    event_case = references.event_case.get(str(source["event_id"]))
    if event_case is not None and event_case != case_id:
        problems.add(where, f"event {source['event_id']!r} is of case {event_case!r}, but this article is coded for "
                     f"case {case_id!r} (an article sources events of its own case)", field="event_id",
                     line=source.line_of("event_id"))


def _code_files(project: Project, references: References,
                items: list[tuple[Path, dict[str, Mapping[str, object]]]]) -> list[Coding]:
    """The coding of a chunk of article coding files, as one compacted Coding (`items`: each file and, by its
    stem, the article it codes)."""
    coding = Coding()
    for path, article in items:
        try:
            read_article_coding(project, path, article, coding, coding.problems, references)
        except InputError as exc:
            coding.problems.extend(exc)
    coding.compact()
    return [coding]


def read_coding(project: Project, articles: pd.DataFrame, runner: Runner | None = None) -> Coding:
    """All coding of the corpus. Problems are collected in `coding.problems`, file by file, so that the
    build can report them together with what validation finds in the tables."""
    coding = Coding()
    problems = coding.problems
    try:
        input_dir(project, project.coding)
    except InputError as exc:  # a link or file instead of the directory: nothing in it is read
        problems.extend(exc)
        return coding
    try:  # the project's vocabularies: what every later check, the descriptor and the codebook apply
        registry = vocabularies.use_project(project)
    except InputError as exc:  # nothing can be checked against a broken registry: report it alone
        problems.extend(exc)
        return coding
    try:
        read_registries(project, coding, problems, registry, runner.cache.store if runner and runner.cache else None)
    except InputError as exc:  # a registry that is not YAML at all
        problems.extend(exc)
    by_id = {row["article_id"]: row for row in articles[
        ["article_id", "raw_sha256", "raw_path", "text", "published", "published_precision", "language"]
    ].to_dict("records")}
    # A coding file codes the article its name gives (read_article_coding refuses any other), so each worker
    # gets that one article, not the corpus.
    items = [(path, {path.stem: by_id[path.stem]} if path.stem in by_id else {})
             for path in _coding_files(project, problems)]
    references = References(coding.case_ids, coding.event_case, registry)
    for part in (runner or Runner()).map_chunks(partial(_code_files, project, references), items):
        coding.merge(part)
    _check_names(coding.names, project.rel(project.coding / "actors.yaml"), problems)
    return coding


def _coding_files(project: Project, problems: Collector) -> list[Path]:
    """The article coding files: regular `*.yaml` files in data/coding/articles/ (see `dataset.inputs`)."""
    directory = project.coding / "articles"
    try:
        if not input_dir(project, directory):
            return []
    except InputError as exc:  # a link instead of the directory
        problems.extend(exc)
        return []
    return regular_files(project, directory, lambda name: name.endswith(".yaml"), problems)


def _check_names(names: list[ActorName], where: str, problems: Collector) -> None:
    """One name must not point at two actors where both apply: in an article whose language and case both
    names cover (no language or no case covers every one), a mention of it would be ambiguous. Linear in the
    names: a name of one case is compared only with the same text in that case and the text's case-free names."""
    by_text: dict[str, dict[str | None, list[ActorName]]] = {}
    for name in names:
        by_text.setdefault(name.text, {}).setdefault(name.case_id, []).append(name)
    clashes: dict[tuple[str, str, str], str] = {}
    for text, by_case in by_text.items():
        if len({n.actor_id for group in by_case.values() for n in group}) < 2:
            continue
        everywhere = by_case.get(None, [])
        for case, group in by_case.items():
            pairs = itertools.combinations(group, 2) if case is None else itertools.chain(
                itertools.combinations(group, 2), itertools.product(group, everywhere))
            for a, b in pairs:
                if a.actor_id != b.actor_id and (None in (a.language, b.language) or a.language == b.language):
                    first, second = sorted((a.actor_id, b.actor_id))
                    clashes.setdefault((text, first, second), "every case" if case is None else f"case {case}")
    for (text, first, second), scope in sorted(clashes.items()):
        problems.add(where, f"name {text!r} is given to both {first!r} and {second!r} where both apply "
                     f"({scope})", field="names")
