"""Chat-group robots for team alerts: 企业微信 (WeCom), 钉钉 (DingTalk) and 飞书 (Feishu).

These go to a team's own group, not to consumers: sales and service alerts from a journey
(one message per customer, like every outbox row: the unit that is retried, counted and
erased) and the per-run team digests of :mod:`kequn.automation.digest` (one message per
team and run). A robot accepts about 20 messages a minute, so a journey that would alert
on hundreds of customers belongs in a digest instead.

What each platform documents, and what is done here:

* WeCom group robot, ``POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY``,
  ``{"msgtype": "markdown", "markdown": {"content": ...}}`` (markdown at most 4096 bytes,
  text 2048), 20 messages a minute per robot, reply ``{"errcode": 0, "errmsg": "ok"}``;
  45009 is the rate limit. https://developer.work.weixin.qq.com/document/path/91770
* DingTalk custom robot, ``POST https://oapi.dingtalk.com/robot/send?access_token=TOKEN``
  with 加签: ``sign = urlencode(base64(HmacSHA256(key=secret, msg=timestamp + "\n" +
  secret)))``, the timestamp in milliseconds (within an hour of DingTalk's clock), sent as
  ``&timestamp=…&sign=…``; ``{"msgtype": "markdown", "markdown": {"title", "text"}}``;
  20 messages a minute, then 10 minutes throttled (410100 / 130101 "send too fast",
  90030 "webhook over limit"). The text is kept under 20,000 bytes (our bound, well
  inside what a group shows). https://open.dingtalk.com/document/group/custom-robot-access
  and https://open.dingtalk.com/document/development/robot-message-type
* Feishu custom robot (webhook v2), ``POST https://open.feishu.cn/open-apis/bot/v2/hook/ID``
  with optional 签名校验: ``sign = base64(HmacSHA256(key=timestamp + "\n" + secret,
  msg=""))``, the timestamp in seconds, both in the JSON body; ``msg_type`` text, post
  (rich text) or interactive (a card); the body at most 20 KB; 100 messages a minute and 5
  a second (11232 and 9499: frequency limited); reply ``{"code": 0, "msg": "success"}``.
  https://open.feishu.cn/document/ukTMukTMukTM/ucTM5YjL3ETO24yNxkjN (自定义机器人使用指南)

A reply whose ``errcode``/``code`` is not 0 is a failure with the platform's message as
the reason. A rate limit (HTTP 429, or the platform's own code in a 200 reply:
:data:`RATE_LIMITED`) is waited out where it happened: the wait the answer asks for
(``Retry-After``, RFC 9110 10.2.3, or 飞书's ``x-ogw-ratelimit-reset`` in seconds, see
https://open.feishu.cn/document/server-docs/api-call-guide/frequency-control, whose
频控策略 also gives 自定义机器人 100 a minute and 5 a second, 11232 when limited), at most
the channel's ``rate_limit_max_wait_seconds`` (that long when the answer names no wait),
then the message is sent again, up to ``rate_limit_retries`` times, none of them one of
the message's attempts; a robot still limiting after that fails the attempt (so one that
always limits ends in the dead letters after ``max_attempts``). 5xx and network errors
are retried with the outbox's backoff, anything else (a wrong key, a bad signature, a
message refused) is :class:`PermanentSendError` and goes straight to the dead letters, where
``kequn deliver --replay`` takes it back once the channel is fixed. The token is the
secret part of the address: it is read when sending, and it, the signing secret and the
signature are cut out of every error text (:func:`redact`).
"""

from __future__ import annotations

import base64
import datetime as dt
import email.message
import email.utils
import hashlib
import hmac
import http.client
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from typing import Any

from kequn.automation import text as _text  # noqa: F401  (registers the messages)
from kequn.automation.channels import (
    IDEMPOTENCY_HEADER,
    REDIRECTED,
    ChannelError,
    PermanentSendError,
    SendError,
    post,
)
from kequn.automation.journeys import DingtalkChannel, FeishuChannel, WecomChannel
from kequn.core.i18n import t
from kequn.store.workspace import Workspace

Robot = WecomChannel | DingtalkChannel | FeishuChannel

