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
    "toml.here": (
        "第 {line} 行第 {column} 列：{problem}",
        "line {line}, column {column}: {problem}",
    ),
    # tomllib's problems (kequn.core.yamlfile._TOML_PROBLEMS)
    "toml.overwrite": (
        "这个键已经有值，不能再次赋值（同一个键写了两次）",
        "this key already has a value (the same key is set twice)",
    ),
    "toml.declared_twice": ("表 {key} 声明了两次", "the table {key} is declared twice"),
    "toml.namespace": (
        "{key} 已经有值，不能再当作表来添加内容",
        "{key} already has a value and cannot be extended as a table",
    ),
    "toml.duplicate_inline_key": (
        "内联表 {{…}} 中的键 {key} 出现了两次",
        "the key {key} appears twice in an inline table {{…}}",
    ),
    "toml.unterminated_string": ("字符串缺少结尾的引号", "a string has no closing quote"),
    "toml.unclosed_inline_table": (
        "内联表缺少结尾的 }}（内联表须写在一行内）",
        "an inline table has no closing }} (an inline table must fit on one line)",
    ),
    "toml.unclosed_array": ("数组缺少结尾的 ]", "an array has no closing ]"),
    "toml.invalid_value": (
        '值无法识别：文字要加引号（如 home_city = "杭州"），真假值写 true / false',
        'the value is not understood: text needs quotes (home_city = "Hangzhou"); yes/no is true/false',
    ),
    "toml.invalid_statement": (
        "这一行既不是「键 = 值」也不是 [表名]",
        "this line is neither key = value nor a [table] header",
    ),
    "toml.bad_key": (
        "键名以不允许的字符开头（含空格或中文的键名要加引号）",
        "a key starts with a character keys cannot start with (quote keys with spaces or Chinese)",
    ),
    "toml.bad_hex": (
        "\\u 或 \\U 后面不是有效的十六进制数字",
        "\\u or \\U is not followed by valid hexadecimal digits",
    ),
    "toml.bad_date": ("日期或时间无效", "the date or time is not valid"),
    "toml.unclosed_array_table": ("[[表名]] 缺少结尾的 ]]", "a [[table]] header has no closing ]]"),
    "toml.unclosed_table": ("[表名] 缺少结尾的 ]", "a [table] header has no closing ]"),
    "toml.expected_equals": ("键后面缺少 =", "a key is not followed by ="),
    "toml.bad_escape": (
        "转义序列不是有效的 Unicode 字符",
        "an escape sequence is not a valid Unicode character",
    ),
    "toml.backslash": (
        "双引号字符串中的 \\ 要写成 \\\\，或改用单引号（如 Windows 路径 'D:\\数据'）",
        "a \\ inside double quotes is written \\\\, or use single quotes: 'D:\\data'",
    ),
    "toml.bad_character": ("出现了不允许的字符 {char}", "the character {char} is not allowed here"),
    "toml.trailing": (
        "值后面多出了内容（一行只写一个「键 = 值」；文字要加引号）",
        "something follows the value (one key = value per line; text needs quotes)",
    ),
    "toml.expected": ("缺少结尾的 {what}", "no closing {what}"),
    "toml.at_end": ("文件末尾：{problem}", "at the end of the file: {problem}"),
    "toml.not_text": (
        "第 {line} 行既不是 UTF-8 也不是 GBK 编码的文本",
        "line {line} is neither UTF-8 nor GBK text",
    ),
    # a text an editor writes for people to read (kequn.core.invisible): after the
    # field's path, or naming whose text and which field
    "text.invisible": (
        "文字含有不显示的字符 {char}（如从右到左覆盖、零宽空格）：文字会显示得与所写不同，请删去它",
        (
            "the text holds the invisible character {char} (such as a right-to-left override"
            " or a zero-width space): it would show differently from what it says; remove it"
        ),
    ),
    "text.invisible_in": (
        "{owner} 的 {field} 含有不显示的字符 {char}（如从右到左覆盖、零宽空格）：文字会显示得与所写不同，请删去它",
        (
            "{owner}: {field} holds the invisible character {char} (such as a right-to-left"
            " override or a zero-width space): it would show differently from what it says;"
            " remove it"
        ),
    ),
    "text.owner.label": ("标签 {id}", "label {id}"),
    "text.owner.journey": ("旅程 {id}", "journey {id}"),
    # a reason's template in taxonomy.yaml ({where}: dimension.label.reason, {lang}: zh/en)
    "reason.problem": ("{where}（{lang}）：{problem}", "{where} ({lang}): {problem}"),
    "reason.not_template": (
        "不是有效的模板（{detail}）；请写成 {{名称:格式}}，如 {{spend:money}}",
        "not a valid template ({detail}); write {{name:format}}, e.g. {{spend:money}}",
    ),
    "reason.unknown_name": (
        "未知的名称 '{{{name}}}'（可用特征、阈值、维度）{hint}",
        "unknown name '{{{name}}}' (features, thresholds, dimensions){hint}",
    ),
    "reason.did_you_mean": ("；是否想写 '{close}'？", "; did you mean '{close}'?"),
    "reason.unknown_format": (
        "未知的格式 '{{{name}:{fmt}}}'；可用格式：{formats}",
        "unknown format '{{{name}:{fmt}}}'; formats: {formats}",
    ),
    "reason.not_number": (
        "'{{{name}:{fmt}}}'：{name} 是{kind}，不是数字",
        "'{{{name}:{fmt}}}': {name} is a {kind}, not a number",
    ),
    "reason.kind.string": ("文字", "string"),
    "reason.kind.bool": ("是/否值", "bool"),
    "reason.kind.map": ("键值表", "map"),
    "reason.kind.date": ("日期", "date"),
    "reason.not_dimension": (
        "'{{{name}:label}}'：{name} 不是维度",
        "'{{{name}:label}}': {name} is not a dimension",
    ),
}
