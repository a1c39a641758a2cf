# Assembles notes.jsonl from hand_notes.txt plus seeded template notes that name
# existing clients in the RM's own words (exact first-column name or a listed alias).
import json, random, re
rng = random.Random(2026)
KEYS = ["zh_corp20", "en_pb40", "mixed_sme80", "zh_retail150", "zh_big280", "mixed_big260"]
lists = {k: [l.rstrip("\n").split("\t") for l in open(f"clients_{k}.txt", encoding="utf-8") if l.strip()] for k in KEYS}

def is_latin(s): return bool(re.match(r"^[A-Za-z .&'-]+$", s))

ZH_CH = ["拜访", "电话", "微信", "上门拜访", "约见", "视频会议 ", "陪同考察", "午饭 ", "网点接待", "回访电话 "]
ZH_P = ["信用证", "票据贴现", "流贷续作", "代发工资", "理财到期", "大额存单", "基金定投", "保函", "跨境结算", "外汇套保", "房贷提前还款", "年金险", "对公开户", "供应链融资", "积存金", "信用卡额度", "私行产品", "家族信托", "结售汇", "存量授信年审"]
ZH_F = ["下周二回访", "月底前再联系", "等客户回复", "明天发资料", "已发产品说明书", "下月初签约", "需要报审批", "客户还在比价", "资料已收齐", "周四前给报价", ""]
ZH_AMT = ["", "", "50万", "200万", "3000万", "1个亿", "80w", "500万美元"]
ZH_FORMS = ["{ch}{n}，{p}，{f}", "{ch}{n} {p}{a} {f}", "{n}来电 问{p}", "{n}微信说要做{p}{a}", "和{n}吃饭 聊了{p}", "{n}：{p}{a}，{f}", "{ch}{n}{p}{f}", "{n} {p} {f}"]
EN_V = ["visited", "called", "met", "wechat w/", "lunch with", "zoom with", "coffee with", "site visit at", "tel", "whatsapp"]
EN_P = ["LC", "FX hedge", "TD renewal", "mortgage refi", "payroll", "trade finance", "wealth review", "insurance", "RMB deposit", "bond fund", "credit card limit", "cash pooling", "invoice financing", "USD TD"]
EN_F = ["follow up next Tue", "send deck tmr", "revisit end of month", "waiting on docs", "pricing by Fri", "needs credit approval", "", "will revert"]
EN_AMT = ["", "", "2m", "USD 500k", "HKD 3m", "10m"]
EN_FORMS = ["{v} {n} re {p}, {f}", "{n} called, wants {p} {a}", "{v} {n} - {p} {a} {f}", "{n} wants {p}. {f}", "{v} {n}, discussed {p}", "{n}: {p} {a}, {f}"]
MIX_FORMS = ["拜访{n} 谈{p}", "{n} 来电 要做{p}", "微信{n} {p}{f}", "{n} wants {zp}"]
PLAN = {"zh_corp20": 4, "en_pb40": 14, "mixed_sme80": 14, "zh_retail150": 7, "zh_big280": 7, "mixed_big260": 16}

def clean(t): return re.sub(r"\s+", " ", t).strip(" ，,.-：")

def template_notes():
    out = []
    for k, n in PLAN.items():
        rows = lists[k][:]
        rng.shuffle(rows)
        for row in rows[:n]:
            use_alias = len(row) > 1 and rng.random() < 0.45
            name = rng.choice(row[1:]) if use_alias else row[0]
            if is_latin(name):
                if k.startswith("mixed") and rng.random() < 0.35:
                    t = rng.choice(MIX_FORMS).format(n=name, p=rng.choice(ZH_P), f=rng.choice(ZH_F), zp=rng.choice(EN_P))
                else:
                    t = rng.choice(EN_FORMS).format(v=rng.choice(EN_V), n=name, p=rng.choice(EN_P), a=rng.choice(EN_AMT), f=rng.choice(EN_F))
                    if rng.random() < 0.3: t = t.lower() if rng.random() < .5 else t
            else:
                t = rng.choice(ZH_FORMS).format(ch=rng.choice(ZH_CH), n=name, p=rng.choice(ZH_P), a=rng.choice(ZH_AMT), f=rng.choice(ZH_F))
                if rng.random() < 0.3: t = t.replace("，", ",").replace("：", ":")
                if rng.random() < 0.2 and k.startswith("mixed"): t += " " + rng.choice(EN_F)
            out.append(dict(clients=f"clients_{k}.txt", text=clean(t), expect=[row[0]], new=[], own_words=True,
                            rule="alias" if use_alias else "exact",
                            why=("listed alias of " + row[0]) if use_alias else "first-column name as saved"))
    return out

def hand_notes():
    out = []
    for l in open("hand_notes.txt", encoding="utf-8"):
        l = l.rstrip("\n")
        if not l or l.startswith("#"): continue
        f = l.split("|")
        if len(f) == 8 and f[2] == "" and f[3] == "": del f[2]
        assert len(f) == 7, l
        k, text, exp, new, own, rule, why = f
        out.append(dict(clients=f"clients_{k}.txt", text=text, expect=[x for x in exp.split(";") if x],
                        new=[x for x in new.split(";") if x and x != "0"], own_words=own == "1", rule=rule, why=why))
    return out

notes = hand_notes() + template_notes()
# drop template duplicates of an existing text within the same list
seen, final = set(), []
for n in notes:
    key = (n["clients"], n["text"])
    if key in seen: continue
    seen.add(key); final.append(n)
for i, n in enumerate(final):
    n_ = {"id": f"m{i+1:03d}"}; n_.update(n); final[i] = n_
with open("notes.jsonl", "w", encoding="utf-8") as f:
    for n in final: f.write(json.dumps(n, ensure_ascii=False) + "\n")
print(len(final))
