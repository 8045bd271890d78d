"""Assessment pages: ``sets`` (years, indicator trees, results, scoring, publishing, exports) and
``duty`` (述职评议)."""

from django.contrib import messages
from django.utils.translation import gettext as _


def stale_notice(request, form, exc) -> None:
    """A stale edit (``StaleEditError``): say what changed meanwhile and keep the form, now on the
    stored version, so that saving again overwrites knowingly."""
    lines = "；".join(f"{label}：{current} → {mine}" for label, current, mine in exc.conflicts)
    messages.error(request, _("该记录在您打开之后已被他人修改，您的修改没有保存。%(lines)s") % {"lines": lines})
    form.data = form.data.copy()
    form.data["version"] = exc.current.version
