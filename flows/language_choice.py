"""How a conversation changes language: offered at first contact, or asked with LANGUE.

A mixin of the engine's turn (flows.engine._Turn): it uses the turn's state, inbound
message, replies and effects. The chosen language is the state's; the runtime keeps it
for the person through the "set_language" effect.
"""
from __future__ import annotations

from flows import languages
from flows.model import ACTIVE, EXPIRED, Effect, Reply
from flows.questions import Question


class LanguageChoice:
    """The language part of a turn."""

    def set_language(self, code: str) -> None:
        """Read and write in `code` from now on; the runtime keeps it for the person."""
        self.state.pending.pop("languages", None)
        if code != self.state.language:
            self.state.language = code
            self.effects.append(Effect("set_language", {"language": code}))

    def picked_language(self, question: Question) -> bool:
        """At first contact: a language picked under the first question starts it again."""
        offered = self.state.pending["languages"]
        code = languages.chosen(self.inbound.option_id, self.inbound.text, offered,
                                first_number=len(question.options()) + 1)
        if code is None:
            return False
        self.set_language(code)
        self.say(self.flow.welcome)
        self.ask()
        return True

    def ask_language(self) -> None:
        """LANGUE: every language is offered; the next answer names one."""
        self.state.choosing_language = True
        options = languages.options(languages.SUPPORTED, self.inbound.channel)
        self.replies.append(Reply("common.language_which", options=options))

    def choose_language(self) -> bool:
        """The answer after LANGUE; False when it names no language (then it is an answer)."""
        self.state.choosing_language = False
        code = languages.chosen(self.inbound.option_id, self.inbound.text, languages.SUPPORTED)
        if code is None:
            return False
        self.set_language(code)
        self.say("common.language_set")
        if self.active():
            self.ask()
        elif self.state.status in (ACTIVE, EXPIRED):
            self.begin()
        return True
