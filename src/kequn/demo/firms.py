"""Organisations in the demo: companies, government bodies and institutions named as they
are where they are, and firm sizes (employees, revenue, assets) in each size tier."""

from __future__ import annotations

import numpy as np

from kequn.demo import _vocab as v


def retired_draws(rng: np.random.Generator, n: int) -> None:
    """The draws the company, government and institution names used to take from the
    main stream, still taken so that every value drawn after them stays as it was (the
    names now come from their own stream, :func:`_entity_names`)."""
    for size in (15, 6, 6, 6, 8):
        rng.choice(size, size=n)


def entity_names(
    rng: np.random.Generator,
    names: np.ndarray,
    kind: np.ndarray,
    industry_idx: np.ndarray,
    country: np.ndarray,
    province: np.ndarray,
    city: np.ndarray,
) -> np.ndarray:
    """Companies, government bodies and institutions named as they are where they are:
    上海天成化工有限公司 and 合肥市商务局 in China; Apex Logistics Inc., Nordstern Logistik
    GmbH, 株式会社東邦電子, Department for Business and Trade abroad. The industry word in
    a company's name is its industry's."""
    out = names.copy()
    rows = np.flatnonzero(kind != "individual")
    draws = rng.random((len(rows), 3))
    for row, (a, b, c) in zip(rows, draws, strict=True):
        where = country[row] if country[row] not in (None, "CN") else "CN"
        place = city[row] or ""
        if kind[row] == "enterprise":
            out[row] = company(where, place, province[row], int(industry_idx[row]), a, b, c)
        elif where != "CN":
            place = place or next(town for code, town in v.ABROAD if code == where)
            options = (v.GOV_ABROAD if kind[row] == "government" else v.INST_ABROAD)[place]
            out[row] = options[int(a * len(options))]
        elif kind[row] == "government":
            if place:
                out[row] = place + v.CN_DEPARTMENTS[int(a * len(v.CN_DEPARTMENTS))]
            else:
                region = province[row] or "上海"
                region = region if region.endswith(("省", "区")) else region + "市"
                depts = v.CN_PROVINCE_DEPARTMENTS
                out[row] = region + depts[int(a * len(depts))]
        else:
            town = place or (province[row] or "上海") + ("" if province[row] else "市")
            pattern = v.CN_INSTITUTIONS[int(a * len(v.CN_INSTITUTIONS))]
            out[row] = pattern.format(city=town, short=town.removesuffix("市"))
    return out


def company(
    where: str, place: str, province: str | None, industry: int, a: float, b: float, c: float
) -> str:
    if where == "CN":
        stems = v.COMPANY_STEMS["zh"]
        short = (place or province or "").removesuffix("市").removesuffix("省")
        word = v.NAME_WORDS["zh"][industry]
        form = "股份有限公司" if word in ("银行", "保险") else v.CN_FORMS[int(c * len(v.CN_FORMS))]
        prefix = short if b < 0.7 else ""  # most firms carry their city in the name
        return f"{prefix}{stems[int(a * len(stems))]}{word}{form}"
    lang = v.COUNTRY_LANG.get(where, "en")
    stems = v.COMPANY_STEMS[lang]
    stem, word = stems[int(a * len(stems))], v.NAME_WORDS[lang][industry]
    if lang == "ja":
        return f"株式会社{stem}{word}" if b < 0.6 else f"{stem}{word}株式会社"
    if lang == "ko":
        return f"주식회사 {stem}{word}" if b < 0.6 else f"{stem}{word} 주식회사"
    forms = v.COMPANY_FORMS.get(where, ["Ltd."])
    return f"{stem} {word} {forms[int(c * len(forms))]}"


def firm_size(
    rng: np.random.Generator, industry_idx: np.ndarray, tier: np.ndarray
) -> tuple[np.ndarray, ...]:
    """Employees, revenue and assets (CNY) that put each firm in its drawn size tier."""
    n = len(tier)
    out = {key: np.zeros(n) for key in ("X", "Y", "Z")}
    for i, (_, _, rows) in enumerate(v.INDUSTRIES):
        mask = industry_idx == i
        for key in ("X", "Y", "Z"):
            bounds = rows.get(
                key, {"X": [300, 100, 10], "Y": [10000, 1000, 100], "Z": [10000, 1000, 100]}[key]
            )
            large, medium, small = bounds
            low = np.select(
                [tier == 3, tier == 2, tier == 1], [large, medium, small], default=small / 5
            )
            high = np.select(
                [tier == 3, tier == 2, tier == 1], [large * 4, large, medium], default=small
            )
            out[key][mask] = (low + rng.random(n) * (high - low))[mask]
    employees = np.maximum(1, np.round(out["X"] * 0.999)).astype(np.int64)
    return employees, out["Y"] * 10_000 * 0.999, out["Z"] * 10_000 * 0.999
