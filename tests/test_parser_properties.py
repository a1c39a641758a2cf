"""Properties: the parser never raises, never loses the text, and always answers the contract."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.parsing import parse_note

KEYS = {"client", "channel", "occurred_on", "needs", "amount", "currency", "amount_max", "follow_up_on", "follow_up_time"}
WORDS = ["visited", "called", "拜访", "电话", "下周二", "明天", "三天前", "follow up", "回访", "LC", "信用证",
         "500k", "50万", "next", "Tuesday", "the", "28号", "12月3日", "不需要", "no", "3pm", "下午3点", "刘总",
         "Mr.", ",", "，", " ", "end of month", "月底", "in", "3", "weeks", "ago", "<b>", "&", "🙂",
         "USD", "$2m", "三点五万", "200-300万", "两万五", "港币", "by", "before", "Friday", "春节前", "节后", "年后",
         "周末", "中旬", "3月8号", "mid Dec", "昨晚8点", "了", "上午10点", "给", "打电话", "after next", "壹拾万元"]
notes = st.one_of(st.text(max_size=300), st.lists(st.sampled_from(WORDS), max_size=25).map(" ".join))
moments = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2090, 12, 31),
                       timezones=st.just(timezone.utc))
zones = st.sampled_from(["Asia/Shanghai", "America/Los_Angeles", "Europe/London", "Pacific/Kiritimati", "UTC"])


@settings(max_examples=400, deadline=None)
@given(text=notes, now=moments, zone=zones)
def test_never_raises_and_keeps_the_text(text: str, now: datetime, zone: str):
    parsed = parse_note(text, now, ZoneInfo(zone))
    assert parsed.text == text
    out = parsed.to_json()
    assert set(out) == KEYS
    assert out["channel"] in (None, "visit", "call", "email", "message")
    assert isinstance(out["needs"], list)
    if parsed.client is not None:
        assert parsed.client.strip() and len(parsed.client) <= len(text)
    if parsed.occurred_on is not None:
        # a contact date is never in the future of the RM's own today
        assert parsed.occurred_on <= now.astimezone(ZoneInfo(zone)).date() + timedelta(days=0)
    if parsed.follow_up_on is not None:
        # a follow-up is never in the past
        assert parsed.follow_up_on >= now.astimezone(ZoneInfo(zone)).date()
    # money is amount plus currency; a range keeps both ends, the upper above the lower
    assert (out["currency"] is None) == (out["amount"] is None)
    assert out["currency"] is None or (len(out["currency"]) == 3 and out["currency"].isupper())
    if out["amount_max"] is not None:
        assert out["amount"] is not None and out["amount_max"] > out["amount"]
    # a field that is asked is left empty, never guessed
    for name in parsed.asked:
        assert getattr(parsed, name) is None


@settings(max_examples=100, deadline=None)
@given(text=st.text(min_size=4000, max_size=4200))
def test_long_notes(text: str):
    parsed = parse_note(text, datetime(2026, 11, 25, tzinfo=timezone.utc), ZoneInfo("Asia/Shanghai"))
    assert parsed.text == text
