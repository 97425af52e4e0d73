"""Personal data (names, phones, emails, addresses) as each user may see it.

The rule is the same wherever a route shows such data, API or page: a user holding the
``personal`` permission sees it and the read goes to the workspace's audit log; anyone
else sees it masked (:func:`kequn.store.access.mask`) and nothing is logged. Keeping that
rule in one function means a new route cannot show it unmasked or unaudited by forgetting
half of it. What is masked depends on what is shown; the audit action names both.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar

from fastapi import Request

from kequn.privacy.shown_ids import IdCipher, id_cipher
from kequn.snapshots.read import ATTRIBUTES, mask_personal, privacy_settings
from kequn.snapshots.read import PERSONAL as PERSONAL_FIELDS
from kequn.store.access import User, audit, mask
from kequn.taxonomy.model import Taxonomy
from kequn.web.deps import request_user, workspace
from kequn.web.errors import UnknownCustomerError, refuse_blank_id
from kequn.web.rule_privacy import masked_reason, masked_rule, personal_literals

PERSONAL = "personal"  # the permission to see personal data

Shown = TypeVar("Shown", dict[str, Any], list[dict[str, Any]])

#: The keys whose values are customer ids (a record's, a person's), wherever shown.
ID_KEYS = frozenset({"customer_id", "record_id", "person_id"})
#: A record's id in its own source (the buyer's nickname of ``taobao:nickname``).
SOURCE_ID = "source_id"
#: The keys whose values name an imported file (``file_name``'s, without folders).
FILE_KEYS = frozenset({"file", "source_file"})
#: The keys whose values map kequn's columns to a file's headers (an import's
#: ``mapping``: ``customer_id`` → ``客户编号``): a header there is no customer's id.
HEADER_MAPS = frozenset({"mapping"})


def sees_personal(user: User) -> bool:
    """Whether ``user`` sees personal data (and may search customers by name)."""
    return user.can(PERSONAL)


def _members(page: dict[str, Any], public: frozenset[str]) -> dict[str, Any]:
    """A page of a segment's members (``read.members``)."""
    return {**page, "rows": [mask_personal(row, public) for row in page["rows"]]}


def _profile(data: dict[str, Any], public: frozenset[str]) -> dict[str, Any]:
    """A customer's profile (``read.profile``), its personal fields masked; and where a
    label's reason quotes one (a taxonomy's reason template with ``{name}``, or a rule on
    ``name`` written out with the customer's values), masked there too."""
    hidden = _hidden(public, data["attributes"], data["features"])
    return {
        **data,
        "attributes": mask_personal(data["attributes"], public),
        "features": mask_personal(data["features"], public),
        "dimensions": _replaced(data.get("dimensions"), hidden),
    }


def _hidden(public: frozenset[str], *shown: dict[str, Any]) -> dict[str, str]:
    """Each personal value of ``shown`` (its text) -> the same value masked; and each
    extra column's value as a rule written out quotes it (``会员等级 (银卡)``: the
    attributes not declared ``public`` are masked, so their values are, there)."""
    hidden = {
        str(value): str(mask(value, key))
        for fields in shown
        for key, value in fields.items()
        if key in PERSONAL_FIELDS and value not in (None, "")
    }
    for fields in shown:
        extra = fields.get(ATTRIBUTES)
        if isinstance(extra, dict):
            hidden.update(
                {
                    f"{key} ({value})": f"{key} ({mask(value, 'attribute')})"
                    for key, value in extra.items()
                    if value not in (None, "") and key not in public
                }
            )
    return hidden


def _replaced(value: Any, hidden: dict[str, str]) -> Any:
    """``value`` with every text in it holding a value of ``hidden`` masked (longest
    first, so a name is not half-masked by a shorter one inside it)."""
    if not hidden:
        return value
    if isinstance(value, str):
        for raw in sorted(hidden, key=len, reverse=True):
            value = value.replace(raw, hidden[raw])
        return value
    if isinstance(value, list):
        return [_replaced(item, hidden) for item in value]
    if isinstance(value, dict):
        return {key: _replaced(item, hidden) for key, item in value.items()}
    return value


def _quarantine(rows: list[dict[str, Any]], _public: frozenset[str]) -> list[dict[str, Any]]:
    """Rejected rows: the offending value hidden (in the message too), the whole source
    record dropped (whatever its column: a value refused is shown to those who fix it)."""
    return [
        {
            **row,
            "value": "***" if row.get("value") else row.get("value"),
            "message": _without(row.get("message"), row.get("value")),
            "record": None,
        }
        for row in rows
    ]


