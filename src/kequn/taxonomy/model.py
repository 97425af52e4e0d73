"""The taxonomy file's model: dimensions, labels, rules, strategies and thresholds.

A taxonomy is data. ``kequn taxonomy check`` loads it through these models (shape and
types) and then parses every rule against the feature catalogue (names and operators), so
an edited file is refused with a precise message before any run uses it.
"""

from __future__ import annotations

import difflib
import hashlib
import string
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from kequn.core import validation, yamlfile
from kequn.core.i18n import MESSAGES, local, t
from kequn.core.invisible import VisibleName, refuse_invisible
from kequn.core.rules import Rule, RuleError, parse_rule
from kequn.features.catalogue import FEATURES, FORMATS, PARAMETERS, Feature, catalogue

Team = Literal["marketing", "sales", "service"]
Goal = Literal["satisfaction", "loyalty", "market_share", "sales"]

TEAMS: dict[str, tuple[str, str]] = {
    "marketing": ("市场营销", "marketing"),
    "sales": ("销售", "sales"),
    "service": ("客户服务", "service"),
}
GOALS: dict[str, tuple[str, str]] = {
    "satisfaction": ("提升满意度", "satisfaction"),
    "loyalty": ("提升忠诚度", "loyalty"),
    "market_share": ("扩大市场份额", "market share"),
    "sales": ("增加销售", "sales"),
}


_Parsed = TypeVar("_Parsed")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Strategy(_Strict):
    team: Team
    goal: Goal
    zh: VisibleName
    en: VisibleName
    actions: list[str] = Field(default_factory=list)
    priority: int = Field(50, ge=0, le=100, description="higher comes first in a worklist")


#: placeholders a reason may use beyond features, thresholds and dimensions, each computed
#: by :mod:`kequn.taxonomy.reasons` (which standard and which threshold sized a company)
COMPUTED_PLACEHOLDERS: dict[str, str] = {"size_basis": "text"}


class Reason(_Strict):
    """Why a customer carries a label, as a person says it, in 中文 and English.

    Placeholders name a feature, a threshold or an earlier dimension, with a format:
    ``{days_since_last_order:days}`` → 56 天 / 56 days (see :data:`FORMATS`). With
    ``when`` (a rule), the first variant whose ``when`` holds is used.
    """

    when: str | None = None
    zh: str
    en: str


