"""Files people edit, read: YAML with libyaml's safe loader when PyYAML was built with it
(the same safe loading as ``yaml.safe_load``, about ten times faster: the ingest's header
synonyms and format profiles 0.07 s instead of 0.007 s of every import; the default
taxonomy 0.23 s instead of 0.02 s), and ``kequn.toml``, each in the encodings a Chinese
Windows editor saves (:func:`user_text`)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import yaml

#: libyaml's safe loader, else PyYAML's own
_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MERGE = "tag:yaml.org,2002:merge"


class SafeLoader(_BaseLoader):
    """The safe loader, refusing a key given twice in one mapping: PyYAML keeps the last
    without a word, so a label's second ``when:`` (or a channel's second ``url:``)
    silently replaced the first. Keys brought in by a merge (``<<: *base``) may be
    overridden, as YAML means them to be."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if key_node.tag == _MERGE:
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                again = key in seen
            except TypeError:  # a key that is a list or a mapping: no set takes it
                continue
            if again:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    f"found duplicate key {key!r}",
                    key_node.start_mark,
                )
            seen.add(key)
        mapping: dict[Any, Any] = super().construct_mapping(node, deep)
        return mapping


#: characters a file may stand for once its aliases are expanded, beyond twice its own
#: length (which no file without aliases exceeds)
MAX_EXPANDED = 4_000_000


def safe_load(text: str) -> Any:
    """``yaml.safe_load`` of ``text``, through :data:`SafeLoader`, refusing a document
    whose aliases expand past :data:`MAX_EXPANDED` characters (or into themselves): a
    few lines of ``&a [*b, *b, …]`` nested nine deep stand for 387 million values, and a
    mapping file's or taxonomy's checks walking them held an import for good. Aliases
    themselves are fine (``<<: *base`` merges)."""
    loader = SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if "&" not in text:  # no anchor, no alias (the default taxonomy: 6 ms less)
            return loader.construct_document(node)
        limit = MAX_EXPANDED + 2 * len(text)
        if expanded_size(node, limit) > limit:
            raise yaml.YAMLError(f"its aliases (*name) expand to more than {limit:,} characters")
        return loader.construct_document(node)
    finally:
        loader.dispose()


