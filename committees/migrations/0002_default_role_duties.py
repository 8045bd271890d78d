"""Default duty lists (工作职责) of the committee roles. Committee staff edit them afterwards.

Drawn from the seed (II.2: the secretary is the first responsible person; committee members are
also the party-group leaders of their departments and carry 一岗双责; I: 五带头) and the usual
division of work in a branch committee. An existing row is never overwritten.
"""

from django.db import migrations

FIVE_LEADS = "践行“五带头”：带头加强学习、带头讲党课、带头参加支部组织生活、带头服务群众、带头严于律己。"
GROUP_LEADER = "兼任本部门党小组长，落实“一岗双责”，把党建工作纳入部门工作整体布局，对分管的部门和人员既管工作又管思想。"

DUTIES = {
    "secretary": [
        "作为支部党建工作第一责任人，全面主持支部工作，带头履行管党治党主体责任。",
        "重要工作亲自部署、重大问题亲自研究、重点环节亲自协调、重要任务亲自督办。",
        "召集支委会和党员大会，严格落实“三会一课”、主题党日、组织生活会等制度，每年至少为党员讲一次党课。",
        "抓好思想政治建设，组织党员学习党章党规和党的理论，统筹推进学习教育和主题实践活动。",
        "配强党务干部，落实支部工作的基本保障，抓好支委班子自身建设和分工协作。",
        "定期向机关党委报告工作，接受党员监督，年底开展抓党建工作述职。",
        FIVE_LEADS,
    ],
    "deputy_secretary": [
        "协助书记抓好支部全面工作，书记不在时受委托主持日常工作。",
        "负责支部建设的具体组织落实，协调各支委按分工推进工作。",
        "协助书记抓好“三会一课”、主题党日和组织生活会的筹备与记录。",
        GROUP_LEADER,
        FIVE_LEADS,
    ],
    "organization": [
        "负责支部组织建设，做好党员和党小组的组织管理，健全党员信息和组织关系台账。",
        "负责发展党员工作，做好入党申请人、积极分子、发展对象的培养考察和预备党员教育考察。",
        "负责党员教育管理，组织民主评议党员，掌握党员参加组织生活和学习培训情况。",
        "负责党费收缴、使用和管理，按月收缴并定期公布。",
        "办理党员组织关系接转，做好流动党员和困难党员的联系服务。",
        GROUP_LEADER,
        FIVE_LEADS,
    ],
    "publicity": [
        "负责支部宣传思想工作，及时传达学习党的路线方针政策和上级部署。",
        "制定并落实支部学习计划，组织集中学习、读书心得交流等学习教育活动。",
        "协助书记安排党课内容，做好学习资料的收集、推荐和学习记录。",
        "宣传支部工作成效和先进典型，做好意识形态工作，了解和反映党员群众的思想动态。",
        GROUP_LEADER,
        FIVE_LEADS,
    ],
    "discipline": [
        "负责支部纪律检查工作，监督党员遵守党章党规党纪，严肃党内政治生活。",
        "组织开展廉政教育和警示教育，利用固定学习日学习廉政法规，组织参观警示教育基地。",
        "对支部党员特别是领导干部履行职责、遵守廉洁纪律的情况进行监督，发现问题及时提醒、报告。",
        "受理党员和群众的检举、控告和申诉，协助上级纪检组织做好相关工作。",
        GROUP_LEADER,
        FIVE_LEADS,
    ],
    "member": [
        "按照支委会分工承担相应工作，参加支委会集体研究和决定支部重要事项。",
        "联系所在部门党员，了解反映党员群众的意见和诉求。",
        GROUP_LEADER,
        FIVE_LEADS,
    ],
}


def add_defaults(apps, schema_editor):
    RoleDuty = apps.get_model("committees", "RoleDuty")
    for role, lines in DUTIES.items():
        RoleDuty.objects.get_or_create(role=role, defaults={"text": "\n".join(lines)})


class Migration(migrations.Migration):
    dependencies = [
        ("committees", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(add_defaults, migrations.RunPython.noop),
    ]