OFFICIAL = {
    "wecom": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send",
    "dingtalk": "https://oapi.dingtalk.com/robot/send",
    "feishu": "https://open.feishu.cn/open-apis/bot/v2/hook",
}
#: bytes of message text each platform takes (WeCom per msgtype; Feishu: the whole body)
LIMITS = {
    ("wecom", "markdown"): 4096,
    ("wecom", "text"): 2048,
    ("dingtalk", "markdown"): 20000,
    ("dingtalk", "text"): 20000,
    ("feishu", "text"): 18000,
    ("feishu", "post"): 15000,
    ("feishu", "interactive"): 15000,
}
#: Feishu's limit on the whole request body, less room for the timestamp and signature
FEISHU_BODY = 20 * 1024 - 200
#: reply codes (in a 200 answer) that mean "too many messages now", waited out like a
#: 429: 企业微信 45009 (https://developer.work.weixin.qq.com/document/path/91770); 钉钉
#: 410100 / 130101 "send too fast, exceed 20 times per minute" / 90030 "webhook over
#: limit" (https://open.dingtalk.com/document/group/custom-robot-access); 飞书 11232 and
#: 9499 (https://open.feishu.cn/document/server-docs/api-call-guide/frequency-control)
RATE_LIMITED = {
    "wecom": {45009, -1},
    "dingtalk": {410100, 130101, 90030, -1},
    "feishu": {11232, 9499},
}
_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")


class RateLimitedError(SendError):
    """The robot refused the message for now: too many messages. ``wait``: the seconds
    its answer asked to wait, when it said."""

    def __init__(self, text: str, wait: float | None = None) -> None:
        super().__init__(text)
        self.wait = wait


#: headers that say how long to wait before sending again, in seconds or (Retry-After) as
#: an HTTP-date: RFC 9110 10.2.3, and 飞书's frequency-control answer (see above)
WAIT_HEADERS = ("Retry-After", "x-ogw-ratelimit-reset")


def asked_wait(
    headers: Mapping[str, str] | email.message.Message | None, now: dt.datetime | None = None
) -> float | None:
    """The seconds a rate-limited answer asks to wait (see :data:`WAIT_HEADERS`; its
    headers, or a mapping); None when it names no wait or one that cannot be read."""
    for name in WAIT_HEADERS:
        value = str((headers.get(name) if headers is not None else None) or "").strip()
        if not value:
            continue
        if value.isdigit():
            return float(value)
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            continue
        when = when if when.tzinfo else when.replace(tzinfo=dt.UTC)
        return max(0.0, (when - (now or dt.datetime.now(dt.UTC))).total_seconds())
    return None


# -- signatures ------------------------------------------------------------------------
def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk 加签, base64 (URL-encode it in the query): HmacSHA256 keyed by the secret
    over ``timestamp + "\\n" + secret``."""
    mac = hmac.new(
        secret.encode("utf-8"), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256
    ).digest()
    return base64.b64encode(mac).decode("ascii")


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """Feishu 签名校验: HmacSHA256 keyed by ``timestamp + "\\n" + secret`` over an empty
    message, base64."""
    mac = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(mac).decode("ascii")


# -- text ------------------------------------------------------------------------------
def fit(text: str, limit: int, lang: str) -> str:
    """``text`` in at most ``limit`` UTF-8 bytes: whole lines kept while they fit, then a
    note that the rest was cut (never half a character)."""
    if len(text.encode("utf-8")) <= limit:
        return text
    note = "\n" + t("robots.truncated", lang)
    room = limit - len(note.encode("utf-8"))
    kept: list[str] = []
    used = 0
    for line in text.split("\n"):
        size = len(line.encode("utf-8")) + 1
        if used + size > room:
            if not kept:  # one long line: cut it at a character boundary
                kept.append(line.encode("utf-8")[: max(room - 1, 0)].decode("utf-8", "ignore"))
            break
        kept.append(line)
        used += size
    return "\n".join(kept) + note


#: what customer data must not bring into a robot's message, each as its full-width
#: twin (read the same in a Chinese group): ``[`` and ``]`` make a link or an image
#: (``[官方补偿](http://…)``, ``![](http://…)``: a tracking pixel), ``<`` and ``>`` a
#: mention of the whole group or of anyone (飞书 text ``<at user_id="all"></at>``,
#: card ``<at id=all></at>``; 企业微信 markdown ``<@userid>``), a colour (``<font>``) or a
#: quote, the backquote and ``*`` code and emphasis (a masked phone ``138****1234`` is
#: shown as it is). A line break would start a heading, a list or a quote: it becomes a
#: space. ``@`` stays (钉钉 mentions only whom the JSON's ``at`` names, which kequn never
#: sends; 企业微信 needs ``<@``). Sources: 企业微信 群机器人
#: https://developer.work.weixin.qq.com/document/path/91770, 飞书 自定义机器人使用指南
#: https://open.feishu.cn/document/ukTMukTMukTM/ucTM5YjL3ETO24yNxkjN
_INERT = str.maketrans(
    {"[": "［", "]": "］", "<": "＜", ">": "＞", "`": "｀", "*": "＊"}
    | {chr(c): " " for c in [*range(32), *range(127, 160), 0x2028, 0x2029]}
)


def inert(value: Any) -> Any:
    """``value`` as a robot's message may show it, with no markup of its own (see
    :data:`_INERT`): what every ``{{ … }}`` of a journey's template for a robot gives
    (the template's own text keeps its markdown), and each customer id of a digest."""
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value).translate(_INERT)


