# Die Kontokonsole: Profil, E-Mail und Mobilnummer, Sitzungen, Dienste, Ihre Daten; Sicherheitshinweise.
console-nav = Ihr Konto
console-nav-profile = Profil
console-nav-security = Sicherheit
console-nav-sessions = Sitzungen
console-nav-services = Dienste
console-nav-organizations = Organisationen
console-nav-data = Ihre Daten
console-saved = Ihre Änderungen sind gespeichert.
console-fix-fields = Einige Felder brauchen Ihre Aufmerksamkeit.
console-save = Speichern
console-send-code = Code senden
console-confirm = Bestätigen

profile-title = Ihr Profil
profile-names = Name und Geburtsdatum
profile-given-name = Vorname
profile-family-name = Nachname
profile-birthdate = Geburtsdatum
profile-birthdate-hint = Als Jahr-Monat-Tag, zum Beispiel 1990-04-01.
profile-birthdate-invalid = Geben Sie ein echtes Datum in der Vergangenheit als Jahr-Monat-Tag ein, zum Beispiel 1990-04-01.
profile-address = Postadresse
profile-street = Strasse und Hausnummer
profile-postal-code = Postleitzahl
profile-postal-code-invalid = Geben Sie eine Postleitzahl aus Buchstaben, Ziffern, Leerzeichen oder Bindestrichen ein.
profile-locality = Ort
profile-country = Land
profile-country-hint = Zweistelliger Code, zum Beispiel CH, FR, DE, IT, SE oder FI.
profile-country-invalid = Geben Sie das Land als zweistelligen ISO-Code ein, zum Beispiel CH.
profile-text-invalid = Geben Sie höchstens 100 Zeichen ohne Zeilenumbruch ein.
profile-language = Sprache
profile-language-browser = Wie mein Browser
profile-locale-invalid = Wählen Sie eine der Sprachen aus der Liste.
profile-contact = E-Mail und Mobilnummer
profile-phone = Mobilnummer
profile-none = keine
profile-change-email = E-Mail-Adresse ändern
profile-change-phone = Mobilnummer ändern

contact-email-title = E-Mail-Adresse ändern
contact-phone-title = Mobilnummer ändern
contact-new-email = Neue E-Mail-Adresse
contact-new-phone = Neue Mobilnummer
contact-phone-hint = Im internationalen Format, zum Beispiel +41 79 123 45 67.
contact-phone-invalid = Geben Sie eine Mobilnummer im internationalen Format ein, zum Beispiel +41 79 123 45 67.
contact-email-same = Das ist bereits Ihre E-Mail-Adresse.
contact-phone-same = Das ist bereits Ihre Mobilnummer.
contact-email-sent = Wir haben einen Code an { $to } gesendet. Geben Sie ihn hier ein, um die neue Adresse zu bestätigen.
contact-phone-sent = Wir haben einen Code per SMS an { $to } gesendet. Geben Sie ihn hier ein, um die neue Nummer zu bestätigen.
contact-code = Code
contact-code-wrong = Der Code stimmt nicht. Prüfen Sie ihn und versuchen Sie es erneut.
contact-code-expired = Der Code ist abgelaufen oder wurde zu oft versucht. Beginnen Sie neu, um einen neuen zu erhalten.
contact-send-failed = Der Code konnte nicht gesendet werden. Versuchen Sie es gleich noch einmal.
contact-email-changed = Ihre E-Mail-Adresse ist geändert.
contact-phone-changed = Ihre Mobilnummer ist geändert.
contact-email-code = { $code } ist Ihr Code, um diese E-Mail-Adresse für Ihr Konto der Postdienste zu bestätigen. Er ist 5 Minuten gültig.
    .subject = Bestätigen Sie Ihre neue E-Mail-Adresse
contact-sms-code = { $code } ist Ihr Code, um diese Mobilnummer zu bestätigen. Er ist 5 Minuten gültig. Geben Sie ihn nie weiter.
contact-email-taken-notice = Jemand wollte diese E-Mail-Adresse für ein anderes Konto der Postdienste verwenden. Es wurde nichts geändert. Falls Sie es waren: Sie haben bereits ein Konto mit dieser Adresse; andernfalls können Sie diese Nachricht ignorieren.
    .subject = Ihre E-Mail-Adresse

