"""`{% page_link volunteer_id %}`: a volunteer's own page address, for the office's edit page
(the page's secret made on first need)."""

from __future__ import annotations

from typing import Any

from django import template

from web.personal import page_address

register = template.Library()


@register.simple_tag(takes_context=True)
def page_link(context: dict[str, Any], volunteer_id: str) -> str:
    return page_address(context["request"], volunteer_id)