class Label(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    zh: VisibleName
    en: VisibleName
    when: str | None = None
    reason: list[Reason] = Field(default_factory=list)
    #: the label this one can grow into (the worklist's hint: one more order makes …)
    next: str | None = None
    strategy: Strategy | None = None

    @model_validator(mode="before")
    @classmethod
    def _one_reason(cls, data: object) -> object:
        if isinstance(data, dict) and isinstance(data.get("reason"), dict):
            return {**data, "reason": [data["reason"]]}
        return data

    def check_texts(self) -> None:
        """Its reasons and actions, which people read, hold no invisible character (a
        U+202E showed a reason reversed on the customer's page and in the exports): a
        ``ValueError`` otherwise. Checked with the rules (:func:`_parse_all`), so a run's
        own copy, loaded without them, is read as it was written: a run made before this
        check whose reason held a pasted zero-width space is still shown."""
        texts = [
            (f"reason[{i}].{lang}", getattr(variant, lang))
            for i, variant in enumerate(self.reason)
            for lang in ("zh", "en")
        ]
        if self.strategy is not None:
            texts += [(f"strategy.actions[{i}]", a) for i, a in enumerate(self.strategy.actions)]
        refuse_invisible("label", self.id, texts)


class Dimension(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    zh: VisibleName
    en: VisibleName
    type: Literal["exclusive", "tags"] = "exclusive"
    about_zh: str = ""
    about_en: str = ""
    fallback: Label | None = None
    labels: list[Label]

    @model_validator(mode="after")
    def _labels_unique(self) -> Dimension:
        if not self.labels:
            raise ValueError(t("taxonomy.no_labels", dim=self.id))
        ids = [label.id for label in self.labels] + ([self.fallback.id] if self.fallback else [])
        dupes = {i for i in ids if ids.count(i) > 1}
        if dupes:
            raise ValueError(
                t("taxonomy.labels_repeated", dim=self.id, ids=", ".join(sorted(dupes)))
            )
        missing = [label.id for label in self.labels if not label.when]
        if missing:
            raise ValueError(t("taxonomy.labels_without_when", dim=self.id, ids=missing))
        unknown = [
            f"{label.id} → {label.next}"
            for label in self.labels
            if label.next is not None and self.label(label.next) is None
        ]
        if unknown:
            raise ValueError(t("taxonomy.next_unknown", dim=self.id, pairs=unknown))
        return self

    def label(self, label_id: str) -> Label | None:
        for label in [*self.labels, *([self.fallback] if self.fallback else [])]:
            if label.id == label_id:
                return label
        return None

    def tag_column(self, label_id: str) -> str:
        return f"{self.id}_{label_id}"


class Threshold(_Strict):
    """A business-dependent number: pinned (``value``) or derived from the data."""

    zh: VisibleName = ""
    en: VisibleName = ""
    value: float | str | None = None
    derive: Literal["purchase_cycle", "quantile", "setting"] | None = None
    of: str | None = None
    q: float | None = Field(None, gt=0, lt=1)
    #: instead of ``q``: the line the top share of the values reaches (0.2: the smallest
    #: value of the top 20%), for a rule ``value >= line``. The quantile ``q: 0.8`` is
    #: the 80th percentile itself, which "at or above" counts into the top: of ten
    #: buyers spending ¥100..¥1,000, ¥800 and up (three, 30%) were "the top 20%"
    top: float | None = Field(None, gt=0, lt=1)
    where: str | None = None
    setting: str | None = None
    min: float | None = None
    max: float | None = None
    default: float | str | None = None
    #: the currency a pinned ``value`` is in (CNY or EUR), converted to the workspace's
    #: with its ``cny_per_unit`` or ``eur_per_unit``; without, the workspace's own
    currency: Literal["CNY", "EUR"] | None = None

    @model_validator(mode="after")
    def _one_source(self) -> Threshold:
        if self.value is None and self.derive is None:
            raise ValueError(t("taxonomy.threshold_source"))
        one_share = (self.q is None) != (self.top is None)
        if self.derive == "quantile" and (self.of is None or not one_share):
            raise ValueError(t("taxonomy.quantile_needs"))
        if self.derive == "setting" and not self.setting:
            raise ValueError(t("taxonomy.setting_needs"))
        return self

    @property
    def kind(self) -> str:
        if isinstance(self.value, str) or self.derive == "setting":
            return "string"
        return "number"


class Taxonomy(_Strict):
    version: str = "1"
    thresholds: dict[str, Threshold] = Field(default_factory=dict)
    dimensions: list[Dimension]
    source_text: str = Field("", exclude=True)
    _rules: dict[tuple[str, str], Rule] | None = PrivateAttr(default=None)
    _reason_rules: dict[tuple[str, str, int], Rule] | None = PrivateAttr(default=None)
    #: the file or text it was read from, named by a problem found in its rules
    _where: str = PrivateAttr(default="")

    @model_validator(mode="after")
    def _not_empty(self) -> Taxonomy:
        if not self.dimensions:
            raise ValueError(t("taxonomy.no_dimensions"))
        return self

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(self.source_text.encode("utf-8")).hexdigest()[:12]

    def dimension(self, dim_id: str) -> Dimension | None:
        return next((d for d in self.dimensions if d.id == dim_id), None)

    def segment_name(self, dim_id: str, label_id: str, lang: str | None = None) -> str:
        """A segment as a person reads it (生命周期：沉睡 / Lifecycle: Dormant); the ids,
        ``dim_id.label_id``, for one this taxonomy does not have."""
        dim = self.dimension(dim_id)
        label = dim.label(label_id) if dim is not None else None
        if dim is None or label is None:
            return f"{dim_id}.{label_id}"
        return t(
            "segment.named", lang, dimension_name=local(dim, lang), label_name=local(label, lang)
        )

    def extra_names(self, upto: int | None = None) -> dict[str, Feature]:
        """Thresholds, plus what earlier dimensions produce, as names usable in rules."""
        extra: dict[str, Feature] = {}
        for name, th in self.thresholds.items():
            known = PARAMETERS.get(name)
            extra[name] = Feature(
                name,
                th.kind,
                th.zh or (known.zh if known else name),
                th.en or (known.en if known else name),
                known.unit_zh if known else "",
                known.unit_en if known else "",
            )
        for dim in self.dimensions[: len(self.dimensions) if upto is None else upto]:
            if dim.type == "exclusive":
                extra[dim.id] = Feature(dim.id, "string", dim.zh, dim.en)
            else:
                for label in dim.labels:
                    col = dim.tag_column(label.id)
                    extra[col] = Feature(
                        col, "bool", f"{dim.zh}:{label.zh}", f"{dim.en}: {label.en}"
                    )
        return extra

    def label_columns(self) -> list[str]:
        """The snapshot's label columns: one per exclusive dimension, one per tag."""
        columns: list[str] = []
        for dim in self.dimensions:
            if dim.type == "exclusive":
                columns.append(dim.id)
            else:
                columns += [dim.tag_column(label.id) for label in dim.labels]
        return columns

    def rules(self) -> dict[tuple[str, str], Rule]:
        """Every label's parsed rule, checked against what is known at its dimension.

        Parsed once per taxonomy object (the model is not changed after loading).
        """
        if self._rules is None:
            self._rules = self._named(self._parse_rules)
        return self._rules

    def reason_rules(self) -> dict[tuple[str, str, int], Rule]:
        """The parsed ``when`` of every reason variant that has one."""
        if self._reason_rules is None:
            self._reason_rules = self._named(self._check_reasons)
        return self._reason_rules

    def _named(self, parse: Callable[[], _Parsed]) -> _Parsed:
        try:
            return parse()
        except TaxonomyError as exc:
            if not self._where:
                raise
            raise TaxonomyError(f"{self._where}: {exc}") from exc

    def format_of(self, name: str) -> str:
        """How a name's value is shown when a placeholder gives no format."""
        if name in COMPUTED_PLACEHOLDERS:
            return COMPUTED_PLACEHOLDERS[name]
        if any(d.id == name and d.type == "exclusive" for d in self.dimensions):
            return "label"
        found = FEATURES.get(name) or PARAMETERS.get(name)
        if found is not None:
            return found.format_kind
        th = self.thresholds.get(name)
        if th is not None:
            if th.of and th.of in FEATURES:
                return FEATURES[th.of].format_kind
            return "text" if th.kind == "string" else "number"
        return "text"

    def _check_reasons(self) -> dict[tuple[str, str, int], Rule]:
        parsed: dict[tuple[str, str, int], Rule] = {}
        for index, dim in enumerate(self.dimensions):
            # a reason may name its own dimension too (the label it explains)
            extra = self.extra_names(upto=index + 1)
            names = catalogue(extra)
            for label in [*dim.labels, *([dim.fallback] if dim.fallback else [])]:
                for i, variant in enumerate(label.reason):
                    where = f"{dim.id}.{label.id}.reason"
                    for lang in ("zh", "en"):
                        problem = self._template_problem(getattr(variant, lang), names, extra)
                        if problem:
                            said = t("reason.problem", where=where, lang=lang, problem=problem)
                            raise TaxonomyError(said)
                    if variant.when:
                        try:
                            parsed[(dim.id, label.id, i)] = parse_rule(variant.when, names)
                        except RuleError as exc:
                            raise TaxonomyError(f"{where}.when: {exc}") from exc
        return parsed

    def _template_problem(
        self, text: str, names: dict[str, str], extra: dict[str, Feature]
    ) -> str | None:
        """What is wrong with a reason's template, in the language; None when nothing."""
        try:
            fields = [
                (name, spec)
                for _, name, spec, _ in string.Formatter().parse(text)
                if name is not None
            ]
        except ValueError as exc:
            return t("reason.not_template", detail=str(exc))
        for name, spec in fields:
            if name not in names and name not in COMPUTED_PLACEHOLDERS:
                close = difflib.get_close_matches(name, [*names, *COMPUTED_PLACEHOLDERS], n=1)
                hint = t("reason.did_you_mean", close=close[0]) if close else ""
                return t("reason.unknown_name", name=name, hint=hint)
            fmt = spec or self.format_of(name)
            if fmt not in FORMATS:
                return t("reason.unknown_format", name=name, fmt=fmt, formats=", ".join(FORMATS))
            kind = "string" if name in COMPUTED_PLACEHOLDERS else names.get(name, "string")
            if fmt in {"days", "ago", "money", "pct", "int", "number"} and kind != "number":
                said = t(f"reason.kind.{kind}") if f"reason.kind.{kind}" in MESSAGES else kind
                return t("reason.not_number", name=name, fmt=fmt, kind=said)
            is_dimension = name in extra and extra[name].kind == "string" and self.dimension(name)
            if fmt == "label" and not is_dimension:
                return t("reason.not_dimension", name=name)
        return None

    def _parse_rules(self) -> dict[tuple[str, str], Rule]:
        parsed: dict[tuple[str, str], Rule] = {}
        for index, dim in enumerate(self.dimensions):
            names = catalogue(self.extra_names(upto=index))
            for label in dim.labels:
                assert label.when is not None
                try:
                    parsed[(dim.id, label.id)] = parse_rule(label.when, names)
                except RuleError as exc:
                    raise TaxonomyError(f"{dim.id}.{label.id}: {exc}") from exc
        names = catalogue(self.extra_names(upto=0))
        for name, th in self.thresholds.items():
            if th.where:
                try:
                    parsed[("threshold", name)] = parse_rule(th.where, names)
                except RuleError as exc:
                    raise TaxonomyError(f"thresholds.{name}.where: {exc}") from exc
            if th.of and th.of not in FEATURES:
                raise TaxonomyError(t("taxonomy.unknown_feature", name=name, feature=repr(th.of)))
        return parsed


class TaxonomyError(ValueError):
    """The taxonomy file is not valid; the message says where."""


_loaded: dict[Path, tuple[int, int, Taxonomy]] = {}


def load_taxonomy(path: Path | None = None, *, parse_rules: bool = True) -> Taxonomy:
    """Load and fully check a taxonomy file (the shipped default when ``path`` is None).

    A file is parsed once per content: the result is cached until its size or
    modification time changes (the server loads the run's taxonomy on every page).

    Without ``parse_rules``, for a file checked whole when it was written (a run's own
    copy of the taxonomy that made it), everything but its rules is checked now, and
    the rules are parsed when first asked for (:meth:`Taxonomy.rules`,
    :meth:`Taxonomy.reason_rules`; a problem then names the file all the same). Pages
    that only name segments and labels need no rule: parsing them all is most of
    loading a taxonomy.
    """
    if path is not None:
        found = Path(path).stat()
        cached = _loaded.get(Path(path))
        if cached and cached[:2] == (found.st_mtime_ns, found.st_size):
            taxonomy = cached[2]
        else:
            taxonomy = _load_taxonomy(path, parse_rules)
            _loaded[Path(path)] = (found.st_mtime_ns, found.st_size, taxonomy)
    else:
        taxonomy = _load_taxonomy(None, parse_rules)
    if parse_rules:
        _parse_all(taxonomy)  # (one cached unparsed: now, or it is refused now)
    return taxonomy


def default_text() -> str:
    """The text of the default taxonomy this kequn ships."""
    return resources.files("kequn.taxonomy").joinpath("default.yaml").read_text(encoding="utf-8")


def _load_taxonomy(path: Path | None, parse_rules: bool = True) -> Taxonomy:
    if path is None:
        text = default_text()
        where = "default.yaml"
    else:
        where = str(path)
        try:
            text = yamlfile.user_text(Path(path).read_bytes())
        except UnicodeDecodeError as exc:  # not text: as unreadable as text that is no YAML
            line = exc.object[: exc.start].count(b"\n") + 1
            said = t("mapping.not_utf8", line=line)
            raise TaxonomyError(t("taxonomy.not_yaml", where=where, detail=said)) from None
    return parse_taxonomy(text, where, parse_rules=parse_rules)


#: taxonomies parsed in this process, by the SHA-256 of their text (a run reads the
#: workspace's file, then its own copy in the run folder: the same text, parsed once)
_parsed: dict[str, Taxonomy] = {}
_PARSED_KEPT = 16


def parse_taxonomy(text: str, where: str = "taxonomy", *, parse_rules: bool = True) -> Taxonomy:
    """Parse and fully check taxonomy text (as edited in the dashboard, say); without
    ``parse_rules``, all but the rules (see :func:`load_taxonomy`).

    Text parsed before in this process returns the same (never modified) object; only a
    valid taxonomy is remembered, so a wrong one is reported with its own ``where`` (one
    whose rules are not parsed yet is not remembered here either)."""
    key = hashlib.sha256(text.encode("utf-8")).hexdigest()
    found = _parsed.get(key)
    if found is not None:
        return found
    taxonomy = _parse_taxonomy(text, where)
    if not parse_rules:
        return taxonomy
    _parse_all(taxonomy)
    while len(_parsed) >= _PARSED_KEPT:
        _parsed.pop(next(iter(_parsed)))
    _parsed[key] = taxonomy
    return taxonomy


def _parse_taxonomy(text: str, where: str) -> Taxonomy:
    try:
        data = yamlfile.safe_load(text)
    except yaml.YAMLError as exc:  # the file, line, column and problem, in the language
        raise TaxonomyError(yamlfile.yaml_error(exc, where, text)) from exc
    if data is not None and not isinstance(data, dict):
        # a CSV or a bare list given for a taxonomy parses as YAML, but not as a mapping
        raise TaxonomyError(t("taxonomy.not_mapping", file=where))
    try:
        taxonomy = Taxonomy.model_validate({**(data or {}), "source_text": text})
    except ValidationError as exc:
        raise TaxonomyError(f"{where}: {validation.problems(exc.errors())}") from exc
    ids = [d.id for d in taxonomy.dimensions]
    if len(ids) != len(set(ids)):
        raise TaxonomyError(t("taxonomy.ids_repeated", where=where))
    taken = {"customer_id", *FEATURES, *taxonomy.thresholds}
    clash = set(ids) & taken
    if clash:
        raise TaxonomyError(t("taxonomy.ids_clash", where=where, ids=sorted(clash)))
    # a tag's column (``dimension_label``) is a column of the run's rows as well: named
    # like a feature, one of the two would be lost (the labels file keeps no feature)
    tags = [
        d.tag_column(label.id)
        for d in taxonomy.dimensions
        if d.type == "tags"
        for label in d.labels
    ]
    clash = set(tags) & (taken | set(ids))
    if clash:
        raise TaxonomyError(t("taxonomy.tags_clash", where=where, ids=sorted(clash)))
    taxonomy._where = where
    return taxonomy


def _parse_all(taxonomy: Taxonomy) -> None:
    """Every rule of ``taxonomy`` parsed and checked, and the texts of its labels (a
    problem names its file)."""
    for dim in taxonomy.dimensions:
        for label in [*dim.labels, *([dim.fallback] if dim.fallback else [])]:
            try:
                label.check_texts()
            except ValueError as exc:
                raise TaxonomyError(f"{taxonomy._where}: {exc}") from None
    taxonomy.rules()
    taxonomy.reason_rules()
