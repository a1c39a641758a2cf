"""What can go wrong in an import, as catalog keys so the bot can say it in the RM's language."""

from __future__ import annotations

from dataclasses import dataclass, field


class ImportFileError(Exception):
    """The whole file is unusable (wrong format, too big, no usable header): nothing is imported."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


@dataclass(frozen=True)
class RowError:
    """One bad row, reported so the RM can fix just that row; the file's other rows still load.

    line is the row number the RM sees in Excel/WPS or a text editor (the header is usually 1).
    """

    line: int
    key: str
    values: dict = field(default_factory=dict)
