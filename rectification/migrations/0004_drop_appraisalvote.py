import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("rectification", "0003_votes_to_ballots"),
    ]

    operations = [
        migrations.DeleteModel(
            name="AppraisalVote",
        ),
        migrations.AlterField(
            model_name="appraisalround",
            name="ballot",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="ballots.round",
                verbose_name="无记名投票",
            ),
        ),
    ]
