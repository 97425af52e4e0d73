"""The channels of ``journeys.yaml`` as data: e-mail, signed webhook, file drop and the
chat-group robots (企业微信, 钉钉, 飞书), and where their secrets come from (see
:mod:`kequn.automation.journeys` for the file, :mod:`.channels` and :mod:`.robots` for
sending). No secret value is ever a field: only the variable or file that holds it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kequn.automation import text as _text  # noqa: F401  (registers the messages)
from kequn.core.i18n import t
from kequn.store.workspace import Workspace


class JourneysError(ValueError):
    """``journeys.yaml`` is not valid; the message says where."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Secret(_Strict):
    """Where a secret comes from: an environment variable or a file only its owner can read.
    The value itself is never stored in the model, printed or logged."""

    env: str | None = None
    file: str | None = None

    def value(self, ws: Workspace | None = None) -> str | None:
        if self.env:
            found = os.environ.get(self.env)
            if found is None:
                raise JourneysError(t("automation.secret_env_missing", name=self.env))
            return found
        if self.file:
            path = Path(self.file).expanduser()
            if ws is not None and not path.is_absolute():
                path = ws.root / path
            mode = path.stat().st_mode
            if mode & (stat.S_IRWXG | stat.S_IRWXO):
                raise JourneysError(t("automation.secret_file_open", path=path))
            return path.read_text(encoding="utf-8").strip()
        return None


#: whose answer a message that needs consent asks, per channel (:mod:`.consent`):
#: ``marketing`` (``marketing_consent``) or ``sms`` (``sms_consent``, else
#: ``marketing_consent`` where the data has no SMS answer). E-mail asks ``marketing``.
ConsentKind = Literal["marketing", "sms"]


class EmailChannel(_Strict):
    type: Literal["email"]
    #: always the general (e-mail) marketing consent; written only to say so
    consent: Literal["marketing"] = "marketing"
    host: str
    port: int = Field(default=587, ge=1, le=65535)
    security: Literal["starttls", "ssl", "none"] = "starttls"
    username: str | None = None
    password_env: str | None = None
    password_file: str | None = None
    sender: str
    reply_to: str | None = None
    unsubscribe_url: str | None = Field(
        default=None, description="with {token}; e.g. kequn serve's /unsubscribe/{token}"
    )
    timeout_seconds: float = Field(default=20.0, gt=0)

    @model_validator(mode="before")
    @classmethod
    def _marketing_consent(cls, data: object) -> object:
        if isinstance(data, dict) and data.get("consent", "marketing") != "marketing":
            raise ValueError(t("journeys.check.email_consent", consent=data.get("consent")))
        return data

    @property
    def password(self) -> Secret:
        return Secret(env=self.password_env, file=self.password_file)


class WebhookChannel(_Strict):
    type: Literal["webhook"]
    url: str = Field(pattern=r"^https?://")
    secret_env: str | None = None
    secret_file: str | None = None
    timeout_seconds: float = Field(default=10.0, gt=0)
    consent: ConsentKind = Field(
        default="marketing", description="sms: an SMS gateway, asking the SMS answer"
    )

    @property
    def secret(self) -> Secret:
        return Secret(env=self.secret_env, file=self.secret_file)


class FileChannel(_Strict):
    type: Literal["file"]
    folder: str = "drops"
    consent: ConsentKind = Field(
        default="marketing", description="sms: a file for an SMS platform, asking the SMS answer"
    )
    hash: Literal["none", "md5", "sha256"] = "none"
    phone_format: Literal["e164", "digits", "national"] = Field(
        default="e164",
        description="e164 (+8613812345678, Google), digits (8613812345678, Meta), "
        "national (13812345678, Chinese ad platforms)",
    )
    columns: list[Literal["customer_id", "phone", "email", "name", "lang"]] = [
        "customer_id",
        "phone",
        "email",
    ]


class _Robot(_Strict):
    """A chat group's robot (see :mod:`kequn.automation.robots`): the token is the secret
    part of its webhook address, so it comes from the environment or an owner-only file."""

    url: str | None = Field(default=None, pattern=r"^https?://", description="default: official")
    token_env: str | None = None
    token_file: str | None = None
    secret_env: str | None = None
    secret_file: str | None = None
    timeout_seconds: float = Field(default=10.0, gt=0)
    rate_limit_retries: int = Field(
        default=3,
        ge=0,
        le=10,
        description="rate-limited answers waited out and sent again at once, per message, "
        "before the message waits for the outbox's backoff (then counted as a failed attempt)",
    )
    rate_limit_max_wait_seconds: float = Field(
        default=30.0,
        ge=0,
        le=600,
        description="the longest wait for one rate-limited answer (its Retry-After, or this "
        "when it names none); 0: send again at once",
    )

    @model_validator(mode="after")
    def _has_token(self) -> _Robot:
        if not (self.token_env or self.token_file):
            raise ValueError(t("journeys.check.robot_token"))
        return self

    @property
    def token(self) -> Secret:
        return Secret(env=self.token_env, file=self.token_file)

    @property
    def secret(self) -> Secret:
        return Secret(env=self.secret_env, file=self.secret_file)


class WecomChannel(_Robot):
    """企业微信群机器人: ``token`` is the webhook's ``key``; WeCom robots are not signed."""

    type: Literal["wecom"]
    msgtype: Literal["markdown", "text"] = "markdown"

    @model_validator(mode="after")
    def _unsigned(self) -> WecomChannel:
        if self.secret_env or self.secret_file:
            raise ValueError(t("journeys.check.wecom_secret"))
        return self


class DingtalkChannel(_Robot):
    """钉钉自定义机器人: ``token`` is the ``access_token``, ``secret`` the 加签 key."""

    type: Literal["dingtalk"]
    msgtype: Literal["markdown", "text"] = "markdown"


class FeishuChannel(_Robot):
    """飞书自定义机器人: ``token`` is the id after ``/bot/v2/hook/``; ``secret``: 签名校验."""

    type: Literal["feishu"]
    msg_type: Literal["text", "post", "interactive"] = "post"


ROBOT_TYPES = ("wecom", "dingtalk", "feishu")

Channel = Annotated[
    EmailChannel | WebhookChannel | FileChannel | WecomChannel | DingtalkChannel | FeishuChannel,
    Field(discriminator="type"),
]
