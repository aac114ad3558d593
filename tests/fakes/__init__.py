"""Local fakes of the Telegram Bot API and the Twilio REST API, and a network guard."""
