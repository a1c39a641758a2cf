# Builds the client lists. Planted entries are hand-written; fillers are seeded random
# names drawn from surnames that no hand-written note relies on.
import random
rng = random.Random(11)
FILL_SUR = list("沈蒋唐冯董萧曹袁邓许傅曾彭吕苏卢丁魏薛叶阎余潘杜戴夏钟汪田任姜范石姚谭廖邹熊陆郝孔白崔康毛邱秦江史顾侯邵孟龙段雷尹")
GIVEN = list("建国伟芳秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华志红玉萍鹏辉健林俊海燕波宁欣怡晨宇浩然思佳雪梅琳斌峰凯婷颖丹")
TITLES = ["总", "总", "总", "经理", "姐", "老师", "董", "哥", "阿姨", "叔", "女士", "先生", "医生"]
COMP_A = ["恒通", "宏达", "瑞丰", "中联", "永安", "佳美", "汇丰源", "新锐", "嘉禾", "天润", "东方明珠", "盛世", "万隆", "利华", "远航", "博雅", "德信", "晨光", "凯旋", "银泰", "福瑞", "安泰", "泰和", "华晨", "弘毅", "锦绣", "创新", "荣盛", "中信达", "明阳"]
COMP_B = ["贸易", "物流", "机械", "电子", "科技", "建材", "纺织", "食品", "医药", "化工", "地产", "餐饮", "印务", "包装", "汽配", "环保", "家具", "服饰"]
EN_FIRST = ["Kelvin", "Ivy", "Derek", "Joyce", "Samuel", "Cindy", "Patrick", "Winnie", "Albert", "Fiona", "Gordon", "Irene", "Henry", "Queenie", "Leo", "Sandy", "Terence", "Olivia", "Victor", "Bonnie", "Edmund", "Karen", "Ricky", "Stella", "Alan", "Mandy", "Felix", "Carmen", "Howard", "Tiffany", "Justin", "Angela", "Norman", "Phoebe", "Simon", "Doris"]
EN_SUR = ["Shum", "Tsui", "Kwok", "Yip", "Fung", "Choi", "Siu", "Lai", "Ip", "Poon", "Chiu", "Mok", "Yuen", "Kan", "Wai", "Cheuk", "Sit", "Ko", "Au", "Fok", "Hung", "Pang", "Shek"]
EN_CO_A = ["Pacific", "Harbour", "Evergreen", "Summit", "Lotus", "Silverline", "Northstar", "Crystal", "Phoenix", "Orchid", "Redwood", "Bayview", "Kowloon", "Victoria", "Jade", "Pearl", "Apex", "Unity"]
EN_CO_B = ["Trading", "Logistics", "Textiles", "Electronics", "Holdings", "Garments", "Packaging", "Foods", "Properties", "Shipping", "Printing", "Furniture", "Components", "Travel"]

def zh_filler(n, used):
    out = []
    while len(out) < n:
        r = rng.random()
        s = rng.choice(FILL_SUR)
        if r < 0.55:
            name = s + "".join(rng.sample(GIVEN, rng.choice([1, 2])))
            row = [name]
            if rng.random() < 0.3:
                al = s + rng.choice(TITLES)
                if al not in used:
                    row.append(al); used.add(al)
        elif r < 0.8:
            name = s + rng.choice(TITLES)
            row = [name]
        else:
            a, b = rng.choice(COMP_A), rng.choice(COMP_B)
            name = a + b
            row = [name]
            if rng.random() < 0.4:
                full = "苏州市" + name + "有限公司" if rng.random() < .5 else "广州" + name + "股份有限公司"
                if full not in used:
                    row.append(full); used.add(full)
        if row[0] in used:
            continue
        used.add(row[0]); out.append(row)
    return out

def en_filler(n, used):
    out = []
    while len(out) < n:
        if rng.random() < 0.7:
            name = rng.choice(EN_FIRST) + " " + rng.choice(EN_SUR)
        else:
            name = rng.choice(EN_CO_A) + " " + rng.choice(EN_CO_B)
        if name.lower() in used:
            continue
        used.add(name.lower()); out.append([name])
    return out

