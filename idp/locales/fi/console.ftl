# Tilin hallinta: profiili, sähköposti ja matkapuhelin, istunnot, palvelut, tietosi; tietoturvailmoitukset.
console-nav = Tilisi
console-nav-profile = Profiili
console-nav-security = Tietoturva
console-nav-sessions = Istunnot
console-nav-services = Palvelut
console-nav-organizations = Organisaatiot
console-nav-data = Tietosi
console-saved = Muutoksesi on tallennettu.
console-fix-fields = Joissakin kentissä on korjattavaa.
console-save = Tallenna
console-send-code = Lähetä koodi
console-confirm = Vahvista

profile-title = Profiilisi
profile-names = Nimi ja syntymäaika
profile-given-name = Etunimi
profile-family-name = Sukunimi
profile-birthdate = Syntymäaika
profile-birthdate-hint = Muodossa vuosi-kuukausi-päivä, esimerkiksi 1990-04-01.
profile-birthdate-invalid = Anna todellinen mennyt päivämäärä muodossa vuosi-kuukausi-päivä, esimerkiksi 1990-04-01.
profile-address = Postiosoite
profile-street = Katuosoite
profile-postal-code = Postinumero
profile-postal-code-invalid = Anna postinumero kirjaimin, numeroin, välilyönnein tai yhdysmerkein.
profile-locality = Postitoimipaikka
profile-country = Maa
profile-country-hint = Kaksikirjaiminen koodi, esimerkiksi CH, FR, DE, IT, SE tai FI.
profile-country-invalid = Anna maa kaksikirjaimisena ISO-koodina, esimerkiksi FI.
profile-text-invalid = Anna enintään 100 merkkiä ilman rivinvaihtoja.
profile-language = Kieli
profile-language-browser = Selaimeni mukaan
profile-locale-invalid = Valitse jokin luettelon kielistä.
profile-contact = Sähköposti ja matkapuhelinnumero
profile-phone = Matkapuhelinnumero
profile-none = ei ole
profile-change-email = Vaihda sähköpostiosoite
profile-change-phone = Vaihda matkapuhelinnumero

contact-email-title = Vaihda sähköpostiosoitteesi
contact-phone-title = Vaihda matkapuhelinnumerosi
contact-new-email = Uusi sähköpostiosoite
contact-new-phone = Uusi matkapuhelinnumero
contact-phone-hint = Kansainvälisessä muodossa, esimerkiksi +358 40 123 4567.
contact-phone-invalid = Anna matkapuhelinnumero kansainvälisessä muodossa, esimerkiksi +358 40 123 4567.
contact-email-same = Tämä on jo sähköpostiosoitteesi.
contact-phone-same = Tämä on jo matkapuhelinnumerosi.
contact-email-sent = Lähetimme koodin osoitteeseen { $to }. Vahvista uusi osoite antamalla koodi tähän.
contact-phone-sent = Lähetimme koodin tekstiviestinä numeroon { $to }. Vahvista uusi numero antamalla koodi tähän.
contact-code = Koodi
contact-code-wrong = Koodi ei ole oikein. Tarkista se ja yritä uudelleen.
contact-code-expired = Koodi on vanhentunut tai sitä on yritetty liian monta kertaa. Aloita alusta saadaksesi uuden.
contact-send-failed = Koodia ei voitu lähettää. Yritä hetken kuluttua uudelleen.
contact-email-changed = Sähköpostiosoitteesi on vaihdettu.
contact-phone-changed = Matkapuhelinnumerosi on vaihdettu.
contact-email-code = { $code } on koodisi, jolla vahvistat tämän sähköpostiosoitteen postipalvelujen tilillesi. Se on voimassa 5 minuuttia.
    .subject = Vahvista uusi sähköpostiosoitteesi
contact-sms-code = { $code } on koodisi, jolla vahvistat tämän matkapuhelinnumeron. Se on voimassa 5 minuuttia. Älä koskaan anna sitä kenellekään.
contact-email-taken-notice = Joku pyysi käyttää tätä sähköpostiosoitetta toisella postipalvelujen tilillä. Mitään ei muutettu. Jos se olit sinä, sinulla on jo tili tällä osoitteella; muussa tapauksessa voit jättää tämän viestin huomiotta.
    .subject = Sähköpostiosoitteesi

