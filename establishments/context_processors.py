"""Template context of every page: the Department that runs the portal today (`departments`)."""
from django.utils.functional import SimpleLazyObject

from .departments import request_department


def department(request):
    """`department`: today's Department row (header, title, footer, sign-in page, printed report), read once
    per request when a template first uses it; None without rows. Pages that render no template (files,
    charts, JSON) do not read it."""
    return {"department": SimpleLazyObject(lambda: request_department(request))}
