"""The HTTP API and web UI over a store (``communique serve``)."""

from __future__ import annotations

from communique.api.app import check_store, create_app

__all__ = ["check_store", "create_app"]
