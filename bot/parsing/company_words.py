"""Words around a client's name in Chinese: a company's legal and industry endings (华信科技有限公司
is 华信 in speech) and the dictionary of everyday words and places (中国, 东方, 新华, 建国) that a
short name may also be. Pure; the dictionary is jieba's word list, read once when first needed."""

from __future__ import annotations

import importlib.util
import re
from functools import lru_cache
from pathlib import Path

_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
#: A company's legal or shop ending, taken off first (华信科技有限公司 → 华信科技, 新华印刷厂 → 新华印刷).
_LEGAL = tuple("股份有限公司 有限责任公司 有限公司 分公司 集团公司 集团 公司 门市部 经营部 "
               "工作室 事务所 商行 商店 超市 中心 厂 店 行 社 馆 坊 铺 部".split())
#: What a company does, written after its name (蓝天航空配件 → 蓝天航空 → 蓝天): taken off one at a time.
_INDUSTRY = tuple(sorted(set(
    "科技 技术 信息 网络 软件 电子 电器 电气 机电 机械 设备 实业 贸易 商贸 工贸 "
    "进出口 物流 运输 货运 快递 供应链 印刷 包装 纸业 五金 建材 建筑 建设 工程 装饰 "
    "装修 化工 纺织 服装 服饰 鞋业 皮具 食品 餐饮 饮品 饮料 酒业 茶业 农业 牧业 渔业 "
    "水产 粮油 果业 医药 药业 制药 医疗 器械 生物 地产 置业 房地产 物业 投资 资本 "
    "金融 咨询 管理 文化 传媒 广告 教育 培训 旅游 旅行 酒店 汽车 汽配 配件 零件 部件 "
    "航空 航运 海运 船务 能源 新能源 环保 材料 新材料 塑料 塑胶 橡胶 钢铁 钢材 金属 "
    "铝业 铜业 矿业 石化 石油 燃气 家具 家居 陶瓷 玻璃 灯饰 照明 光电 通信 通讯 百货 "
    "商业 控股 发展 制造 制品 加工 精密 模具 仪器 仪表 日化 珠宝 首饰 眼镜 药房 药店 "
    "诊所 家电 数码 电脑 智能 自动化 工业 国际 实验 安防 保安 租赁 担保 保险 典当 "
    "拍卖 人力 劳务 家政 保洁 美容 美发 健身 体育 影视 娱乐 "
    .split()), key=len, reverse=True))
#: A region written before a company's name (深圳市华信科技 → 华信科技).
_REGION = re.compile(r"^[\u3400-\u9fff]{2,3}?(?:省|市|县|区)(?=[\u3400-\u9fff]{2})")


def company_short_forms(name: str) -> list[str]:
    """The shorter names of a Chinese company, longest first (华信科技有限公司 → 华信科技, 华信); [] for
    a person's name or a name without a company ending."""
    written = "".join(_CJK_RUN.findall(name))
    if written != name.strip() or len(written) < 3:
        return []
    core = _REGION.sub("", written)
    forms = [core] if core != written else []
    stripped = True
    while stripped:
        stripped = False
        for ending in _LEGAL:
            # a one-character ending (厂, 店, 行) only after a name of three characters or more: 王志行 is a person
            if core.endswith(ending) and len(core) - len(ending) >= (3 if len(ending) == 1 else 2):
                core, stripped = core[: -len(ending)], True
                forms.append(core)
                break
    while industry := next((e for e in _INDUSTRY if core.endswith(e) and len(core) - len(e) >= 2), ""):
        core = core[: -len(industry)]
        forms.append(core)
    return list(dict.fromkeys(f for f in forms if f != written))


@lru_cache(maxsize=1)
def company_endings() -> tuple[str, ...]:
    """Every industry and legal ending, longest first: what may follow a company's short form."""
    return tuple(sorted(set(_INDUSTRY) | set(_LEGAL), key=len, reverse=True))


@lru_cache(maxsize=1)
def _dictionary() -> tuple[frozenset[str], frozenset[str]]:
    """Words of two to four characters jieba's dictionary knows as common words (seen 30 times or
    more) or as places (中国, 东方, 新华, 建国, 华夏), and those of them it tags as people's names
    (张伟). 0.3 s, once per process."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        return frozenset(), frozenset()
    path = Path(spec.origin).parent / "dict.txt"
    words, people = set(), set()
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            parts = line.split()
            if len(parts) == 3 and 2 <= len(parts[0]) <= 4 and (int(parts[1]) >= 30 or parts[2].startswith("ns")):
                words.add(parts[0])
                if parts[2] in ("nr", "nrfg", "nrt"):
                    people.add(parts[0])
    return frozenset(words), frozenset(people)


@lru_cache(maxsize=65536)
def dictionary_word(word: str, *, names_too: bool = True) -> bool:
    """A common word or a place (中国, 东方, 新华, 华夏, 建国): a note may hold it without naming anyone.
    names_too=False: not the words the dictionary knows as a person's name (张伟, 蓝天)."""
    words, people = _dictionary()
    return word in words and (names_too or word not in people)


def load_dictionary() -> None:
    """Read the dictionary now (the bot does, in a thread after start) rather than at the first note."""
    _dictionary()
