"""Administration of the inbox, without Flask: canned replies, the solutions catalogue,
accounts and teams, and the journal of who changed what.

Used by the admin pages (inbox/views/admin*.py) and by the command line
(inbox/users_cli.py). Every function takes the session, the acting admin (None: the
command line) and `now`; none commits. Refusals raise AdminError (or the case domain's
CaseError), whose text is a French sentence to show as is.

    journal     record, recent: the admins' journal
    canned      canned replies: add, edit, remove (archived once used), preview
    solutions   the orientation catalogue: add, edit, turn off and on
    accounts    users: create, close and reopen, new password, teams
    teams       teams and the territories they cover
"""
from inbox.admin.errors import AdminError

__all__ = ["AdminError"]
