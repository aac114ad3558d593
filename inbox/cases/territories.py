"""Territories as the list filters them: a commune, an EPCI or a département.

Cases carry the INSEE code of their commune only; a territory is the set of codes the
gazetteer puts in it, the same containment routing uses (bot.routing): a city holds its
arrondissements (Paris, Lyon, Marseille), an EPCI and a département their communes.
"""
from __future__ import annotations

import functools
from collections import defaultdict

from flows.communes import Commune, default_gazetteer
from inbox.cases.errors import CaseError

KIND_LABELS = {"commune": "commune", "epci": "intercommunalité", "departement": "département"}


@functools.cache
def _index() -> dict[tuple[str, str], tuple[str, ...]]:
    """(kind, code) → the INSEE codes inside, for every territory of the gazetteer."""
    inside: dict[tuple[str, str], list[str]] = defaultdict(list)
    for commune in default_gazetteer().communes():
        inside["commune", commune.insee].append(commune.insee)
        if commune.parent_insee:
            inside["commune", commune.parent_insee].append(commune.insee)
        if commune.epci_siren:
            inside["epci", commune.epci_siren].append(commune.insee)
        inside["departement", commune.departement].append(commune.insee)
    return {key: tuple(sorted(set(codes))) for key, codes in inside.items()}


def communes_within(kind: str, code: str) -> tuple[str, ...]:
    """The INSEE codes of a territory; CaseError (in French) for one nobody knows."""
    codes = _index().get((kind, code.strip().upper()))
    if not codes:
        raise CaseError(f"Territoire inconnu : {KIND_LABELS.get(kind, kind)} {code}.")
    return codes


def is_departement(code: str) -> bool:
    return ("departement", code.strip().upper()) in _index()


def territory_label(kind: str, code: str) -> str:
    """"Sarcelles (95585)", "CA Roissy Pays de France", "Val-d'Oise (95)"."""
    gazetteer = default_gazetteer()
    if kind == "commune" and (commune := gazetteer.by_insee(code)):
        return f"{commune.name} ({commune.insee})"
    members = _index().get((kind, code), ())
    sample = gazetteer.by_insee(members[0]) if members else None
    if kind == "epci" and sample:
        return sample.epci_name
    if kind == "departement" and sample:
        return f"{sample.departement_name} ({code})"
    return f"{KIND_LABELS.get(kind, kind).capitalize()} {code}"


def commune_named(text: str) -> Commune:
    """The one commune a coordinator typed (name, postcode, both); CaseError otherwise."""
    match = default_gazetteer().find(text[:100])
    if match.kind == "found":
        return match.communes[0]
    choices = ", ".join(c.label for c in match.communes[:5])
    if match.kind == "ambiguous":
        raise CaseError(f"Plusieurs communes portent ce nom : {choices}. "
                        "Ajoutez le code postal.")
    if match.kind == "suggest":
        raise CaseError(f"Commune introuvable. Vouliez-vous dire : {choices} ?")
    raise CaseError("Commune introuvable : essayez son nom ou son code postal.")
