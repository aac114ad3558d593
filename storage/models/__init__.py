"""All models, importable from one place: `from storage.models import Case`."""
from .base import Base, JSONType, UTCDateTime, utcnow
from .calls import CALL_STAGES, VoiceCall
from .admin import AdminEvent
from .broadcasts import BROADCAST_ROLES, Broadcast
from .casework import ApiToken, CannedReply, Note, Solution
from .cases import (
    CASE_CATEGORIES, CASE_OUTCOMES, CASE_SOURCES, CASE_STATUSES, Case, CaseEvent,
    ReferenceCounter,
)
from .conversations import Conversation
from .inbound import InboundQueueItem
from .messages import DIRECTIONS, MESSAGE_STATUSES, Message
from .outings import PLACE_KINDS, WEATHERS, Outing
from .partners import (
    INVITE_KINDS, ORGANISATION_KINDS, InviteAttempt, InviteCode, NetworkMember, Organisation,
)
from .people import CHANNELS, CONTACT_ROLES, ChannelAddress, Contact
from .teams import TERRITORY_KINDS, Team, TeamTerritory, team_members
from .users import USER_ROLES, User, normalize_email

__all__ = [
    "Base", "JSONType", "UTCDateTime", "utcnow",
    "Case", "CaseEvent", "ReferenceCounter", "CASE_SOURCES", "CASE_STATUSES",
    "CASE_OUTCOMES", "CASE_CATEGORIES",
    "Note", "CannedReply", "Solution", "ApiToken",
    "AdminEvent",
    "Broadcast", "BROADCAST_ROLES",
    "Conversation",
    "VoiceCall", "CALL_STAGES",
    "InboundQueueItem",
    "Message", "DIRECTIONS", "MESSAGE_STATUSES",
    "Outing", "PLACE_KINDS", "WEATHERS",
    "Organisation", "InviteCode", "NetworkMember", "InviteAttempt", "ORGANISATION_KINDS",
    "INVITE_KINDS",
    "Contact", "ChannelAddress", "CHANNELS", "CONTACT_ROLES",
    "Team", "TeamTerritory", "team_members", "TERRITORY_KINDS",
    "User", "USER_ROLES", "normalize_email",
]
