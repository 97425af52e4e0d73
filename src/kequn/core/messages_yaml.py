"""What is wrong with a YAML file a person edited (taxonomy.yaml, journeys.yaml, a
mapping file), as (中文, English) templates by key: where (file, line, column) and the
common problems PyYAML and libyaml report, in words (:func:`kequn.core.yamlfile.yaml_problem`).
Merged into :data:`kequn.core.messages.MESSAGES`."""

from __future__ import annotations

YAML: dict[str, tuple[str, str]] = {
    "yaml.at": (
        "{file} 不是有效的 YAML（第 {line} 行第 {column} 列）：{problem}",
        "{file} is not valid YAML (line {line}, column {column}): {problem}",
    ),
    "yaml.nowhere": (
        "{file} 不是有效的 YAML：{problem}",
        "{file} is not valid YAML: {problem}",
    ),
    "yaml.here": ("第 {column} 列：{problem}", "column {column}: {problem}"),
    # the problems, by what PyYAML (or libyaml) says
    "yaml.mapping_values": (
        "这里不能再出现“键: 值”：一个值里不能再有“: ”（如 a: b: c），含冒号的值请用引号括起来",
        "a 'key: value' is not allowed here: a value cannot hold ': ' itself (as in a: b: c); put such a value in quotes",
    ),
    "yaml.expected_colon": (
        "缺少冒号：这一行或上一行的键后面应有“: ”（写作 键: 值）",
        "a ':' is missing: the key on this line or the line above needs one (write key: value)",
    ),
    "yaml.tab": (
        "这里有制表符（Tab）：YAML 只能用空格缩进，请把 Tab 换成空格",
        "there is a tab here: YAML indents with spaces only; replace the tab with spaces",
    ),
    "yaml.bad_start": (
        "字符 {char} 不能作为值的开头：请把这个值用引号括起来",
        "the character {char} cannot start a value: put the value in quotes",
    ),
    "yaml.indentation": (
        "缩进不一致：这一行的缩进与同一层的其他行不同（同一层的键须从同一列开始）",
        "the indentation does not line up: this line is indented unlike the others of its level (keys of one level start in the same column)",
    ),
    "yaml.expected_dash": (
        "列表中的这一行应以“- ”开头，或者它的缩进有误",
        "this line of a list should start with '- ', or its indentation is wrong",
    ),
    "yaml.undefined_alias": (
        "引用 *{name} 没有对应的锚点：须在它之前用 &{name} 定义",
        "the alias *{name} refers to no anchor: define &{name} before it",
    ),
    "yaml.unclosed_quote": (
        "从这里开始的引号一直到文件末尾都没有闭合",
        "the quote opened here is never closed before the end of the file",
    ),
    "yaml.unclosed_flow": (
        "{open} … {close} 没有正确结束：缺少“,”或“{close}”",
        "a {open} … {close} is not closed properly: a ',' or '{close}' is missing",
    ),
    "yaml.bad_escape": (
        "双引号中的反斜杠 \\ 开始了无法识别的转义：写成 \\\\，或改用单引号",
        "a backslash in double quotes starts an escape that does not exist: write \\\\, or use single quotes",
    ),
    "yaml.tag": (
        "不支持的标签 {tag}：kequn 只读取普通的 YAML 数据",
        "the tag {tag} is not supported: kequn reads plain YAML data only",
    ),
    "yaml.two_documents": (
        "文件中有第二个文档（又一个“---”）：只能有一个",
        "the file holds a second document (another '---'): it must hold one",
    ),
    "yaml.anchor_name": (
        "& 或 * 后面应是名称（字母或数字）",
        "an & or * must be followed by a name (letters or digits)",
    ),
    "yaml.duplicate_key": (
        "键 {key} 在同一层写了两次：YAML 只会保留后一个，前一个会被悄悄丢掉；请删去或合并其中一个",
        "the key {key} is given twice at the same level: YAML would silently keep only the last; remove or merge one",
    ),
    "yaml.duplicate_anchor": (
        "锚点 &{name} 定义了两次",
        "the anchor &{name} is defined twice",
    ),
    "yaml.control_character": (
        "这里有 YAML 不允许的控制字符 {char}（可能是从别处复制进来的）：请删除它",
        "there is a control character {char} here, which YAML does not allow (perhaps pasted in): delete it",
    ),
    "yaml.too_deep": ("嵌套层数太多", "nested too deeply"),
    "yaml.too_big": (
        "其中的别名（*名称）展开后超过 {count} 个字符",
        "its aliases (*name) expand to more than {count} characters",
    ),
    "yaml.other": (
        "YAML 解析器报告：{detail}",
        "the YAML parser says: {detail}",
    ),
    # kequn.toml that does not parse: where, then tomllib's own English
    "toml.at": (
        "第 {line} 行第 {column} 列：TOML 解析器报告：{detail}",
        "line {line}, column {column}: the TOML parser says: {detail}",
    ),
    "toml.other": ("TOML 解析器报告：{detail}", "the TOML parser says: {detail}"),
    "toml.not_text": (
        "第 {line} 行既不是 UTF-8 也不是 GBK 编码的文本",
        "line {line} is neither UTF-8 nor GBK text",
    ),
}
