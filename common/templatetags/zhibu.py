from django import template

from common import logdisplay

register = template.Library()


@register.filter
def action_label(code: str) -> str:
    return logdisplay.action_label(code)


@register.filter
def change_rows(entry):
    return logdisplay.change_rows(entry)


@register.simple_tag(takes_context=True)
def render_panel(context, panel):
    """Draw a registered panel (``common.registry.ShownPanel``): its template, with the page's
    context and the panel's own on top, like ``{% include %}`` does."""
    template = context.template.engine.get_template(panel.template)
    with context.push(panel.context):
        return template.render(context)
