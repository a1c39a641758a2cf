"""Startup of `python -m bot run` to its first getUpdates, against a Bot API fake on 127.0.0.1.

The fake answers getMe, setMyCommands, deleteWebhook and getUpdates over real HTTP, the way a
self-hosted Bot API server would; the bot finds it through [telegram] api_base_url.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = 5
BOT_USER = {"id": 4242, "is_bot": True, "first_name": "RM Assistant", "username": "rm_assistant_bot"}


class FakeBotAPI(BaseHTTPRequestHandler):
    first_get_updates: threading.Event

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        method = self.path.rsplit("/", 1)[-1]
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if method == "getUpdates":
            self.server.first_get_updates.set()  # type: ignore[attr-defined]
            time.sleep(0.2)
            result: object = []
        elif method == "getMe":
            result = BOT_USER
        else:
            result = True
        body = json.dumps({"ok": True, "result": result}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except BrokenPipeError:  # the bot was stopped mid-poll
            pass

    def log_message(self, *args) -> None:
        return


def one_run(folder: str) -> float:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeBotAPI)
    server.first_get_updates = threading.Event()  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = dict(os.environ, RMBOT_TELEGRAM__TOKEN="123:bench",
               RMBOT_TELEGRAM__API_BASE_URL=f"http://127.0.0.1:{server.server_port}/bot",
               RMBOT_STORAGE__DATABASE=f"{folder}/startup.sqlite3")
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if not server.first_get_updates.wait(30):  # type: ignore[attr-defined]
            raise SystemExit("the bot never polled")
        return time.perf_counter() - start
    finally:
        process.terminate()
        process.wait(10)
        server.shutdown()


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        seconds = [one_run(folder) for _ in range(RUNS)]
    print(f"startup of `python -m bot run` to first getUpdates, {RUNS} runs (loopback Bot API fake)")
    print(f"  median {statistics.median(seconds):.2f} s   max {max(seconds):.2f} s   target < 1.5 s")


if __name__ == "__main__":
    main()
