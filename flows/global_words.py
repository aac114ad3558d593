"""Words that work at every step, in every language, in any case, with or without accents.

The texts tell people which word to write in their language (flows/texts/*.toml: AIDE,
HELP, AYUDA, مساعدة, ДОПОМОГА…); every one of them works whatever language the person
reads, so a word seen on a flyer in another language works too. STOP and START are the
same everywhere (SMS providers know them).
"""
from __future__ import annotations

from flows.model import Inbound
from flows.textnorm import normalize

HELP = "help"
STOP = "stop"
START = "start"
RESTART = "restart"
BACK = "back"
HUMAN = "human"
ERASE = "erase"
LANGUAGE = "language"

# The whole message, normalised, must be one of these phrases.
FRENCH = {
    HELP: ("aide", "info", "infos", "au secours", "aidez moi"),
    STOP: ("stop", "stop sms", "arret", "arrete", "arreter", "stopall", "unsubscribe",
           "desabonner", "desinscription", "end", "quit", "cancel"),
    START: ("start", "unstop", "reprendre", "demarrer", "commencer"),
    RESTART: ("recommencer", "recommence", "on recommence", "reset"),
    BACK: ("retour", "revenir", "precedent"),
    HUMAN: ("appel", "appeler", "appelez moi", "rappel", "rappelez moi", "rappeler",
            "je veux etre rappele", "je veux etre rappelee", "parler a quelqu un",
            "une personne", "un humain", "humain"),  # not "conseiller": a job title too
    ERASE: ("effacer", "efface", "effacez", "supprimer", "supprimez", "effacer mes donnees",
            "supprimer mes donnees"),
    LANGUAGE: ("langue", "langues", "changer de langue"),
}
ENGLISH = {
    HELP: ("help",),
    RESTART: ("restart", "start again", "start over"),
    BACK: ("back", "go back"),
    HUMAN: ("call", "call me", "a person", "human"),
    ERASE: ("erase", "delete", "delete my data", "erase my data"),
    LANGUAGE: ("language", "languages", "lang"),
}
SPANISH = {
    HELP: ("ayuda",),
    STOP: ("parar",),
    RESTART: ("reiniciar", "empezar de nuevo", "de nuevo"),
    BACK: ("volver", "atras"),
    HUMAN: ("llamar", "llamada", "llamame", "llamenme", "una persona"),
    ERASE: ("borrar", "borrar mis datos", "eliminar"),
    LANGUAGE: ("idioma", "idiomas", "lengua"),
}
ARABIC = {
    HELP: ("مساعدة", "مساعده", "ساعدني"),
    STOP: ("توقف", "قف", "ايقاف", "إيقاف"),
    START: ("ابدأ", "ابدا", "استئناف"),
    RESTART: ("إعادة", "اعادة", "اعاده", "من جديد"),
    BACK: ("رجوع", "الرجوع", "ارجع"),
    HUMAN: ("اتصال", "اتصل بي", "اتصلوا بي", "شخص"),
    ERASE: ("حذف", "احذف", "مسح", "امسح", "حذف بياناتي"),
    LANGUAGE: ("اللغة", "لغة", "اللغه", "لغه"),
}
UKRAINIAN = {
    HELP: ("допомога", "допоможіть"),
    STOP: ("стоп",),
    START: ("старт", "почати"),
    RESTART: ("спочатку", "почати знову", "заново"),
    BACK: ("назад",),
    HUMAN: ("дзвінок", "зателефонуйте", "зателефонуйте мені", "людина"),
    ERASE: ("видалити", "видалити мої дані", "стерти"),
    LANGUAGE: ("мова", "мови", "змінити мову"),
}
BY_LANGUAGE = {"fr": FRENCH, "en": ENGLISH, "es": SPANISH, "ar": ARABIC, "uk": UKRAINIAN}

# Telegram commands (without the slash) that mean the same: Latin letters only.
COMMANDS = {
    "aide": HELP, "help": HELP, "ayuda": HELP, "stop": STOP, "start": START,
    "recommencer": RESTART, "restart": RESTART, "retour": BACK, "back": BACK,
    "appel": HUMAN, "call": HUMAN, "effacer": ERASE, "erase": ERASE, "delete": ERASE,
    "langue": LANGUAGE, "language": LANGUAGE, "lang": LANGUAGE, "idioma": LANGUAGE,
}

_BY_PHRASE = {normalize(phrase): word for table in BY_LANGUAGE.values()
              for word, phrases in table.items() for phrase in phrases}


def global_word(inbound: Inbound) -> str | None:
    """The global word the person used, if the message is one."""
    if inbound.command:
        return COMMANDS.get(inbound.command.lower())
    if len(inbound.text) > 40:
        return None
    return _BY_PHRASE.get(normalize(inbound.text))