sessions-title = Aktive Sitzungen
sessions-intro = Diese Browser und Geräte sind bei Ihrem Konto angemeldet.
sessions-device = Gerät
sessions-place = Ort
sessions-started = Beginn
sessions-actions = Aktionen
sessions-this-one = dieser Browser
sessions-unknown-device = Unbekanntes Gerät
sessions-unknown-place = Unbekannt
sessions-place-hint = Der Ort ist die Internetadresse, von der aus die Sitzung begann; wir führen keine Standortdatenbank, daher sind Stadt und Land nicht bekannt.
sessions-end-others = Überall sonst abmelden
sessions-ended = Die Sitzung ist abgemeldet.
sessions-others-ended = Alle anderen Sitzungen sind abgemeldet.
sessions-unknown = Diese Sitzung ist bereits beendet.

services-title = Dienste
services-connected = Verbundene Dienste
services-connected-intro = Diese Dienste dürfen Ihre Daten so verwenden, wie Sie es erlaubt haben. Wenn Sie die Erlaubnis entziehen, werden sie abgemeldet und fragen Sie beim nächsten Mal erneut.
services-none = Sie haben noch keinem Dienst etwas erlaubt.
services-allowed-on = Erlaubt am { $date }
services-revoke = Erlaubnis entziehen
services-revoked = Die Erlaubnis ist entzogen und der Dienst abgemeldet.
services-catalogue = Alle Online-Dienste
services-open = Öffnen
services-favourite-add = Zu den Favoriten
services-favourite-remove = Aus den Favoriten entfernen
services-favourite = Favorit
services-no-catalogue = Es sind noch keine Online-Dienste aufgeführt.
services-unknown = Dieser Dienst ist nicht bekannt.

data-title = Ihre Daten
data-export-intro = Laden Sie alles herunter, was wir über Sie speichern: Profil, Organisationen, Erlaubnisse, Sitzungen, Sicherheitsfaktoren und neuere Sicherheitsereignisse. Geheimnisse wie Passwörter sind nie enthalten.
data-export = Ihre Daten herunterladen (JSON)
data-delete-title = Ihr Konto löschen
data-delete-intro = Die Anmeldung wird sofort gesperrt und alle Dienste werden abgemeldet. Ihre Daten werden nach { $days } Tagen gelöscht; bis dahin kann der Kundendienst die Löschung noch aufhalten.
data-delete-confirm = Mein Konto löschen
data-password-wrong = Das Passwort stimmt nicht.
data-locked = Zu viele falsche Passwörter: Das Konto ist vorerst gesperrt.
data-last-admin = Sie sind die einzige Administratorin bzw. der einzige Administrator einer Organisation. Ernennen Sie zuerst auf der Seite Organisationen ein anderes Mitglied, oder bitten Sie den Kundendienst, die Organisation aufzulösen.
data-deleted-title = Löschung des Kontos beantragt
data-deleted-text = Ihr Konto ist geschlossen und Sie sind abgemeldet. Ihre Daten werden in { $days } Tagen gelöscht. Wir haben eine Bestätigung an Ihre E-Mail-Adresse gesendet.

secnotice-security = Guten Tag

    { $what }

    Falls Sie das nicht waren, setzen Sie jetzt Ihr Passwort zurück und prüfen Sie Ihr Konto: { $url }
    .subject = Eine Änderung an Ihrem Konto der Postdienste
secnotice-email-changed = Die E-Mail-Adresse Ihres Kontos wurde geändert. Nachrichten gehen nun an die neue Adresse.
secnotice-phone-changed = Die Mobilnummer Ihres Kontos wurde geändert.
secnotice-password-changed = Das Passwort Ihres Kontos wurde geändert.
secnotice-factor-added = Ihrem Konto wurde ein Sicherheitsfaktor (Authenticator-App oder Passkey) hinzugefügt.
secnotice-factor-removed = Ein Sicherheitsfaktor (Authenticator-App oder Passkey) wurde aus Ihrem Konto entfernt.
secnotice-recovery-codes = Für Ihr Konto wurden neue Wiederherstellungscodes erstellt; die alten gelten nicht mehr.
secnotice-deletion-requested = Ihr Konto wird wie gewünscht gelöscht. Die Anmeldung ist gesperrt und die Daten werden in { $days } Tagen gelöscht.