def _without(message: Any, value: Any) -> Any:
    if not isinstance(message, str) or value in (None, ""):
        return message
    return message.replace(str(value), "***")


def file_name(path: Any) -> Any:
    """A file's name without the folders it was read from (server paths stay private)."""
    if not isinstance(path, str) or not path:
        return path
    return path.replace("\\", "/").rsplit("/", 1)[-1]


def _tidy_profile(data: dict[str, Any]) -> dict[str, Any]:
    attributes = data.get("attributes")
    if isinstance(attributes, dict) and "source_file" in attributes:
        attributes = {**attributes, "source_file": file_name(attributes["source_file"])}
        return {**data, "attributes": attributes}
    return data


def _tidy_quarantine(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**row, "file": file_name(row.get("file"))} for row in rows]


#: What every reader gets, whatever their role: no server paths.
_TIDY: dict[str, Callable[[Any], Any]] = {
    "customer.read": _tidy_profile,
    "quarantine.read": _tidy_quarantine,
}


#: For each audit action, how what it shows is masked (given the extra columns declared
#: public under ``[privacy]``).
_MASKS: dict[str, Callable[[Any, frozenset[str]], Any]] = {
    "segment.read": _members,
    "customer.read": _profile,
    "quarantine.read": _quarantine,
}


def _same(data: Any) -> Any:
    return data


def hidden_literals(request: Request, user: User, rules: Iterable[str | None]) -> dict[str, str]:
    """What of ``rules`` ``user`` sees masked: nothing for those who see personal data,
    else each value a rule compares a personal field with -> masked
    (:mod:`kequn.web.rule_privacy`)."""
    if sees_personal(user):
        return {}
    public = privacy_settings(workspace(request)).public_attributes
    return personal_literals(rules, public)


def taxonomy_rules(taxonomy: Taxonomy) -> list[str | None]:
    """Every rule a taxonomy file writes: each label's, its fallback's, its reasons'."""
    labels = [
        label
        for dim in taxonomy.dimensions
        for label in [*dim.labels, *([dim.fallback] if dim.fallback else [])]
    ]
    return [label.when for label in labels] + [
        variant.when for label in labels for variant in label.reason
    ]


def _label_rules(data: dict[str, Any], public: frozenset[str]) -> dict[str, Any]:
    """A profile's labels with the personal literals of their rules masked, in the rule
    and in the reason written out from it."""
    dimensions = data.get("dimensions")
    if not isinstance(dimensions, list):
        return data
    shown = []
    for dim in dimensions:
        labels = []
        for label in dim.get("labels") or []:
            hidden = personal_literals([label.get("rule")], public)
            labels.append(
                {
                    **label,
                    "rule": masked_rule(label.get("rule"), hidden),
                    "reason": masked_reason(label.get("reason"), hidden),
                }
            )
        shown.append({**dim, "labels": labels})
    return {**data, "dimensions": shown}


def personal_view(
    request: Request, user: User, data: Shown, what: str, details: dict[str, Any]
) -> Shown:
    """``data`` as ``user`` may see it: audited as ``what`` with ``details``, or masked.

    ``what`` is one of the actions in :data:`_MASKS` (``segment.read`` for a page of
    members, ``customer.read`` for a profile, ``quarantine.read`` for rejected rows).
    """
    mask = _MASKS[what]
    data = _TIDY.get(what, _same)(data)
    if sees_personal(user):
        audit(workspace(request), user.name, what, details)
        return data
    # the columns beyond the schema declared public are shown, as rule previews allow them
    public = privacy_settings(workspace(request)).public_attributes
    masked: Shown = mask(data, public)
    if what == "customer.read" and isinstance(masked, dict):
        # the values a label's rule names (name = '张伟'), in its rule and its reason
        masked = _label_rules(masked, public)
    return shown_ids(request, user, masked)


def cipher(request: Request) -> IdCipher:
    """The served workspace's :class:`IdCipher` (its key derived once per app)."""
    state = request.app.state
    found: IdCipher | None = getattr(state, "id_cipher", None)
    if found is None:
        found = state.id_cipher = id_cipher(workspace(request))
    return found


