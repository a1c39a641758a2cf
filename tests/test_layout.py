"""Layout rules the code keeps: storage/ stands on its own (it imports nothing from bot/ or handlers/)."""

from __future__ import annotations

import ast
from pathlib import Path

STORAGE = Path(__file__).resolve().parents[1] / "storage"


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_storage_imports_nothing_from_the_bot_or_the_handlers():
    offenders = {f"{path.name}: {module}" for path in STORAGE.glob("*.py") for module in _imported_modules(path)
                 if module.split(".")[0] in ("bot", "handlers")}
    assert not offenders, f"storage/ must not import bot/ or handlers/ (records live in storage/records.py): {offenders}"


def test_the_check_sees_an_import_from_the_bot(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from bot.records import Client\nimport handlers.notes\nfrom storage import x\n", encoding="utf-8")
    assert {m for m in _imported_modules(sample) if m.split(".")[0] in ("bot", "handlers")} == {
        "bot.records", "handlers.notes"}
