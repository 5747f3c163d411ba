"""`{% media_url file %}`: the private address of a stored picture or sound. On a
shared book's public page the view puts `media_share` (the share token) in the
context, and the address carries it, so the link's holder may open the file."""

from django import template

from storyforge.core.private_media import media_url as private_media_url

register = template.Library()


@register.simple_tag(takes_context=True)
def media_url(context, file) -> str:
    return private_media_url(file, share_token=context.get("media_share") or "")
