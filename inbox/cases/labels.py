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
}