def expanded_size(root: yaml.Node, limit: int) -> int:
    """How many characters ``root`` stands for with every alias expanded, counted up to
    just past ``limit`` (an alias of a node inside itself counts as past it). The node
    graph shares an aliased node, so each is counted once, in linear time and without
    recursion (a file nested a thousand deep is fine)."""
    sizes: dict[int, int] = {}
    open_: set[int] = set()  # nodes whose children are being counted: an alias to one loops
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, counted = stack.pop()
        children = _children(node)
        if counted:
            own = len(str(node.value)) + 1 if isinstance(node, yaml.ScalarNode) else 1
            sizes[id(node)] = min(limit + 1, own + sum(sizes[id(c)] for c in children))
            open_.discard(id(node))
            continue
        if id(node) in sizes:
            continue
        if id(node) in open_:
            return limit + 1
        open_.add(id(node))
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in sizes)
    return sizes[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def user_text(raw: bytes) -> str:
    """A YAML file a person edited, as text: UTF-8 (with or without a byte-order mark),
    else GB18030, which a Chinese Windows editor saves as "ANSI" (Notepad's default
    before 2019): its Chinese words were refused as not UTF-8. Bytes that are neither
    raise the UTF-8 error, whose position the caller can tell."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            return raw.decode("gb18030")
        except UnicodeDecodeError:
            raise exc from None


def load_toml(path: Path) -> dict[str, Any]:
    """The TOML file ``path`` (``kequn.toml``) read as :func:`user_text`: Notepad's "ANSI"
    (GB18030) as well as UTF-8, where ``home_city = "杭州"`` was refused as not UTF-8.
    Raises ``OSError``, ``UnicodeDecodeError`` or ``tomllib.TOMLDecodeError`` (both
    ``ValueError``)."""
    return tomllib.loads(user_text(path.read_bytes()))


#: where tomllib says its problem is (Python 3.11-3.13 put it at the end of the message:
#: "Expected ']' at the end of a table declaration (at line 1, column 5)", or "(at end
#: of document)")
_TOML_AT = re.compile(
    r"^(?P<detail>.*?)\s*\((?:at line (?P<line>\d+), column (?P<column>\d+)|at end of document)\)$"
)
#: a key as tomllib names it: the tuple of its parts, "('run', 'taxonomy')"
_TOML_KEY = re.compile(r"^\((?:'[^']*'(?:, )?)+,?\)$")


#: tomllib's problems (CPython Lib/tomllib/_parser.py, every ``suffixed_err`` message of
#: 3.11-3.13), each told in kequn's words; one not listed keeps tomllib's English
_TOML_PROBLEMS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (key, re.compile(pattern))
    for key, pattern in (
        ("toml.overwrite", r"^Cannot overwrite a value$"),
        ("toml.declared_twice", r"^Cannot declare (?P<key>.+) twice$"),
        ("toml.namespace", r"^Cannot (?:mutate immutable|redefine) namespace (?P<key>.+)$"),
        ("toml.duplicate_inline_key", r"^Duplicate inline table key (?P<key>.+)$"),
        ("toml.unterminated_string", r"^Unterminated string$"),
        ("toml.unclosed_inline_table", r"^Unclosed inline table$"),
        ("toml.unclosed_array", r"^Unclosed array$"),
        ("toml.invalid_value", r"^Invalid value$"),
        ("toml.invalid_statement", r"^Invalid statement$"),
        ("toml.bad_key", r"^Invalid initial character for a key part$"),
        ("toml.bad_hex", r"^Invalid hex value$"),
        ("toml.bad_date", r"^Invalid date or datetime$"),
        ("toml.unclosed_array_table", r"^Expected '\]\]' at the end of an array declaration$"),
        ("toml.unclosed_table", r"^Expected '\]' at the end of a table declaration$"),
        ("toml.expected_equals", r"^Expected '=' after a key in a key/value pair$"),
        ("toml.bad_escape", r"^Escaped character is not a Unicode scalar value$"),
        ("toml.backslash", r"^Unescaped '\\' in a string$"),
        # a quote not closed on its line: the line's end is the character refused
        ("toml.unterminated_string", r"^Illegal character '\\n'$"),
        ("toml.bad_character", r"^(?:Illegal|Found invalid) character (?P<char>.+)$"),
        ("toml.trailing", r"^Expected newline or end of document after a statement$"),
        ("toml.expected", r"^Expected (?P<what>.+)$"),  # a multi-line string's end
    )
)


def toml_problem(exc: ValueError, lang: str | None = None) -> str:
    """What is wrong with a TOML file :func:`load_toml` could not read, in ``lang``: the
    line and column (where "(at line 1, column 5)" was all a reader of 中文 got to place
    it) and the problem in kequn's words (tomllib's English for one not known), or the
    line that is no text."""
    from kequn.core.i18n import t

    if isinstance(exc, UnicodeDecodeError):
        line = bytes(exc.object[: exc.start]).count(b"\n") + 1
        return t("toml.not_text", lang, line=line)
    found = _TOML_AT.match(str(exc))
    detail = found["detail"] if found else str(exc)
    told = next(
        (
            t(key, lang, **{k: _toml_name(k, v) for k, v in m.groupdict().items()})
            for key, p in _TOML_PROBLEMS
            if (m := p.match(detail))
        ),
        None,
    )
    if found is None:
        return told or t("toml.other", lang, detail=detail)
    if found["line"] is None:  # at the end of the file
        return t("toml.at_end", lang, problem=told or t("toml.other", lang, detail=detail))
    if told:
        return t("toml.here", lang, line=found["line"], column=found["column"], problem=told)
    return t("toml.at", lang, line=found["line"], column=found["column"], detail=detail)


def _toml_name(part: str, value: str) -> str:
    """A key or text as a person writes it: ``run.taxonomy`` for tomllib's ``('run',
    'taxonomy')``, ``b`` for ``'b'``; a character keeps its quotes (it may be unseen)."""
    if _TOML_KEY.match(value):
        return ".".join(re.findall(r"'([^']*)'", value))
    quoted = re.fullmatch(r"'(.+)'|\"(.+)\"", value)
    if part != "char" and quoted:
        return quoted.group(1) or quoted.group(2)
    return value


# -- what is wrong with a YAML file, in words ---------------------------------------------
# PyYAML's problems are its scanner's, parser's, composer's and constructor's own English
# (pyyaml lib/yaml/scanner.py, parser.py, composer.py, constructor.py: MarkedYAMLError
# with context, context_mark, problem, problem_mark; marks count lines and columns from
# 0), and libyaml's, which CSafeLoader reports, are worded differently (libyaml
# src/scanner.c, parser.c: "mapping values are not allowed in this context", "did not
# find expected key"): each pattern takes both. A problem not matched here is told in
# PyYAML's words after kequn's.
_PROBLEMS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (key, re.compile(pattern))
    for key, pattern in (
        ("yaml.mapping_values", r"mapping values are not allowed"),
        ("yaml.expected_colon", r"could not find expected ':'"),
        ("yaml.tab", r"found character '\\t' that cannot start|found a tab character"),
        ("yaml.bad_start", r"found character (?P<char>'.+' )?that cannot start any token"),
        ("yaml.indentation", r"expected <block end>, but found|did not find expected key"),
        ("yaml.expected_dash", r"did not find expected '-' indicator"),
        ("yaml.undefined_alias", r"found undefined alias(?: '(?P<name>[^']*)')?"),
        ("yaml.unclosed_flow", r"expected ',' or '(?P<close>[\]}])'"),
        ("yaml.bad_escape", r"found unknown escape character"),
        ("yaml.tag", r"could not determine a constructor for the tag '(?P<tag>[^']*)'"),
        ("yaml.two_documents", r"expected a single document in the stream"),
        ("yaml.anchor_name", r"expected alphabetic or numeric character"),
        ("yaml.duplicate_anchor", r"found duplicate anchor(?: '(?P<name>[^']*)')?"),
        ("yaml.duplicate_key", r"found duplicate key (?P<key>.+)"),
        # libyaml (0.2.5+) stops deep flow nesting itself: "exceeded maximum nesting depth"
        ("yaml.too_deep", r"nested too deeply|exceeded maximum nesting depth"),
        ("yaml.too_big", r"expand to more than (?P<count>[\d,]+) characters"),
    )
)
_UNCLOSED_QUOTE = re.compile(r"while scanning a (?:double-|single-)?quoted scalar")
_NAME_AT = re.compile(r"[*&]?([\w-]*)")


def yaml_problem(
    exc: BaseException, text: str | None = None, lang: str | None = None
) -> tuple[int | None, int | None, str]:
    """Where a YAML error is (line and column from 1, from its ``problem_mark``; where
    the quote opened for one never closed) and what is wrong, in the language: the
    common problems in kequn's words, any other as "the YAML parser says: …".
    ``text``, the file's, names what libyaml's messages leave out (the character, the
    alias)."""
    from kequn.core.i18n import t

    if isinstance(exc, yaml.reader.ReaderError):  # a control character, with no mark
        char = f"#x{exc.character:04x}" if isinstance(exc.character, int) else "?"
        before = (text or "")[: exc.position]
        line = before.count("\n") + 1 if text else None
        column = len(before) - (before.rfind("\n") + 1) + 1 if text else None
        return line, column, t("yaml.control_character", lang, char=char)
    context = str(getattr(exc, "context", None) or "")
    problem = str(getattr(exc, "problem", None) or "") or (str(exc) if not context else "")
    mark = getattr(exc, "problem_mark", None)
    if _UNCLOSED_QUOTE.search(context) and "end of stream" in problem:
        mark = getattr(exc, "context_mark", None) or mark
        key, found = "yaml.unclosed_quote", None
    else:
        said = f"{context} {problem}"
        key, found = next(
            ((k, m) for k, pattern in _PROBLEMS if (m := pattern.search(said))), ("", None)
        )
    line = mark.line + 1 if mark is not None else None
    column = mark.column + 1 if mark is not None else None
    here = _at(text, line, column)
    params: dict[str, str] = {k: v for k, v in (found.groupdict() if found else {}).items() if v}
    if key == "yaml.bad_start":
        char = params.get("char", "").strip() or repr(here[:1])
        if char in ("'\\t'", repr("\t")):
            key = "yaml.tab"
        params["char"] = char
    if key in ("yaml.undefined_alias", "yaml.duplicate_anchor") and "name" not in params:
        named = _NAME_AT.match(here)
        params["name"] = named.group(1) if named else ""
    if key == "yaml.unclosed_flow":
        params["open"] = "[" if params.get("close") == "]" else "{"
    if not key:
        detail = "; ".join(part for part in (context, problem) if part) or type(exc).__name__
        return line, column, t("yaml.other", lang, detail=detail)
    return line, column, t(key, lang, **params)


def yaml_error(
    exc: BaseException, file: str, text: str | None = None, lang: str | None = None
) -> str:
    """A YAML file's error as a person reads it: the file, line and column, and what is
    wrong (:func:`yaml_problem`)."""
    from kequn.core.i18n import t

    line, column, problem = yaml_problem(exc, text, lang)
    if line is None:
        return t("yaml.nowhere", lang, file=file, problem=problem)
    return t("yaml.at", lang, file=file, line=line, column=column, problem=problem)


def _at(text: str | None, line: int | None, column: int | None) -> str:
    """The rest of ``text``'s line ``line`` from ``column`` (both from 1), "" if none."""
    if not text or line is None or column is None:
        return ""
    lines = text.splitlines()
    return lines[line - 1][column - 1 :] if 0 < line <= len(lines) else ""
