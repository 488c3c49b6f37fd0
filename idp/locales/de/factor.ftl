action-confirm = Bestätigen
action-rename = Umbenennen
action-remove = Entfernen

factor-title = Bestätigen Sie, dass Sie es sind
factor-enrol-title = Zweiten Faktor hinzufügen
factor-passkey-needed = Dieser Dienst verlangt einen Passkey.
factor-use-your-passkey = Ihren Passkey verwenden
factor-no-passkey-yet = Sie haben noch keinen Passkey. Fügen Sie auf der Sicherheitsseite Ihres Kontos einen hinzu und kehren Sie dann zum Dienst zurück.
factor-security-page = Sicherheitsseite
factor-enrol-text = Dieser Dienst verlangt einen zweiten Faktor. Scannen Sie diesen Code mit einer Authenticator-App (oder geben Sie den Schlüssel von Hand ein) und tippen Sie dann den 6-stelligen Code ein, den sie anzeigt.
factor-key = Schlüssel:
factor-code-from-app = Code aus der App
factor-code-from-your-app = Code aus Ihrer Authenticator-App
factor-sms-sent = Wir haben einen Code per SMS an { $phone } gesendet.
factor-sms-again = Neuen Code senden
factor-sms-send = Code per SMS senden
factor-use-a-passkey = Passkey verwenden
factor-use-recovery-code = Wiederherstellungscode verwenden
factor-recovery-code = Wiederherstellungscode
factor-err-no-phone = Für dieses Konto ist keine bestätigte Mobilnummer hinterlegt.
factor-err-sms-failed = Die SMS konnte nicht gesendet werden. Versuchen Sie es gleich noch einmal.
factor-err-sms-throttled = Vor weniger als einer Minute wurde ein Code gesendet; bitte verwenden Sie diesen.
factor-err-sms-budget = An dieses Telefon wurden vorerst zu viele Codes gesendet. Versuchen Sie es später erneut oder bestätigen Sie auf andere Weise.
factor-err-choose = Wählen Sie, wie Sie bestätigen möchten, dass Sie es sind.

otp-wrong-sms = Der Code ist nicht richtig. Prüfen Sie die SMS und versuchen Sie es erneut.
otp-expired = Dieser Code ist abgelaufen oder wurde bereits verwendet. Fordern Sie einen neuen an.
otp-too-many = Zu viele falsche Codes. Fordern Sie einen neuen an.
otp-totp-replayed = Dieser Code wurde bereits verwendet. Warten Sie auf den nächsten.
otp-wrong-totp = Der Code ist nicht richtig. Prüfen Sie die App und versuchen Sie es erneut.
otp-recovery-invalid = Dieser Wiederherstellungscode ist ungültig oder wurde bereits verwendet.

sms-sign-in-code = { $code } ist Ihr Anmeldecode für die Postdienste. Er ist 5 Minuten gültig. Geben Sie ihn niemals weiter.

security-title = Sicherheit
security-signed-in-as = Angemeldet als { $email }
security-totp-heading = Authenticator-App
security-totp-on = Eine Authenticator-App ist eingerichtet.
security-totp-remove = Authenticator-App entfernen
security-totp-scan = Scannen Sie diesen Code mit Ihrer Authenticator-App oder geben Sie den Schlüssel von Hand ein.
security-totp-setup = Authenticator-App einrichten
security-totp-done = Die Authenticator-App ist eingerichtet.
security-totp-removed = Die Authenticator-App ist entfernt.
security-passkeys-heading = Passkeys
security-no-passkeys = Noch keine Passkeys.
security-passkey-added = hinzugefügt am { $date }
security-new-name = Neuer Name
security-passkey-name = Name des neuen Passkeys
security-passkey-default-name = Passkey
security-passkey-add = Passkey hinzufügen
security-passkey-name-missing = Geben Sie dem Passkey einen Namen.
security-passkey-renamed = Der Passkey ist umbenannt.
security-passkey-unknown = Diesen Passkey gibt es nicht.
security-passkey-removed = Der Passkey ist entfernt.
security-codes-heading = Wiederherstellungscodes
security-codes-new = Ihre neuen Wiederherstellungscodes. Jeder funktioniert einmal. Notieren Sie sie jetzt: Sie werden nicht noch einmal angezeigt.
security-codes-left = { $count ->
    [one] Ein unbenutzter Wiederherstellungscode.
   *[other] { $count } unbenutzte Wiederherstellungscodes.
}
security-codes-make = Neue Wiederherstellungscodes erstellen
security-password-heading = Passwort
security-current-password = Aktuelles Passwort
security-password-change = Passwort ändern
security-password-keep-sessions = Auf meinen anderen Geräten angemeldet bleiben
security-password-others-ended = Ihre anderen Geräte sind abgemeldet, ihre Apps müssen sich neu anmelden.
security-password-locked = Zu viele falsche Passwörter: Das Konto ist vorerst gesperrt.
security-password-wrong = Das aktuelle Passwort ist nicht richtig.
security-password-changed = Ihr Passwort ist geändert.

js-page-expired = Die Seite ist abgelaufen. Laden Sie sie neu und versuchen Sie es erneut.
js-sign-in-again = Melden Sie sich erneut an.
js-request-unreadable = Die Anfrage konnte nicht gelesen werden.
js-sign-in-expired = Diese Anmeldung ist abgelaufen. Beginnen Sie neu.
js-passkey-unreadable = Die Antwort des Passkeys konnte nicht gelesen werden.
js-passkey-account-blocked = Das Konto dieses Passkeys kann sich nicht anmelden.
js-account-locked = Dieses Konto ist gesperrt.
js-passkeys-off = Passkeys sind auf diesem Server nicht verfügbar.
js-passkey-expired = Die Passkey-Anfrage ist abgelaufen. Beginnen Sie neu.
js-passkey-unknown = Dieser Passkey ist hier nicht bekannt.
js-passkey-rejected = Die Antwort des Passkeys wurde nicht akzeptiert.
