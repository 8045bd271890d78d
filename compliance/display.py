"""How statuses look: Chinese labels, badge classes and heatmap colours (one place for all pages,
exports and charts)."""

from django.utils.translation import gettext_lazy as _

from compliance.engine import DUE, MET, MISSED, NOT_APPLICABLE

STATUS_LABELS = {
    MET: _("已达标"),
    MISSED: _("未达标"),
    DUE: _("待完成"),
    NOT_APPLICABLE: _("不适用"),
}

# CSS badge classes of static/zhibu/zhibu.css.
STATUS_BADGES = {MET: "badge-ok", MISSED: "badge-bad", DUE: "badge-warn", NOT_APPLICABLE: "badge-muted"}

# Heatmap fills: met green, missed red, due amber, not applicable grey; no obligation yet: white.
STATUS_COLOURS = {MET: "#2e8b4e", MISSED: "#c62828", DUE: "#e8a317", NOT_APPLICABLE: "#c4c9cf"}
EMPTY_COLOUR = "#ffffff"


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))
