"""What kequn says of a workspace's taxonomy against the default it ships: a run's note
when the file is an unedited earlier default, and ``kequn taxonomy upgrade``'s answers."""

from __future__ import annotations

TAXONOMY: dict[str, tuple[str, str]] = {
    "taxonomy.outdated": (
        (
            "工作区的 taxonomy.yaml 是旧版 kequn 的默认分类体系（未修改过）；当前的默认版本"
            "对这些维度的分法不同：{dimensions}。kequn taxonomy upgrade 可换成当前版本（旧文件会保留）"
        ),
        (
            "The workspace's taxonomy.yaml is an earlier kequn's default, unedited; the "
            "current default labels these dimensions differently: {dimensions}. "
            "kequn taxonomy upgrade brings it (the old file is kept)"
        ),
    ),
    "taxonomy.outdated_wording": (
        (
            "工作区的 taxonomy.yaml 是旧版 kequn 的默认分类体系（未修改过）；当前的默认版本只在名称、"
            "理由或策略的措辞上不同，没有维度的分法改变。kequn taxonomy upgrade 可换成当前版本（旧文件会保留）"
        ),
        (
            "The workspace's taxonomy.yaml is an earlier kequn's default, unedited; the "
            "current default differs in its names, reasons or strategies only: no dimension "
            "labels customers differently. kequn taxonomy upgrade brings it (the old file is kept)"
        ),
    ),
    "taxonomy.upgrade.current": (
        "{path} 已是当前版本的默认分类体系，无需升级。",
        "{path} is the current default taxonomy already: nothing to upgrade.",
    ),
    "taxonomy.upgrade.edited": (
        (
            "{path} 已被修改过，不会自动替换（与当前默认版本分法不同的维度：{dimensions}）。"
            "要换成当前默认版本并保留旧文件，请加 --force。"
        ),
        (
            "{path} has been edited, so it is not replaced (dimensions the current default "
            "labels differently: {dimensions}). To replace it all the same, keeping the old "
            "file, add --force."
        ),
    ),
    "taxonomy.upgrade.done": (
        (
            "已将 {path} 换成当前默认分类体系；旧文件保存在 {backup}。分法有变的维度：{dimensions}。"
            "下次运行起生效；这些维度的旅程在那次运行中暂缓（见 kequn journeys process --rule-changes）。"
        ),
        (
            "{path} is now the current default taxonomy; the old file is kept as {backup}. "
            "Dimensions labelled differently: {dimensions}. It applies from the next run, "
            "whose journeys on those dimensions are held (see kequn journeys process "
            "--rule-changes)."
        ),
    ),
    "taxonomy.upgrade.none": ("无", "none"),
}