PLANTED = {}
PLANTED["zh_corp20"] = """刘建国	刘总	Liu Zong
刘芳
王总
王总监
张经理
章总
陈董
程总
周总
李老师
何总
钱总
吴姐
金河食品	深圳金河食品有限公司	金河
华鑫贸易
华鑫物流
鑫达机械	鑫达
杨总
郭总
高姐"""
PLANTED["en_pb40"] = """Sarah Wong
Grace Wang
Mr Chen
Mrs Chan
May Chan
Zhang Wei
Michael Lau
Vivian Cheung	Viv Cheung
Jonathan Tsang
Dr Ho
Kevin Li
Peter Ng
Golden River Foods	GRF
Golden Dragon Logistics
Pacific Harbour Trading	PHT
Harbour View Properties
Wu Li
Tony Yeung
Alice Kwok
Daniel Yip
Helen Fung
Ms Tang
Mr Koo
Eric Shum
Janet Leung
Brian Cheng
Stephen Chow
Catherine Lo
Oliver Sze
Linda Hui
Raymond Tse
Wendy Mak
Bright Star Electronics
Evergreen Textiles
Summit Capital Partners
Jade Garden Restaurant Group	Jade Garden
Frank Kwan
Rose Lui
Will Tam
Hope Chiu"""
PLANTED["mixed_sme80"] = """刘总
张总
王经理
李总
黎总
陈总
周总
黄姐
杨老师
何总
钱总
吴经理
林总
Jason Lin
徐姐
Amy Xu
郭总
胡总
马总
罗会计
Sunrise Packaging	日升包装
海天物流	Haitian Logistics
Bluewave Tech
鑫源电子
鑫源科技
Mr Gao
Kenny Zhu
Lucy Song
Tom Zheng
宋老师"""
PLANTED["zh_retail150"] = """王姐
王丽
李老师
李阿姨
刘女士
张阿姨
陈叔
赵老师
周姐
孙先生
吴老师
郑总
何姐
钱叔
林秀英	林阿姨
黄文斌	黄哥
高大爷
马老师
朱姐
胡女士
郭医生
梁太太
罗叔
宋阿姨
谢老板
韩姐
杨秀兰	杨阿姨
徐老师
小陈"""
PLANTED["zh_big280"] = """刘建国	刘总
刘芳
刘晓东	刘经理
张伟	张总
章立新
陈明	陈董
程志强	程总
王海涛	王总
王总监
黄伟	黄总
周建华	周总
李红梅	李姐
黎明
钱多多	钱总
何志军	何总
杨帆
吴敏	吴经理
孙莉	孙会计
郭靖	郭总
金河食品	深圳金河食品有限公司	金河
华鑫贸易
华鑫物流
鑫达机械
鑫泰机械
胡总
马总
高总
林总
朱总
罗总"""
PLANTED["mixed_big260"] = """刘总	Liu Zong
刘芳
张总
章总
陈总	Mr Chen
周总
赵经理
王姐
黄总
李老师
何总
钱总
杨总
阳光科技
吴总
Sarah Wong
Grace Wang
Michael Lau
Vivian Cheung	Viv Cheung
Jonathan Tsang
Zhang Lei
Mrs Chan
Peter Ng
Golden River Foods	金河食品
Golden River Logistics
Pacific Harbour Trading
Wu Li
Dr Ho
Ms Tang
Kevin Li
Frank Kwan
May Chan
Will Tam
Hope Chiu
Rose Lui
Tony Yeung
Daniel Yip
宋总
郑总
谢姐"""
SIZES = {"zh_corp20": 20, "en_pb40": 40, "mixed_sme80": 80, "zh_retail150": 150, "zh_big280": 280, "mixed_big260": 260}
MIX = {"zh_corp20": 0, "en_pb40": 1, "mixed_sme80": .45, "zh_retail150": 0, "zh_big280": 0, "mixed_big260": .5}

def build():
    lists = {}
    for key, txt in PLANTED.items():
        rows = [l.split("\t") for l in txt.split("\n")]
        used = set()
        for r in rows:
            for x in r:
                used.add(x); used.add(x.lower())
        need = SIZES[key] - len(rows)
        n_en = round(need * MIX[key])
        fill = zh_filler(need - n_en, used) + en_filler(n_en, used)
        rng.shuffle(fill)
        # keep planted entries scattered through the book
        allrows = rows + fill
        rng.shuffle(allrows)
        lists[key] = allrows
        with open(f"clients_{key}.txt", "w", encoding="utf-8") as f:
            for r in allrows:
                f.write("\t".join(r) + "\n")
    return lists

if __name__ == "__main__":
    for k, v in build().items():
        print(k, len(v))
