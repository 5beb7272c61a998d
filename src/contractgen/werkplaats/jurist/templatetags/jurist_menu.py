"""`{% jurist_regios as regios %}`: the regions where the logged-in person is a jurist (for the menu)."""

from django import template

from contractgen.werkplaats.toegang.models import Rol
from contractgen.werkplaats.toegang.rechten import zichtbare_regios

register = template.Library()


@register.simple_tag(takes_context=True)
def jurist_regios(context):
    request = context.get("request")
    if request is None or not getattr(request, "user", None) or not request.user.is_authenticated:
        return []
    return zichtbare_regios(request, Rol.JURIST)
