# Registrering: formuläret, SMS-koden, e-postlänken och deras meddelanden.
register-title = Skapa ett konto
register-given-name = Förnamn
register-family-name = Efternamn
register-email-again = E-postadressen igen
register-phone = Mobilnummer
register-phone-hint = Till exempel +41 79 123 45 67. Vi skickar en kod för att bekräfta det.
register-birthdate = Födelsedatum (frivilligt)
register-birthdate-hint = Med det kan du få tillbaka din e-postadress med ditt mobilnummer.
register-terms = Jag godkänner användarvillkoren (version { $version }).
register-terms-link = Läs användarvillkoren
register-submit = Skapa kontot
register-have-account = Jag har redan ett konto
passwords-same = De två lösenorden är lika.

register-name-missing = Ange ditt namn (högst 100 tecken).
register-emails-differ = De två e-postadresserna är inte lika.
register-phone-invalid = Ange ett mobilnummer, till exempel +41 79 123 45 67.
register-birthdate-invalid = Ange ett verkligt datum i det förflutna, till exempel 1980-02-29.
register-terms-required = Godkänn användarvillkoren för att skapa ett konto.

register-phone-title = Bekräfta ditt mobilnummer
register-phone-sent = Vi har skickat en kod med SMS till { $phone }. Ange den här.
register-resend = Skicka en ny kod
register-code-wrong = Koden är fel. Kontrollera SMS:et och försök igen.
register-code-expired = Koden har gått ut eller prövats för många gånger. Be om en ny kod.
register-code-resent = En ny kod är på väg.
register-code-throttled = En kod skickades för mindre än en minut sedan; använd den.
register-sms-failed = SMS:et kunde inte skickas. Försök igen om en stund.
register-sms = { $code } är din kod för att skapa ditt konto för posttjänsterna. Den gäller i 5 minuter. Ge den aldrig till någon.

register-check-email-title = Kolla din e-post
register-check-email = Ditt mobilnummer är bekräftat. Vi har skickat ett e-postmeddelande till { $email }: öppna länken i det i den här webbläsaren för att slutföra ditt konto.
register-email = Hej { $name },

    bekräfta din e-postadress med den här länken för att slutföra ditt konto för posttjänsterna. Länken gäller i { $minutes } minuter och fungerar en gång:

    { $link }

    Öppna den i webbläsaren där du påbörjade registreringen.

    Om du inte har bett om ett konto kan du strunta i det här meddelandet: inget skapas.
    .subject = Bekräfta din e-postadress
register-taken-email = Hej,

    någon försökte skapa ett konto för posttjänsterna med din e-postadress { $email }. Du har redan ett konto, så inget skapades.

    Om det var du, logga in med ditt konto: { $link }
    Om du har glömt ditt lösenord, välj ”Glömt lösenordet?” när du loggar in.

    Om det inte var du kan du strunta i det här meddelandet.
    .subject = Någon försökte registrera sig med din adress

register-confirm-title = Bekräfta din e-postadress
register-confirm-text = Bekräfta { $email } för att slutföra ditt konto.
register-confirm-button = Bekräfta och skapa kontot
register-elsewhere-title = Öppna länken där du började
register-elsewhere-text = Den här länken skapar kontot för { $email } bara i webbläsaren där registreringen påbörjades. Öppna den där. Om du inte påbörjade den, eller inte kan gå tillbaka dit, registrera dig i den här webbläsaren i stället: den väntande registreringen avbryts då.
register-elsewhere-button = Registrera mig i den här webbläsaren
register-done-title = Kontot är skapat
register-done-text = Ditt konto är klart och du är inloggad.
register-done-link = Till ditt konto

err-registration-expired = Den här registreringen har gått ut. Börja om.
    .title = Registreringen har gått ut
