# Organisations: whom the user acts for, invitations, and the console page.
org-pick-title = Whom do you act for?
org-pick-in = in { $client }
org-pick-legend = Choose the account to use
org-personal = Myself (personal)
org-invitation-title = Join an organisation
org-invitation-text = { $email }, you are invited to act for { $org }.
org-accept = Accept
org-joined-title = Welcome
org-joined-text = You now act for { $org } too. When a business service asks whom you act for, it is in the list.
org-invitation-email-subject = Invitation from { $org }
org-invitation-email = Hello,

    you are invited to act for { $org } in the postal services.
    Sign in with this email address (or create an account with it) and accept here (the link works once, for 7 days):

    { $link }

orgs-title = Organisations
orgs-none = You act for no organisation.
orgs-your-roles = Your roles: { $roles }
orgs-leave = Leave
orgs-members = Members
orgs-roles-label = Roles (comma-separated)
orgs-services-label = Services (client ids, * for all)
orgs-save = Save
orgs-invite = Invite someone
orgs-send-invitation = Send the invitation
orgs-left = You left the organisation.
orgs-member-updated = The member is updated.
orgs-member-removed = The member is removed.
orgs-invitation-sent = The invitation is sent.
orgs-err-no-member = There is no such member.
orgs-err-last-admin = An organisation keeps at least one admin.
orgs-err-no-org = There is no such organisation.
orgs-err-role = A role may have 1 to 64 letters, digits, “_”, “-”, “:” or “.”.
orgs-err-service = A service must be the id of a registered service, or * for all.
orgs-err-name = The name must have 1 to 200 characters.
orgs-err-no-user = No account has this email address.
orgs-err-already-member = This person is a member already.
