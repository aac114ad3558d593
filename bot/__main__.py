"""Command line of the runtime: `python -m bot chat | remind | worker`."""
from __future__ import annotations

import argparse
import logging
import time

from bot.reminders import sweep
from bot.runtime import Runtime, utcnow
from bot.settings import Settings
from bot.terminal import chat
from storage.db import make_engine, make_session_factory


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Relais Mobilité : le bot")
    commands = parser.add_subparsers(dest="command", required=True)
    talk = commands.add_parser("chat", help="jouer un habitant dans le terminal")
    talk.add_argument("--as", dest="look", choices=("sms", "telegram"), default="sms")
    talk.add_argument("--address", help="numéro (SMS) ou identifiant (Telegram) simulé")
    commands.add_parser("remind", help="relancer ou faire expirer les conversations inactives, une fois")
    commands.add_parser("worker", help="tâches de fond : relances et expiration, en continu")
    args = parser.parse_args(argv)

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    session_factory = make_session_factory(make_engine())
    settings = Settings.from_env()
    if args.command == "chat":
        chat(Runtime(session_factory), args.look, args.address)
    elif args.command == "remind":
        print(f"{sweep(session_factory, settings, utcnow())} conversation(s) relancée(s) ou expirée(s)")
    else:
        run_worker(session_factory, settings)


def run_worker(session_factory, settings: Settings) -> None:
    log = logging.getLogger("bot.worker")
    log.info("worker started")
    while True:
        try:
            changed = sweep(session_factory, settings, utcnow())
            if changed:
                log.info("%d idle conversation(s) reminded or expired", changed)
        except Exception:
            log.exception("sweep failed; trying again at the next round")
        time.sleep(settings.sweep_every_seconds)


if __name__ == "__main__":
    main()
