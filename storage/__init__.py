"""SQLite storage: every SQL statement, the migrations and the connection settings live here."""

from storage.checks import StorageCheckError, StorageUnavailable
from storage.database import Database
from storage.repository import Repository

__all__ = ["Database", "Repository", "StorageCheckError", "StorageUnavailable"]
