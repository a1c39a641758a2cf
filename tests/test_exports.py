"""The /export files: sheets, frozen bold headers, real dates and amounts, the contact calendar,
formula-injection guard, widths, and the CSV zip (names, BOM, ISO dates), from fixed data."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import replace
from datetime import date, datetime, time

import openpyxl
import pytest

from bot.exports import ExportData, export_csv_zip, export_xlsx
from bot.exports.data import display_width, needs_guard
from storage.records import Client, Contact, Coverage, FollowUp, Holding

TODAY = date(2026, 11, 25)
INJECTION = "=HYPERLINK(\"http://evil.example\",\"click\")"
LONG_NOTE = "拜访刘总，" * 40


def contact(id_, client_id, channel, on, text="note", amount=None, needs=(), follow_up=None):
    return Contact(id=id_, raw_text=text, client_id=client_id, client_name=None, channel=channel, occurred_on=on,
                   amount=amount, needs=needs, follow_up_on=follow_up)


CLIENTS = (
    Client(1, "刘总", tier="A", cadence_days=30, phone="+86 138 0000 0001", company="华信贸易有限公司",
           birthday=date(1975, 3, 8), lunar_birthday="八月十五", notes="喜欢喝茶", last_contact_on=date(2026, 10, 1)),
    Client(2, "Ann Lee", tier="B", company="@Lee Holdings", notes=INJECTION, last_contact_on=date(2026, 11, 20)),
    Client(3, "-Zhao", tier="C"),
)
CONTACTS = (
    contact(10, 1, "visit", date(2026, 11, 3), "拜访刘总，需要信用证", amount=3_000_000.0, needs=("LC",),
            follow_up=date(2026, 12, 1)),
    contact(11, 1, "call", date(2026, 11, 3), "called Liu"),
    contact(12, 2, "email", date(2026, 11, 10), "+1 emailed Ann"),
    contact(13, 2, None, date(2026, 11, 3), "Ann?"),
    contact(14, 2, "message", None, "wechat Ann tomorrow"),
    contact(15, 1, "visit", date(2026, 10, 30), LONG_NOTE),
    contact(16, None, "call", date(2026, 11, 4), "called someone", ),
)
HOLDINGS = (
    Holding(1, 1, "LOAN", "流贷 2026", amount=12_500_000.0, start_date=date(2026, 1, 5), maturity_date=date(2026, 12, 5)),
    Holding(2, 2, "WEALTH", "", amount=None, maturity_date=None),
    Holding(3, 1, "INSURANCE", "重疾险（女儿小雨）", currency="CNY",
            cover=Coverage("critical_illness", "daughter", "小雨", 500_000.0, 10_000.0, "year", 20)),
    Holding(4, 1, "INSURANCE", "=annuity", currency="USD", cover=Coverage("annuity", None, None, None, 1_000_000.0,
                                                                           "single", None, 85)),
)
FOLLOW_UPS = (
    FollowUp(1, 1, 10, date(2026, 12, 1), time(15, 0)),
    FollowUp(2, 2, None, date(2026, 11, 26), None, status="done"),
)
DATA = ExportData(CLIENTS, CONTACTS, HOLDINGS, FOLLOW_UPS, month=date(2026, 11, 17), today=TODAY)


def workbook(language: str, data: ExportData = DATA):
    return openpyxl.load_workbook(io.BytesIO(export_xlsx(data, language)))


def column_of(sheet, header: str, header_row: int = 1) -> int:
    for cell in sheet[header_row]:
        if cell.value == header:
            return cell.column
    raise AssertionError(f"no column {header!r}")


@pytest.mark.parametrize("language, names", [
    ("en", ["Clients", "Contacts", "Contact calendar", "Holdings", "Follow-ups", "Reviews", "Coverage"]),
    ("zh", ["客户", "联系记录", "联系日历", "持仓", "跟进事项", "资产回顾", "保障"]),
])
def test_sheet_names_are_localized(language, names):
    assert workbook(language).sheetnames == names


def test_headers_are_bold_frozen_and_filtered():
    book = workbook("en")
    for name in ("Clients", "Contacts", "Holdings", "Follow-ups"):
        sheet = book[name]
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.b for cell in sheet[1])
        assert sheet.auto_filter.ref.startswith("A1:")
    calendar = book["Contact calendar"]
    assert calendar.freeze_panes == "B3"  # title row and header frozen, client names stay in view
    assert calendar.auto_filter.ref == "A2:AF5"  # client + 30 days + total, 3 clients
    assert all(cell.font.b for cell in calendar[2])


def test_clients_sheet_dates_and_last_contact():
    sheet = workbook("en")["Clients"]
    assert [c.value for c in sheet[1]] == ["Name", "Tier", "Company", "Phone", "Birthday", "Lunar birthday",
                                           "Contact every (days)", "Last contact", "Days since last contact", "Notes"]
    liu = sheet[2]
    assert liu[0].value == "刘总"
    assert liu[4].is_date and liu[4].value == datetime(1975, 3, 8) and liu[4].number_format == "yyyy-mm-dd"
    assert liu[5].value == "八月十五"
    assert liu[6].value == 30 and liu[6].data_type == "n"
    # the latest of the stored last contact (1 Oct) and the contacts (3 Nov)
    assert liu[7].value == datetime(2026, 11, 3) and liu[8].value == 22
    ann = sheet[3]
    assert ann[7].value == datetime(2026, 11, 20) and ann[8].value == 5  # stored date beats her 10 Nov email
    zhao = sheet[4]
    assert zhao[7].value is None and zhao[8].value is None


def test_contacts_sheet_amounts_channels_and_order():
    sheet = workbook("en")["Contacts"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == [datetime(2026, 10, 30), datetime(2026, 11, 3), datetime(2026, 11, 3),
                                        datetime(2026, 11, 3), datetime(2026, 11, 4), datetime(2026, 11, 10), None]
    visit = sheet[3]
    assert [visit[1].value, visit[2].value, visit[3].value] == ["刘总", "M", "Visit"]
    assert visit[4].value == 3_000_000 and visit[4].data_type == "n" and "#,##0" in visit[4].number_format
    assert visit[5].value == "Letter of credit"  # names, not codes, since main 98f3acc
    assert visit[6].is_date and visit[6].value == datetime(2026, 12, 1)
    assert visit[7].value == "拜访刘总，需要信用证"
    unknown = sheet[5]
    assert unknown[2].value is None and unknown[3].value == "Unknown"
    assert rows[-1][1] == "Ann Lee" and rows[-1][7] == "wechat Ann tomorrow"


def test_contact_calendar_letters():
    sheet = workbook("zh")["联系日历"]
    assert sheet["A1"].value.startswith("联系日历 · 2026年11月")
    day = {sheet.cell(2, col).value: col for col in range(2, sheet.max_column + 1)}
    assert "30" in day and "31" not in day
    rows = {sheet.cell(row, 1).value: row for row in range(3, sheet.max_row + 1)}
    assert list(rows) == ["刘总", "Ann Lee", "-Zhao"]
    assert sheet.cell(rows["刘总"], day["3"]).value == "MT"    # a visit then a call on the 3rd
    assert sheet.cell(rows["Ann Lee"], day["3"]).value == "?"  # channel unknown
    assert sheet.cell(rows["Ann Lee"], day["10"]).value == "E"
    assert sheet.cell(rows["刘总"], day["4"]).value is None     # 16 has no client; 15 is in October
    assert sheet.cell(rows["刘总"], day["合计"]).value == 2
    assert sheet.cell(rows["-Zhao"], day["合计"]).value is None


def test_calendar_month_length_follows_the_month():
    data = ExportData(CLIENTS, (), (), (), month=date(2028, 2, 10), today=TODAY)
    sheet = workbook("en", data)["Contact calendar"]
    assert [c.value for c in sheet[2]][-2:] == ["29", "Total"]
    assert "Feb 2028" in sheet["A1"].value


def test_holdings_and_follow_ups():
    book = workbook("zh")
    holdings = list(book["持仓"].iter_rows(min_row=2, values_only=True))
    assert holdings[0] == ("刘总", "贷款", "流贷 2026", 12_500_000, datetime(2026, 1, 5), datetime(2026, 12, 5), 10,
                           "CNY")
    assert holdings[1] == ("Ann Lee", "理财", None, None, None, None, None, None)
    assert holdings[2][:3] == ("刘总", "保险", "重疾险（女儿小雨）"), "a policy is a holding too"


def test_the_coverage_sheet_lists_each_policy_with_whom_it_insures():
    book = workbook("zh")
    sheet = book["保障"]
    assert [c.value for c in sheet[1]] == ["客户", "被保险人", "险种", "保额", "保费", "缴费方式", "缴费年期（年）",
                                           "保至（岁）", "币种", "名称"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows[0] == ("刘总", "女儿小雨", "重疾险", 500_000, 10_000, "年缴", 20, None, "CNY", "重疾险（女儿小雨）")
    assert rows[1] == ("刘总", "被保险人待确认", "年金险", None, 1_000_000, "趸交", None, 85, "USD", "=annuity"), \
        "whose policy is not known is said"
    assert sheet.cell(row=3, column=10).data_type == "s", "a name that looks like a formula stays text"
    english = list(workbook("en")["Coverage"].iter_rows(min_row=2, values_only=True))
    assert english[0][1:3] == ("daughter 小雨", "critical illness") and english[1][5] == "single"
    sheet = book["跟进事项"]
    assert [c.value for c in sheet[1]] == ["客户", "跟进日期", "时间", "状态"]
    assert [c.value for c in sheet[2]][::3] == ["Ann Lee", "已完成"]
    liu = sheet[3]
    assert liu[2].value == time(15, 0) and liu[2].number_format == "hh:mm"
    assert liu[3].value == "待办"


def test_formula_injection_is_stored_as_visible_text():
    data = export_xlsx(DATA, "en")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
        assert sheets and not any(b"<f>" in archive.read(name) or b"<f " in archive.read(name) for name in sheets)
    book = openpyxl.load_workbook(io.BytesIO(data))
    notes = book["Clients"]["J3"]
    assert notes.value == INJECTION and notes.data_type == "s" and notes.quotePrefix
    for cell in (book["Clients"]["C3"], book["Clients"]["A4"], book["Clients"]["D2"], book["Contacts"]["H7"]):
        assert cell.value[0] in "@-+" and cell.data_type == "s" and cell.quotePrefix
    assert not book["Clients"]["A2"].quotePrefix  # ordinary text untouched
    assert needs_guard("=1+1") and needs_guard("\t=1") and not needs_guard("1=1")


def test_widths_count_cjk_double_and_are_capped():
    sheet = workbook("en")["Contacts"]
    widths = {cell.value: sheet.column_dimensions[cell.column_letter].width for cell in sheet[1]}
    assert widths["Note as typed"] == 60
    assert widths["Client"] >= display_width("Ann Lee") + 1
    assert display_width("刘总") == 4 and display_width("ab\n刘总abc") == 7
    company = workbook("en")["Clients"].column_dimensions["C"].width
    assert company >= display_width("华信贸易有限公司") == 16


def test_pure_deterministic_and_never_touches_disk(monkeypatch):
    import openpyxl.worksheet._writer as writer

    def no_temp_files(*args, **kwargs):
        raise AssertionError("client data must not be written to a temporary file")

    monkeypatch.setattr(writer, "create_temporary_file", no_temp_files)
    first, second = export_xlsx(DATA, "zh"), export_xlsx(DATA, "zh")
    assert first == second and first[:2] == b"PK"
    assert export_csv_zip(DATA, "zh") == export_csv_zip(DATA, "zh")
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2026, 11, 25, 0, 0, 0)}


def test_empty_export():
    data = ExportData((), (), (), (), month=TODAY, today=TODAY)
    book = workbook("en", data)
    assert [book[name].max_row for name in book.sheetnames] == [1, 1, 2, 1, 1, 1, 1]
    with zipfile.ZipFile(io.BytesIO(export_csv_zip(data, "en"))) as archive:
        assert len(archive.namelist()) == 7


def read_csv(archive: zipfile.ZipFile, name: str) -> list[list[str]]:
    raw = archive.read(name)
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel opens the Chinese correctly
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_csv_zip_members_bom_dates_and_guard():
    with zipfile.ZipFile(io.BytesIO(export_csv_zip(DATA, "zh"))) as archive:
        assert archive.namelist() == ["clients.csv", "contacts.csv", "contact_calendar_2026-11.csv",
                                      "holdings.csv", "follow_ups.csv", "reviews.csv", "coverage.csv"]
        assert archive.testzip() is None
        clients = read_csv(archive, "clients.csv")
        assert clients[0][:3] == ["姓名", "级别", "单位"]
        assert clients[1][:5] == ["刘总", "A", "华信贸易有限公司", "'+86 138 0000 0001", "1975-03-08"]
        assert clients[1][7:9] == ["2026-11-03", "22"]
        assert clients[2][2] == "'@Lee Holdings" and clients[2][9] == "'" + INJECTION
        assert clients[3][0] == "'-Zhao"
        contacts = read_csv(archive, "contacts.csv")
        assert contacts[2][:7] == ["2026-11-03", "刘总", "M", "拜访", "3000000", "信用证", "2026-12-01"]
        calendar = read_csv(archive, "contact_calendar_2026-11.csv")
        assert calendar[0][0] == "客户" and calendar[0][3] == "3" and calendar[1][3] == "MT"
        holdings = read_csv(archive, "holdings.csv")
        assert holdings[1] == ["刘总", "贷款", "流贷 2026", "12500000", "2026-01-05", "2026-12-05", "10", "CNY"]
        follow_ups = read_csv(archive, "follow_ups.csv")
        assert follow_ups[2] == ["刘总", "2026-12-01", "15:00", "待办"]


def test_csv_columns_match_the_workbook():
    book = workbook("en")
    with zipfile.ZipFile(io.BytesIO(export_csv_zip(DATA, "en"))) as archive:
        for sheet_name, member, header_row in (("Clients", "clients.csv", 1), ("Contacts", "contacts.csv", 1),
                                               ("Contact calendar", "contact_calendar_2026-11.csv", 2),
                                               ("Holdings", "holdings.csv", 1), ("Follow-ups", "follow_ups.csv", 1)):
            headers = [cell.value for cell in book[sheet_name][header_row]]
            assert read_csv(archive, member)[0] == headers


def test_one_amount_named_for_two_clients_is_written_once():
    """拜访刘总和王总，谈银团贷款五个亿: the two contacts of one note carry the same 5亿; the sheet writes
    it on the first row only and says whom it is shared with, so summing the column gives 5亿, not 10亿."""
    shared = (
        replace(contact(20, 1, "visit", date(2026, 11, 5), "拜访刘总和王总，谈银团贷款五个亿", amount=5e8,
                        needs=("LOAN",)), currency="CNY", note_id=900),
        replace(contact(21, 2, "visit", date(2026, 11, 5), "拜访刘总和王总，谈银团贷款五个亿", amount=5e8,
                        needs=("LOAN",)), currency="CNY", note_id=900),
        replace(contact(22, 1, "visit", date(2026, 11, 6), "拜访刘总，贷款五个亿", amount=5e8), note_id=901),
    )
    data = ExportData(CLIENTS, shared, (), (), month=date(2026, 11, 17), today=TODAY)
    sheet = workbook("zh", data)["联系记录"]
    headers = [cell.value for cell in sheet[1]]
    amount, with_whom = headers.index("金额"), headers.index("与之共用金额（同一条记录，只计一次）")
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[amount], r[with_whom]) for r in rows] == [
        ("刘总", 5e8, "Ann Lee"), ("Ann Lee", None, "刘总"), ("刘总", 5e8, None)]
    assert sum(r[amount] or 0 for r in rows) == 1e9, "two notes of 5亿 each, the shared one once"
