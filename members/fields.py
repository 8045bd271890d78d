"""A model field whose text is encrypted in the database and plain in Python (members/crypto.py)."""

from django import forms
from django.core.exceptions import FieldError
from django.db import models

from members import crypto


class EncryptedTextField(models.TextField):
    """Text encrypted with AES-GCM on save and decrypted on load.

    The column holds ``zv1$<key id>$<base64>`` (a fresh nonce per value), so equal values never
    look alike and the database can neither compare nor search them: every lookup except
    ``isnull`` is refused. Exact-match lookups go through a keyed hash column kept beside the
    field (``Member.id_number_hash``; ``Member.objects.with_id_number()``). ``max_length``
    limits the plaintext in forms; the column itself is unbounded text.
    """

    description = "Encrypted text (AES-GCM)"
    allowed_lookups = frozenset({"isnull"})

    @property
    def context(self) -> str:
        """The column's name, bound to each value as associated data: ``members.member.phone``."""
        return f"{self.model._meta.label_lower}.{self.name}"

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return crypto.decrypt(value, context=self.context)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return None
        return crypto.encrypt(value, context=self.context)

    def get_lookup(self, lookup_name):
        if lookup_name not in self.allowed_lookups:
            raise FieldError(
                f"“{self.verbose_name}”（{self.name}）在数据库中加密存储，不能按内容查询（{lookup_name}）；"
                "请按其哈希列查询，例如 Member.objects.with_id_number()"
            )
        return super().get_lookup(lookup_name)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": forms.CharField, "widget": forms.TextInput, **kwargs})
