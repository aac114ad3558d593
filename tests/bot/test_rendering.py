"""Each channel shows a composed message its own way."""
from __future__ import annotations

from bot.channels.rendering import render
from bot.channels.sms_text import segment_info
from bot.compose import Choice, Outgoing

LONG = " ".join(f"Phrase numéro {n} qui explique une chose utile." for n in range(40))


def test_sms_numbers_the_choices_under_the_text():
    [sms] = render("sms", Outgoing("Vous êtes d'accord ?", (Choice("yes", "Oui", "✅"), Choice("no", "Non", "❌"))))
    assert sms.body == "Vous etes d'accord ?\n1 Oui 2 Non"  # GSM-7: one segment, not two
    assert sms.buttons is None and sms.segments == 1


def test_a_longer_list_of_choices_takes_one_line_each():
    choices = tuple(Choice(f"c{n}", label) for n, label in enumerate(
        ["Pas de permis", "Pas de voiture", "Trop cher", "Pas de bus"]))
    [sms] = render("sms", Outgoing("Qu'est-ce qui est difficile ?", choices))
    assert sms.body == (
        "Qu'est-ce qui est difficile ?\n1 Pas de permis\n2 Pas de voiture\n3 Trop cher\n4 Pas de bus")


def test_the_choices_are_numbered_after_the_conversion_too():
    [sms] = render("sms", Outgoing("Vous préférez ?", (Choice("a", "Être appelé·e"), Choice("b", "Un message"))))
    assert sms.body == "Vous préférez ?\n1 Etre appelé.e 2 Un message"
    assert sms.segments == 1


def test_a_long_sms_leaves_as_several_cut_between_words():
    parts = render("sms", Outgoing(LONG))
    assert len(parts) > 1
    assert all(segment_info(p.body).segments <= 3 for p in parts)
    assert " ".join(p.body for p in parts).split() == LONG.split()


def test_an_emoji_keeps_the_sms_in_unicode_and_is_counted_so():
    [sms] = render("sms", Outgoing("Bonjour 🙂"))
    assert sms.body == "Bonjour 🙂" and sms.segments == 1


def test_telegram_keeps_the_text_and_makes_buttons():
    [message] = render("telegram", Outgoing("Vous êtes d'accord ?", (Choice("yes", "Oui", "✅"),)))
    assert message.body == "Vous êtes d'accord ?"
    assert message.buttons == [{"id": "yes", "label": "Oui", "pictogram": "✅"}]
