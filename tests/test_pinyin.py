"""pypinyin is read character by character: its phrase dictionary (~45 MB) is never loaded."""

import subprocess
import sys

from bot.pinyin import toneless


def test_names_read_per_character() -> None:
    assert toneless("刘建国") == ["liu", "jian", "guo"]
    assert toneless("王总 ABC", errors="ignore") == ["wang", "zong"]


def test_the_phrase_dictionary_is_not_loaded_by_the_bot_s_readers() -> None:
    # A fresh interpreter: in this one another test may have imported pypinyin first.
    code = ("import sys; from bot.client_matching import _pinyin; from bot.parsing.names import pinyin_syllables; "
            "from bot.charts import _pinyin as chart; _pinyin('刘总'); pinyin_syllables(); chart('刘总'); "
            "print('pypinyin.phrases_dict' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
