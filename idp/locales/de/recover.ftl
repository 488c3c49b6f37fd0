# Passwort vergessen, E-Mail-Adresse vergessen und die Entsperr-E-Mail.
recover-password-title = Passwort vergessen?
recover-password-intro = Geben Sie die E-Mail-Adresse Ihres Kontos ein. Wir senden Ihnen einen Link, um ein neues Passwort zu wählen.
recover-send-link = Link senden
recover-password-sent-title = Prüfen Sie Ihre E-Mails
recover-password-sent = Falls für { $email } ein Konto existiert, haben wir einen Link gesendet, um ein neues Passwort zu wählen. Der Link ist { $minutes } Minuten gültig und funktioniert einmal.
recover-back = Zurück zur Anmeldung

recover-reset-email = Guten Tag

    Jemand (hoffentlich Sie) möchte ein neues Passwort für Ihr Konto für die Postdienste wählen. Verwenden Sie diesen Link innerhalb von { $minutes } Minuten; er funktioniert einmal:

    { $link }

    Wenn Ihr Konto eine Mobilnummer hat, senden wir Ihnen beim Öffnen des Links zusätzlich einen Code per SMS. Danach werden alle Geräte abgemeldet, die bei Ihrem Konto angemeldet sind.

    Wenn Sie es nicht waren, ignorieren Sie diese E-Mail: Ihr Passwort bleibt unverändert.
    .subject = Neues Passwort wählen
recover-reset-sms = { $code } ist Ihr Code, um ein neues Passwort zu wählen. Er ist 5 Minuten gültig. Geben Sie ihn niemandem weiter.
recover-code-wrong = Dieser Code ist falsch. Prüfen Sie die SMS und versuchen Sie es noch einmal.
recover-code-expired = Dieser Code ist abgelaufen oder wurde zu oft versucht. Öffnen Sie den Link aus der E-Mail erneut, um einen neuen zu erhalten.
recover-sms-failed = Die SMS konnte nicht gesendet werden. Öffnen Sie den Link aus der E-Mail gleich noch einmal.

unlock-email = Guten Tag

    Ihr Konto für die Postdienste wurde nach wiederholten fehlgeschlagenen Anmeldeversuchen gesperrt. Wenn Sie es waren, wählen Sie mit diesem Link (gültig während { $hours } Stunden) ein neues Passwort; damit wird das Konto auch entsperrt:

    { $link }

    Wenn Sie es nicht waren, wählen Sie trotzdem ein neues Passwort: Jemand hat versucht, es zu erraten.
    .subject = Ihr Konto ist gesperrt

recover-email-title = E-Mail-Adresse vergessen?
recover-email-intro = Geben Sie die Mobilnummer und das Geburtsdatum Ihres Kontos ein. Wir senden einen Code an diese Nummer und danach die E-Mail-Adresse.
recover-birthdate = Geburtsdatum
recover-send-code = Code senden
recover-email-code-title = Code eingeben
recover-email-code-sent = Falls diese Angaben zu einem Konto passen, haben wir einen Code per SMS an { $phone } gesendet.
recover-email-code-sms = { $code } ist Ihr Code, um Ihre E-Mail-Adresse wiederzufinden. Er ist 5 Minuten gültig. Geben Sie ihn niemandem weiter.
recover-email-sms = Ihr Konto für die Postdienste verwendet die E-Mail-Adresse { $email }.
recover-email-code-expired = Dieser Code ist abgelaufen oder wurde zu oft versucht. Beginnen Sie von vorn, um einen neuen zu erhalten.
recover-email-done-title = Prüfen Sie Ihr Telefon
recover-email-done = Wir haben die E-Mail-Adresse Ihres Kontos per SMS gesendet. Sie können sich jetzt damit anmelden.

err-recovery-expired = Diese Anfrage ist abgelaufen. Bitte beginnen Sie von vorn.
    .title = Anfrage abgelaufen
