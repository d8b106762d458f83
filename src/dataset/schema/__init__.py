"""The one schema source of the dataset (see registry.py)."""

from dataset.schema.fields import FIELDS
from dataset.schema.registry import Field, ForeignKey, RowCheck, Table, Vocabulary
from dataset.schema.tables import TABLES

__all__ = ["FIELDS", "TABLES", "Field", "ForeignKey", "RowCheck", "Table", "Vocabulary"]
