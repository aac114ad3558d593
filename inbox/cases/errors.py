"""What the case domain refuses, each with a French message for the coordinator."""
from __future__ import annotations

from bot import handover


class CaseError(Exception):
    """A refused action; str(error) is a French sentence the inbox can show as is."""


class NotVisible(CaseError):
    """The case is not one of the user's teams' (the web layer answers 404)."""

    def __init__(self, message: str = "Cette demande n'existe pas ou n'est pas celle de vos équipes."):
        super().__init__(message)


class NotAllowed(CaseError):
    """The user's role does not allow this (e.g. only admins manage the catalogue)."""


class TransitionRefused(CaseError):
    """A status change the case's workflow does not allow, or a closing without outcome."""


class CannotReach(CaseError, handover.CannotReach):
    """The person cannot be written to: erased, STOP, or no known address."""
