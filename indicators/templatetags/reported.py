"""The source document and quotation of a dashboard's reported value, in the user's language."""
from django import template

from indicators.models import reported_texts

register = template.Library()


@register.filter
def reported_document(reported):
    return reported_texts(reported)[0]


@register.filter
def reported_quote(reported):
    return reported_texts(reported)[1]
