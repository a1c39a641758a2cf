"""Startup to the first getUpdates, against a Bot API fake on 127.0.0.1: the installed package
(`rm-assistant run` from a clean virtualenv, run from another directory, as operations run it)
and the checkout (`python -m bot run`). Also the wheel's size and its install time.

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


def one_run(folder: str, command: list[str], cwd: Path) -> float:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeBotAPI)
    server.first_get_updates = threading.Event()  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = dict(os.environ, RMBOT_TELEGRAM__TOKEN="123:bench",
               RMBOT_TELEGRAM__API_BASE_URL=f"http://127.0.0.1:{server.server_port}/bot",
               RMBOT_STORAGE__DATABASE=f"{folder}/startup.sqlite3")
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if not server.first_get_updates.wait(30):  # type: ignore[attr-defined]
            raise SystemExit("the bot never polled")
        return time.perf_counter() - start
    finally:
        process.terminate()
        process.wait(10)
        server.shutdown()


def install(folder: Path) -> Path:
    """Build the wheel and install it with the locked versions into a new virtualenv; print the cost."""
    wheels = folder / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels), str(ROOT)],
                   check=True)
    wheel = next(wheels.glob("*.whl"))
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    start = time.perf_counter()
    subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", "-c", str(ROOT / "requirements.lock"),
                    str(wheel)], check=True)
    seconds = time.perf_counter() - start
    print(f"wheel {wheel.name}: {wheel.stat().st_size / 1024:.0f} KiB; install into a clean venv with its "
          f"dependencies (pip cache warm): {seconds:.1f} s")
    return venv / "bin" / "rm-assistant"


def report(label: str, seconds: list[float]) -> None:
    print(f"  {label}: median {statistics.median(seconds):.2f} s   max {max(seconds):.2f} s   target < 1.5 s")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        command = install(Path(folder))
        elsewhere = Path(folder) / "elsewhere"
        elsewhere.mkdir()
        print(f"startup to first getUpdates, {RUNS} runs each (loopback Bot API fake)")
        report("installed `rm-assistant run`", [one_run(folder, [str(command), "run"], elsewhere) for _ in range(RUNS)])
        report("checkout `python -m bot run`", [one_run(folder, [sys.executable, "-m", "bot", "run"], ROOT)
                                               for _ in range(RUNS)])


if __name__ == "__main__":
    main()
