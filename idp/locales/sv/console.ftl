# Kontokonsolen: profil, e-post och mobilnummer, sessioner, tjänster, dina uppgifter; säkerhetsmeddelanden.
console-nav = Ditt konto
console-nav-profile = Profil
console-nav-security = Säkerhet
console-nav-sessions = Sessioner
console-nav-services = Tjänster
console-nav-organizations = Organisationer
console-nav-data = Dina uppgifter
console-saved = Dina ändringar är sparade.
console-fix-fields = Några fält behöver din uppmärksamhet.
console-save = Spara
console-send-code = Skicka koden
console-confirm = Bekräfta

profile-title = Din profil
profile-names = Namn och födelsedatum
profile-given-name = Förnamn
profile-family-name = Efternamn
profile-birthdate = Födelsedatum
profile-birthdate-hint = Som år-månad-dag, till exempel 1990-04-01.
profile-birthdate-invalid = Ange ett verkligt datum i det förflutna som år-månad-dag, till exempel 1990-04-01.
profile-address = Postadress
profile-street = Gata och nummer
profile-postal-code = Postnummer
profile-postal-code-invalid = Ange ett postnummer av bokstäver, siffror, mellanslag eller bindestreck.
profile-locality = Ort
profile-country = Land
profile-country-hint = Kod med två bokstäver, till exempel CH, FR, DE, IT, SE eller FI.
profile-country-invalid = Ange landet med dess ISO-kod på två bokstäver, till exempel SE.
profile-text-invalid = Ange högst 100 tecken, utan radbrytningar.
profile-language = Språk
profile-language-browser = Som min webbläsare anger
profile-locale-invalid = Välj ett av språken i listan.
profile-contact = E-post och mobilnummer
profile-phone = Mobilnummer
profile-none = inget
profile-change-email = Byt e-postadress
profile-change-phone = Byt mobilnummer

contact-email-title = Byt din e-postadress
contact-phone-title = Byt ditt mobilnummer
contact-new-email = Ny e-postadress
contact-new-phone = Nytt mobilnummer
contact-phone-hint = I internationellt format, till exempel +46 70 123 45 67.
contact-phone-invalid = Ange ett mobilnummer i internationellt format, till exempel +46 70 123 45 67.
contact-email-same = Det här är redan din e-postadress.
contact-phone-same = Det här är redan ditt mobilnummer.
contact-email-sent = Vi skickade en kod till { $to }. Ange den här för att bekräfta den nya adressen.
contact-phone-sent = Vi skickade en kod per sms till { $to }. Ange den här för att bekräfta det nya numret.
contact-code = Kod
contact-code-wrong = Koden stämmer inte. Kontrollera den och försök igen.
contact-code-expired = Koden har gått ut eller prövats för många gånger. Börja om för att få en ny.
contact-send-failed = Koden kunde inte skickas. Försök igen om en stund.
contact-email-changed = Din e-postadress är bytt.
contact-phone-changed = Ditt mobilnummer är bytt.
contact-email-code = { $code } är din kod för att bekräfta den här e-postadressen för ditt konto hos posttjänsterna. Den gäller i 5 minuter.
    .subject = Bekräfta din nya e-postadress
contact-sms-code = { $code } är din kod för att bekräfta det här mobilnumret. Den gäller i 5 minuter. Lämna aldrig ut den till någon.
contact-email-taken-notice = Någon bad om att få använda den här e-postadressen för ett annat konto hos posttjänsterna. Ingenting ändrades. Om det var du har du redan ett konto med den här adressen; annars kan du bortse från meddelandet.
    .subject = Din e-postadress

sessions-title = Aktiva sessioner
sessions-intro = Det här är webbläsarna och enheterna som är inloggade på ditt konto.
sessions-device = Enhet
sessions-place = Plats
sessions-started = Startad
sessions-actions = Åtgärder
sessions-this-one = den här webbläsaren
sessions-unknown-device = Okänd enhet
sessions-unknown-place = Okänd
sessions-place-hint = Platsen är internetadressen som sessionen startade från; vi har ingen platsdatabas, så stad eller land är inte kända.
sessions-end-others = Logga ut överallt annars
sessions-ended = Sessionen är utloggad.
sessions-others-ended = Alla andra sessioner är utloggade.
sessions-unknown = Den här sessionen har redan avslutats.

services-title = Tjänster
services-connected = Anslutna tjänster
services-connected-intro = De här tjänsterna får använda dina uppgifter så som du tillät. Om du drar tillbaka tillståndet loggas de ut; de frågar dig igen nästa gång.
services-none = Du har inte gett någon tjänst tillstånd ännu.
services-allowed-on = Tillåten { $date }
services-revoke = Dra tillbaka tillståndet
services-revoked = Tillståndet är tillbakadraget och tjänsten är utloggad.
services-catalogue = Alla e-tjänster
services-open = Öppna
services-favourite-add = Lägg till i favoriter
services-favourite-remove = Ta bort från favoriter
services-favourite = Favorit
services-no-catalogue = Inga e-tjänster finns listade ännu.
services-unknown = Den här tjänsten är okänd.

data-title = Dina uppgifter
data-export-intro = Ladda ner allt vi sparar om dig: profil, organisationer, tillstånd, sessioner, säkerhetsfaktorer och senaste säkerhetshändelser. Hemligheter som lösenord tas aldrig med.
data-export = Ladda ner dina uppgifter (JSON)
data-delete-title = Radera ditt konto
data-delete-intro = Inloggningen stoppas genast och alla tjänster loggas ut. Dina uppgifter raderas efter { $days } dagar; fram till dess kan kundtjänst fortfarande stoppa raderingen.
data-delete-confirm = Radera mitt konto
data-password-wrong = Lösenordet stämmer inte.
data-locked = För många felaktiga lösenord: kontot är låst tills vidare.
data-last-admin = Du är den enda administratören för en organisation. Utse först en annan medlem till administratör på sidan Organisationer, eller be kundtjänsten att stänga organisationen.
data-deleted-title = Radering av kontot begärd
data-deleted-text = Ditt konto är stängt och du är utloggad. Dina uppgifter raderas om { $days } dagar. Vi skickade en bekräftelse till din e-postadress.

secnotice-security = Hej,

    { $what }

    Om det inte var du, återställ ditt lösenord nu och kontrollera ditt konto: { $url }
    .subject = En ändring av ditt konto hos posttjänsterna
secnotice-email-changed = E-postadressen för ditt konto har ändrats. Meddelanden går nu till den nya adressen.
secnotice-phone-changed = Mobilnumret för ditt konto har ändrats.
secnotice-password-changed = Lösenordet för ditt konto har ändrats.
secnotice-factor-added = En säkerhetsfaktor (autentiseringsapp eller nyckel) har lagts till på ditt konto.
secnotice-factor-removed = En säkerhetsfaktor (autentiseringsapp eller nyckel) har tagits bort från ditt konto.
secnotice-recovery-codes = Nya återställningskoder har skapats för ditt konto; de gamla fungerar inte längre.
secnotice-deletion-requested = Ditt konto raderas som du bad om. Inloggningen är avstängd och uppgifterna raderas om { $days } dagar.
