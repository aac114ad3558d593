"""The case domain the inbox drives: who sees what, the list, the actions, the thread.

Plain Python on SQLAlchemy: no Flask, no provider SDK. Every function takes the
session, the acting user and `now` explicitly; none commits (the caller does, then
enqueues delivery of the outbox ids a reply returns). Refusals raise CaseError (or a
subclass) whose text is a French sentence for the coordinator.

    visibility  visible_cases, get_case, can_see
    listing     list_cases(filters, after) -> Page(cases, next_key), keyset pages
    filters     CaseFilters; search (words, phone, reference); territories (commune, EPCI…)
    asking      count_asking_for_a_person: APPEL cases waiting for a coordinator
    actions     assign, transfer, add_note, set_callback, set_categories, mark_read, hand_back
    status      change_status (transitions, outcome at closing), orient
    reply       reply -> outbox ids, on the person's own channel
    thread      thread (messages, notes, events merged), timeline
    canned      canned replies and fill()
    catalogue   the solutions admins manage
    tokens      the JSON API's tokens
"""
from inbox.cases.actions import (
    add_note, assign, hand_back, mark_read, set_callback, set_categories, transfer,
)
from inbox.cases.canned import (
    PLACEHOLDERS, canned_replies, create_canned, delete_canned, fill, get_canned, update_canned,
)
from inbox.cases.catalogue import add_solution, solutions, update_solution
from inbox.cases.errors import CannotReach, CaseError, NotAllowed, NotVisible, TransitionRefused
from inbox.cases.filters import CaseFilters
from inbox.cases.labels import (
    CATEGORY_LABELS, EVENT_LABELS, OUTCOME_LABELS, SOURCE_LABELS, STATUS_LABELS,
)
from inbox.cases.listing import Page, SortKey, list_cases
from inbox.cases.reply import reply
from inbox.cases.status import TRANSITIONS, allowed_statuses, change_status, orient
from inbox.cases.thread import ThreadItem, TimelineEntry, thread, timeline
from inbox.cases.tokens import issue_token, revoke_token, tokens_of, user_for_token
from inbox.cases.visibility import can_see, get_case, visible_cases

__all__ = [
    "visible_cases", "get_case", "can_see",
    "CaseFilters", "Page", "SortKey", "list_cases",
    "assign", "transfer", "add_note", "set_callback", "set_categories", "mark_read",
    "hand_back", "change_status", "orient", "allowed_statuses", "TRANSITIONS",
    "reply", "thread", "timeline", "ThreadItem", "TimelineEntry",
    "canned_replies", "get_canned", "create_canned", "update_canned", "delete_canned", "fill",
    "PLACEHOLDERS", "solutions", "add_solution", "update_solution",
    "issue_token", "user_for_token", "tokens_of", "revoke_token",
    "CaseError", "NotVisible", "NotAllowed", "TransitionRefused", "CannotReach",
    "STATUS_LABELS", "OUTCOME_LABELS", "SOURCE_LABELS", "CATEGORY_LABELS", "EVENT_LABELS",
]
