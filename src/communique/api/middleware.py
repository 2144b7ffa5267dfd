"""Two small ASGI middlewares of the app: security headers on every answer, and (when
the setting turns it on) a per-client rate limit on GET requests under /api."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from communique.api.errors import error_response
from communique.api.limits import UNKNOWN_CLIENT, RateLimiter
from communique.errors import CommuniqueError

# The web UI's policy (also in its index.html): everything from this server, no inline
# script or style, plus what a <meta> cannot say: no framing by other sites.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = (
    ("content-security-policy", CONTENT_SECURITY_POLICY),
    # never guess a type: a JSON answer holding markup is never run as a page
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "no-referrer"),
)


class SecurityHeaders:
    """Adds ``SECURITY_HEADERS`` to every HTTP answer that does not set them itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS:
                    if name not in headers:
                        headers.append(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class ReadRateLimit:
    """Answers 429 (C609, Retry-After) to GET and HEAD requests under /api beyond the
    client's token bucket; the write endpoint has its own, tighter limit."""

    def __init__(self, app: ASGIApp, limiter: RateLimiter) -> None:
        self.app = app
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] in ("GET", "HEAD")
            and scope["path"].startswith("/api/")
        ):
            client = scope.get("client")
            try:
                self.limiter.check(client[0] if client else UNKNOWN_CLIENT, "requests")
            except CommuniqueError as exc:
                await error_response(exc)(scope, receive, send)
                return
        await self.app(scope, receive, send)
