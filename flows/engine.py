"""The engine: one message in, the next state, the replies and the effects out.

    advance(flow, state, inbound, now) -> Step(state, replies, effects)

Pure: no database, no network, no clock (`now` is given). The same inputs always give
the same outputs, which is what lets the transcript tests read like conversations.
"""
from __future__ import annotations

import copy
from dataclasses import replace
from datetime import datetime, timedelta

from flows import global_words as words
from flows import languages
from flows.flow import Flow
from flows.language_choice import LanguageChoice
from flows.model import ACTIVE, DONE, EXPIRED, STOPPED, WITH_HUMAN, Effect, Inbound, Reply, State, Step
from flows.questions import Answer, FollowUp, Jump, Missed, Question
from flows.understanding import yes_or_no
from flows.vocabulary import YES_NO

RESUME_AFTER = timedelta(hours=6)  # a pause this long is greeted before going on
MISSES_BEFORE_CALL_OFFER = 2
YES_NO_OPTIONS = tuple(c.option("common") for c in YES_NO)


def advance(flow: Flow, state: State, inbound: Inbound, now: datetime) -> Step:
    """Run one turn of the conversation."""
    turn = _Turn(flow, copy.deepcopy(state), inbound, now)
    turn.run()
    turn.state.last_activity = now
    turn.state.reminded = False
    return Step(turn.state, tuple(turn.replies), tuple(turn.effects))


def remind(flow: Flow, state: State, now: datetime, idle_after: timedelta,
           expire_after: timedelta) -> Step | None:
    """One gentle reminder after `idle_after`; forget the answers after `expire_after`."""
    if not flow.reminds or state.status != ACTIVE or state.step in (None, *flow.rests_at) \
            or state.last_activity is None:
        return None
    idle = now - state.last_activity
    if idle >= expire_after:
        expired = State(flow=flow.id, status=EXPIRED, last_activity=state.last_activity,
                        language=state.language)
        return Step(expired, (), (Effect("conversation_expired"),))
    if idle >= idle_after and not state.reminded:
        reminded = copy.deepcopy(state)
        reminded.reminded = True
        question = flow.question(state.step)
        replies = (Reply("common.reminder"),) + (question.ask(state, again=True) if question else ())
        return Step(reminded, replies, ())
    return None