def shown_ids(request: Request, user: User, data: Shown) -> Shown:
    """``data`` with every customer id in it as ``user`` may see it: as it is for those
    who see personal data; else as its token (:mod:`kequn.privacy.shown_ids`: an id may
    be a buyer's nickname), under :data:`ID_KEYS` and wherever else the same id is a
    value (the ends of an identity link), a record's own id in its source masked, and
    the names of imported files (:data:`FILE_KEYS`) masked but for their extension
    (:func:`masked_file`: a file's name is whatever its sender called it, a buyer's
    name or nickname among them)."""
    if sees_personal(user):
        return data
    seal = cipher(request).seal
    ids: set[str] = set()
    _collect(data, ids)
    tokens = {raw: seal(raw) for raw in ids}
    shown: Shown = _sealed(data, tokens)
    return _files_unsaid(data, shown)


#: the keys whose values are sentences a person reads (an import's summary lines, a
#: message, an error), which may name the file they are about
_SENTENCES = frozenset({"text", "message", "error"})


def _files_unsaid(data: Any, shown: Shown) -> Shown:
    """``shown`` with the names of the files ``data`` lists (:data:`FILE_KEYS`) masked
    where its sentences say them too (an import's summary said "张伟的订单.csv has a
    header and no rows" beside its masked ``file``). Names shorter than three
    characters are left: masking "a" in every sentence would mask more than names."""
    files: set[str] = set()
    _collect(data, files, FILE_KEYS)
    names = files | {file_name(f) for f in files}
    hidden = {name: masked_file(name) for name in names if len(name) >= 3}
    if not hidden:
        return shown
    said: Shown = _in_sentences(shown, hidden)
    return said


def _in_sentences(value: Any, hidden: dict[str, str]) -> Any:
    if isinstance(value, list):
        return [_in_sentences(item, hidden) for item in value]
    if isinstance(value, dict):
        return {
            key: _replaced(item, hidden) if key in _SENTENCES else _in_sentences(item, hidden)
            for key, item in value.items()
        }
    return value


def _collect(value: Any, ids: set[str], keys: frozenset[str] = ID_KEYS) -> None:
    """The non-empty strings under ``keys`` anywhere in ``value`` (customer ids, or with
    :data:`FILE_KEYS` the imported files' names), added to ``ids``."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in keys and isinstance(item, str) and item:
                ids.add(item)
            elif key not in HEADER_MAPS:
                _collect(item, ids, keys)
    elif isinstance(value, list):
        for item in value:
            _collect(item, ids, keys)


def _sealed(value: Any, tokens: dict[str, str]) -> Any:
    if isinstance(value, str):
        return tokens.get(value, value)
    if isinstance(value, list):
        return [_sealed(item, tokens) for item in value]
    if isinstance(value, dict):
        return {key: _sealed_item(key, item, tokens) for key, item in value.items()}
    return value


def _sealed_item(key: str, item: Any, tokens: dict[str, str]) -> Any:
    if key == SOURCE_ID:
        return mask(item, key)
    if key in FILE_KEYS and isinstance(item, str):
        return masked_file(item)
    return _sealed(item, tokens)


def masked_file(path: str) -> str:
    """A file's name as a viewer is shown it: ``***`` and its extension (``***.csv``),
    which says what kind of file it was and nothing its name said."""
    name = file_name(path)
    if not name:
        return name
    stem, dot, extension = name.rpartition(".")
    if dot and stem and extension.isascii() and extension.isalnum() and len(extension) <= 5:
        return f"***.{extension.lower()}"
    return "***"


def member_search(request: Request, user: User, q: str | None) -> tuple[str | None, str | None]:
    """What a search of a segment's members by ``q`` looks for, as ``read.members``'s
    ``search`` and ``only_id``: ids (and names) containing it, for those who see personal
    data; for anyone else, only the customer a token of :func:`shown_ids` stands for (a
    viewer finding members whose id holds "jessie" learnt their nicknames), else no one."""
    if not q or sees_personal(user):
        return q or None, None
    return None, cipher(request).open(q.strip()) or ""


def asked_customer(message: str = "web.error.no_customer") -> Callable[..., Awaitable[str]]:
    """A dependency: the customer id of the route's ``customer_id`` path parameter as the
    asker means it: a token (:func:`shown_ids`) opened back into its id, whoever sends
    it; else the id as sent by those who see personal data. Anything else a viewer sends
    (a real id, a nickname) is answered as an id no customer has (``message``), so ids
    cannot be probed for."""

    async def asked(request: Request, customer_id: str) -> str:
        user = request_user(request)
        if user is None:
            return customer_id  # the route's own sign-in answers
        refuse_blank_id(customer_id)
        found = cipher(request).open(customer_id)
        if found is not None:  # a viewer's link opens for anyone (an admin sent it too)
            return found
        if not sees_personal(user):
            raise UnknownCustomerError(customer_id, message)
        return customer_id

    return asked
