"""French words for the codes the inbox shows (coordinators only, never residents)."""
from __future__ import annotations

STATUS_LABELS = {
    "new": "Nouvelle",
    "in_progress": "En cours",
    "waiting": "En attente de la personne",
    "oriented": "Orientée",
    "closed": "Close",
}

OUTCOME_LABELS = {
    "solution_found": "Solution trouvée",
    "oriented_elsewhere": "Orientée ailleurs",
    "no_answer": "Sans réponse après plusieurs essais",
    "declined": "La personne n'a pas souhaité continuer",
    "duplicate": "Doublon",
}

# A referred person's answer to the consent SMS (bot/person_consent.py).
PERSON_CONSENT_LABELS = {
    "asked": "En attente de l'accord de la personne",
    "given": "La personne a dit oui",
    "refused": "La personne a dit non",
    "unclear": "La personne a répondu autre chose : à lire",
    "silent": "Pas de réponse de la personne",
}

SOURCE_LABELS = {
    "self": "La personne elle-même",
    "voice": "Appel au numéro",
    "alert_giver": "Donneur d'alerte",
    "ambassador": "Habitant·e-relais",
    "coordinator": "Saisie par l'équipe",
}

CATEGORY_LABELS = {
    "financial_hardship": "Difficultés financières",
    "job_seeker": "Demandeur·se d'emploi",
    "insertion": "Insertion",
    "training": "Formation",
    "energy_poverty": "Précarité énergétique",
    "disability": "Handicap",
    "young_person": "Jeune",
    "senior": "Senior",
    "migrant": "Personne migrante",
}

EVENT_LABELS = {
    "created": "Demande créée",
    "asked_for_a_person": "La personne a demandé à parler à quelqu'un",
    "sent_media": "La personne a envoyé un message vocal ou une photo",
    "voice_message": "Message vocal laissé au téléphone",
    "missed_call": "Appel sans message : à rappeler",
    "status_changed": "Statut changé",
    "assigned": "Attribuée",
    "transferred": "Transférée à une autre équipe",
    "note_added": "Note ajoutée",
    "callback_set": "Date de rappel",
    "oriented": "Orientée",
    "read": "Lue",
    "replied": "Réponse envoyée",
    "handed_back": "Rendue au robot",
    "followed_by": "Nouvelle demande ouverte à la suite",
    "categories_set": "Catégories du programme",
    "person_consent_asked": "SMS à la personne pour lui demander son accord",
    "person_consent_given": "La personne a dit oui : elle veut être appelée",
    "person_consent_refused": "La personne a dit non : rien de personnel n'est gardé",
    "person_consent_unclear": "La personne a répondu sans dire oui ou non",
    "person_consent_silent": "Pas de réponse de la personne au SMS",
    "referred": "Repérée aussi par un partenaire",
    "referrer_told": "Nouvelles envoyées au partenaire qui a repéré la personne",
}
