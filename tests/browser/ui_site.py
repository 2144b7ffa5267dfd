"""What the browser tests share with their fixtures: the running site and the hostile
dispatch (imported by conftest.py and the tests; pytest puts this folder on sys.path)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Seconds to wait for uvicorn to accept connections: it starts in well under a second,
# the margin is for a loaded CI machine.
SERVER_START_TIMEOUT_S = 30.0

# A dispatch whose text and title carry markup: the UI must show it literally.
HOSTILE_ID = "browser-test-hostile"
HOSTILE_MARKUP = "<script>alert(1)</script> <img src=x onerror=alert(2)>"
HOSTILE = {
    "id": HOSTILE_ID,
    "lang": "fr",
    "published": "2025-03-04",
    "source": "Agence Exemple <b>bold</b>",
    "title": f"Rencontre à Berlin {HOSTILE_MARKUP}",
    "text": (
        "Berlin, 4 mars 2025 (Agence Exemple) - Le ministre français des Affaires étrangères, "
        "Jean-Noël Barrot, a rencontré mardi à Berlin son homologue allemande "
        f"{HOSTILE_MARKUP} pour discuter de l'Ukraine.\n"
        f"Un communiqué a ensuite été publié. {HOSTILE_MARKUP}"
    ),
}


@dataclass(frozen=True)
class Site:
    """The running UI: its base URL and ids the tests navigate to."""

    url: str
    store: Path
    hostile_event_id: str


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """``app`` served by uvicorn on 127.0.0.1 on a free port, in a daemon thread; yields
    its base URL."""
    import uvicorn

    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="ui-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
