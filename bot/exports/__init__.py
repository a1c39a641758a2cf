"""The files behind /export: an XLSX workbook and a zip of CSVs, built by pure functions."""

from bot.exports.csv_zip import export_csv_zip
from bot.exports.data import ExportData
from bot.exports.workbook import export_xlsx

__all__ = ["ExportData", "export_csv_zip", "export_xlsx"]
