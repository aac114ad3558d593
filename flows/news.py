"""The network's news: alert givers and ambassadors say whether they want it.

Asked once at the end of joining (flows.alert_giver.JOINING), and again whenever they
write NOUVELLES (a choice of the partner menu). The answer is always asked, never
assumed: the effect `set_news_opt_in` (or join_network's "news") records it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flows.model import Effect, Inbound, Option, Reply, State
from flows.partner_questions import LEAVE, says_leave
from flows.questions import Answer, Outcome, YesNo
from flows.vocabulary import Choice

NEWS = "news"  # the menu choice
NEWS_WORDS = ("nouvelles", "les nouvelles", "news", "newsletter", "noticias", "أخبار",
              "новини")


@dataclass(frozen=True)
class NewsQuestion(YesNo):
    """Yes or no to the news; when joining, QUITTER stops the joining as elsewhere."""

    leavable: bool = False

    def hear(self, inbound: Inbound, state: State) -> Outcome:
        if self.leavable and says_leave(inbound.text):
            return Answer(LEAVE)
        return super().hear(inbound, state)

    def options(self) -> tuple[Option, ...]:
        return tuple(c.option("common") for c in self.choices)


def not_asking_news(answers: dict[str, Any], inbound: Inbound) -> bool:
    return answers.get("menu") != NEWS


def news_on(state: State, inbound: Inbound) -> tuple[tuple[Reply, ...], tuple[Effect, ...]]:
    return (Reply("network_news.on"),), (Effect("set_news_opt_in", {"news": "yes"}),)


def news_off(state: State, inbound: Inbound) -> tuple[tuple[Reply, ...], tuple[Effect, ...]]:
    return (Reply("network_news.off"),), (Effect("set_news_opt_in", {"news": "no"}),)


CHOICE = Choice(NEWS, "📰", NEWS_WORDS)
QUESTIONS = (NewsQuestion("news_choice", "network_news.question",
                          short="network_news.question_short",
                          skip=not_asking_news),)
EXITS = {("news_choice", "yes"): "news_on", ("news_choice", "no"): "news_off"}
ENDINGS = {"news_on": news_on, "news_off": news_off}
