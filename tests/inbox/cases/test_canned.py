"""Canned replies: placeholders filled for the case, managed by team."""
from __future__ import annotations

import pytest

from inbox.cases import (
    CaseError, NotAllowed, canned_replies, create_canned, delete_canned, fill, update_canned,
)
from storage.models import CannedReply, User
from tests.inbox.cases.helpers import T0, make_case

HELLO = "Bonjour {prenom}, votre demande {reference} est bien reçue."


@pytest.mark.parametrize("first_name, expected", [
    ("Aïcha", "Bonjour Aïcha, votre demande RM-2026-00001 est bien reçue."),
    (None, "Bonjour, votre demande RM-2026-00001 est bien reçue."),
    ("  ", "Bonjour, votre demande RM-2026-00001 est bien reçue."),
])
def test_fill_replaces_the_first_name_and_reference(tx, teams, first_name, expected):
    with tx() as s:
        case = make_case(s, teams["sarcelles"], first_name=first_name)
        assert fill(CannedReply(title="t", body=HELLO), case) == expected


def test_fill_collapses_the_space_an_unknown_name_leaves(tx, teams):
    with tx() as s:
        case = make_case(s, teams["sarcelles"])
        assert fill("Merci {prenom} !\nÀ bientôt {prenom}.", case) == "Merci !\nÀ bientôt."
        assert fill("Dossier {Référence} ; {autre} reste tel quel", case) == (
            "Dossier RM-2026-00001 ; {autre} reste tel quel")


def test_a_coordinator_sees_common_replies_and_those_of_their_teams(tx, people, teams):
    with tx() as s:
        alex = s.get(User, people.alex)
        create_canned(s, alex, "Accueil", HELLO, None, T0)
        create_canned(s, alex, "Sarcelles", "Permanence le mardi.", teams["sarcelles"], T0)
        create_canned(s, alex, "Val-d'Oise", "Permanence le jeudi.", teams["val_d_oise"], T0)
    with tx() as s:
        assert [c.title for c in canned_replies(s, s.get(User, people.marie))] == ["Accueil", "Sarcelles"]
        assert len(canned_replies(s, s.get(User, people.alex))) == 3


def test_coordinators_manage_only_their_teams_replies(tx, people, teams):
    with tx() as s:
        marie = s.get(User, people.marie)
        mine = create_canned(s, marie, "Horaires", "Nous répondons de 9 h à 17 h.",
                             teams["sarcelles"], T0)
        with pytest.raises(NotAllowed, match="admins"):
            create_canned(s, marie, "Pour tous", "Bonjour", None, T0)
        with pytest.raises(NotAllowed, match="vos équipes"):
            create_canned(s, marie, "Ailleurs", "Bonjour", teams["val_d_oise"], T0)
        update_canned(s, marie, mine.id, "Horaires", "De 9 h à 18 h.", teams["sarcelles"])
        assert mine.body == "De 9 h à 18 h."
        delete_canned(s, marie, mine.id)
        assert canned_replies(s, marie) == []


def test_an_unknown_placeholder_is_refused_when_saving(tx, people):
    with tx() as s, pytest.raises(CaseError, match=r"\{nom\}"):
        create_canned(s, s.get(User, people.alex), "Titre", "Bonjour {nom}", None, T0)
