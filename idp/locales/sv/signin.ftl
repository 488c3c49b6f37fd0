signin-title = Logga in
signin-continue-to = för att fortsätta till { $client }
signin-your-account = ditt konto
signin-passkey = Logga in med en nyckel (passkey)
signin-create-account = Skapa ett konto
signin-forgot-email = Glömt din e-postadress?
signin-password-title = Ange ditt lösenord
signin-other-address = använd en annan adress
signin-forgot-password = Glömt lösenordet?
signin-wrong-password = E-postadressen eller lösenordet är fel.

consent-title = Tillåta åtkomst?
consent-asks = { $client } vill:
consent-asks-unnamed = En tjänst vill:
consent-withdraw-later = Du kan återkalla detta senare från ditt konto.
data-identity = veta vem du är
data-name = se ditt namn och ditt språk
data-birthdate = se ditt födelsedatum
data-email = se din e-postadress
data-phone = se ditt mobilnummer
data-address = se din postadress
data-offline = hålla dig ansluten när du inte använder tjänsten
data-org = veta vilken organisation du företräder
data-org-admin = hantera de organisationer du administrerar å dina vägnar

locked-title = Kontot är spärrat
locked-until = Det har gjorts för många misslyckade försök. För din säkerhet är inloggningen till kontot spärrad till { $time }. Försök igen efter den tiden.
locked-permanent = Det har gjorts för många misslyckade försök och inloggningen till kontot är spärrad. Om kontot finns har instruktioner för att låsa upp det skickats till dess e-postadress.

logout-title = Logga ut?
logout-question = Vill du logga ut från alla posttjänster på den här enheten?
logged-out-title = Utloggad
logged-out-text = Du är utloggad. Du kan stänga det här fönstret.

reset-title = Välj ett nytt lösenord
reset-code-hint = Vi har också skickat en kod med sms till ditt mobilnummer.
reset-save = Spara lösenordet
reset-done-title = Lösenordet är sparat
reset-done-text = Ditt nya lösenord är sparat, kontot är upplåst och alla andra sessioner är utloggade. Gå tillbaka till tjänsten för att logga in.

# Identitetskontroll och tillfälliga inloggningsuppgifter från disken.
data-assurance = se om din identitet har kontrollerats, och hur och när
signin-temporary-expired = Det här tillfälliga lösenordet har gått ut. Be om ett nytt vid disken eller använd ”Glömt lösenordet?” nedan.
newpw-title = Välj ett nytt lösenord
newpw-intro = Du loggade in med ett tillfälligt lösenord eller så måste ditt lösenord bytas. Välj ditt eget lösenord för att fortsätta.
newpw-save = Spara och fortsätt
newpw-same = Välj ett annat lösenord än det du fick.
verify-title = Kontrollerad identitet krävs
verify-needed = { $client } är bara tillgänglig för personer vars identitet har kontrollerats.
verify-needed-unnamed = Tjänsten är bara tillgänglig för personer vars identitet har kontrollerats.
verify-text = Du kan få din identitet kontrollerad vid en disk med en id-handling, eller på ett annat sätt som din leverantör erbjuder. Logga sedan in igen.
verify-how = Så kontrolleras din identitet
verify-back = Tillbaka till { $client }
verify-back-unnamed = Tillbaka till tjänsten