sessions-title = Aktiiviset istunnot
sessions-intro = Nämä selaimet ja laitteet ovat kirjautuneina tilillesi.
sessions-device = Laite
sessions-place = Paikka
sessions-started = Alkanut
sessions-actions = Toiminnot
sessions-this-one = tämä selain
sessions-unknown-device = Tuntematon laite
sessions-unknown-place = Tuntematon
sessions-place-hint = Paikka on internetosoite, josta istunto alkoi; meillä ei ole sijaintitietokantaa, joten kaupunki tai maa ei ole tiedossa.
sessions-end-others = Kirjaudu ulos kaikkialta muualta
sessions-ended = Istunto on kirjattu ulos.
sessions-others-ended = Kaikki muut istunnot on kirjattu ulos.
sessions-unknown = Tämä istunto on jo päättynyt.

services-title = Palvelut
services-connected = Yhdistetyt palvelut
services-connected-intro = Nämä palvelut saavat käyttää tietojasi niin kuin sallit. Luvan peruminen kirjaa ne ulos; ne kysyvät lupaa uudelleen seuraavalla kerralla.
services-none = Et ole vielä antanut lupaa millekään palvelulle.
services-allowed-on = Sallittu { $date }
services-revoke = Peru lupa
services-revoked = Lupa on peruttu ja palvelu kirjattu ulos.
services-catalogue = Kaikki verkkopalvelut
services-open = Avaa
services-favourite-add = Lisää suosikkeihin
services-favourite-remove = Poista suosikeista
services-favourite = Suosikki
services-no-catalogue = Verkkopalveluja ei ole vielä lueteltu.
services-unknown = Tätä palvelua ei tunneta.

data-title = Tietosi
data-export-intro = Lataa kaikki, mitä säilytämme sinusta: profiili, organisaatiot, luvat, istunnot, tunnistustekijät ja viimeaikaiset tietoturvatapahtumat. Salaisuuksia, kuten salasanoja, ei koskaan sisällytetä.
data-export = Lataa tietosi (JSON)
data-delete-title = Poista tilisi
data-delete-intro = Kirjautuminen estetään heti ja kaikki palvelut kirjataan ulos. Tietosi poistetaan { $days } päivän kuluttua; siihen asti asiakaspalvelu voi vielä pysäyttää poiston.
data-delete-confirm = Poista tilini
data-password-wrong = Salasana ei ole oikein.
data-locked = Liian monta väärää salasanaa: tili on toistaiseksi lukittu.
data-last-admin = Olet organisaation ainoa ylläpitäjä. Nimeä ensin toinen jäsen ylläpitäjäksi Organisaatiot-sivulla tai pyydä asiakaspalvelua sulkemaan organisaatio.
data-deleted-title = Tilin poistoa pyydetty
data-deleted-text = Tilisi on suljettu ja olet kirjautunut ulos. Tietosi poistetaan { $days } päivän kuluttua. Lähetimme vahvistuksen sähköpostiosoitteeseesi.

secnotice-security = Hei,

    { $what }

    Jos tämä et ollut sinä, vaihda salasanasi heti ja tarkista tilisi: { $url }
    .subject = Muutos postipalvelujen tilissäsi
secnotice-email-changed = Tilisi sähköpostiosoite on vaihdettu. Viestit lähtevät nyt uuteen osoitteeseen.
secnotice-phone-changed = Tilisi matkapuhelinnumero on vaihdettu.
secnotice-password-changed = Tilisi salasana on vaihdettu.
secnotice-factor-added = Tilillesi on lisätty tunnistustekijä (todennussovellus tai pääsyavain).
secnotice-factor-removed = Tililtäsi on poistettu tunnistustekijä (todennussovellus tai pääsyavain).
secnotice-recovery-codes = Tilillesi on luotu uudet palautuskoodit; vanhat eivät enää toimi.
secnotice-deletion-requested = Tilisi poistetaan pyyntösi mukaisesti. Kirjautuminen on estetty ja tiedot poistetaan { $days } päivän kuluttua.
