# The 民主评议 votes move to the anonymous ballot of ``ballots`` (docs/ballots.md):
# 0002 adds the link, 0003 moves the votes, 0004 drops AppraisalVote (voter + grade + time).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("ballots", "0001_initial"),
        ("rectification", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="appraisalround",
            name="ballot",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="ballots.round",
                verbose_name="无记名投票",
            ),
        ),
        migrations.AlterField(
            model_name="appraisalround",
            name="status",
            field=models.CharField(
                choices=[("draft", "准备中"), ("voting", "投票中"), ("closed", "投票结束"), ("decided", "已评定")],
                default="draft",
                max_length=20,
                verbose_name="状态",
            ),
        ),
    ]
