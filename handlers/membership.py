"""The RM blocks or unblocks the bot (Telegram's my_chat_member update).

Blocking marks a known RM inactive at once, so the digest and follow-up pushes stop before one
fails; unblocking marks them active again and brings their digest back. Neither ever creates an
RM: someone who never wrote to the bot has no profile to change (the access guard, which
registers RMs, does not see these updates).
"""

from __future__ import annotations

import logging

from telegram import ChatMember, Update
from telegram.constants import ChatType

from bot.context import BotContext
from bot.jobs import schedule_digest

log = logging.getLogger(__name__)


async def membership_changed(update: Update, context: BotContext) -> None:
    change = update.my_chat_member
    # PTB reads an update with a part missing as None there: such an update changes nothing
    if (change is None or change.chat is None or change.chat.type != ChatType.PRIVATE or change.from_user is None
            or change.new_chat_member is None):
        return
    user_id, status = change.from_user.id, change.new_chat_member.status
    rm = await context.repo.rms.get(user_id)
    if rm is None:
        return
    if status in (ChatMember.BANNED, ChatMember.LEFT) and rm.active:
        rm = await context.repo.rms.update(user_id, active=False)
        log.info("RM %s blocked the bot: marked inactive", user_id)
    elif status == ChatMember.MEMBER and not rm.active and context.settings.access.may_use(user_id):
        rm = await context.repo.rms.update(user_id, active=True)
        log.info("RM %s unblocked the bot: marked active", user_id)
    else:
        return
    if context.job_queue is not None:
        schedule_digest(context.job_queue, rm)  # removes the digest job when inactive
