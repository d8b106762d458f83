"""SPSS export: one `.sav` file per table (pyreadstat), with the Stata export's variable and value labels.

`exports/spss/<table>.sav` (SPSS system file, UTF-8), readable by SPSS, PSPP, R's haven (`read_sav`) and
pandas (`read_spss`). The columns are converted exactly as for Stata (`dataset.exports.stata.frame`): coded
columns as integers 1..n with a value label per code, booleans 0/1, dates as dates, missing strings empty;
coded columns are declared nominal. Variable labels are the column descriptions cut to SPSS's 256 bytes.

Byte-identical on rebuild: the .sav header holds the date and time it was written; they are set to the
release date (datapackage.json `created`) at midnight, never the clock.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa

from dataset.exports import ExportFile
from dataset.exports.stata import release_time, variable_label, write_each

DIRECTORY = "spss"
LABEL_BYTES = 256  # SPSS's limit for a variable label
# The header record: "$FL2", the product name (60 bytes), five 4-byte integers and the 8-byte bias, then the
# creation date ("dd mmm yy", 9 bytes) and time ("hh:mm:ss", 8 bytes).
STAMP_AT, STAMP_END = 92, 109
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")  # not the locale's


def files(tables: Sequence[str]) -> list[ExportFile]:
    return [ExportFile(f"spss-{t}", f"{DIRECTORY}/{t}.sav", "sav", "application/x-spss-sav",
                       f"{t} (SPSS)", f"The {t} table as an SPSS file: variable labels from the column "
                       "descriptions, value labels from the codes' labels.") for t in tables]


def label_within(description: str, limit: int = LABEL_BYTES) -> str:
    """The longest cut of a description (at a word, as for Stata) whose UTF-8 fits SPSS's label limit."""
    chars = limit
    while len(label := variable_label(description, chars).encode("utf-8")) > limit:
        chars -= 8
    return label.decode("utf-8")


def fix_timestamp(path: Path, created: str) -> None:
    """Replace the date and time of writing in the .sav header by the release date at midnight."""
    data = bytearray(path.read_bytes())
    if data[:4] not in (b"$FL2", b"$FL3") or len(data) < STAMP_END:
        raise ValueError(f"{path}: not an SPSS system file header")
    when = release_time(created)
    stamp = f"{when.day:02d} {MONTHS[when.month - 1]} {when.year % 100:02d}00:00:00".encode("ascii")
    data[STAMP_AT:STAMP_END] = stamp
    path.write_bytes(bytes(data))


def write(tables: Mapping[str, pa.Table], descriptor: Mapping[str, Any], out_dir: Path) -> list[Path]:
    import pandas as pd
    import pyreadstat

    from dataset.schema.emit import description_of
    from dataset.schema.tables import TABLES

    def write_one(df: pd.DataFrame, path: Path, name: str, labels: dict[str, dict[int, str]]) -> None:
        variable = {c: label_within(description_of(c)) for c in df.columns}
        pyreadstat.write_sav(df, path, file_label=TABLES[name].title[:64], column_labels=variable,
                             variable_value_labels=labels, variable_measure={c: "nominal" for c in labels})
        fix_timestamp(path, str(descriptor.get("created", "")))

    return write_each(tables, descriptor, out_dir / DIRECTORY, ".sav", write_one)
