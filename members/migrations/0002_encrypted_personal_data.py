"""公民身份号码 and phone become encrypted text (members/fields.py), with keyed lookup hashes beside them.

Step 1 of 3: the columns. 0003 encrypts the existing rows, 0004 adds the unique constraint on the hash.
"""

import members.fields
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("members", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="member",
            name="id_number",
            field=members.fields.EncryptedTextField(max_length=18, verbose_name="公民身份号码"),
        ),
        migrations.AlterField(
            model_name="member",
            name="phone",
            field=members.fields.EncryptedTextField(blank=True, max_length=20, verbose_name="手机号码"),
        ),
        migrations.AddField(
            model_name="member",
            name="id_number_hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="公民身份号码哈希"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="member",
            name="phone_hash",
            field=models.CharField(blank=True, default="", editable=False, max_length=64, verbose_name="手机号码哈希"),
            preserve_default=False,
        ),
    ]
