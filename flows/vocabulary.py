"""The choices people pick from, with the words they use to say them.

Keywords are written already normalised (lower case, no accents, apostrophes as
spaces): see `flows.textnorm.normalize`. A keyword of several words matches as a
phrase; a single long word also matches a close misspelling.
"""
from __future__ import annotations

from dataclasses import dataclass

from flows.model import Option


@dataclass(frozen=True)
class Choice:
    """One answer a question offers: an id, a pictogram and the words that mean it."""

    id: str
    pictogram: str
    keywords: tuple[str, ...] = ()

    def option(self, group: str) -> Option:
        return Option(id=self.id, label=f"{group}.{self.id}", pictogram=self.pictogram)


DIFFICULTIES = (
    Choice("no_licence", "🪪", ("permis", "code de la route", "conduire", "auto ecole")),
    Choice("no_vehicle", "🚗", ("voiture", "vehicule", "auto", "panne", "scooter", "moto", "velo")),
    Choice("cost", "💶", ("cher", "argent", "cout", "prix", "essence", "carburant", "gasoil",
                          "payer", "ticket", "billet", "abonnement", "moyens", "sous", "thune")),
    Choice("no_transport", "🚌", ("bus", "car", "train", "tram", "metro", "rer", "transport",
                                  "loin", "arret", "gare", "isole", "campagne")),
    Choice("health", "🩺", ("sante", "malade", "maladie", "handicap", "fauteuil", "marcher",
                            "douleur", "dos", "jambe", "vue", "enceinte", "age", "vieux")),
    Choice("not_at_ease", "🧭", ("peur", "stress", "angoisse", "perdu", "perdre", "seul",
                                 "pas a l aise", "je connais pas", "oriente", "orienter")),
    Choice("reading_digital", "📱", ("lire", "ecrire", "langue", "francais", "internet",
                                     "appli", "application", "ordinateur", "smartphone",
                                     "comprends pas", "comprend pas")),
    Choice("childcare_hours", "👶", ("enfant", "enfants", "garde", "creche", "nounou", "nuit",
                                     "horaires", "horaire", "decale", "decales", "week end",
                                     "tot le matin", "soir")),
    Choice("other", "✏️", ("autre", "autre chose")),
)

PURPOSES = (
    Choice("job", "💼", ("travail", "travailler", "boulot", "emploi", "job", "entretien",
                         "embauche", "taf", "chantier", "interim", "stage")),
    Choice("training", "🎓", ("formation", "ecole", "etudes", "cours", "apprentissage",
                              "alternance", "fac", "lycee")),
    Choice("health_care", "🩺", ("medecin", "docteur", "hopital", "soins", "soin", "sante",
                                 "dentiste", "kine", "pharmacie", "rendez vous medical")),
    Choice("errands", "📄", ("papiers", "administratif", "mairie", "caf", "prefecture",
                             "banque", "poste", "demarches", "dossier")),
    Choice("shopping", "🛒", ("courses", "magasin", "supermarche", "marche", "manger")),
    Choice("children", "🏫", ("enfant", "enfants", "ecole des enfants", "creche", "nounou",
                              "fils", "fille", "garderie")),
    Choice("social", "👥", ("famille", "amis", "sortir", "sport", "loisirs", "visite", "voir")),
    Choice("other", "✏️", ("autre", "autre chose")),
)

CONTACT_WAYS = (
    Choice("call", "📞", ("appel", "appeler", "appelez", "telephone", "tel", "rappel",
                         "phone", "by phone", "telefono", "هاتف", "بالهاتف", "مكالمة", "телефон",
                         "телефоном")),
    Choice("message", "💬", ("message", "sms", "texto", "ecrire", "ecrit", "telegram",
                            "by message", "mensaje", "رسالة", "برسالة", "повідомлення",
                            "повідомленням")),
)

MOMENTS = (
    Choice("morning", "🌅", ("matin", "matinee", "morning", "manana", "صباح", "صباحا",
                            "الصباح", "вранці", "ранок", "зранку")),
    Choice("afternoon", "☀️", ("apres midi", "aprem", "aprm", "apm", "afternoon", "tarde",
                              "بعد الظهر", "після обіду", "вдень")),
    Choice("evening", "🌙", ("soir", "soiree", "fin de journee", "apres 18", "evening", "noche",
                            "مساء", "المساء", "увечері", "ввечері", "вечір")),
    Choice("any", "🕐", ("importe", "peu importe", "tout le temps", "quand vous voulez",
                        "toute la journee", "tous", "pas de preference", "comme vous voulez",
                        "any time", "anytime", "cualquier hora", "في اي وقت", "будь коли")),
)

YES_NO = (
    Choice("yes", "✅", ("oui", "ouais", "ouai", "oue", "ouep", "ok", "okay", "oki", "d accord",
                        "daccord", "dac", "bien sur", "yes", "si", "exact", "c est bon",
                        "parfait", "volontiers", "pas de souci", "pas de probleme", "👍", "j accepte",
                        "accord", "c est ca", "tout a fait", "oui c est bon", "ca marche",
                        # the other languages of the catalogues (flows/texts)
                        "yeah", "yep", "sure", "i agree", "claro", "vale", "de acuerdo", "acepto",
                        "esta bien", "نعم", "اجل", "موافق", "موافقة", "اوافق", "تمام", "حسنا",
                        "так", "добре", "згоден", "згодна", "гаразд", "звісно")),
    Choice("no", "❌", ("non", "nan", "no", "pas d accord", "nope", "jamais", "👎", "refuse",
                       "je refuse", "pas ca", "c est pas ca", "c est faux", "corriger", "modifier",
                       "no thanks", "no gracias", "لا", "غير موافق", "ні", "не згоден", "не згодна",
                       "не так")),
)

FIXES = (
    Choice("difficulties", "🚗", ("difficulte", "difficultes", "probleme", "probleme")),
    Choice("purposes", "🎯", ("trajet", "trajets", "pour quoi", "raison", "motif")),
    Choice("commune", "📍", ("ville", "commune", "adresse", "code postal", "habite")),
    Choice("contact", "📞", ("contact", "numero", "telephone", "moment", "heure", "joindre")),
)