def plain(markdown: str) -> str:
    """Markdown as plain text: ``[label](url)`` → ``label: url``, no ``**`` or ``#``."""
    out = _LINK.sub(lambda m: f"{m.group(1)}: {m.group(2)}", markdown)
    out = re.sub(r"^#+\s*", "", out, flags=re.MULTILINE)
    return out.replace("**", "").replace("`", "")


def _post_line(line: str) -> list[dict[str, str]]:
    """One line of a Feishu ``post``: text and ``a`` (link) elements."""
    parts: list[dict[str, str]] = []
    pos = 0
    for m in _LINK.finditer(line):
        if m.start() > pos:
            parts.append({"tag": "text", "text": plain(line[pos : m.start()])})
        parts.append({"tag": "a", "text": m.group(1), "href": m.group(2)})
        pos = m.end()
    if pos < len(line) or not parts:
        parts.append({"tag": "text", "text": plain(line[pos:])})
    return parts


def payload(channel: Robot, subject: str, body: str, lang: str) -> dict[str, Any]:
    """The JSON the platform expects for a message (``body`` is markdown), cut to size."""
    if isinstance(channel, WecomChannel):
        return _wecom(channel, subject, body, lang)
    if isinstance(channel, DingtalkChannel):
        return _dingtalk(channel, subject, body, lang)
    return _feishu(channel, subject, body, lang)


def _plain_text(subject: str, body: str, limit: int, lang: str) -> str:
    return fit(plain(f"{subject}\n{body}" if subject else body), limit, lang)


def _wecom(channel: WecomChannel, subject: str, body: str, lang: str) -> dict[str, Any]:
    limit = LIMITS[("wecom", channel.msgtype)]
    if channel.msgtype == "text":
        return {"msgtype": "text", "text": {"content": _plain_text(subject, body, limit, lang)}}
    content = fit(f"**{subject}**\n{body}" if subject else body, limit, lang)
    return {"msgtype": "markdown", "markdown": {"content": content}}


def _dingtalk(channel: DingtalkChannel, subject: str, body: str, lang: str) -> dict[str, Any]:
    limit = LIMITS[("dingtalk", channel.msgtype)]
    if channel.msgtype == "text":
        return {"msgtype": "text", "text": {"content": _plain_text(subject, body, limit, lang)}}
    text = fit(f"#### {subject}\n\n{body}" if subject else body, limit, lang)
    return {"msgtype": "markdown", "markdown": {"title": subject or "kequn", "text": text}}


def _feishu(channel: FeishuChannel, subject: str, body: str, lang: str) -> dict[str, Any]:
    """Feishu limits the whole request body (20 KB), and a post's or card's JSON around the
    text varies, so the text is cut until the body fits (room left for the signature)."""
    limit = LIMITS[("feishu", channel.msg_type)]
    while True:
        found = _feishu_shape(channel.msg_type, subject, body, limit, lang)
        size = len(json.dumps(found, ensure_ascii=False).encode("utf-8"))
        if size <= FEISHU_BODY or limit <= FEISHU_BODY // 8:
            return found
        limit -= size - FEISHU_BODY + 256


def _feishu_shape(kind: str, subject: str, body: str, limit: int, lang: str) -> dict[str, Any]:
    if kind == "text":
        return {"msg_type": "text", "content": {"text": _plain_text(subject, body, limit, lang)}}
    body = fit(body, limit, lang)
    if kind == "post":
        lines = [_post_line(line) for line in body.split("\n") if line.strip()]
        post = {("zh_cn" if lang == "zh" else "en_us"): {"title": subject, "content": lines}}
        return {"msg_type": "post", "content": {"post": post}}
    card = {
        "header": {"title": {"tag": "plain_text", "content": subject}},
        "elements": [{"tag": "markdown", "content": body}],
    }
    return {"msg_type": "interactive", "card": card}


# -- sending ---------------------------------------------------------------------------
def redact(text: str, *secrets: str | None) -> str:
    """``text`` without any of ``secrets`` (also URL-encoded), nor any ``key=``,
    ``access_token=`` or ``sign=`` value or ``/hook/`` id."""
    for secret in secrets:
        if secret:
            for form in {secret, urllib.parse.quote_plus(secret), urllib.parse.quote(secret)}:
                text = text.replace(form, "***")
    text = re.sub(r"((?:key|access_token|sign|timestamp)=)[^&\s\"']+", r"\1***", text)
    return re.sub(r"(/hook/)[^/?\s\"']+", r"\1***", text)


