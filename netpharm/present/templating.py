"""The report's jinja2 environments: autoescaping on, shared macros from ``netpharm/present/templates``.

Each package renders its own templates (``netpharm/<stage>/templates/<section>.html.j2``; the
report's frame in ``netpharm/report/templates``) with the shared ``macros.html.j2`` importable
from every one of them. Every value reaches the page through jinja2's escaping unless it is
:class:`markupsafe.Markup` built from escaped parts (:mod:`netpharm.present.markup`).
``StrictUndefined`` turns a misspelt template variable into an error instead of an empty cell.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2
from markupsafe import Markup

from netpharm.present.markup import fmt

__all__ = ["environment", "render"]


def _css_class(value: Any) -> str:
    """A status or verdict as a CSS class name (``partially supported`` → ``partially-supported``)."""
    return str(value).replace(" ", "-")


@cache
def environment(package: str) -> jinja2.Environment:
    """The environment of ``package``'s ``templates`` folder, falling back on the shared macros."""
    loaders: list[jinja2.BaseLoader] = [jinja2.PackageLoader(package, "templates")]
    if package != __package__:
        loaders.append(jinja2.PackageLoader(__package__, "templates"))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "j2"), default=True),
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["fmt"] = fmt
    env.filters["css_class"] = _css_class
    env.tests["mapping"] = lambda v: isinstance(v, dict)
    env.tests["sequence_value"] = lambda v: isinstance(v, (list, tuple))
    return env


def render(package: str, template: str, /, **context: Any) -> Markup:
    """Render ``<package>/templates/<template>`` with ``context``; the result is safe markup."""
    return Markup(environment(package).get_template(template).render(**context))
