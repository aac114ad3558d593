"""What the administration refuses, with a French message for the admin."""
from __future__ import annotations

from inbox.cases.errors import CaseError, NotAllowed
from inbox.cases.visibility import is_admin
from storage.models import User


class AdminError(CaseError):
    """A refused administration action; str(error) is a French sentence to show as is."""


def ensure_admin(user: User | None) -> None:
    """Raise NotAllowed unless `user` is an active admin (None, the command line, may act)."""
    if user is not None and not is_admin(user):
        raise NotAllowed("Seuls les admins gèrent ce réglage.")
