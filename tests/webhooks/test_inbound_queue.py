"""The webhook fast path: an inbound message is committed to the inbound queue, the
provider is answered, and the worker handles the message later; nothing is lost, nothing
is handled twice, one person's messages keep their order."""
from __future__ import annotations

from datetime import timedelta

import pytest
from huey import MemoryHuey
from sqlalchemy import select

from bot.delivery_limits import RateLimits
from bot.jobs import Jobs
from storage.models import Conversation, InboundQueueItem, Message, utcnow
from tests.fakes.telegram import callback_update
from tests.fakes.twilio import inbound_sms
from tests.support.people import seed_teams
from tests.webhooks.conftest import SMS_NUMBER, Telegram, Twilio

PERSON = "+33639981234"
SMS = "/webhooks/twilio/sms"


class LostQueue(MemoryHuey):
    """A job queue that cannot be reached: every enqueue fails (the process died, Redis is down)."""

    def enqueue(self, task):  # noqa: ANN001, ANN201
        raise ConnectionError("the job queue is unreachable")


class Held:
    """The app with a job queue that keeps its jobs until the test runs them."""

    def __init__(self, jobs: Jobs, client) -> None:  # noqa: ANN001
        self.jobs = jobs
        self.twilio = Twilio(client)
        self.telegram = Telegram(client)

    def pending(self) -> list:
        return self.jobs.huey.pending()

    def take(self) -> list:
        """Take every held job off the queue, as consumers do, without running it yet."""
        tasks = []
        while (task := self.jobs.huey.dequeue()) is not None:
            tasks.append(task)
        return tasks

    def run(self, task) -> None:  # noqa: ANN001
        """Run one job (and, inline, the deliveries it asks for)."""
        self.jobs.huey.immediate = True
        try:
            self.jobs.huey.execute(task)
        finally:
            self.jobs.huey.immediate = False

    def run_all(self) -> None:
        for task in self.take():
            self.run(task)


def make_app(db_url, settings, session_factory, huey):  # noqa: ANN001, ANN201
    from webhooks import create_app

    jobs = Jobs(huey, settings, session_factory=session_factory, limits=RateLimits({}))
    return jobs, create_app({"TESTING": True, "DATABASE_URL": db_url, "SETTINGS": settings,
                             "JOBS": jobs})


def close_senders(jobs: Jobs) -> None:
    for sender in jobs.senders().values():
        getattr(sender, "close", lambda: None)()


@pytest.fixture
def held(db_url, settings, session_factory):  # noqa: ANN201
    seed_teams(session_factory)
    jobs, app = make_app(db_url, settings, session_factory, MemoryHuey("held"))
    yield Held(jobs, app.test_client())
    close_senders(jobs)


def everything(session_factory, model) -> list:  # noqa: ANN001
    with session_factory() as session:
        return list(session.scalars(select(model).order_by(model.id)))


def queued(session_factory) -> list[InboundQueueItem]:
    return everything(session_factory, InboundQueueItem)


def inbound_bodies(session_factory) -> list[str]:
    with session_factory() as session:
        query = select(Message.body).where(Message.direction == "in").order_by(Message.id)
        return list(session.scalars(query))


def test_the_webhook_answers_once_the_message_is_queued_and_the_worker_handles_it(
        held, fake_twilio, session_factory):
    assert held.twilio.post(SMS, inbound_sms(PERSON, SMS_NUMBER, "Bonjour", sid="SM01")).status_code == 200
    [item] = queued(session_factory)
    assert (item.channel, item.address, item.provider_id) == ("sms", PERSON, "SM01")
    assert item.message["text"] == "Bonjour"
    assert inbound_bodies(session_factory) == [] and fake_twilio.messages == []

    held.run_all()

    assert queued(session_factory) == []
    assert inbound_bodies(session_factory) == ["Bonjour"]
    assert len(fake_twilio.messages) == 1


def test_a_replay_of_a_queued_message_is_acknowledged_and_stored_once(
        held, fake_twilio, session_factory):
    form = inbound_sms(PERSON, SMS_NUMBER, "Bonjour", sid="SM02")
    assert held.twilio.post(SMS, form).status_code == 200
    assert held.twilio.post(SMS, form).status_code == 200
    assert len(queued(session_factory)) == 1 and len(held.pending()) == 1

    held.run_all()
    assert inbound_bodies(session_factory) == ["Bonjour"] and len(fake_twilio.messages) == 1