class _Turn(LanguageChoice):
    """The work of one `advance` call: it collects replies and effects as it goes."""

    def __init__(self, flow: Flow, state: State, inbound: Inbound, now: datetime):
        self.flow, self.state, self.inbound, self.now = flow, state, inbound, now
        self.replies: list[Reply] = []
        self.effects: list[Effect] = []
        self.first_contact = state.last_activity is None  # the person's very first message

    def say(self, key: str, **params: object) -> None:
        self.replies.append(Reply(key, dict(params)))

    def run(self) -> None:
        state, word = self.state, words.global_word(self.inbound)
        if state.status == STOPPED:
            if word == words.START:
                self.start_again()
            return
        if word:
            return self.global_word(word)
        if state.choosing_language and self.choose_language():
            return
        if state.confirming_erase:
            return self.confirm_erase()
        if state.status == WITH_HUMAN:
            return  # a person of the team answers; the message is on the case
        if state.status == DONE:
            return self.after_done()
        if state.status == EXPIRED or self.question() is None:
            return self.begin("common.welcome_back_expired" if state.status == EXPIRED else None)
        if self.inbound.media:
            return self.media_for_a_person()
        self.hear()

    # --- the questions -------------------------------------------------------------

    def question(self) -> Question | None:
        return self.flow.question(self.state.step)

    def ask(self, again: bool = False) -> None:
        question = self.question()
        if question is None:
            return
        replies = list(question.ask(self.state, again))
        offered = self.state.pending.get("languages")
        if offered and replies:  # the first question at first contact: languages too
            extra = languages.options(offered, self.inbound.channel)
            replies[-1] = replace(replies[-1], options=replies[-1].options + extra)
        self.replies.extend(replies)

    def go(self, question: Question) -> None:
        self.state.step, self.state.pending, self.state.misses = question.id, {}, 0
        self.ask()

    def begin(self, greeting: str | None = None) -> None:
        self.state = State(flow=self.flow.id, language=self.state.language)
        offer = self.flow.offers_languages and self.first_contact
        suggested = languages.from_hint(self.inbound.language_hint) if offer else None
        if suggested:  # Telegram tells the language of the person's app
            self.set_language(suggested)
        first = self.flow.first()
        self.state.step, self.state.misses = first.id, 0
        if self.flow.hears_first_message and not greeting and self.heard_at_once(first):
            return
        self.say(greeting or self.flow.welcome)
        self.state.pending = {"languages": languages.others(self.state.language)} if offer else {}
        self.ask()

    def heard_at_once(self, first: Question) -> bool:
        """A first message that already answers the first question (a menu word)."""
        if not (self.inbound.text or self.inbound.option_id):
            return False
        outcome = first.hear(self.inbound, self.state)
        if isinstance(outcome, Answer):
            self.answered(first, outcome)
        return isinstance(outcome, Answer)

    def hear(self) -> None:
        question = self.question()
        assert question is not None
        if self.state.pending.get("languages") and self.picked_language(question):
            return
        outcome = question.hear(self.inbound, self.state)
        if isinstance(outcome, Answer):
            self.answered(question, outcome)
        elif isinstance(outcome, FollowUp):
            self.state.pending, self.state.misses = dict(outcome.pending), 0
            self.replies.extend(outcome.replies or question.ask(self.state))
        elif isinstance(outcome, Jump):
            self.correct(question, outcome.group)
        else:
            self.missed(question, outcome)

    def answered(self, question: Question, answer: Answer) -> None:
        answers = self.state.answers
        answers[question.id] = answer.value
        answers.pop(f"{question.id}_note", None)
        if answer.note:
            answers[f"{question.id}_note"] = answer.note
        if question.stamp:
            answers[f"{question.id}_at"] = self.now.isoformat()
        self.state.history.append(question.id)
        ending = self.flow.ending_after(question.id, answer.value)
        if ending:
            return self.end(ending)
        self.go_on_from(question)

    def go_on_from(self, question: Question) -> None:
        following = self.flow.after(question.id, self.state, self.inbound)
        back_to = self.flow.question(self.state.returning_to)
        if back_to and not (following and question.group and following.group == question.group):
            self.state.returning_to = None
            following = back_to
        if following is not None:
            self.go(following)

    def correct(self, question: Question, group: str) -> None:
        target = self.flow.first_of_group(group)
        if target is None:
            return self.missed(question, Missed())
        self.state.returning_to = question.id
        self.go(target)

    def missed(self, question: Question, miss: Missed) -> None:
        paused = self.state.last_activity and self.now - self.state.last_activity >= RESUME_AFTER
        if paused:
            self.say("common.welcome_back")
            return self.ask(again=True)
        self.state.misses += 1
        self.say(miss.hint)
        if self.state.misses >= MISSES_BEFORE_CALL_OFFER:
            self.say("common.offer_call")
        if not miss.asks_again:
            self.ask(again=True)

    def end(self, ending_name: str) -> None:
        replies, effects = self.flow.endings[ending_name](self.state, self.inbound)
        self.replies.extend(replies)
        self.effects.extend(effects)
        self.state = State(flow=self.flow.id, status=DONE, language=self.state.language,
                           pending={"ended": ending_name})

    def after_done(self) -> None:
        """A message after the end: a case has it, or the person starts again."""
        if self.state.pending.get("ended") != "case_created":
            return self.begin()
        if not self.state.pending.get("acknowledged"):
            self.state.pending["acknowledged"] = True
            self.say("common.message_passed_on")

    # --- the global words ----------------------------------------------------------

    def global_word(self, word: str) -> None:
        handlers = {
            words.HELP: self.help, words.STOP: self.stop, words.START: self.start,
            words.RESTART: self.restart, words.BACK: self.back, words.HUMAN: self.human,
            words.ERASE: self.erase, words.LANGUAGE: self.ask_language,
        }
        handlers[word]()

    def active(self) -> bool:
        return self.state.status == ACTIVE and self.question() is not None

    def help(self) -> None:
        self.say("common.help")
        if self.active():
            self.ask(again=True)

    def stop(self) -> None:
        self.state.status = STOPPED
        self.effects.append(Effect("opt_out"))
        self.say("common.stopped")

    def start_again(self) -> None:
        self.effects.append(Effect("opt_in"))
        self.state.status = ACTIVE
        self.say("common.started")
        if self.question() is None:
            return self.begin()
        self.ask(again=True)

    def start(self) -> None:
        """/start or START while not stopped: begin, or carry on where we were."""
        if self.active():
            self.say("common.welcome_back")
            return self.ask(again=True)
        if self.state.status in (DONE, WITH_HUMAN):
            return self.after_done() if self.state.status == DONE else None
        self.begin()

    def restart(self) -> None:
        if self.flow.forgets_on_restart:
            self.effects.append(Effect("forget_messages"))
        kept = {k: v for k, v in self.state.answers.items()
                if k.startswith(self.flow.first().id)} if self.flow.restart_at else {}
        if not kept:
            return self.begin()
        self.state = State(flow=self.flow.id, answers=kept, language=self.state.language,
                           history=[self.flow.first().id])
        self.say("common.restarting")
        self.go(self.flow.question(self.flow.restart_at) or self.flow.first())

    def back(self) -> None:
        if not self.active():
            return self.help()
        if self.state.pending and not self.state.pending.get("languages"):
            self.state.pending = {}
        elif self.state.history:
            self.state.step = self.state.history.pop()
            self.state.returning_to = None
        else:
            self.say("common.no_going_back")
        self.state.misses = 0
        self.ask()

    def human(self) -> None:
        self.effects.append(Effect("handover_to_human", {"answers": dict(self.state.answers)}))
        by_phone = self.inbound.address_is_phone
        self.say("common.handover_phone" if by_phone else "common.handover_chat")
        self.state = State(flow=self.flow.id, status=WITH_HUMAN, language=self.state.language)

    def media_for_a_person(self) -> None:
        """A voice note or a photo: the bot cannot understand it, so a person takes over."""
        self.effects.append(Effect("handover_to_human", {"answers": dict(self.state.answers),
                                                         "reason": "media"}))
        self.say("common.media_for_a_person")
        self.state = State(flow=self.flow.id, status=WITH_HUMAN, language=self.state.language)

    def erase(self) -> None:
        self.state.confirming_erase = True
        self.replies.append(Reply("common.erase_confirm", options=YES_NO_OPTIONS))

    def confirm_erase(self) -> None:
        self.state.confirming_erase = False
        said = self.inbound.option_id or yes_or_no(self.inbound.text, YES_NO)
        if said == "yes":
            self.effects.append(Effect("erase_contact"))
            self.say("common.erased")
            self.state = State(flow=self.flow.id, language=self.state.language)
            return
        self.say("common.erase_cancelled")
        if self.active():
            self.ask(again=True)
