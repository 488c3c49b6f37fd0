signin-title = Anmelden
signin-continue-to = um zu { $client } zu gelangen
signin-your-account = Ihr Konto
signin-passkey = Mit einem Passkey anmelden
signin-create-account = Konto erstellen
signin-forgot-email = E-Mail-Adresse vergessen?
signin-password-title = Passwort eingeben
signin-other-address = andere Adresse verwenden
signin-forgot-password = Passwort vergessen?
signin-wrong-password = Die E-Mail-Adresse oder das Passwort ist falsch.

consent-title = Zugriff erlauben?
consent-asks = { $client } möchte:
consent-asks-unnamed = Ein Dienst möchte:
consent-withdraw-later = Sie können dies später in Ihrem Konto widerrufen.
data-identity = wissen, wer Sie sind
data-name = Ihren Namen und Ihre Sprache sehen
data-birthdate = Ihr Geburtsdatum sehen
data-email = Ihre E-Mail-Adresse sehen
data-phone = Ihre Mobilnummer sehen
data-address = Ihre Postadresse sehen
data-offline = verbunden bleiben, wenn Sie den Dienst nicht nutzen
data-org = wissen, für welche Organisation Sie handeln
data-org-admin = in Ihrem Namen die Organisationen verwalten, die Sie administrieren

locked-title = Konto gesperrt
locked-until = Es gab zu viele Fehlversuche. Zu Ihrer Sicherheit ist die Anmeldung bei diesem Konto bis { $time } gesperrt. Bitte versuchen Sie es danach erneut.
locked-permanent = Es gab zu viele Fehlversuche und die Anmeldung bei diesem Konto ist gesperrt. Falls das Konto existiert, wurde eine Anleitung zum Entsperren an seine E-Mail-Adresse gesendet.

logout-title = Abmelden?
logout-question = Möchten Sie sich auf diesem Gerät von allen Postdiensten abmelden?
logged-out-title = Abgemeldet
logged-out-text = Sie sind abgemeldet. Sie können dieses Fenster schließen.

reset-title = Neues Passwort wählen
reset-code-hint = Wir haben außerdem einen Code per SMS an Ihre Mobilnummer gesendet.
reset-save = Passwort speichern
reset-done-title = Passwort gespeichert
reset-done-text = Ihr neues Passwort ist gespeichert, das Konto ist entsperrt und alle anderen Sitzungen sind abgemeldet. Kehren Sie zum Dienst zurück, um sich anzumelden.

# Identitätsprüfung und Schalter-Zugangsdaten.
data-assurance = sehen, ob Ihre Identität geprüft wurde, und wie und wann
signin-temporary-expired = Dieses vorläufige Passwort ist abgelaufen. Verlangen Sie am Schalter ein neues oder nutzen Sie unten „Passwort vergessen?“.
newpw-title = Neues Passwort wählen
newpw-intro = Sie haben sich mit einem vorläufigen Passwort angemeldet oder Ihr Passwort muss geändert werden. Wählen Sie Ihr eigenes Passwort, um fortzufahren.
newpw-save = Speichern und weiter
newpw-same = Wählen Sie ein anderes Passwort als das erhaltene.
verify-title = Geprüfte Identität erforderlich
verify-needed = { $client } steht nur Personen mit geprüfter Identität zur Verfügung.
verify-needed-unnamed = Dieser Dienst steht nur Personen mit geprüfter Identität zur Verfügung.
verify-text = Sie können Ihre Identität am Schalter mit einem Ausweis prüfen lassen oder auf einem anderen Weg, den Ihr Anbieter anbietet. Melden Sie sich danach erneut an.
verify-how = So lassen Sie sich prüfen
verify-back = Zurück zu { $client }
verify-back-unnamed = Zurück zum Dienst