def test_a_replay_of_a_handled_message_does_nothing(held, fake_twilio, session_factory):
    form = inbound_sms(PERSON, SMS_NUMBER, "Bonjour", sid="SM03")
    held.twilio.post(SMS, form)
    held.run_all()
    assert held.twilio.post(SMS, form).status_code == 200
    held.run_all()
    assert queued(session_factory) == []
    assert inbound_bodies(session_factory) == ["Bonjour"] and len(fake_twilio.messages) == 1


def test_a_message_whose_job_was_lost_is_handled_by_the_worker_when_it_starts(
        db_url, settings, session_factory, fake_twilio):
    seed_teams(session_factory)
    _, app = make_app(db_url, settings, session_factory, LostQueue("lost"))
    web = Twilio(app.test_client())
    assert web.post(SMS, inbound_sms(PERSON, SMS_NUMBER, "Bonjour", sid="SM04")).status_code == 200
    assert len(queued(session_factory)) == 1 and fake_twilio.messages == []

    worker = Jobs(MemoryHuey("worker", immediate=True), settings, session_factory=session_factory,
                  limits=RateLimits({}))
    worker.sweep_inbound(0)  # what the worker does when it starts
    close_senders(worker)

    assert queued(session_factory) == []
    assert inbound_bodies(session_factory) == ["Bonjour"] and len(fake_twilio.messages) == 1


def test_the_minute_sweep_takes_rows_left_long_enough_to_have_lost_their_job(
        db_url, settings, session_factory, fake_twilio):
    seed_teams(session_factory)
    _, app = make_app(db_url, settings, session_factory, LostQueue("lost"))
    Twilio(app.test_client()).post(SMS, inbound_sms(PERSON, SMS_NUMBER, "Bonjour", sid="SM05"))
    later = timedelta(0)
    worker = Jobs(MemoryHuey("worker", immediate=True), settings, session_factory=session_factory,
                  limits=RateLimits({}), clock=lambda: utcnow() + later)

    worker.inbound_due.call_local()  # a second later: its job may still be on the way
    assert len(queued(session_factory)) == 1

    later = timedelta(minutes=1)
    worker.inbound_due.call_local()
    close_senders(worker)
    assert queued(session_factory) == [] and len(fake_twilio.messages) == 1


def test_one_persons_messages_are_handled_in_the_order_they_arrived(
        held, fake_twilio, session_factory):
    for n, text in enumerate(["Bonjour", "oui", "1"]):
        held.twilio.post(SMS, inbound_sms(PERSON, SMS_NUMBER, text, sid=f"SM1{n}"))
    first, second, third = held.take()

    held.run(third)  # the last job to be taken handles the earlier messages first

    assert inbound_bodies(session_factory) == ["Bonjour", "oui", "1"]
    assert queued(session_factory) == []
    held.run(first)
    held.run(second)  # nothing left for them to do
    assert inbound_bodies(session_factory) == ["Bonjour", "oui", "1"]
    [conversation] = everything(session_factory, Conversation)
    assert conversation.state["step"] == "purposes"  # consent given, a difficulty chosen
    assert len(conversation.state["answers"]["difficulties"]) == 1
    assert len(fake_twilio.messages) == 3


def test_a_telegram_button_is_answered_in_the_webhook_response_before_it_is_handled(
        held, session_factory):
    response = held.telegram.post(callback_update(7, 5550001, "yes"))
    assert response.status_code == 200
    assert response.get_json()["method"] == "answerCallbackQuery"
    [item] = queued(session_factory)
    assert (item.channel, item.message["option_id"]) == ("telegram", "yes")


def test_erasing_leaves_nothing_in_the_queue(held, fake_twilio, session_factory):
    for n, text in enumerate(["Bonjour", "EFFACER", "oui"]):
        held.twilio.post(SMS, inbound_sms(PERSON, SMS_NUMBER, text, sid=f"SM2{n}"))
    held.run_all()
    assert queued(session_factory) == []
    assert len(fake_twilio.messages) == 3  # the welcome, the question, the confirmation
    assert set(inbound_bodies(session_factory)) == {""}
    assert everything(session_factory, Conversation) == []  # erased
