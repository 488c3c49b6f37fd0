# Registrierung: das Formular, der SMS-Code, der E-Mail-Link und ihre Meldungen.
register-title = Konto erstellen
register-given-name = Vorname
register-family-name = Nachname
register-email-again = E-Mail-Adresse wiederholen
register-phone = Mobilnummer
register-phone-hint = Zum Beispiel +41 79 123 45 67. Wir senden einen Code, um sie zu bestätigen.
register-birthdate = Geburtsdatum (freiwillig)
register-birthdate-hint = Damit können Sie Ihre E-Mail-Adresse mit Ihrer Mobilnummer wiederfinden.
register-terms = Ich akzeptiere die Nutzungsbedingungen (Version { $version }).
register-terms-link = Nutzungsbedingungen lesen
register-submit = Konto erstellen
register-have-account = Ich habe schon ein Konto
passwords-same = Die beiden Passwörter stimmen überein.

register-name-missing = Geben Sie Ihren Namen ein (höchstens 100 Zeichen).
register-emails-differ = Die beiden E-Mail-Adressen stimmen nicht überein.
register-phone-invalid = Geben Sie eine Mobilnummer ein, zum Beispiel +41 79 123 45 67.
register-birthdate-invalid = Geben Sie ein gültiges Datum in der Vergangenheit ein, zum Beispiel 1980-02-29.
register-terms-required = Akzeptieren Sie die Nutzungsbedingungen, um ein Konto zu erstellen.

register-phone-title = Mobilnummer bestätigen
register-phone-sent = Wir haben einen Code per SMS an { $phone } gesendet. Geben Sie ihn hier ein.
register-resend = Neuen Code senden
register-code-wrong = Dieser Code ist falsch. Prüfen Sie die SMS und versuchen Sie es noch einmal.
register-code-expired = Dieser Code ist abgelaufen oder wurde zu oft versucht. Fordern Sie einen neuen Code an.
register-code-resent = Ein neuer Code ist unterwegs.
register-code-throttled = Vor weniger als einer Minute wurde ein Code gesendet; bitte verwenden Sie diesen.
register-sms-failed = Die SMS konnte nicht gesendet werden. Versuchen Sie es gleich noch einmal.
register-sms = { $code } ist Ihr Code, um Ihr Konto für die Postdienste zu erstellen. Er ist 5 Minuten gültig. Geben Sie ihn niemandem weiter.

register-check-email-title = Prüfen Sie Ihre E-Mails
register-check-email = Ihre Mobilnummer ist bestätigt. Wir haben eine E-Mail an { $email } gesendet: Öffnen Sie den Link darin in diesem Browser, um die Erstellung Ihres Kontos abzuschließen.
register-email = Guten Tag { $name }

    Bestätigen Sie Ihre E-Mail-Adresse mit diesem Link, um die Erstellung Ihres Kontos für die Postdienste abzuschließen. Der Link ist { $minutes } Minuten gültig und funktioniert einmal:

    { $link }

    Öffnen Sie ihn in dem Browser, in dem Sie die Registrierung begonnen haben.

    Wenn Sie kein Konto beantragt haben, ignorieren Sie diese E-Mail: Es wird nichts erstellt.
    .subject = Bestätigen Sie Ihre E-Mail-Adresse
register-taken-email = Guten Tag

    Jemand hat versucht, mit Ihrer E-Mail-Adresse { $email } ein Konto für die Postdienste zu erstellen. Sie haben bereits ein Konto, deshalb wurde nichts erstellt.

    Wenn Sie es waren, melden Sie sich mit Ihrem Konto an: { $link }
    Wenn Sie Ihr Passwort vergessen haben, wählen Sie bei der Anmeldung «Passwort vergessen?».

    Wenn Sie es nicht waren, können Sie diese E-Mail ignorieren.
    .subject = Jemand hat versucht, sich mit Ihrer Adresse zu registrieren

register-confirm-title = E-Mail-Adresse bestätigen
register-confirm-text = Bestätigen Sie { $email }, um die Erstellung Ihres Kontos abzuschließen.
register-confirm-button = Bestätigen und Konto erstellen
register-elsewhere-title = Öffnen Sie den Link dort, wo Sie begonnen haben
register-elsewhere-text = Dieser Link erstellt das Konto für { $email } nur in dem Browser, in dem die Registrierung begonnen wurde. Öffnen Sie ihn dort. Wenn Sie sie nicht begonnen haben oder nicht dorthin zurückkönnen, registrieren Sie sich stattdessen in diesem Browser: Die offene Registrierung wird dann abgebrochen.
register-elsewhere-button = In diesem Browser registrieren
register-done-title = Konto erstellt
register-done-text = Ihr Konto ist bereit und Sie sind angemeldet.
register-done-link = Zu Ihrem Konto

err-registration-expired = Diese Registrierung ist abgelaufen. Bitte beginnen Sie von vorn.
    .title = Registrierung abgelaufen
