"""The sandbox every journey template runs in.

A template is its writer's text, shown to customers: it reads the context it is given
and nothing else. Jinja's ``{% include %}``, ``{% import %}``, ``{% from … import %}``
and ``{% extends %}`` load another template through the environment's loader; ours has
none, so they failed only at send time ("no loader for this environment specified", each
customer of the journey treated with a template error) after ``kequn journeys check``
had passed them, and a loader added later would have let a template read files. They are
refused when the text is parsed, which both the check and the rendering do.
"""

from __future__ import annotations

from collections.abc import Iterator

from jinja2 import StrictUndefined, TemplateSyntaxError
from jinja2.ext import Extension
from jinja2.lexer import TOKEN_BLOCK_BEGIN, TOKEN_NAME, Token, TokenStream
from jinja2.sandbox import SandboxedEnvironment

from kequn.automation import text as _text  # noqa: F401  (registers the messages)
from kequn.core.i18n import t

#: the statements that reach other templates (Jinja's template designer documentation,
#: "Include", "Import" and "Template Inheritance")
REFUSED_TAGS = frozenset({"include", "import", "from", "extends"})


class NoOtherTemplates(Extension):
    """Refuses the statements of :data:`REFUSED_TAGS` while lexing (extensions cannot
    replace the parser's built-in statements, but they see every token first)."""

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        after_block_begin = False
        for token in stream:
            if after_block_begin and token.type == TOKEN_NAME and token.value in REFUSED_TAGS:
                raise TemplateSyntaxError(
                    t("journeys.template_tag", tag="{% " + token.value + " %}"),
                    token.lineno,
                    stream.name,
                    stream.filename,
                )
            after_block_begin = token.type == TOKEN_BLOCK_BEGIN
            yield token


#: undefined names are errors, not empty text
_ENV = SandboxedEnvironment(
    undefined=StrictUndefined, autoescape=False, extensions=[NoOtherTemplates]
)


def template_env() -> SandboxedEnvironment:
    return _ENV
