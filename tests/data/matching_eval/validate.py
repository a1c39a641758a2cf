import json, os, collections, re
RULES = {"exact","alias","no-title","pinyin","typo-latin","near-miss-surname","near-miss-title","new-person","staff-not-client","function-word","led-by-follow-up","two-clients","english-verb","no-client"}
rows = [json.loads(l) for l in open("notes.jsonl", encoding="utf-8")]
ok = True
def bad(*a):
    global ok; ok = False; print("ERR", *a)
cache = {}
ids, texts = set(), set()
for r in rows:
    for fld in ("id","clients","text","expect","new","own_words","rule","why"):
        if fld not in r: bad(r.get("id"), "missing", fld)
    if r["id"] in ids: bad("dup id", r["id"])
    ids.add(r["id"])
    if (r["clients"], r["text"]) in texts: bad("dup text", r["id"], r["text"])
    texts.add((r["clients"], r["text"]))
    if not os.path.exists(r["clients"]): bad("no file", r["clients"]); continue
    if r["clients"] not in cache:
        rs = [l.rstrip("\n").split("\t") for l in open(r["clients"], encoding="utf-8") if l.strip()]
        cache[r["clients"]] = rs
        allnames = [x.lower() for row in rs for x in row]
        d = [x for x, c in collections.Counter(allnames).items() if c > 1]
        if d: bad("duplicate name/alias in", r["clients"], d)
    rs = cache[r["clients"]]
    first = {row[0] for row in rs}
    for e in r["expect"]:
        if e not in first: bad(r["id"], "expect not in list:", e)
    if r["rule"] not in RULES: bad(r["id"], "rule", r["rule"])
    if r["own_words"] and not r["expect"]: bad(r["id"], "own_words without expect")
    if r["own_words"]:
        low = r["text"].lower()
        for e in r["expect"]:
            row = next(x for x in rs if x[0] == e)
            if not any(a.lower() in low for a in row): bad(r["id"], "own_words but no listed form in text", e)
    if r["rule"] in ("near-miss-surname","near-miss-title","new-person") and r["expect"]: bad(r["id"], "near miss with expect")
    if r["rule"] in ("near-miss-surname","near-miss-title","new-person"):
        # the name as written must not itself be a listed name or alias
        rsall = {x.lower() for row in rs for x in row}
        for nn in r["new"]:
            if nn.lower() in rsall: bad(r["id"], "new name is on the list", nn)
    if r["rule"] == "exact":
        for e in r["expect"]:
            if e.lower() not in r["text"].lower(): bad(r["id"], "exact but name not in text")
if len(rows) < 330: bad("only", len(rows), "rows")
print("rows", len(rows), "OK" if ok else "FAILED")
c = collections.Counter(r["rule"] for r in rows)
for k in sorted(c, key=lambda k: -c[k]): print(f"  {k:18} {c[k]}")
print("per list:", dict(collections.Counter(r["clients"] for r in rows)))
print("list sizes:", {k: len(v) for k, v in cache.items()})
own = sum(r["own_words"] for r in rows)
match = sum(1 for r in rows if r["rule"] in ("no-title","pinyin","typo-latin"))
near = sum(1 for r in rows if r["rule"] in ("near-miss-surname","near-miss-title","new-person"))
rest = len(rows) - sum(1 for r in rows if r["rule"] in ("exact","alias","no-title","pinyin","typo-latin","near-miss-surname","near-miss-title","new-person"))
print(f"own_words {own} ({own/len(rows):.0%}); exact+alias rule {c['exact']+c['alias']}; no-title/pinyin/typo {match} ({match/len(rows):.0%}); near/new {near} ({near/len(rows):.0%}); other {rest}")
cjk = sum(1 for r in rows if re.search(r"[\u4e00-\u9fff]", r["text"]))
print("texts with Chinese", cjk, "Latin-only", len(rows) - cjk)
