"""A column of an import file: its stable key, its Vietnamese header, its value type.

The English header is the column's stable key; the Vietnamese header is
accepted too. Vietnamese headers are fixed text (not translated) because a file
must import the same whatever language its user's screen shows.
"""
from dataclasses import dataclass

TEXT, INTEGER, DECIMAL, DATE, BOOL, CHOICE, REF, DATE_OR_YEAR = (
    "text", "integer", "decimal", "date", "bool", "choice", "ref", "date_or_year",
)


@dataclass(frozen=True)
class Column:
    key: str
    header_vi: str
    type: str
    required: bool = False
    help: str = ""
    choices: type | None = None  # a TextChoices class for CHOICE columns
    ref: str = ""  # "place", "sector", "resource", "establishment" for REF columns
    example: str = ""
    former_headers: tuple = ()  # headers of earlier templates, still read so that old files import

    def header(self, language):
        """The column's name as a file in `language` ("vi" or "en") writes it: the templates' header row."""
        return self.header_vi if language == "vi" else self.key
