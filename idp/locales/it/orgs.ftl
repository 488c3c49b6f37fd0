org-pick-title = Per chi agisci?
org-pick-in = in { $client }
org-pick-legend = Scegli l’account da usare
org-personal = Io stesso (personale)
org-invitation-title = Unisciti a un’organizzazione
org-invitation-text = { $email }, sei invitato ad agire per { $org }.
org-accept = Accetta
org-joined-title = Benvenuto
org-joined-text = Ora agisci anche per { $org }. Quando un servizio per le aziende chiede per chi agisci, è nell’elenco.
org-invitation-email-subject = Invito da { $org }
org-invitation-email = Buongiorno,

    sei invitato ad agire per { $org } nei servizi postali.
    Accedi con questo indirizzo e-mail (o crea un account con esso) e accetta qui (il link funziona una volta, per 7 giorni):

    { $link }

orgs-title = Organizzazioni
orgs-none = Non agisci per nessuna organizzazione.
orgs-your-roles = I tuoi ruoli: { $roles }
orgs-leave = Lascia
orgs-members = Membri
orgs-roles-label = Ruoli (separati da virgole)
orgs-services-label = Servizi (id dei servizi, * per tutti)
orgs-save = Salva
orgs-invite = Invita qualcuno
orgs-send-invitation = Invia l’invito
orgs-left = Hai lasciato l’organizzazione.
orgs-member-updated = Il membro è stato aggiornato.
orgs-member-removed = Il membro è stato rimosso.
orgs-invitation-sent = L’invito è stato inviato.
orgs-err-no-member = Questo membro non esiste.
orgs-err-last-admin = Un’organizzazione mantiene almeno un amministratore.
orgs-err-no-org = Questa organizzazione non esiste.
orgs-err-role = Un ruolo può avere da 1 a 64 lettere, cifre, «_», «-», «:» o «.».
orgs-err-service = Un servizio deve essere l’id di un servizio registrato, o * per tutti.
orgs-err-name = Il nome deve avere da 1 a 200 caratteri.
orgs-err-no-user = Nessun account ha questo indirizzo e-mail.
orgs-err-already-member = Questa persona è già membro.
