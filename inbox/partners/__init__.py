"""The partner network as coordinators manage it, without Flask: organisations, invite codes."""
from inbox.partners.codes import (ALPHABET, CODE_LENGTH, deep_link, new_code, qr_svg,
                                  sms_keyword)
from inbox.partners.organisations import (KIND_LABELS, TERRITORY_LABELS, OrganisationForm,
                                          PartnerError, create_organisation, get_organisation,
                                          list_organisations, update_organisation)
from inbox.partners.invites import (INVITE_KIND_LABELS, create_invite, invite_state,
                                    revoke_invite)

__all__ = [
    "ALPHABET", "CODE_LENGTH", "deep_link", "new_code", "qr_svg", "sms_keyword",
    "KIND_LABELS", "TERRITORY_LABELS", "OrganisationForm", "PartnerError",
    "create_organisation", "get_organisation", "list_organisations", "update_organisation",
    "INVITE_KIND_LABELS", "create_invite", "invite_state", "revoke_invite",
]
