"""The ``customer.…`` fields a journey's templates read that no customer has.

Templates render with ``StrictUndefined``: a field a customer lacks (a typo such as
``{{ customer.nmae }}``) sends that customer nothing (treated, ``template_error``).
``kequn journeys check`` warns about such fields beforehand. A warning, not a refusal:
what a customer has is their run's row (every feature and label of the catalogue) and
their contact fields, and a use guarded with ``| default(…)`` or ``is defined`` is fine.
"""

from __future__ import annotations

from jinja2 import TemplateSyntaxError, nodes

from kequn.automation.contacts import CONTACT
from kequn.automation.journeys import EmailChannel, Journeys, template_env
from kequn.core.i18n import t
from kequn.features.catalogue import catalogue
from kequn.taxonomy.model import Taxonomy

#: a mapping's own methods a template may call on ``customer``
_METHODS = frozenset({"get", "items", "keys", "values"})
#: filters and tests that make a missing field fine
_GUARDS = frozenset({"default", "d", "defined", "undefined", "none"})


def unknown_fields(journeys: Journeys, taxonomy: Taxonomy) -> list[tuple[str, str]]:
    """(where, field) for each ``customer.FIELD`` / ``customer['FIELD']`` read unguarded
    that is neither a feature, a label nor a contact field; ``where`` is
    ``journey.templates.lang.part``."""
    known = set(catalogue(taxonomy.extra_names())) | set(CONTACT) | _METHODS
    found: set[tuple[str, str]] = set()
    for journey in journeys.journeys:
        for lang, template in journey.templates.items():
            for part in ("subject", "body"):
                where = f"{journey.id}.templates.{lang}.{part}"
                try:
                    tree = template_env().parse(getattr(template, part))
                except TemplateSyntaxError:  # told by the check itself
                    continue
                found |= {(where, f) for f in _fields(tree) if f not in known}
    return sorted(found)


def _fields(tree: nodes.Template) -> set[str]:
    """The fields of ``customer`` the template reads, less those it guards anywhere
    (``{% if customer.x is defined %}{{ customer.x }}{% endif %}`` is fine)."""
    guarded = {
        _field(node.node)
        for node in tree.find_all((nodes.Filter, nodes.Test))
        if node.name in _GUARDS and node.node is not None
    }
    read = {_field(node) for node in tree.find_all((nodes.Getattr, nodes.Getitem))}
    return {f for f in read - guarded if f is not None}


def _field(node: nodes.Node) -> str | None:
    """``FIELD`` when ``node`` is ``customer.FIELD`` or ``customer['FIELD']``."""
    if not isinstance(node, nodes.Getattr | nodes.Getitem):
        return None
    if not (isinstance(node.node, nodes.Name) and node.node.name == "customer"):
        return None
    if isinstance(node, nodes.Getattr):
        return str(node.attr)
    if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
        return node.arg.value
    return None


def unsubscribe_warnings(journeys: Journeys) -> list[str]:
    """What ``kequn journeys check`` warns about each e-mail journey that honours
    opt-outs (marketing): its channel has no ``unsubscribe_url`` (its e-mails carry no
    way to opt out), or one without ``{token}`` (every e-mail the same link, naming no
    one: the unsubscribe page refuses it). In the reader's language."""
    out = []
    for journey in journeys.journeys:
        channel = journeys.channels.get(journey.channel)
        if not isinstance(channel, EmailChannel) or not journey.honours_opt_out:
            continue
        if not channel.unsubscribe_url:
            out.append(t("automation.no_unsubscribe", id=journey.id, channel=journey.channel))
        elif "{token}" not in channel.unsubscribe_url:
            out.append(t("automation.unsubscribe_token", channel=journey.channel))
    return sorted(set(out))
