"""Words that work at every step, in any case, with or without accents."""
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

# The whole message, normalised, must be one of these phrases.
PHRASES = {
    HELP: ("aide", "help", "info", "infos", "au secours", "aidez moi"),
    STOP: ("stop", "stop sms", "arret", "arrete", "arreter", "stopall", "unsubscribe",
           "desabonner", "desinscription", "end", "quit", "cancel"),
    START: ("start", "unstop", "reprendre", "demarrer", "commencer"),
    RESTART: ("recommencer", "recommence", "on recommence", "restart", "reset"),
    BACK: ("retour", "revenir", "precedent", "back"),
    HUMAN: ("appel", "appeler", "appelez moi", "rappel", "rappelez moi", "rappeler",
            "je veux etre rappele", "je veux etre rappelee", "parler a quelqu un",
            "une personne", "un humain", "humain", "conseiller", "conseillere"),
    ERASE: ("effacer", "efface", "effacez", "supprimer", "supprimez", "effacer mes donnees",
            "supprimer mes donnees"),
}

# Telegram commands (without the slash) that mean the same.
COMMANDS = {
    "aide": HELP, "help": HELP, "stop": STOP, "start": START, "recommencer": RESTART,
    "retour": BACK, "appel": HUMAN, "effacer": ERASE,
}

_BY_PHRASE = {phrase: word for word, phrases in PHRASES.items() for phrase in phrases}


def global_word(inbound: Inbound) -> str | None:
    """The global word the person used, if the message is one."""
    if inbound.command:
        return COMMANDS.get(inbound.command.lower())
    if len(inbound.text) > 40:
        return None
    return _BY_PHRASE.get(normalize(inbound.text))