def address(
    channel: Robot, token: str, secret: str | None, now: float
) -> tuple[str, dict[str, Any]]:
    """The URL to post to, and the fields to add to the JSON body (Feishu's signature)."""
    base = (channel.url or OFFICIAL[channel.type]).rstrip("/")
    if isinstance(channel, WecomChannel):
        return f"{base}?{urllib.parse.urlencode({'key': token})}", {}
    if isinstance(channel, DingtalkChannel):
        query = {"access_token": token}
        if secret:
            stamp = int(now * 1000)
            query |= {"timestamp": str(stamp), "sign": dingtalk_sign(secret, stamp)}
        return f"{base}?{urllib.parse.urlencode(query)}", {}
    extra: dict[str, Any] = {}
    if secret:
        stamp = int(now)
        extra = {"timestamp": str(stamp), "sign": feishu_sign(secret, stamp)}
    return f"{base}/{urllib.parse.quote(token, safe='')}", extra


def _reply_code(reply: Any) -> tuple[int, str]:
    """(code, message) of a robot's JSON reply; Feishu's older replies say StatusCode."""
    if not isinstance(reply, dict):
        return 0, ""
    pairs = (("errcode", "errmsg"), ("code", "msg"), ("StatusCode", "StatusMessage"))
    for code_key, msg_key in pairs:
        if code_key in reply:
            try:
                return int(reply[code_key]), str(reply.get(msg_key) or "")
            except (TypeError, ValueError):
                return -1, str(reply.get(msg_key) or reply[code_key])
    return 0, ""


def send_robot(
    channel: Robot,
    subject: str,
    body: str,
    lang: str,
    idempotency_key: str,
    ws: Workspace | None = None,
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Post one message to the robot; return when it says ``0``, else raise (see above).
    A rate-limited answer is waited out (``sleep``: the wait it asks for, bounded by the
    channel's ``rate_limit_max_wait_seconds``) and the message sent again, up to the
    channel's ``rate_limit_retries`` times; then :class:`RateLimitedError`."""
    token = channel.token.value(ws) or ""
    secret = channel.secret.value(ws)
    data = payload(channel, subject, body, lang)
    for retry in range(channel.rate_limit_retries + 1):
        try:
            _post_once(channel, token, secret, data, idempotency_key)
            return
        except RateLimitedError as exc:
            if retry >= channel.rate_limit_retries:
                raise
            most = channel.rate_limit_max_wait_seconds
            sleep(most if exc.wait is None else min(exc.wait, most))


def _post_once(
    channel: Robot, token: str, secret: str | None, message: dict[str, Any], key: str
) -> None:
    """One request (signed now: a retry after a wait gets a fresh timestamp)."""
    url, extra = address(channel, token, secret, time.time())
    data = json.dumps({**extra, **message}, ensure_ascii=False)
    request = urllib.request.Request(  # noqa: S310 (the url is checked to be http(s))
        url,
        data=data.encode("utf-8"),
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "kequn",
            IDEMPOTENCY_HEADER: key,
        },
        method="POST",
    )
    status, headers = 200, None
    try:
        with post(request, channel.timeout_seconds) as response:
            raw, headers = response.read(65536), response.headers
    except urllib.error.HTTPError as exc:
        status, headers = exc.code, exc.headers
        raw = exc.read(65536) if exc.fp else b""
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
        # HTTPException: a URL with a space or control character, a garbled status line
        reason = getattr(exc, "reason", exc)
        text = f"{channel.type}: {type(exc).__name__}: {reason}"
        raise ChannelError(redact(text, token, secret)) from None
    try:
        reply = json.loads(raw.decode("utf-8")) if raw.strip() else None
    except (UnicodeDecodeError, json.JSONDecodeError):
        reply = None
    code, message_text = _reply_code(reply)
    what = f"{channel.type}: "
    if 300 <= status < 400:
        raise ChannelError(redact(f"{REDIRECTED}{what}HTTP {status}", token, secret))
    if status == 429 or code in RATE_LIMITED[channel.type]:
        text = f"{what}rate limited ({code or status}) {message_text}".strip()
        raise RateLimitedError(redact(text, token, secret), asked_wait(headers))
    if status >= 500:
        raise ChannelError(redact(f"{what}HTTP {status} {message_text}".strip(), token, secret))
    if code != 0:
        raise PermanentSendError(redact(f"{what}errcode {code}: {message_text}", token, secret))
    if status >= 400:
        raise PermanentSendError(redact(f"{what}HTTP {status}", token, secret))
