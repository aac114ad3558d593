"""Command line of the runtime: `python -m bot chat | remind | worker | telegram-…`."""
from __future__ import annotations

import argparse
import logging

from bot.reminders import sweep
from bot.runtime import Runtime, utcnow
from bot.settings import Settings
from storage.db import make_engine, make_session_factory


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Relais Mobilité : le bot")
    commands = parser.add_subparsers(dest="command", required=True)
    talk = commands.add_parser("chat", help="jouer un habitant dans le terminal")
    talk.add_argument("--as", dest="look", choices=("sms", "telegram"), default="sms")
    talk.add_argument("--address", help="numéro (SMS) ou identifiant (Telegram) simulé")
    commands.add_parser("remind", help="relancer ou faire expirer les conversations inactives, une fois")
    commands.add_parser("worker", help="envoi des messages, relances et expiration, en continu")
    hook = commands.add_parser("telegram-webhook", help="déclarer l'adresse du webhook à Telegram")
    hook.add_argument("--drop-pending", action="store_true", help="oublier les messages en attente")
    commands.add_parser("telegram-poll", help="faire tourner le bot Telegram sans adresse publique")
    commands.add_parser("sms-cost", help="SMS reçus par un habitant sur le parcours type, par langue")
    args = parser.parse_args(argv)

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = Settings.from_env()
    if args.command == "chat":
        from bot.terminal import chat

        runtime = Runtime(make_session_factory(make_engine()), service=settings.service_contact())
        chat(runtime, args.look, args.address)
    elif args.command == "remind":
        changed = sweep(make_session_factory(make_engine()), settings, utcnow())
        print(f"{changed} conversation(s) relancée(s) ou expirée(s)")
    elif args.command == "sms-cost":
        logging.getLogger("alembic").setLevel(logging.WARNING)  # its scratch database
        from bot.sms_cost import costs_per_language

        for language, segments in costs_per_language().items():
            print(f"{language} : {segments} SMS")
    elif args.command == "worker":
        from bot.worker import run_worker

        run_worker(settings)
    elif args.command == "telegram-webhook":
        from bot.telegram_cli import set_webhook

        print(f"Webhook Telegram : {set_webhook(settings, args.drop_pending)}")
    else:
        from bot.telegram_cli import run_polling

        run_polling(settings)


if __name__ == "__main__":
    main()
