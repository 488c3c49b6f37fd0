action-confirm = Bekräfta
action-rename = Byt namn
action-remove = Ta bort

factor-title = Bekräfta att det är du
factor-enrol-title = Lägg till en andra faktor
factor-passkey-needed = Den här tjänsten kräver en nyckel (passkey).
factor-use-your-passkey = Använd din nyckel
factor-no-passkey-yet = Du har ingen nyckel ännu. Lägg till en på kontots säkerhetssida och gå sedan tillbaka till tjänsten.
factor-security-page = Säkerhetssidan
factor-enrol-text = Den här tjänsten kräver en andra faktor. Skanna koden med en autentiseringsapp (eller skriv in nyckeln för hand) och skriv sedan den sexsiffriga kod som appen visar.
factor-key = Nyckel:
factor-code-from-app = Kod från appen
factor-code-from-your-app = Kod från din autentiseringsapp
factor-sms-sent = Vi har skickat en kod med sms till { $phone }.
factor-sms-again = Skicka en ny kod
factor-sms-send = Skicka en kod med sms
factor-use-a-passkey = Använd en nyckel
factor-use-recovery-code = Använd en återställningskod
factor-recovery-code = Återställningskod
factor-err-no-phone = Kontot har inget verifierat mobilnummer.
factor-err-sms-failed = Sms:et kunde inte skickas. Försök igen om en stund.
factor-err-sms-throttled = En kod skickades för mindre än en minut sedan; använd den.
factor-err-sms-budget = För många koder har skickats till den här telefonen just nu. Försök igen senare eller bekräfta på ett annat sätt.
factor-err-choose = Välj hur du vill bekräfta att det är du.

otp-wrong-sms = Koden stämmer inte. Kontrollera sms:et och försök igen.
otp-expired = Koden har gått ut eller har redan använts. Be om en ny.
otp-too-many = För många felaktiga koder. Be om en ny.
otp-totp-replayed = Koden har redan använts. Vänta på nästa.
otp-wrong-totp = Koden stämmer inte. Kontrollera appen och försök igen.
otp-recovery-invalid = Återställningskoden är ogiltig eller har redan använts.

sms-sign-in-code = { $code } är din inloggningskod till posttjänsterna. Den gäller i 5 minuter. Ge den aldrig till någon.

security-title = Säkerhet
security-signed-in-as = Inloggad som { $email }
security-totp-heading = Autentiseringsapp
security-totp-on = En autentiseringsapp är konfigurerad.
security-totp-remove = Ta bort autentiseringsappen
security-totp-scan = Skanna koden med din autentiseringsapp eller skriv in nyckeln för hand.
security-totp-setup = Konfigurera en autentiseringsapp
security-totp-done = Autentiseringsappen är konfigurerad.
security-totp-removed = Autentiseringsappen är borttagen.
security-passkeys-heading = Nycklar (passkeys)
security-no-passkeys = Inga nycklar ännu.
security-passkey-added = tillagd { $date }
security-new-name = Nytt namn
security-passkey-name = Namn på den nya nyckeln
security-passkey-default-name = Nyckel
security-passkey-add = Lägg till en nyckel
security-passkey-name-missing = Ge nyckeln ett namn.
security-passkey-renamed = Nyckeln har bytt namn.
security-passkey-unknown = Det finns ingen sådan nyckel.
security-passkey-removed = Nyckeln är borttagen.
security-codes-heading = Återställningskoder
security-codes-new = Dina nya återställningskoder. Varje kod fungerar en gång. Skriv ner dem nu: de visas inte igen.
security-codes-left = { $count ->
    [one] En oanvänd återställningskod.
   *[other] { $count } oanvända återställningskoder.
}
security-codes-make = Skapa nya återställningskoder
security-password-heading = Lösenord
security-current-password = Nuvarande lösenord
security-password-change = Byt lösenord
security-password-keep-sessions = Håll mig inloggad på mina andra enheter
security-password-others-ended = Dina andra enheter är utloggade och deras appar måste logga in igen.
security-password-locked = För många felaktiga lösenord: kontot är spärrat för tillfället.
security-password-wrong = Det nuvarande lösenordet stämmer inte.
security-password-changed = Ditt lösenord är bytt.

js-page-expired = Sidan har gått ut. Ladda om den och försök igen.
js-sign-in-again = Logga in igen.
js-request-unreadable = Begäran kunde inte läsas.
js-sign-in-expired = Inloggningen har gått ut. Börja om.
js-passkey-unreadable = Nyckelns svar kunde inte läsas.
js-passkey-account-blocked = Kontot för den här nyckeln kan inte logga in.
js-account-locked = Kontot är spärrat.
js-passkeys-off = Nycklar (passkeys) är inte tillgängliga på den här servern.
js-passkey-expired = Nyckelbegäran har gått ut. Börja om.
js-passkey-unknown = Den här nyckeln är inte känd här.
js-passkey-rejected = Nyckelns svar godtogs inte.
