"""/demandes/<id>/medias/<message>/<n>: a recording, voice note or photo of a case, streamed.

Only a coordinator who may see the case gets it; the bytes come from the provider
through bot.media (with the account's credentials), never from a provider link, and no
shared cache may keep them.
"""
from __future__ import annotations

from flask import Response, abort, current_app, stream_with_context
from sqlalchemy import select

from bot import media as provider_media
from inbox import cases as domain
from inbox.views import blueprint
from inbox.views.common import acting_user, db
from storage.models import Message


@blueprint.get("/demandes/<int:case_id>/medias/<int:message_id>/<int:index>")
def media(case_id: int, message_id: int, index: int) -> Response:
    """The `index`-th media of a message the person sent on this case."""
    with db() as session:
        user = acting_user(session)
        if domain.get_case(session, user, case_id) is None:
            abort(404)
        message = session.scalars(select(Message).where(
            Message.id == message_id, Message.case_id == case_id,
            Message.direction == "in")).first()
        items = (message.media or []) if message is not None else []
        if index >= len(items) or not isinstance(items[index], dict):
            abort(404)
        channel, item = message.channel, dict(items[index])
    try:
        fetched = provider_media.fetch(current_app.config["SETTINGS"], channel, item)
    except provider_media.MediaUnavailable:
        abort(404)
    response = Response(stream_with_context(fetched.chunks), content_type=fetched.content_type)
    if fetched.length is not None:
        response.content_length = fetched.length
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Disposition"] = (
        "inline" if fetched.content_type != "application/octet-stream" else "attachment")
    return response
