"""The curated FAQ: entries (bot/catalog/faq/*.toml), ranking, and question detection."""

from bot.faq.entries import FAQ_DIR, FaqEntry, FaqError, faq_directory, load_faq
from bot.faq.question import looks_like_question
from bot.faq.ranking import FaqIndex, Ranking

__all__ = ["FAQ_DIR", "FaqEntry", "FaqError", "FaqIndex", "Ranking", "faq_directory", "load_faq", "looks_like_question"]
