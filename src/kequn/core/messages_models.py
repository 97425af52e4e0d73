"""What a run says about its predictive models (fits, reuse, refits, fits not
identified), as (中文, English) templates by key; merged into
:data:`kequn.core.messages.MESSAGES`."""

from __future__ import annotations

MODELS: dict[str, tuple[str, str]] = {
    "models.bgnbd": (
        "预测模型：BG/NBD r={r:.3g} α={alpha:.3g} a={a:.3g} b={b:.3g}（{buyers:,.0f} 位买家）",
        "Models: BG/NBD r={r:.3g} α={alpha:.3g} a={a:.3g} b={b:.3g} ({buyers:,.0f} buyers)",
    ),
    "models.churn": (
        "流失风险：梯度提升，未来 {horizon} 天；按时间外推检验 AUC {auc:.3f}，Brier {brier:.3f}（{customers:,} 位买家，{trained} 训练、{evaluated} 检验）",
        "Churn risk: gradient boosting, next {horizon} days; out-of-time AUC {auc:.3f}, Brier {brier:.3f} ({customers:,} buyers; trained as of {trained}, evaluated as of {evaluated})",
    ),
    "models.churn_fallback": (
        "流失风险：历史数据不足，无法在 {trained} 训练、在 {evaluated} 检验；改用 1 − 存活概率（MBG/NBD）",
        "Churn risk: too little history to train as of {trained} and evaluate as of {evaluated}; using 1 − P(alive) from the MBG/NBD instead",
    ),
    "models.clusters": (
        "数据发现分群：{k} 群（按轮廓系数选择），稳定性 ARI {ari:.2f}；查看：kequn segments cluster",
        "Discovered segments: {k} clusters (chosen by silhouette), stability ARI {ari:.2f}; see `kequn segments cluster`",
    ),
    "models.skipped": ("预测模型：未运行（{status}）", "Models: not run ({status})"),
    "models.churn_closed_form": (
        "流失风险：BG/NBD 预期购买次数（闭式解，校准为概率），未来 {horizon} 天；按时间外推检验 AUC {auc:.3f} 不低于梯度提升，Brier {brier:.3f}（{customers:,} 位买家，{trained} 训练、{evaluated} 检验）",
        "Churn risk: the BG/NBD's expected purchases (closed form, calibrated to a probability), next {horizon} days; out-of-time AUC {auc:.3f}, no worse than gradient boosting, Brier {brier:.3f} ({customers:,} buyers; trained as of {trained}, evaluated as of {evaluated})",
    ),
    "models.unidentified": (
        "预测模型：买家太少，BG/NBD 无法可靠估计（{buyers:,.0f} 位买家，{repeaters:,.0f} 位复购）；存活概率与预测价值留空，生命周期与忠诚度按最近购买规则判断",
        "Models: too few buyers to identify the BG/NBD ({buyers:,.0f} buyers, {repeaters:,.0f} repeat buyers); P(alive) and predicted value are left empty and lifecycle and loyalty follow the recency rules",
    ),
    "models.unidentified.repeaters": (
        "　原因：复购买家少于 {minimum} 位（{model}）",
        "  why: fewer than {minimum} repeat buyers ({model})",
    ),
    "models.unidentified.bounds": (
        "　原因：参数 {params} 跑到了优化边界（{model}）",
        "  why: {params} ran to the optimiser's bounds ({model})",
    ),
    "models.unidentified.flat": (
        "　原因：似然过于平坦，{params} 无法确定（{model}）",
        "  why: the likelihood is too flat to determine {params} ({model})",
    ),
    "models.name.bgnbd": ("BG/NBD 购买频次模型", "BG/NBD"),
    "models.name.mbgnbd": ("MBG/NBD 购买频次模型", "MBG/NBD"),
    "models.name.gamma_gamma": ("Gamma-Gamma 客单价模型", "Gamma-Gamma"),
    "models.name.churn": ("流失风险模型", "churn risk"),
    "models.name.clusters": ("聚类", "clusters"),
    "models.reused": (
        "预测模型：沿用 {fitted} 训练的模型（{age_text}；数据漂移最大 {sd:.2f} 个标准差）：{models}",
        "Models: reused the models fitted as of {fitted} ({age_text}; largest drift {sd:.2f} SD): {models}",
    ),
    "models.age.same_day": ("与本次运行同一天", "the same day as this run"),
    "models.age.one_day": ("1 天前", "1 day old"),
    "models.age.days": ("{age} 天前", "{age} days old"),
    "models.refit.none": (
        "预测模型：没有已保存的模型，重新训练",
        "Models: none stored, fitted now",
    ),
    "models.refit.forced": (
        "预测模型：按要求重新训练（--refit）",
        "Models: refitted as asked (--refit)",
    ),
    "models.refit.version": (
        "预测模型：已保存的模型来自其他版本，重新训练",
        "Models: the stored models come from another version, fitted now",
    ),
    "models.refit.backdated": (
        "预测模型：已保存的模型训练于更晚的 {fitted}，本次为此日期重新训练（仅本次使用，已保存的模型保留不变）",
        "Models: the stored models were fitted as of a later date ({fitted}); fitted for this date, for this run only (the stored ones are kept)",
    ),
    "models.refit.stale": (
        "预测模型：{fitted} 训练的模型已 {age} 天（超过 {days} 天），重新训练",
        "Models: the models fitted as of {fitted} are {age} days old (more than {days}), refitted",
    ),
    "models.refit.drift": (
        "预测模型：数据形态变了（{feature} 的均值移动了 {sd:.2f} 个标准差，自 {fitted} 起），重新训练",
        "Models: the data changed shape ({feature} mean moved {sd:.2f} SD since {fitted}), refitted",
    ),
    "models.refit.buyers": (
        "预测模型：买家人数自 {fitted} 起变化了 {change:.0%}，重新训练",
        "Models: the number of buyers changed by {change:.0%} since {fitted}, refitted",
    ),
    # kequn clv fit --plot: the words drawn on the PNG
    "clv.plot.title": (
        "累计重复购买：预测与实际",
        "Cumulative repeat transactions: predicted vs actual",
    ),
    "clv.plot.x": ("验证期第几周", "week of holdout"),
    "clv.plot.y": ("累计重复购买次数", "cumulative repeat transactions"),
    "clv.plot.actual": ("实际", "actual"),
    "clv.plot.predicted": ("BG/NBD 预测", "BG/NBD"),
    "clv.plot.no_cjk_font": (
        "没有找到含汉字的字体，图中文字改用英文（安装 fonts-noto-cjk 等中文字体后即为中文）",
        "no font with Chinese characters was found: the plot's words are in English (install a Chinese font such as fonts-noto-cjk)",
    ),
}
