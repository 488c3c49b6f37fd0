signin-title = Kirjaudu sisään
signin-continue-to = jatkaaksesi palveluun { $client }
signin-your-account = tilisi
signin-passkey = Kirjaudu pääsyavaimella
signin-create-account = Luo tili
signin-forgot-email = Unohditko sähköpostiosoitteesi?
signin-password-title = Anna salasanasi
signin-other-address = käytä toista osoitetta
signin-forgot-password = Unohditko salasanasi?
signin-wrong-password = Sähköpostiosoite tai salasana on väärä.

consent-title = Sallitaanko pääsy?
consent-asks = { $client } pyytää lupaa:
consent-asks-unnamed = Palvelu pyytää lupaa:
consent-withdraw-later = Voit perua tämän myöhemmin tililtäsi.
data-identity = tietää kuka olet
data-name = nähdä nimesi ja kielesi
data-birthdate = nähdä syntymäaikasi
data-email = nähdä sähköpostiosoitteesi
data-phone = nähdä matkapuhelinnumerosi
data-address = nähdä postiosoitteesi
data-offline = pysyä yhteydessä, kun et käytä palvelua
data-org = tietää, minkä organisaation puolesta toimit
data-org-admin = hallinnoida puolestasi organisaatioita, joiden ylläpitäjä olet

locked-title = Tili on lukittu
locked-until = Epäonnistuneita yrityksiä oli liian monta. Turvallisuutesi vuoksi kirjautuminen tälle tilille on estetty { $time } asti. Yritä uudelleen sen jälkeen.
locked-permanent = Epäonnistuneita yrityksiä oli liian monta, ja kirjautuminen tälle tilille on estetty. Jos tili on olemassa, ohjeet sen avaamiseksi on lähetetty sen sähköpostiosoitteeseen.

logout-title = Kirjaudutaanko ulos?
logout-question = Haluatko kirjautua ulos kaikista postin palveluista tällä laitteella?
logged-out-title = Kirjauduttu ulos
logged-out-text = Olet kirjautunut ulos. Voit sulkea tämän ikkunan.

reset-title = Valitse uusi salasana
reset-code-hint = Lähetimme myös koodin tekstiviestinä matkapuhelinnumeroosi.
reset-save = Tallenna salasana
reset-done-title = Salasana tallennettu
reset-done-text = Uusi salasanasi on tallennettu, tili on avattu ja kaikki muut istunnot on kirjattu ulos. Palaa palveluun kirjautuaksesi.

# Henkilöllisyyden varmennus ja palvelupisteessä annetut tunnukset.
data-assurance = nähdä, onko henkilöllisyytesi varmennettu, miten ja milloin
signin-temporary-expired = Tämä väliaikainen salasana on vanhentunut. Pyydä uusi palvelupisteestä tai käytä alla olevaa ”Unohditko salasanan?” -linkkiä.
newpw-title = Valitse uusi salasana
newpw-intro = Kirjauduit väliaikaisella salasanalla tai salasanasi on vaihdettava. Valitse oma salasanasi jatkaaksesi.
newpw-save = Tallenna ja jatka
newpw-same = Valitse eri salasana kuin saamasi.
verify-title = Varmennettu henkilöllisyys vaaditaan
verify-needed = { $client } on vain niiden käytettävissä, joiden henkilöllisyys on varmennettu.
verify-needed-unnamed = Palvelu on vain niiden käytettävissä, joiden henkilöllisyys on varmennettu.
verify-text = Voit varmennuttaa henkilöllisyytesi palvelupisteessä henkilöllisyystodistuksella tai muulla palveluntarjoajasi tarjoamalla tavalla. Kirjaudu sitten uudelleen.
verify-how = Näin varmennat henkilöllisyytesi
verify-back = Takaisin palveluun { $client }
verify-back-unnamed = Takaisin palveluun
