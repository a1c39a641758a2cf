import sys
from zoneinfo import ZoneInfo
from datetime import datetime
from bot.parsing import parse_note
NOW = datetime.fromisoformat("2026-11-25T17:30:00+08:00")
TZ = ZoneInfo("Asia/Shanghai")
for line in sys.stdin.read().splitlines():
    if line.strip():
        p = parse_note(line, NOW, TZ)
        print(p.clients, p.channel, p.follow_up_on, "|", line)
