"""The Jinja2 environment of the UI: every template autoescaped, undefined names an error.

Article text reaches templates as plain strings (escaped on output) or as
:class:`~markupsafe.Markup` built by :mod:`.highlight` and :mod:`.charts`, which escape
every piece of text themselves. No template marks anything ``|safe``.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import Environment, PackageLoader, StrictUndefined

from .. import __version__
from .charts import series_class
from .highlight import render_marked

__all__ = ["environment", "render"]

LANGUAGE_NAMES = {
    "sv": "Swedish",
    "nb": "Norwegian Bokmål",
    "nn": "Norwegian Nynorsk",
    "da": "Danish",
    "en": "English",
    "und": "undetermined",
}


def article_url(article_id: str) -> str:
    return "/article/" + quote(article_id, safe="")


def story_url(story_id: str) -> str:
    return "/story/" + quote(story_id, safe="")


def entity_url(entity_id: str) -> str:
    return "/entity/" + quote(entity_id, safe="")


def link(path: str, **params: Any) -> str:
    kept = {k: v for k, v in params.items() if v not in (None, "", False)}
    return path + ("?" + urlencode(kept) if kept else "")


def language_name(code: str | None) -> str:
    return LANGUAGE_NAMES.get(code or "und", code or "undetermined")


def number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}".replace(",", "\u202f")  # narrow no-break space, as Nordic style
    return "" if value is None else str(value)


def day(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return value or "–"


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("nyhetsvakt.web", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        article_url=article_url,
        story_url=story_url,
        entity_url=entity_url,
        link=link,
        language_name=language_name,
        series_class=series_class,
        version=__version__,
    )
    env.filters.update(number=number, day=day, marked=render_marked, language_name=language_name)
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
