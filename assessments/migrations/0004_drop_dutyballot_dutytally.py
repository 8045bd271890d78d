from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("assessments", "0003_votes_to_ballots"),
    ]

    operations = [
        migrations.DeleteModel(
            name="DutyBallot",
        ),
        migrations.DeleteModel(
            name="DutyTally",
        ),
    ]
