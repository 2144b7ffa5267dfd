"""`communique serve`: options, an early error for a missing store, and a real server on
127.0.0.1 answering the API."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from api_store import build_store
from click.testing import CliRunner, Result

from communique.cli.main import _Group
from communique.cli.serve_cmd import serve


def run(*args: str) -> Result:
    group = _Group(name="communique", commands=[serve])
    return CliRunner().invoke(group, list(args))


def test_help_shows_the_defaults() -> None:
    result = run("serve", "--help")
    assert result.exit_code == 0
    assert "127.0.0.1" in result.output and "8000" in result.output


def test_missing_store_fails_before_serving(tmp_path: Path) -> None:
    result = run("serve", "--store", str(tmp_path / "none.duckdb"))
    assert result.exit_code == 2
    assert "[C300]" in result.stderr


def test_bad_port_is_a_usage_error(tmp_path: Path) -> None:
    result = run("serve", "--store", str(tmp_path / "s.duckdb"), "--port", "70000")
    assert result.exit_code == 2


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serves_the_api_on_localhost(tmp_path: Path) -> None:
    path = build_store(tmp_path / "s.duckdb")
    port = _free_port()
    code = "import sys; from communique.cli.main import main; sys.argv[0] = 'communique'; main()"
    server = subprocess.Popen(
        [sys.executable, "-c", code, "serve", "--store", str(path), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        url = f"http://127.0.0.1:{port}/api/events?limit=2"
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(url, timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        assert response.status_code == 200
        assert len(response.json()["events"]) == 2
    finally:
        server.terminate()
        server.wait(timeout=30)
