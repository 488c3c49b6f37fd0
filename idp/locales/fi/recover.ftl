# Unohtunut salasana, unohtunut sähköpostiosoite ja lukituksen avaamisen sähköposti.
recover-password-title = Unohditko salasanan?
recover-password-intro = Kirjoita tilisi sähköpostiosoite. Lähetämme linkin, jolla voit valita uuden salasanan.
recover-send-link = Lähetä linkki
recover-password-sent-title = Tarkista sähköpostisi
recover-password-sent = Jos osoitteelle { $email } on tili, lähetimme sinne linkin uuden salasanan valitsemiseksi. Linkki on voimassa { $minutes } minuuttia ja toimii kerran.
recover-back = Takaisin kirjautumiseen

recover-reset-email = Hei,

    joku (toivottavasti sinä) pyysi uuden salasanan valitsemista postipalvelujen tilillesi. Käytä tätä linkkiä { $minutes } minuutin kuluessa; se toimii kerran:

    { $link }

    Jos tililläsi on matkapuhelinnumero, lähetämme linkin avautuessa myös koodin tekstiviestillä. Sen jälkeen kaikki tilillesi kirjautuneet laitteet kirjataan ulos.

    Jos se et ollut sinä, jätä tämä viesti huomiotta: salasanasi pysyy ennallaan.
    .subject = Valitse uusi salasana
recover-reset-sms = { $code } on koodisi uuden salasanan valitsemiseen. Se on voimassa 5 minuuttia. Älä koskaan anna sitä kenellekään.
recover-code-wrong = Koodi on väärä. Tarkista tekstiviesti ja yritä uudelleen.
recover-code-expired = Koodi on vanhentunut tai sitä on yritetty liian monta kertaa. Avaa sähköpostin linkki uudelleen saadaksesi uuden.
recover-sms-failed = Tekstiviestiä ei voitu lähettää. Avaa sähköpostin linkki hetken kuluttua uudelleen.

unlock-email = Hei,

    postipalvelujen tilisi lukittiin toistuvien epäonnistuneiden kirjautumisyritysten jälkeen. Jos se olit sinä, valitse uusi salasana tällä linkillä (voimassa { $hours } tuntia); se myös avaa tilin lukituksen:

    { $link }

    Jos se et ollut sinä, valitse silti uusi salasana: joku yritti arvata sen.
    .subject = Tilisi on lukittu

recover-email-title = Unohditko sähköpostiosoitteen?
recover-email-intro = Kirjoita tilisi matkapuhelinnumero ja syntymäaika. Lähetämme numeroon koodin ja sen jälkeen sähköpostiosoitteen.
recover-birthdate = Syntymäaika
recover-send-code = Lähetä koodi
recover-email-code-title = Kirjoita koodi
recover-email-code-sent = Jos tiedot vastaavat tiliä, lähetimme koodin tekstiviestillä numeroon { $phone }.
recover-email-code-sms = { $code } on koodisi sähköpostiosoitteen palauttamiseen. Se on voimassa 5 minuuttia. Älä koskaan anna sitä kenellekään.
recover-email-sms = Postipalvelujen tilisi käyttää sähköpostiosoitetta { $email }.
recover-email-code-expired = Koodi on vanhentunut tai sitä on yritetty liian monta kertaa. Aloita alusta saadaksesi uuden.
recover-email-done-title = Tarkista puhelimesi
recover-email-done = Lähetimme tilisi sähköpostiosoitteen tekstiviestillä. Voit nyt kirjautua sillä.

err-recovery-expired = Tämä pyyntö on vanhentunut. Aloita alusta.
    .title = Pyyntö vanhentunut
