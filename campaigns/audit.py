"""Readable Chinese labels for the audit action codes of the campaigns app."""

from django.utils.translation import gettext_lazy as _

from common import logdisplay

ACTIONS = {
    "campaigns.campaign.created": _("发起主题活动"),
    "campaigns.campaign.changed": _("修改主题活动"),
    "campaigns.campaign.archived": _("归档主题活动"),
    "campaigns.campaign.restored": _("恢复主题活动"),
    "campaigns.stage.created": _("新增活动阶段"),
    "campaigns.stage.changed": _("修改活动阶段"),
    "campaigns.book.added": _("新增学习书目"),
    "campaigns.task.created": _("新增活动任务"),
    "campaigns.task.changed": _("修改活动任务"),
    "campaigns.task.completed": _("上报任务完成"),
    "campaigns.reflection.submitted": _("提交读书心得"),
    "campaigns.reflection.flagged": _("心得疑似雷同"),
    "campaigns.reflection.commented": _("点评读书心得"),
    "campaigns.reflection.selected": _("心得入选交流"),
    "campaigns.reflection.unselected": _("取消心得入选"),
    "campaigns.reflection.linked": _("关联交流会心得"),
    "campaigns.material.created": _("上传学习资料"),
    "campaigns.material.changed": _("修改学习资料"),
    "campaigns.material.archived": _("归档学习资料"),
    "campaigns.material.restored": _("恢复学习资料"),
    "campaigns.material.read": _("标记资料已读"),
}

logdisplay.register(ACTIONS)
