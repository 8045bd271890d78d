"""Step 3 of 3: one member per 公民身份号码 (through its hash), and an index for finding a phone number.

A migration of its own: on PostgreSQL a constraint is better not added in the transaction that
just rewrote every row.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("members", "0003_encrypt_existing_members"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="member",
            constraint=models.UniqueConstraint(fields=("id_number_hash",), name="member_id_number_hash_unique"),
        ),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(fields=["phone_hash"], name="member_phone_hash_idx"),
        ),
    ]
