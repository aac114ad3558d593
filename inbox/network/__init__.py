"""The network page without Flask: each organisation's activity, and news to the members."""
from inbox.network.broadcasts import (MAX_TEXT, ROLE_LABELS, BroadcastError, NewsForm, Progress,
                                      describe_audience, new_token, opted_in_count, progress,
                                      recent, send)
from inbox.network.stats import OrganisationActivity, network_activity, reasons_to_recontact

__all__ = [
    "MAX_TEXT", "ROLE_LABELS", "BroadcastError", "NewsForm", "Progress", "describe_audience",
    "new_token", "opted_in_count", "progress", "recent", "send",
    "OrganisationActivity", "network_activity", "reasons_to_recontact",
]
