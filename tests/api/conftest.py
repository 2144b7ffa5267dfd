"""Fixtures of the HTTP API tests: one small hand-built store, an app over it and an
in-process client (no socket)."""

from __future__ import annotations

from pathlib import Path

import pytest
from api_store import AsgiClient, build_store
from fastapi import FastAPI

from communique.api import create_app


@pytest.fixture(scope="session")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("api") / "api.duckdb")


@pytest.fixture(scope="session")
def static_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("static")
    (folder / "index.html").write_text("<!doctype html><title>ui</title>", encoding="utf-8")
    (folder / "app.css").write_text("body {}", encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def app(store_path: Path, static_dir: Path) -> FastAPI:
    return create_app(store_path, static_dir=static_dir)


@pytest.fixture(scope="session")
def client(app: FastAPI) -> AsgiClient:
    return AsgiClient(app)
