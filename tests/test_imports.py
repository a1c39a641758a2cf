"""Uploaded client and holdings files: tables in, validated rows and row errors out (bot/imports)."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.imports import (
    CLIENT_COLUMNS,
    HOLDING_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    ClientRow,
    HoldingRow,
    ImportFileError,
    RowError,
    detect_kind,
    parse_clients,
    parse_holdings,
    read_table,
)
from bot.strings import catalog, placeholders


def csv_bytes(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


def xlsx_bytes(*rows: tuple, start_row: int = 1) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, 1):
            if value is not None:
                sheet.cell(start_row + offset, column, value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- reading tables

TABLES = [
    # (filename, content, expected rows, what it shows)
    ("c.csv", csv_bytes("name,phone\nLiu,138\n"), [(2, {"name": "Liu", "phone": "138"})], "plain CSV"),
    ("c.csv", csv_bytes("\ufeffName , PHONE\nLiu,138\n"), [(2, {"name": "Liu", "phone": "138"})],
     "BOM, case and spaces in headers"),
    ("c.csv", csv_bytes("姓名;手机\n刘总;138\n"), [(2, {"name": "刘总", "phone": "138"})], "semicolons, Chinese"),
    ("c.txt", csv_bytes("客户名称\t联系电话\n刘总\t138\n"), [(2, {"name": "刘总", "phone": "138"})], "tabs"),
    ("c.csv", csv_bytes("姓名,工作单位\n刘总,华为\n", "gb18030"), [(2, {"name": "刘总", "company": "华为"})],
     "GB18030 from Chinese Excel"),
    ("c.txt", "姓名\t备注\n刘总\t老客户\n".encode("utf-16"), [(2, {"name": "刘总", "notes": "老客户"})],
     "Excel's Unicode text (UTF-16, tabs)"),
    ("c.csv", csv_bytes("name,notes\n\nLiu,\n,,\nWang,x\n"),
     [(3, {"name": "Liu", "notes": ""}), (5, {"name": "Wang", "notes": "x"})], "blank lines skipped, lines kept"),
    ("c.csv", csv_bytes('name,notes\nLiu,"two\nlines"\nWang\n'),
     [(2, {"name": "Liu", "notes": "two\nlines"}), (3, {"name": "Wang", "notes": ""})],
     "a quoted cell over two lines is one spreadsheet row; short rows padded"),
    ("c.csv", csv_bytes("*姓名,电话(手机),Unknown\nLiu,1,zzz\n"), [(2, {"name": "Liu", "phone": "1"})],
     "required marker, parenthesised note, unknown column dropped"),
    ("c.csv", csv_bytes("name,姓名\nLiu,刘\n"), [(2, {"name": "Liu"})], "first header naming a column wins"),
    ("c.xlsx", xlsx_bytes(("Name", "Birthday", "Phone", "Cadence (days)"),
                          ("Liu", datetime(1980, 3, 5), 13800138000, 30.0)),
     [(2, {"name": "Liu", "birthday": "1980-03-05", "phone": "13800138000", "cadence_days": "30"})],
     "xlsx: date cells, numbers"),
    ("upload", xlsx_bytes(("姓名", "生日"), (None, None), ("刘总", date(1980, 3, 5)), start_row=3),
     [(5, {"name": "刘总", "birthday": "1980-03-05"})], "xlsx by magic; header in first non-empty row"),
]


@pytest.mark.parametrize("filename, content, expected, why", TABLES, ids=[row[-1] for row in TABLES])
def test_read_table(filename, content, expected, why):
    assert read_table(filename, content, CLIENT_COLUMNS) == expected


def test_read_table_without_columns_keys_by_normalized_header():
    assert read_table("x.csv", b"First Name,Phone_No\nLiu,1\n") == [(2, {"firstname": "Liu", "phoneno": "1"})]


def _zip(name: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(name, "x")
    return out.getvalue()


FILE_ERRORS = [
    # (filename, content, key, values, what it shows)
    ("c.csv", b"", "import.error.empty", {}, "nothing at all"),
    ("c.csv", b"\n \n,,\n", "import.error.empty", {}, "only blank lines"),
    ("c.csv", b"name,phone\n", "import.error.empty", {}, "header only"),
    ("c.xlsx", xlsx_bytes(), "import.error.empty", {}, "empty workbook"),
    ("c.csv", b"phone\n138\n", "import.error.missing_column", {"column": "name"}, "no name column"),
    ("c.csv", b"x" * (MAX_FILE_BYTES + 1), "import.error.too_large", {"max_mb": 5}, "over 5 MB"),
    ("c.csv", b"name\n" + b"a\n" * (MAX_ROWS + 1), "import.error.too_many_rows", {"max_rows": MAX_ROWS},
     "over the row limit"),
    ("c.xls", b"\xd0\xcf\x11\xe0rest", "import.error.unknown_format", {"name": "c.xls"}, "old Excel"),
    ("scan.pdf", b"%PDF-1.4", "import.error.unknown_format", {"name": "scan.pdf"}, "a PDF"),
    ("c.docx", _zip("word/document.xml"), "import.error.unknown_format", {"name": "c.docx"}, "a zip, not xlsx"),
    ("c.xlsx", b"PK\x03\x04broken", "import.error.not_table", {}, "damaged xlsx"),
    ("c.xlsx", _zip("xl/workbook.xml"), "import.error.not_table", {}, "xlsx shell without a sheet"),
    ("c.csv", b"\xff\xff\x80\x80", "import.error.not_table", {}, "undecodable bytes"),
    ("c.csv", b"name\x00,phone\nLiu,1", "import.error.not_table", {}, "binary with NULs"),
]


@pytest.mark.parametrize("filename, content, key, values, why", FILE_ERRORS, ids=[row[-1] for row in FILE_ERRORS])
def test_whole_file_errors(filename, content, key, values, why):
    with pytest.raises(ImportFileError) as raised:
        parse_clients(filename, content)
    assert (raised.value.key, raised.value.values) == (key, values)


def test_holdings_missing_columns():
    with pytest.raises(ImportFileError) as raised:
        parse_holdings("h.csv", csv_bytes("客户,金额\n刘总,1\n"))
    assert (raised.value.key, raised.value.values) == ("import.error.missing_column", {"column": "product"})


# ---------------------------------------------------------------- clients

CLIENT_HEADER = "name,phone,company,tier,birthday,lunar_birthday,last_contact,cadence_days,notes"
CLIENTS = [
    # (the data line under CLIENT_HEADER, expected ClientRow fields or a list of error (key, values))
    ("Liu,138,ACME,A,1980-03-05,01-08,2026-11-01,30,VIP",
     {"name": "Liu", "phone": "138", "company": "ACME", "tier": "A", "birthday": date(1980, 3, 5),
      "lunar_birthday": "01-08",
          "last_contact": date(2026, 11, 1), "cadence_days": 30, "notes": "VIP"}),
    ("Liu,,,,,,,,", {"name": "Liu", "phone": None, "tier": None, "birthday": None, "cadence_days": None,
                     "notes": None}),
    ("  Liu   Wei  ,,,b,,,,,", {"name": "Liu Wei", "tier": "B"}),
    ("Liu,,,c,1980/3/5,8-1,2026.11.01,30天,", {"tier": "C", "birthday": date(1980, 3, 5), "lunar_birthday": "08-01",
                                                "last_contact": date(2026, 11, 1), "cadence_days": 30}),
    ("Liu,,,Ａ,１９８０－０３－０５,,,,", {"tier": "A", "birthday": date(1980, 3, 5)}),
    ("Liu,,,,1980年3月5日,正月初八,20261101,3650,", {"birthday": date(1980, 3, 5), "lunar_birthday": "01-08",
                                                    "last_contact": date(2026, 11, 1), "cadence_days": 3650}),
    ("Liu,,,,1980-03-05 00:00:00,农历腊月廿三,,1 day,", {"birthday": date(1980, 3, 5), "lunar_birthday": "12-23",
                                                          "cadence_days": 1}),
    ("Liu,,,,,1990-02-30,,,", {"lunar_birthday": "02-30"}),
    ("Liu," + "1" * 40 + ",,,,,,,", {"phone": "1" * 32}),
    ("Liu,,,,,,,," + "x" * 1200, {"notes": "x" * 1000}),
    (",138,,,,,,,", [("import.row.missing_name", {})]),
    ("x" * 65 + ",,,,,,,,", [("import.row.name_too_long", {"max": 64})]),
    ("Liu,,,D,,,,,", [("import.row.bad_tier", {"value": "D"})]),
    ("Liu,,,核心,,,,,", [("import.row.bad_tier", {"value": "核心"})]),
    ("Liu,,,,1980-02-30,,,,", [("import.row.bad_date", {"column": "birthday", "value": "1980-02-30"})]),
    ("Liu,,,,03-05,,,,", [("import.row.bad_date", {"column": "birthday", "value": "03-05"})]),
    ("Liu,,,,,,yesterday,,", [("import.row.bad_date", {"column": "last_contact", "value": "yesterday"})]),
    ("Liu,,,,,13-01,,,", [("import.row.bad_lunar_date", {"value": "13-01"})]),
    ("Liu,,,,,01-31,,,", [("import.row.bad_lunar_date", {"value": "01-31"})]),
    ("Liu,,,,,闰四月初一,,,", [("import.row.bad_lunar_date", {"value": "闰四月初一"})]),
    ("Liu,,,,,,,0,", [("import.row.bad_cadence", {"value": "0"})]),
    ("Liu,,,,,,,3651,", [("import.row.bad_cadence", {"value": "3651"})]),
    ("Liu,,,,,,,2.5,", [("import.row.bad_cadence", {"value": "2.5"})]),
    ("Liu,,,X,1980-13-01,,,,", [("import.row.bad_tier", {"value": "X"}),
                                ("import.row.bad_date", {"column": "birthday", "value": "1980-13-01"})]),
]


@pytest.mark.parametrize("line, expected", CLIENTS, ids=[row[0][:40] for row in CLIENTS])
def test_client_rows(line, expected):
    result = parse_clients("c.csv", csv_bytes(f"{CLIENT_HEADER}\n{line}\n"))
    if isinstance(expected, dict):
        assert result.errors == ()
        (row,) = result.rows
        assert row.line == 2
        assert {field: getattr(row, field) for field in expected} == expected
    else:
        assert result.rows == ()
        assert [(error.line, error.key, error.values) for error in result.errors] == [
            (2, key, values) for key, values in expected]


def test_good_rows_load_beside_bad_ones_and_first_duplicate_wins():
    text = "姓名,等级\n刘总,A\n王总,Z\n刘总,B\n LIU ,C\nliu,B\n王总,B\n"
    result = parse_clients("c.csv", csv_bytes(text))
    loaded = [(row.line, row.name, row.tier) for row in result.rows]
    assert loaded == [(2, "刘总", "A"), (5, "LIU", "C"), (7, "王总", "B")]
    assert result.errors == (RowError(3, "import.row.bad_tier", {"value": "Z"}),
                             RowError(4, "import.row.duplicate", {"name": "刘总"}),
                             RowError(6, "import.row.duplicate", {"name": "liu"}))


def test_clients_xlsx_with_date_cells_and_numbers():
    content = xlsx_bytes(("客户名称", "手机", "客户等级", "出生日期", "最近联系", "联系周期"),
                         ("刘总", 13800138000, "a", datetime(1980, 3, 5), date(2026, 11, 1), 45),
                         ("王总", None, "B", "1975/12/1", None, 30.0))
    result = parse_clients("客户.xlsx", content)
    assert result.errors == ()
    assert result.rows == (
        ClientRow(2, "刘总", "13800138000", None, "A", date(1980, 3, 5), None, date(2026, 11, 1), 45, None),
        ClientRow(3, "王总", None, None, "B", date(1975, 12, 1), None, None, 30, None),
    )


# ---------------------------------------------------------------- holdings

HOLDING_HEADER = "client,product,name,amount,start_date,maturity_date"
HOLDINGS = [
    ("Liu,LC,Import LC,\"1,000,000\",2026-01-01,2026-12-31",
     {"client": "Liu", "product": "LC", "name": "Import LC", "amount": 1e6, "start_date": date(2026, 1, 1),
          "maturity_date": date(2026, 12, 31)}),
    ("Liu,lc,,,,", {"product": "LC", "name": "", "amount": None, "start_date": None, "maturity_date": None}),
    ("Liu,credit_line,,100万,,", {"product": "CREDIT_LINE", "amount": 1e6}),
    ("Liu,大额存单,,1.5亿,,", {"product": "DEPOSIT", "amount": 1.5e8}),
    ("Liu,Letter of Credit,,2m,,", {"product": "LC", "amount": 2e6}),
    ("Liu,理财,,500k,,", {"product": "WEALTH", "amount": 5e5}),
    ("Liu,基金,,￥2000,,", {"product": "FUND", "amount": 2000}),
    ("Liu,保险,,50万元,,", {"product": "INSURANCE", "amount": 5e5}),
    ("Liu,贷款,,0,2026-01-01,2026-01-01", {"product": "LOAN", "amount": 0.0}),
    ("Liu,存款,,12.5,,2027/6/30", {"product": "DEPOSIT", "amount": 12.5, "maturity_date": date(2027, 6, 30)}),
    ("Liu,LC,,USD 2m,,", {"amount": 2e6, "currency": "USD"}),
    ("Liu,存款,,100万港币,,", {"amount": 1e6, "currency": "HKD"}),
    ("Liu,存款,,50万,,", {"amount": 5e5, "currency": None}),
    (",LC,,,,", [("import.row.missing_client", {})]),
    ("Liu,,,,,", [("import.row.missing_product", {})]),
    ("Liu,spaceship,,,,", [("import.row.unknown_product", {"value": "spaceship"})]),
    ("Liu,LC,,-5,,", [("import.row.bad_amount", {"value": "-5"})]),
    ("Liu,LC,,lots,,", [("import.row.bad_amount", {"value": "lots"})]),
    ("Liu,LC,,100万 200万,,", [("import.row.bad_amount", {"value": "100万 200万"})]),
    ("Liu,LC,,,2026-13-01,", [("import.row.bad_date", {"column": "start_date", "value": "2026-13-01"})]),
    ("Liu,LC,,,2026-02-01,2026-01-31", [("import.row.maturity_before_start", {})]),
    ("x" * 65 + ",nope,,,,", [("import.row.name_too_long", {"max": 64}),
                              ("import.row.unknown_product", {"value": "nope"})]),
]


def test_holding_currency_column():
    content = csv_bytes("客户,产品,金额,币种\n刘总,存款,100万,美元\n刘总,贷款,200万,\n刘总,LC,5,dollars?\n")
    result = parse_holdings("h.csv", content)
    assert [(row.amount, row.currency) for row in result.rows] == [(1e6, "USD"), (2e6, None)]
    assert [(error.line, error.key) for error in result.errors] == [(4, "import.row.bad_currency")]


@pytest.mark.parametrize("line, expected", HOLDINGS, ids=[row[0][:40] for row in HOLDINGS])
def test_holding_rows(line, expected):
    result = parse_holdings("h.csv", csv_bytes(f"{HOLDING_HEADER}\n{line}\n"))
    if isinstance(expected, dict):
        assert result.errors == ()
        (row,) = result.rows
        assert {field: getattr(row, field) for field in expected} == expected
    else:
        assert result.rows == ()
        assert [(error.line, error.key, error.values) for error in result.errors] == [
            (2, key, values) for key, values in expected]


def test_amount_column_in_wan_scales_bare_numbers_only():
    result = parse_holdings("h.csv", csv_bytes("客户,产品类型,金额（万元）\n刘总,存款,100\n王总,理财,5亿\n"))
    assert [row.amount for row in result.rows] == [1e6, 5e8]


def test_holdings_xlsx():
    content = xlsx_bytes(("客户", "产品", "产品名称", "金额", "起息日", "到期日"),
                         ("刘总", "定期", "三年定期", 1000000, datetime(2024, 1, 1), datetime(2027, 1, 1)),
                         ("王总", "银承", None, 2500000.5, None, "2026-12-31"),
                         ("赵总", "信用证", None, None, datetime(2026, 5, 1), datetime(2026, 4, 1)))
    result = parse_holdings("holdings.xlsx", content)
    assert result.rows == (
        HoldingRow(2, "刘总", "DEPOSIT", "三年定期", 1e6, date(2024, 1, 1), date(2027, 1, 1)),
        HoldingRow(3, "王总", "BA", "", 2500000.5, None, date(2026, 12, 31)),
    )
    assert result.errors == (RowError(4, "import.row.maturity_before_start", {}),)


# ---------------------------------------------------------------- which kind of file

KINDS = [
    ("name,phone,tier\nLiu,1,A\n", "clients"),
    ("姓名\n刘总\n", "clients"),
    ("客户,产品,金额,到期日\n刘总,LC,1,\n", "holdings"),
    ("客户,产品名称,金额\n刘总,x,1\n", "holdings"),  # then parse_holdings says: missing product column
    ("客户,电话,等级,产品\n刘总,1,A,LC\n", "clients"),
    ("foo,bar\n1,2\n", None),
]


@pytest.mark.parametrize("text, kind", KINDS)
def test_detect_kind(text, kind):
    assert detect_kind("upload.csv", csv_bytes(text)) == kind


def test_detect_kind_xlsx_and_unreadable():
    assert detect_kind("h.xlsx", xlsx_bytes(("Client", "Product", "Maturity Date"), ("Liu", "LC", None))) == "holdings"
    with pytest.raises(ImportFileError):
        detect_kind("scan.pdf", b"%PDF-1.4")


# ---------------------------------------------------------------- strings and properties

def test_every_key_is_in_the_catalogs():
    used = {
        "import.error.empty": set(), "import.error.not_table": set(), "import.error.missing_column": {"column"},
        "import.error.too_large": {"max_mb"}, "import.error.too_many_rows": {"max_rows"},
        "import.error.unknown_format": {"name"},
        "import.row.missing_name": set(), "import.row.missing_client": set(), "import.row.missing_product": set(),
        "import.row.name_too_long": {"max"}, "import.row.bad_tier": {"value"},
        "import.row.bad_date": {"column", "value"},
        "import.row.bad_lunar_date": {"value"}, "import.row.bad_cadence": {"value"}, "import.row.bad_amount": {"value"},
        "import.row.unknown_product": {"value"}, "import.row.maturity_before_start": set(),
        "import.row.duplicate": {"name"},
    }
    for language in ("en", "zh"):
        strings = catalog(language)
        for key, names in used.items():
            assert placeholders(strings[key]) == names, (language, key)


CELLS = ["", " ", "Liu", "刘总", "A", "b", "Z", "LC", "理财", "spaceship", "1,000,000", "100万", "-1", "2m",
         "1980-03-05", "1980/13/01", "2026年1月2日", "正月初八", "13-01", "30", "0", "x" * 70, '"', '""', "\t",
         "a;b", "\r", "\x00", "1e400", "９９"]
HEADERS = list({*CLIENT_COLUMNS, *HOLDING_COLUMNS, "姓名", "客户", "产品", "金额(万元)", "到期日", "junk"})
csv_text = st.builds(
    lambda header, rows, sep: "\n".join(sep.join(line) for line in [header, *rows]),
    st.lists(st.sampled_from(HEADERS), min_size=1, max_size=8),
    st.lists(st.lists(st.one_of(st.sampled_from(CELLS), st.text(max_size=8)), max_size=9), max_size=12),
    st.sampled_from([",", ";", "\t"]),
)
uploads = st.one_of(
    st.binary(max_size=400).map(lambda data: ("x.csv", data)),
    st.binary(max_size=400).map(lambda data: ("x.xlsx", data)),
    st.text(max_size=300).map(lambda text: ("x.csv", text.encode("utf-8", "surrogatepass"))),
    csv_text.map(lambda text: ("x.csv", text.encode("utf-8", "surrogatepass"))),
    csv_text.map(lambda text: ("x.csv", text.encode("gb18030", "replace"))),
)


@settings(max_examples=400, deadline=None)
@given(upload=uploads)
def test_only_import_errors_and_every_data_line_is_a_row_or_an_error(upload):
    filename, content = upload
    for parse, columns in ((parse_clients, CLIENT_COLUMNS), (parse_holdings, HOLDING_COLUMNS)):
        try:
            data_lines = [line for line, _ in read_table(filename, content, columns)]
        except ImportFileError as error:
            with pytest.raises(ImportFileError) as raised:
                parse(filename, content)
            assert raised.value.key == error.key
            continue
        try:
            result = parse(filename, content)
        except ImportFileError as error:
            assert error.key == "import.error.missing_column"
            continue
        row_lines = [row.line for row in result.rows]
        error_lines = {error.line for error in result.errors}
        assert len(row_lines) == len(set(row_lines))
        assert not error_lines & set(row_lines)
        assert sorted([*row_lines, *error_lines]) == data_lines
    try:
        assert detect_kind(filename, content) in ("clients", "holdings", None)
    except ImportFileError:
        pass


#: (bank cell, 他行 cell, expected (other bank, bank) or None for a row error, reason)
HELD_AT = [
    ("", "", (False, None), "no bank said: held here"),
    ("本行", "", (False, None), "本行 is here"),
    ("招商银行", "", (True, "招商银行"), "a named bank is another bank"),
    ("他行", "", (True, None), "他行: another bank, unnamed"),
    ("other bank", "", (True, None), "English, unnamed"),
    ("", "是", (True, None), "a yes in the 他行 column"),
    ("招商银行", "是", (True, "招商银行"), "yes and the bank's name agree"),
    ("", "否", (False, None), "a no in the 他行 column"),
    ("招商银行", "否", None, "a named bank contradicting a no: asked, not guessed"),
    ("", "也许", None, "an unreadable yes/no: asked"),
    ("x" * 41, "", None, "a bank name too long to be one"),
]


def test_held_at_table_has_no_duplicates():
    keys = [(bank, flag) for bank, flag, _, _ in HELD_AT]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("bank, flag, expected, reason", HELD_AT, ids=[r[-1] for r in HELD_AT])
def test_where_a_holding_is_held(bank, flag, expected, reason):
    result = parse_holdings("h.csv", f"客户,产品,金额,银行,他行\n刘总,理财,100万,{bank},{flag}\n".encode())
    if expected is None:
        assert result.rows == () and len(result.errors) == 1, reason
    else:
        [row] = result.rows
        assert (row.other_bank, row.bank) == expected, reason


OWN = ("招商银行", "招行", "CMB", "China Merchants Bank")
#: (bank cell, 他行 cell, expected (other bank, bank, own bank as written) or None for a row error, reason)
OWN_BANK = [
    ("招商银行", "", (False, None, "招商银行"), "the own bank's full name is here"),
    ("招行", "", (False, None, "招行"), "its short name"),
    ("cmb", "", (False, None, "cmb"), "an alias, any case"),
    ("China  Merchants Bank", "", (False, None, "China Merchants Bank"), "spaces are not part of the name"),
    ("招商银行上海分行", "", (False, None, "招商银行上海分行"), "a branch of the own bank"),
    ("本行", "", (False, None, None), "本行 stays here"),
    ("工商银行", "", (True, "工商银行", None), "another bank is still another bank"),
    ("招商证券", "", (True, "招商证券", None), "a name that only starts like the own bank's is not it"),
    ("招商银行", "否", (False, None, "招商银行"), "the own bank and a no agree"),
    ("招商银行", "是", None, "the own bank said to be another bank: a row error, not a guess"),
]


def test_own_bank_table_has_no_duplicates():
    keys = [(bank, flag) for bank, flag, _, _ in OWN_BANK]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("bank, flag, expected, reason", OWN_BANK, ids=[r[-1] for r in OWN_BANK])
def test_a_row_naming_the_own_bank_is_held_here(bank, flag, expected, reason):
    result = parse_holdings("h.csv", f"客户,产品,金额,银行,他行\n刘总,理财,100万,{bank},{flag}\n".encode(), OWN)
    if expected is None:
        assert result.rows == () and len(result.errors) == 1, reason
    else:
        [row] = result.rows
        assert (row.other_bank, row.bank, row.own_bank) == expected, reason


def test_without_own_names_a_named_bank_is_another_bank():
    [row] = parse_holdings("h.csv", "客户,产品,金额,银行\n刘总,理财,100万,招商银行\n".encode()).rows
    assert (row.other_bank, row.bank) == (True, "招商银行")
