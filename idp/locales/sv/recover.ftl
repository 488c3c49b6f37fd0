# Glömt lösenord, glömd e-postadress och e-postmeddelandet om upplåsning.
recover-password-title = Glömt lösenordet?
recover-password-intro = Ange e-postadressen för ditt konto. Vi skickar en länk där du väljer ett nytt lösenord.
recover-send-link = Skicka länken
recover-password-sent-title = Kolla din e-post
recover-password-sent = Om det finns ett konto för { $email } har vi skickat en länk dit för att välja ett nytt lösenord. Länken gäller i { $minutes } minuter och fungerar en gång.
recover-back = Tillbaka till inloggningen

recover-reset-email = Hej,

    någon (förhoppningsvis du) har bett om att välja ett nytt lösenord för ditt konto för posttjänsterna. Använd den här länken inom { $minutes } minuter; den fungerar en gång:

    { $link }

    Om ditt konto har ett mobilnummer skickar vi också en kod med SMS när du öppnar länken. Efteråt loggas alla enheter som är inloggade på ditt konto ut.

    Om det inte var du kan du strunta i det här meddelandet: ditt lösenord förblir oförändrat.
    .subject = Välj ett nytt lösenord
recover-reset-sms = { $code } är din kod för att välja ett nytt lösenord. Den gäller i 5 minuter. Ge den aldrig till någon.
recover-code-wrong = Koden är fel. Kontrollera SMS:et och försök igen.
recover-code-expired = Koden har gått ut eller prövats för många gånger. Öppna länken i e-postmeddelandet igen för att få en ny.
recover-sms-failed = SMS:et kunde inte skickas. Öppna länken i e-postmeddelandet igen om en stund.

unlock-email = Hej,

    ditt konto för posttjänsterna spärrades efter upprepade misslyckade inloggningsförsök. Om det var du, välj ett nytt lösenord med den här länken (gäller i { $hours } timmar); den låser också upp kontot:

    { $link }

    Om det inte var du, välj ändå ett nytt lösenord: någon försökte gissa det.
    .subject = Ditt konto är spärrat

recover-email-title = Glömt e-postadressen?
recover-email-intro = Ange mobilnumret och födelsedatumet för ditt konto. Vi skickar en kod till det numret och sedan e-postadressen.
recover-birthdate = Födelsedatum
recover-send-code = Skicka koden
recover-email-code-title = Ange koden
recover-email-code-sent = Om uppgifterna stämmer med ett konto har vi skickat en kod med SMS till { $phone }.
recover-email-code-sms = { $code } är din kod för att få tillbaka din e-postadress. Den gäller i 5 minuter. Ge den aldrig till någon.
recover-email-sms = Ditt konto för posttjänsterna använder e-postadressen { $email }.
recover-email-code-expired = Koden har gått ut eller prövats för många gånger. Börja om för att få en ny.
recover-email-done-title = Kolla din telefon
recover-email-done = Vi har skickat ditt kontos e-postadress med SMS. Nu kan du logga in med den.

err-recovery-expired = Den här begäran har gått ut. Börja om.
    .title = Begäran har gått ut
