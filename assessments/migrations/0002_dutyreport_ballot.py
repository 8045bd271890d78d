# The 述职评议 votes move to the anonymous ballot of ``ballots`` (docs/ballots.md):
# 0002 adds the link, 0003 moves the votes, 0004 drops DutyBallot and DutyTally.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("assessments", "0001_initial"),
        ("ballots", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="dutyreport",
            name="ballot",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="ballots.round",
                verbose_name="无记名投票",
            ),
        ),
    ]
