org-pick-title = Vem företräder du?
org-pick-in = i { $client }
org-pick-legend = Välj vilket konto du vill använda
org-personal = Mig själv (privat)
org-invitation-title = Gå med i en organisation
org-invitation-text = { $email }, du är inbjuden att företräda { $org }.
org-accept = Godkänn
org-joined-title = Välkommen
org-joined-text = Du företräder nu även { $org }. När en företagstjänst frågar vem du företräder finns den i listan.
org-invitation-email-subject = Inbjudan från { $org }
org-invitation-email = Hej,

    du är inbjuden att företräda { $org } i posttjänsterna.
    Logga in med den här e-postadressen (eller skapa ett konto med den) och godkänn här (länken fungerar en gång, i 7 dagar):

    { $link }

orgs-title = Organisationer
orgs-none = Du företräder ingen organisation.
orgs-your-roles = Dina roller: { $roles }
orgs-leave = Lämna
orgs-members = Medlemmar
orgs-roles-label = Roller (kommaseparerade)
orgs-services-label = Tjänster (tjänste-id, * för alla)
orgs-save = Spara
orgs-invite = Bjud in någon
orgs-send-invitation = Skicka inbjudan
orgs-left = Du har lämnat organisationen.
orgs-member-updated = Medlemmen är uppdaterad.
orgs-member-removed = Medlemmen är borttagen.
orgs-invitation-sent = Inbjudan är skickad.
orgs-err-no-member = Det finns ingen sådan medlem.
orgs-err-last-admin = En organisation behåller minst en administratör.
orgs-err-no-org = Det finns ingen sådan organisation.
orgs-err-role = En roll får ha 1 till 64 bokstäver, siffror, ”_”, ”-”, ”:” eller ”.”.
orgs-err-service = En tjänst måste vara id:t för en registrerad tjänst, eller * för alla.
orgs-err-name = Namnet måste ha 1 till 200 tecken.
orgs-err-no-user = Inget konto har den här e-postadressen.
orgs-err-already-member = Personen är redan medlem.
