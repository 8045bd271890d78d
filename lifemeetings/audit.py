"""Readable Chinese labels for the audit action codes of the life-meeting package."""

from django.utils.translation import gettext_lazy as _

from common import logdisplay

ACTIONS = {
    "lifemeetings.talk.created": _("登记谈心谈话"),
    "lifemeetings.talk.changed": _("修改谈心谈话"),
    "lifemeetings.talk.archived": _("归档谈心谈话"),
    "lifemeetings.talk.restored": _("恢复谈心谈话"),
    "lifemeetings.material.created": _("起草对照检查材料"),
    "lifemeetings.material.changed": _("修改对照检查材料"),
    "lifemeetings.material.submitted": _("提交对照检查材料"),
    "lifemeetings.material.returned": _("退回对照检查材料"),
    "lifemeetings.material.attachment_added": _("上传对照检查材料附件"),
    "lifemeetings.criticism.created": _("登记批评与自我批评"),
    "lifemeetings.criticism.changed": _("修改批评与自我批评"),
    "lifemeetings.criticism.archived": _("归档批评与自我批评"),
    "lifemeetings.problem.created": _("登记查摆问题"),
    "lifemeetings.problem.changed": _("修改查摆问题"),
    "lifemeetings.problem.archived": _("归档查摆问题"),
    "lifemeetings.problem.raised": _("查摆问题转整改事项"),
}

logdisplay.register(ACTIONS)
