"""The report's jinja2 environment: templates in ``netpharm/report/templates``, autoescaping on.

Every value reaches the page through jinja2's escaping unless it is :class:`markupsafe.Markup`
built from escaped parts (:mod:`netpharm.report.markup`). ``StrictUndefined`` turns a
misspelt template variable into an error instead of an empty cell.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import jinja2
from markupsafe import Markup

from netpharm.report.markup import fmt

__all__ = ["environment", "render"]


def _css_class(value: Any) -> str:
    """A status or verdict as a CSS class name (``partially supported`` → ``partially-supported``)."""
    return str(value).replace(" ", "-")


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("netpharm.report", "templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "j2"), default=True),
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["fmt"] = fmt
    env.filters["css_class"] = _css_class
    env.tests["mapping"] = lambda v: isinstance(v, dict)
    env.tests["sequence_value"] = lambda v: isinstance(v, (list, tuple))
    return env


def render(name: str, **context: Any) -> Markup:
    """Render ``templates/<name>`` with ``context``; the result is safe markup."""
    return Markup(environment().get_template(name).render(**context))
