"""Sending one message through a channel: a signed webhook or an e-mail over SMTP (a CSV
file dropped for an SMS platform or an ad audience upload: :mod:`.drops`).

Every send either returns (the receiver accepted it) or raises :class:`SendError` with a
reason fit for the outbox (no secret, no message body, no address);
:class:`PermanentSendError` when sending again cannot succeed (the outbox dead-letters it at
once), and :class:`ChannelError` when the channel itself failed rather than this message
(no answer, a refused connection or login, HTTP 5xx): the delivery worker then stops
sending to that channel for the pass. Secrets are read when sending, from the
environment or an owner-only file, and never logged.

An e-mail goes to exactly one address: the recipient must be one plain addr-spec
(:func:`single_address`; ``a@x.com, b@y.com``, a display name or a line break is not), and
it is given to the SMTP server as the only envelope recipient, whatever the headers say.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import re
import smtplib
import ssl
import time
import urllib.error
import urllib.request
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, getaddresses
from typing import Any

from kequn.automation.journeys import EmailChannel, WebhookChannel
from kequn.store.workspace import Workspace

SIGNATURE_HEADER = "X-Kequn-Signature"
IDEMPOTENCY_HEADER = "Idempotency-Key"


class SendError(RuntimeError):
    """A send that failed; the text is the reason kept with the message."""


class PermanentSendError(SendError):
    """A failure sending again will not fix (wrong key or signature, refused message, no
    valid recipient): dead-lettered at once."""


class ChannelError(SendError):
    """A failure of the channel, not of the message: the receiver did not answer (a
    timeout, a refused connection), could not take messages now (HTTP 5xx or 429, SMTP
    4xx "try later"), refused the login or answered with a redirect. The next message
    would meet the same failure."""


#: HTTP answers about the message itself (its body), not the receiver: another message
#: may well be taken
_MESSAGE_LEVEL = frozenset({400, 409, 413, 415, 422})
#: of those, the answers the same body will always get (RFC 9110 15.5: the request is
#: malformed, too large, of a type not taken, or its content refused), dead-lettered at
#: once; 409 is tried again (a receiver still busy with the same idempotency key says so)
_REFUSED_FOR_GOOD = frozenset({400, 413, 415, 422})

NOT_ONE_ADDRESS = "recipient is not exactly one e-mail address"

#: the start of a failure's reason when the receiver answered with a redirect (kequn's
#: words, translated on display by :mod:`.reasons`; the HTTP status follows)
REDIRECTED = "redirected, not followed (give the final address as url): "


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is the answer, not a way on: urllib would follow a 301/302/303 to a
    POST with a GET without the body (the signature and idempotency key along, to
    wherever ``Location`` points), and the message counted as sent though no receiver
    got it."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def post(request: urllib.request.Request, timeout: float) -> Any:
    """``urlopen`` that follows no redirect: a 3xx answer raises ``HTTPError``."""
    return _OPENER.open(request, timeout=timeout)


# -- webhook ---------------------------------------------------------------------------
def sign(secret: str, body: bytes, timestamp: int) -> str:
    """``t=<ts>,v1=<HMAC-SHA256 hex of "<ts>.<body>">`` (the scheme Stripe made common):
    the receiver recomputes it and rejects an old timestamp to stop replays."""
    mac = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(secret: str, body: bytes, header: str, *, tolerance: float = 300.0) -> bool:
    """What a receiver does with :data:`SIGNATURE_HEADER` (used by the tests; a reference
    for people writing receivers)."""
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(fields["t"])
    except (KeyError, ValueError):
        return False
    if abs(time.time() - timestamp) > tolerance:
        return False
    expected = sign(secret, body, timestamp).split("v1=", 1)[1]
    return hmac.compare_digest(expected, fields.get("v1", ""))


def send_webhook(
    channel: WebhookChannel, body: bytes, idempotency_key: str, ws: Workspace | None = None
) -> None:
    secret = channel.secret.value(ws)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        IDEMPOTENCY_HEADER: idempotency_key,
        "User-Agent": "kequn",
    }
    if secret:
        headers[SIGNATURE_HEADER] = sign(secret, body, int(time.time()))
    if not channel.url.startswith(("http://", "https://")):  # checked by the model too
        raise SendError("webhook url must be http(s)")
    request = urllib.request.Request(channel.url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with post(request, channel.timeout_seconds) as response:
            response.read(1024)
    except urllib.error.HTTPError as exc:
        moved = REDIRECTED if 300 <= exc.code < 400 else ""
        kind = SendError if exc.code in _MESSAGE_LEVEL else ChannelError
        kind = PermanentSendError if exc.code in _REFUSED_FOR_GOOD else kind
        raise kind(f"{moved}HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        reason = getattr(exc, "reason", exc)
        raise ChannelError(f"{type(exc).__name__}: {reason}") from None
    except ValueError as exc:
        raise SendError(f"{type(exc).__name__}: {exc}") from None


# -- e-mail ----------------------------------------------------------------------------
#: the common case, decided without the (slow) RFC 5322 parser: a dot-atom local part and
#: a dot-atom domain, which is always exactly one valid addr-spec
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_DOT_ATOM = re.compile(rf"{_ATEXT}(?:\.{_ATEXT})*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*")


def single_address(value: Any) -> str | None:
    """The one addr-spec an e-mail cell holds (surrounding blanks dropped), or None when
    it is not exactly one: empty, two addresses (``a@x.com, b@y.com``, ``;``, a line
    break), a display name or angle brackets (``Bob <a@x.com>``), a comment, a quoted
    local part, a blank or control character, no local part or no domain. What planning
    counts as an address and what the SMTP envelope gets."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > 254 or not text.isprintable() or '"' in text:
        return None
    if any(c.isspace() for c in text):
        return None
    if _DOT_ATOM.fullmatch(text):
        return text
    try:
        parsed = Address(addr_spec=text)
    except (ValueError, IndexError, HeaderParseError):
        return None
    # a local part and a domain, written back exactly as given (no comment or quoting
    # dropped), and one address to a lenient reader too
    one = [addr for _, addr in getaddresses([text])] == [text]
    whole = bool(parsed.username and parsed.domain) and parsed.addr_spec == text
    return text if one and whole else None


