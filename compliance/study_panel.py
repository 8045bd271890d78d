"""What compliance adds to the study dashboard (``study.registry``), registered on import from
``ComplianceConfig.ready()``: the card that offers the rule 固定学习日每月至少开展1次."""

from __future__ import annotations

from django.template.loader import render_to_string

from compliance import permissions, services
from study.registry import register_dashboard_panel


@register_dashboard_panel
def study_day_rule(request):
    """For the rule managers: whether the study-day rule exists, else a button that adds it."""
    if not permissions.can(request.user, "rule.manage"):
        return None
    return render_to_string(
        "compliance/_study_day_rule.html", {"rule_exists": services.study_day_rule_exists()}, request=request
    )
