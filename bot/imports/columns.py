"""Which header names mean which field, in English and Chinese, and telling the two file kinds apart.

RMs export from whatever system their branch uses, so headers vary: 姓名, 客户名称, Client Name …
All are compared after normalize_header, so case, spaces, underscores and full-width forms do not matter.
"""

from __future__ import annotations

from bot.imports.errors import ImportFileError
from bot.imports.tables import column_index, read_grid

CLIENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name", "client", "client name", "customer", "customer name", "客户", "客户名称", "客户姓名",
             "姓名", "名字", "名称"),
    "phone": ("phone", "mobile", "tel", "telephone", "phone number", "电话", "手机", "手机号", "手机号码",
              "联系电话", "电话号码"),
    "company": ("company", "employer", "organisation", "organization", "单位", "公司", "工作单位",
                "公司名称", "所在单位"),
    "tier": ("tier", "level", "grade", "等级", "客户等级", "分层", "客户分层", "级别", "分级"),
    "birthday": ("birthday", "birth date", "date of birth", "dob", "生日", "出生日期", "公历生日", "阳历生日"),
    "lunar_birthday": ("lunar birthday", "lunar", "农历生日", "阴历生日", "农历"),
    "last_contact": ("last contact", "last contacted", "last contact date", "最近联系", "上次联系",
                     "最后联系日期", "最近联系日期", "上次联系日期", "最后联系"),
    "cadence_days": ("cadence", "cadence days", "cadence (days)", "contact every", "联系周期", "周期(天)",
                     "联系周期(天)", "周期", "回访周期"),
    "notes": ("notes", "note", "remarks", "comment", "comments", "备注", "说明"),
    # the profile (issue 19): read by bot.client_profile.read_profile_field
    "risk_level": ("risk level", "risk", "risk profile", "risk rating", "风险等级", "风险偏好", "风险承受能力",
                   "风险测评", "风评", "风险评级"),
    "risk_assessed_on": ("risk assessed", "risk assessment date", "assessed on", "风险测评日期", "风险评估日期",
                         "测评日期", "评估日期"),
    "reach": ("preferred contact", "contact preference", "how to reach", "preferred channel", "联系偏好",
              "联系方式偏好", "偏好联系方式", "联系习惯"),
    "hobbies": ("hobbies", "hobby", "interests", "爱好", "兴趣爱好", "兴趣"),
    "cautions": ("cautions", "caution", "careful", "things to be careful about", "注意事项", "特别注意", "注意",
                 "禁忌"),
    "family": ("family", "family members", "家庭成员", "家庭情况", "家人"),
    "review_days": ("review every", "review cadence", "review days", "复盘周期", "资产回顾周期", "回顾周期"),
}

HOLDING_COLUMNS: dict[str, tuple[str, ...]] = {
    "client": ("client", "client name", "customer", "customer name", "客户", "客户名称", "客户姓名", "姓名"),
    "product": ("product", "product type", "product code", "type", "产品", "产品类型", "产品类别", "产品代码",
                "类型", "业务品种", "业务类型"),
    "name": ("name", "product name", "产品名称", "名称"),
    "amount": ("amount", "balance", "amount (yuan)", "金额", "金额(元)", "余额", "持有金额"),
    # Chinese bank reports state amounts in 万元; a bare 100 there means one million yuan.
    "amount_wan": ("金额(万元)", "金额(万)", "余额(万元)", "余额(万)", "amount (10k)", "amount (10k yuan)"),
    "currency": ("currency", "ccy", "币种", "货币"),
    "start_date": ("start", "start date", "value date", "起始日", "起始日期", "开始日期", "起息日", "购买日期"),
    "maturity_date": ("maturity", "maturity date", "due date", "expiry", "expiry date", "end date", "到期日",
                      "到期日期", "到期时间", "结束日期"),
    # where the asset is held (issue 19): a bank's name, 本行 or 他行; or a yes/no "other bank" column
    "bank": ("bank", "bank name", "held at", "institution", "银行", "所在银行", "持有银行", "开户行", "开户银行",
             "持有机构", "所在机构"),
    "other_bank": ("他行", "是否他行", "他行资产", "other bank", "at another bank", "held elsewhere"),
    # insurance cover (issue 19): who is insured, the kind, sum insured, premium (yearly or single), term
    # (years or to an age)
    "insured": ("insured", "insured person", "被保险人", "被保人", "受保人"),
    "cover_kind": ("cover", "cover kind", "cover type", "insurance type", "险种", "保险类型", "保障类型"),
    "sum_insured": ("sum insured", "sum assured", "保额", "保险金额", "保障额度"),
    "premium": ("premium", "保费"),
    "annual_premium": ("annual premium", "yearly premium", "年缴保费", "年保费", "年交保费"),
    "premium_period": ("premium period", "payment", "payment mode", "缴费方式", "交费方式", "缴费频率"),
    "term_years": ("term", "term (years)", "policy term", "年限", "保险期限", "保障年限", "缴费年限", "缴费年期",
                   "缴费期", "交费年期", "保障期限"),
}

REQUIRED: dict[str, tuple[str, ...]] = {"clients": ("name",), "holdings": ("client", "product")}
COLUMNS = {"clients": CLIENT_COLUMNS, "holdings": HOLDING_COLUMNS}


def detect_kind(filename: str, content: bytes) -> str | None:
    """"clients" or "holdings" from the header alone, for a file sent without saying which.

    The kind more of the headers belong to wins (客户+产品+金额 is holdings even though 客户 is also a
    client's name); on a tie, the kind whose required columns are all there, then clients. None
    when no header is recognised. Unreadable files raise ImportFileError, so the RM hears why.
    """
    grid = read_grid(filename, content)
    if not grid:
        raise ImportFileError("import.error.empty")
    headers = grid[0][1]
    scores = []
    for kind in ("clients", "holdings"):
        found = set(column_index(headers, COLUMNS[kind]).values())
        scores.append((len(found), set(REQUIRED[kind]) <= found, kind == "clients", kind))
    count, _, _, kind = max(scores)
    return kind if count else None
