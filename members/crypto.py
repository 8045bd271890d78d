"""Personal data at rest: AES-256-GCM encryption and keyed lookup hashes (HMAC-SHA-256).

Keys come from the environment (or settings of the same name, which tests override):

- ``ZHIBU_DATA_KEYS = "keyid:base64key[,keyid2:base64key2...]"``: 32-byte AES keys. The first is
  the current key, used for every write; the others are only read, while a rotation is under way
  (``manage.py rotate_data_key`` re-encrypts every row with the current key).
- ``ZHIBU_HASH_KEY = "base64key"``: 32 or more bytes, the HMAC key of the lookup hashes.

Without them (development, tests, the demo) both keys are derived from ``SECRET_KEY``, under the
key id ``dev``. Production settings refuse to start without them (zhibu/settings_production.py).
Values encrypted under ``dev`` stay readable after real keys are configured, so that an install
can move to real keys with one ``rotate_data_key``.

A stored value reads ``zv1$<key id>$<base64(nonce ‖ ciphertext ‖ tag)>``: the format version,
the id of the key that encrypted it, a fresh 96-bit nonce per value, and the GCM output. The
associated data is the column's name (``members.member.id_number``), so a value copied into
another column does not decrypt. Empty text is stored as empty text: it holds nothing to hide.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import os
import re

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from common.errors import DomainError

VERSION = "zv1"
SEPARATOR = "$"
DEV_KEY_ID = "dev"
KEY_BYTES = 32
NONCE_BYTES = 12
MIN_HASH_KEY_BYTES = 32
KEY_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


class DataKeyError(ImproperlyConfigured):
    """``ZHIBU_DATA_KEYS`` or ``ZHIBU_HASH_KEY`` is malformed."""


class DecryptionError(DomainError):
    """A stored value cannot be decrypted: unknown key id, wrong key, or altered data."""


def _decode_key(text: str, *, name: str) -> bytes:
    try:
        return base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise DataKeyError(f"{name}：密钥不是有效的 base64 文本") from exc


def parse_data_keys(raw: str) -> list[tuple[str, bytes]]:
    """``"k2:base64,k1:base64"`` → ``[("k2", key), ("k1", key)]``, checked; current key first."""
    keys: list[tuple[str, bytes]] = []
    for item in (raw or "").split(","):
        item = item.strip()
        if not item:
            continue
        key_id, sep, encoded = item.partition(":")
        key_id = key_id.strip()
        if not sep or not KEY_ID_RE.match(key_id):
            raise DataKeyError(
                "ZHIBU_DATA_KEYS 的格式应为“密钥编号:base64密钥”，多个以逗号分隔；"
                "密钥编号只能含字母、数字、下划线和连字符（至多32个）"
            )
        key = _decode_key(encoded, name=f"ZHIBU_DATA_KEYS 中的 {key_id}")
        if len(key) != KEY_BYTES:
            raise DataKeyError(
                f"ZHIBU_DATA_KEYS 中的 {key_id} 应为 {KEY_BYTES} 字节（AES-256），实际为 {len(key)} 字节"
            )
        if any(key_id == known for known, _ in keys):
            raise DataKeyError(f"ZHIBU_DATA_KEYS 中的密钥编号 {key_id} 出现了两次")
        keys.append((key_id, key))
    return keys


def parse_hash_key(raw: str) -> bytes:
    key = _decode_key(raw, name="ZHIBU_HASH_KEY")
    if len(key) < MIN_HASH_KEY_BYTES:
        raise DataKeyError(f"ZHIBU_HASH_KEY 至少应为 {MIN_HASH_KEY_BYTES} 字节，实际为 {len(key)} 字节")
    return key


def new_key() -> str:
    """A fresh random key, base64-encoded: usable as a data key or as the hash key."""
    return base64.b64encode(os.urandom(KEY_BYTES)).decode()


def _setting(name: str) -> str:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, "")
    return value or ""


def _derived(purpose: bytes) -> bytes:
    """A development key derived from SECRET_KEY; never used when real keys are configured."""
    return hmac.new(settings.SECRET_KEY.encode(), purpose, hashlib.sha256).digest()


@functools.lru_cache(maxsize=8)
def _keyring(raw: str, secret_key: str) -> tuple[tuple[str, bytes], dict[str, AESGCM]]:
    dev = (DEV_KEY_ID, _derived(b"zhibu data key v1"))
    keys = parse_data_keys(raw) or [dev]
    ciphers = {key_id: AESGCM(key) for key_id, key in keys}
    # Values written before real keys were configured stay readable until they are rotated.
    ciphers.setdefault(DEV_KEY_ID, AESGCM(dev[1]))
    return keys[0], ciphers


def keyring() -> tuple[str, dict[str, AESGCM]]:
    """The current key id and every readable key (cached per configuration)."""
    (current, _key), ciphers = _keyring(_setting("ZHIBU_DATA_KEYS"), settings.SECRET_KEY)
    return current, ciphers


def current_key_id() -> str:
    return keyring()[0]


@functools.lru_cache(maxsize=8)
def _hash_key(raw: str, secret_key: str) -> bytes:
    return parse_hash_key(raw) if raw.strip() else _derived(b"zhibu hash key v1")


def is_encrypted(value) -> bool:
    return isinstance(value, str) and value.startswith(VERSION + SEPARATOR)


def key_id_of(token: str) -> str:
    """The id of the key that encrypted ``token`` (a stored value)."""
    return _split(token)[0]


def _split(token: str) -> tuple[str, bytes]:
    parts = token.split(SEPARATOR)
    if len(parts) != 3 or parts[0] != VERSION:
        raise DecryptionError("存储的加密数据格式无法识别（应以 zv1$ 开头），可能未经迁移或已被改动")
    try:
        blob = base64.b64decode(parts[2], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise DecryptionError("存储的加密数据已损坏（不是有效的 base64）") from exc
    if len(blob) <= NONCE_BYTES:
        raise DecryptionError("存储的加密数据已损坏（长度不足）")
    return parts[1], blob


def encrypt(plaintext: str, *, context: str) -> str:
    """Encrypt with the current key. ``context`` (the column's name) is bound as associated data."""
    if plaintext == "":
        return ""
    key_id, ciphers = keyring()
    nonce = os.urandom(NONCE_BYTES)
    sealed = ciphers[key_id].encrypt(nonce, plaintext.encode("utf-8"), context.encode("utf-8"))
    return SEPARATOR.join((VERSION, key_id, base64.b64encode(nonce + sealed).decode("ascii")))


def decrypt(token: str, *, context: str) -> str:
    """The plaintext of a stored value; ``DecryptionError`` saying why if it cannot be read."""
    if token == "":
        return ""
    key_id, blob = _split(token)
    cipher = keyring()[1].get(key_id)
    if cipher is None:
        raise DecryptionError(f"数据由密钥 {key_id} 加密，但 ZHIBU_DATA_KEYS 中没有该密钥；轮换完成前不能移除旧密钥")
    try:
        plaintext = cipher.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], context.encode("utf-8"))
    except InvalidTag as exc:
        raise DecryptionError(
            f"解密失败：密钥 {key_id} 与数据不符（配置的密钥错误），或数据已被改动（{context}）"
        ) from exc
    return plaintext.decode("utf-8")


def lookup_hash(value: str, *, purpose: str) -> str:
    """HMAC-SHA-256 of ``value`` under the hash key, hex; ``""`` for empty text.

    ``purpose`` (e.g. ``"id_number"``) separates the hashes of different kinds of value, so that
    equal text in two columns does not hash alike.
    """
    if not value:
        return ""
    key = _hash_key(_setting("ZHIBU_HASH_KEY"), settings.SECRET_KEY)
    return hmac.new(key, f"{purpose}\x00{value}".encode(), hashlib.sha256).hexdigest()
