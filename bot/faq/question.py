"""Telling a question for the FAQ from a contact note (pure)."""

from __future__ import annotations

import re

_QUESTION_START = re.compile(
    r"^\s*(?:how|what|what's|whats|can|could|may|might|should|shall|must|is|are|am|do|does|did|why|when|where|"
    r"which|who|whom|whose|will|would|any|explain|tell me|define)\b"
    r"|^\s*(?:是否|能不能|能否|可不可以|可以|可否|怎么|怎样|如何|什么|为什么|为啥|哪些|哪个|是不是|要不要|有没有|请问|需不需要|该不该|啥)",
    re.IGNORECASE,
)
_QUESTION_END = re.compile(r"(?:[?？]|吗|呢|么|啥|什么|怎么办|如何|多少|几次)\s*[。.!！]?\s*$")
#: Chinese asks with a question word anywhere in the sentence (开基本户要带什么资料).
_QUESTION_WORD_ZH = re.compile(
    r"什么|怎么|怎样|如何|哪些|哪个|是否|能否|能不能|可不可以|可以吗|有没有|要不要|为什么|啥")


def looks_like_question(text: str) -> bool:
    """Ends with ? or ？ (or 吗/呢), starts with how/what/can…, or has a Chinese question word."""
    return bool(_QUESTION_END.search(text) or _QUESTION_START.search(text) or _QUESTION_WORD_ZH.search(text))
