"""RM Assistant (客户经理助手): a Telegram bot for bank relationship managers."""

__version__ = "0.1.0"
