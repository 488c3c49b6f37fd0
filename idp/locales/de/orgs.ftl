org-pick-title = Für wen handeln Sie?
org-pick-in = in { $client }
org-pick-legend = Wählen Sie das Konto, das Sie verwenden möchten
org-personal = Ich selbst (privat)
org-invitation-title = Einer Organisation beitreten
org-invitation-text = { $email }, Sie sind eingeladen, für { $org } zu handeln.
org-accept = Annehmen
org-joined-title = Willkommen
org-joined-text = Sie handeln jetzt auch für { $org }. Wenn ein Geschäftsdienst fragt, für wen Sie handeln, steht sie in der Liste.
org-invitation-email-subject = Einladung von { $org }
org-invitation-email = Guten Tag,

    Sie sind eingeladen, in den Postdiensten für { $org } zu handeln.
    Melden Sie sich mit dieser E-Mail-Adresse an (oder erstellen Sie damit ein Konto) und nehmen Sie hier an (der Link funktioniert einmal, 7 Tage lang):

    { $link }

orgs-title = Organisationen
orgs-none = Sie handeln für keine Organisation.
orgs-your-roles = Ihre Rollen: { $roles }
orgs-leave = Verlassen
orgs-members = Mitglieder
orgs-roles-label = Rollen (durch Kommas getrennt)
orgs-services-label = Dienste (Dienst-IDs, * für alle)
orgs-save = Speichern
orgs-invite = Jemanden einladen
orgs-send-invitation = Einladung senden
orgs-left = Sie haben die Organisation verlassen.
orgs-member-updated = Das Mitglied ist aktualisiert.
orgs-member-removed = Das Mitglied ist entfernt.
orgs-invitation-sent = Die Einladung ist gesendet.
orgs-err-no-member = Dieses Mitglied gibt es nicht.
orgs-err-last-admin = Eine Organisation behält mindestens einen Administrator.
orgs-err-no-org = Diese Organisation gibt es nicht.
orgs-err-role = Eine Rolle darf 1 bis 64 Buchstaben, Ziffern, „_“, „-“, „:“ oder „.“ haben.
orgs-err-service = Ein Dienst muss die ID eines registrierten Dienstes sein, oder * für alle.
orgs-err-name = Der Name muss 1 bis 200 Zeichen haben.
orgs-err-no-user = Kein Konto hat diese E-Mail-Adresse.
orgs-err-already-member = Diese Person ist bereits Mitglied.