#: control characters (CR and LF among them) and the Unicode line and paragraph
#: separators: each becomes a space, so no value can end a line and start another
_CONTROLS = dict.fromkeys([*range(32), *range(127, 160), 0x2028, 0x2029], " ")


def one_line(text: str) -> str:
    """``text`` with each control character and line break a space."""
    return text.translate(_CONTROLS)


def header_text(value: Any) -> str:
    """``value`` fit for a header's text: control characters and line breaks as spaces.
    A subject is rendered with the customer's data (``{{ customer.name }}``), and a
    name such as ``Bob\r\nBcc: x@y`` made the message impossible to build."""
    return one_line(str(value if value is not None else "")).strip()


def build_email(
    channel: EmailChannel,
    *,
    to: str,
    subject: str,
    body: str,
    lang: str,
    message_id: str,
    unsubscribe_url: str | None,
) -> EmailMessage:
    """The message to ``to``, which must be exactly one address, else
    :class:`PermanentSendError`. A message that cannot be built (a header the configuration
    makes impossible, a body that cannot be encoded) is a :class:`PermanentSendError`
    too: building it again gives the same error."""
    address = single_address(to)
    if address is None:
        raise PermanentSendError(NOT_ONE_ADDRESS)  # never the address itself
    try:
        msg = EmailMessage()
        msg["From"] = channel.sender
        msg["To"] = address
        msg["Subject"] = header_text(subject)
        msg["Date"] = formatdate(localtime=False)
        domain = channel.sender.rsplit("@", 1)[-1].strip(">") or "kequn"
        msg["Message-ID"] = f"<{message_id}@{domain}>"
        msg[IDEMPOTENCY_HEADER] = message_id
        if channel.reply_to:
            msg["Reply-To"] = channel.reply_to
        if unsubscribe_url:
            # RFC 2369 and RFC 8058: mail clients show an unsubscribe button
            msg["List-Unsubscribe"] = f"<{header_text(unsubscribe_url)}>"
            msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        msg.set_content(body)
        # after set_content, which clears it
        msg["Content-Language"] = "zh-CN" if lang == "zh" else "en"
    except (ValueError, TypeError, LookupError, HeaderParseError) as exc:
        # the type only: the text may quote the header, and so a customer's data
        raise PermanentSendError(f"the e-mail could not be built: {type(exc).__name__}") from None
    return msg


def send_email(channel: EmailChannel, msg: EmailMessage, ws: Workspace | None = None) -> None:
    """Send ``msg`` to the one address of its ``To`` (the envelope's only recipient, so no
    header can add another)."""
    found = [a.addr_spec for a in getattr(msg["To"], "addresses", ())]
    address = single_address(found[0]) if len(found) == 1 else None
    if address is None:
        raise PermanentSendError(NOT_ONE_ADDRESS)
    password = channel.password.value(ws)
    context = ssl.create_default_context()
    try:
        smtp: smtplib.SMTP
        if channel.security == "ssl":
            smtp = smtplib.SMTP_SSL(
                channel.host, channel.port, timeout=channel.timeout_seconds, context=context
            )
        else:
            smtp = smtplib.SMTP(channel.host, channel.port, timeout=channel.timeout_seconds)
        with smtp:
            smtp.ehlo()
            if channel.security == "starttls":
                smtp.starttls(context=context)
                smtp.ehlo()
            if channel.username and password:
                smtp.login(channel.username, password)
            smtp.send_message(msg, to_addrs=[address])
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as exc:
        # 5xx: this message's recipient or content, refused for good (RFC 5321 4.2.1:
        # "the SMTP client SHOULD NOT repeat the exact request"): no such mailbox, a
        # refused message; dead-lettered at once, not tried max_attempts times.
        # 4xx: try later (a provider's rate limit, a full queue), every message would
        kind = ChannelError if _temporary(exc) else PermanentSendError
        raise kind(f"{type(exc).__name__}: {_reply(exc)}") from None
    except smtplib.SMTPResponseException as exc:
        # a refused login or sender, a server closing (421): every message would meet it
        raise ChannelError(f"SMTP {exc.smtp_code} {_text(exc.smtp_error)}") from None
    except (smtplib.SMTPException, OSError) as exc:
        raise ChannelError(f"{type(exc).__name__}: {exc}") from None


def _temporary(exc: smtplib.SMTPException) -> bool:
    """Whether the server's answer is a 4xx ("try later")."""
    if isinstance(exc, smtplib.SMTPResponseException):
        codes = [exc.smtp_code]
    else:
        codes = [code for code, _ in (getattr(exc, "recipients", {}) or {}).values()]
    return bool(codes) and all(400 <= int(code) < 500 for code in codes)


def _reply(exc: smtplib.SMTPException) -> str:
    """The server's code and words, without the refused addresses (a customer's)."""
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"SMTP {exc.smtp_code} {_text(exc.smtp_error)}"
    replies = getattr(exc, "recipients", {}) or {}
    return "; ".join(f"SMTP {code} {_text(words)}" for code, words in replies.values())


def _text(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
