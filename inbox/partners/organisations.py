"""Partner organisations: listing, creating and editing them (admins), reading (coordinators)."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime

import phonenumbers
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from storage.models import ORGANISATION_KINDS, InviteCode, NetworkMember, Organisation

KIND_LABELS = dict(zip(ORGANISATION_KINDS, (
    "CAF", "CCAS ou CIAS", "France Travail", "Mission locale", "Bailleur social",
    "Conseil en énergie", "Association du handicap", "Services aux seniors",
    "Association de personnes migrantes", "France Services", "Mairie", "Autre",
)))
TERRITORY_LABELS = {"commune": "Commune", "epci": "Intercommunalité", "departement": "Département"}
# Official codes: INSEE commune (Corsica 2A/2B), SIREN of an EPCI, département number.
TERRITORY_CODES = {
    "commune": re.compile(r"(?:\d{2}|2A|2B)\d{3}"),
    "epci": re.compile(r"\d{9}"),
    "departement": re.compile(r"(?:\d{2}|2A|2B|97\d)"),
}
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
MAX_LENGTH = 200


class PartnerError(ValueError):
    """A request the network pages refuse, with the reason in French."""


@dataclass(frozen=True)
class OrganisationForm:
    """What an admin typed for an organisation, before it is checked."""

    name: str = ""
    kind: str = ""
    territory_kind: str = ""
    territory_code: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""

    @classmethod
    def of(cls, organisation: Organisation) -> OrganisationForm:
        return cls(**{name: getattr(organisation, name) or "" for name in cls.__dataclass_fields__})

    def checked(self) -> OrganisationForm:
        """The form tidied up; PartnerError says what is wrong."""
        form = replace(self, **{name: " ".join(str(getattr(self, name)).split())[:MAX_LENGTH]
                                for name in self.__dataclass_fields__})
        if not form.name:
            raise PartnerError("Le nom de l'organisation manque.")
        if form.kind not in KIND_LABELS:
            raise PartnerError("Choisissez le type d'organisation.")
        form = replace(form, territory_code=form.territory_code.upper())
        if form.territory_kind or form.territory_code:
            pattern = TERRITORY_CODES.get(form.territory_kind)
            if pattern is None or not pattern.fullmatch(form.territory_code):
                raise PartnerError("Le territoire est une commune (code INSEE, 5 caractères), "
                                   "une intercommunalité (SIREN, 9 chiffres) ou un département.")
        if form.contact_email and not EMAIL.fullmatch(form.contact_email):
            raise PartnerError("L'adresse e-mail du contact ne semble pas complète.")
        return replace(form, contact_phone=_phone(form.contact_phone))


def _phone(text: str) -> str:
    """A French or international number, written the usual way ("01 34 56 78 90")."""
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, "FR")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise PartnerError("Le numéro de téléphone du contact n'est pas valide.")
    style = (phonenumbers.PhoneNumberFormat.NATIONAL if number.country_code == 33
             else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(number, style)


@dataclass(frozen=True)
class OrganisationRow:
    organisation: Organisation
    members: int  # alert givers and ambassadors who have not left
    active_codes: int  # neither revoked nor expired


def list_organisations(session: Session, now: datetime) -> list[OrganisationRow]:
    """Every organisation by name, with its current members and usable codes."""
    members = (select(func.count()).where(NetworkMember.organisation_id == Organisation.id,
                                          NetworkMember.left_at.is_(None)).scalar_subquery())
    codes = (select(func.count()).where(
        InviteCode.organisation_id == Organisation.id, InviteCode.revoked_at.is_(None),
        (InviteCode.expires_at.is_(None)) | (InviteCode.expires_at > now)).scalar_subquery())
    rows = session.execute(select(Organisation, members, codes).order_by(Organisation.name))
    return [OrganisationRow(*row) for row in rows]


def get_organisation(session: Session, organisation_id: int) -> Organisation | None:
    query = (select(Organisation).where(Organisation.id == organisation_id)
             .options(selectinload(Organisation.invite_codes),
                      selectinload(Organisation.members).selectinload(NetworkMember.contact)))
    return session.scalars(query).first()


def create_organisation(session: Session, form: OrganisationForm) -> Organisation:
    organisation = Organisation()
    _fill(organisation, form.checked())
    session.add(organisation)
    _flush_unique_name(session)
    return organisation


def update_organisation(session: Session, organisation: Organisation,
                        form: OrganisationForm) -> None:
    _fill(organisation, form.checked())
    _flush_unique_name(session)


def _fill(organisation: Organisation, form: OrganisationForm) -> None:
    for name in form.__dataclass_fields__:
        setattr(organisation, name, getattr(form, name) or None)
    organisation.name, organisation.kind = form.name, form.kind


def _flush_unique_name(session: Session) -> None:
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise PartnerError("Une organisation porte déjà ce nom.") from None
