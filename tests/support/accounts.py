"""A password for test accounts, hashed once: scrypt is slow on purpose."""
from __future__ import annotations

from functools import cache

from storage.seed import hash_password

PASSWORD = "un mot de passe de test"


@cache
def password_hash() -> str:
    """PASSWORD hashed with the project's algorithm, computed once per test session."""
    return hash_password(PASSWORD)
