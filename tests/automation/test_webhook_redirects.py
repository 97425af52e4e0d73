"""A webhook or robot that answers with a redirect has not taken the message.

urllib follows a 301/302/303 answer to a POST with a GET without the body (to wherever
``Location`` points, the signature and idempotency key along): the message was recorded
as sent although the receiver never got it. A redirect is now a failure that names it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from automation_helpers import free_port

from kequn.automation.channels import SendError, send_webhook
from kequn.automation.journeys import DingtalkChannel, WebhookChannel
from kequn.automation.robots import send_robot


class Redirector:
    """Answers every POST with ``status`` to ``/elsewhere`` on itself; records each request."""

    def __init__(self, status: int) -> None:
        self.status = status
        self.port = free_port()
        self.seen: list[tuple[str, str]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                outer.seen.append((self.command, self.path))
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                if self.path.startswith("/elsewhere"):
                    self.send_response(200)
                    self.end_headers()
                    self.wfile.write(b'{"errcode": 0}')
                    return
                self.send_response(outer.status)
                self.send_header("Location", f"http://127.0.0.1:{outer.port}/elsewhere")
                self.end_headers()

            def do_POST(self) -> None:
                self.do_GET()

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(params=[301, 302, 303, 307, 308])
def redirector(request: pytest.FixtureRequest) -> Iterator[Redirector]:
    found = Redirector(request.param)
    yield found
    found.stop()


def test_a_redirected_webhook_is_not_sent(redirector: Redirector) -> None:
    channel = WebhookChannel(type="webhook", url=f"http://127.0.0.1:{redirector.port}/hook")
    with pytest.raises(SendError) as caught:
        send_webhook(channel, b'{"x": 1}', "key-1")
    assert str(redirector.status) in str(caught.value)
    assert "redirect" in str(caught.value)
    # the redirect was not followed: the message went nowhere else, without its body
    assert redirector.seen == [("POST", "/hook")]


def test_a_redirected_robot_message_is_not_sent(
    redirector: Redirector, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KEQUN_TEST_DT_TOKEN", "tok-123")
    channel = DingtalkChannel(
        type="dingtalk",
        url=f"http://127.0.0.1:{redirector.port}/robot/send",
        token_env="KEQUN_TEST_DT_TOKEN",
    )
    with pytest.raises(SendError) as caught:
        send_robot(channel, "subject", "body", "zh", "key-1")
    assert str(redirector.status) in str(caught.value)
    assert "tok-123" not in str(caught.value)
    assert [method for method, _ in redirector.seen] == ["POST"]


def test_the_reason_reads_in_both_languages() -> None:
    from kequn.automation.channels import REDIRECTED
    from kequn.automation.reasons import error_text

    stored = f"after 3 attempts: {REDIRECTED}HTTP 302 Found"
    assert error_text(stored, "en") == stored
    zh = error_text(stored, "zh")
    assert zh is not None
    assert "重定向" in zh
    assert "HTTP 302 Found" in zh
    assert "redirected" not in zh
