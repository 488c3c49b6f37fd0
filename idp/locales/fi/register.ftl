# Rekisteröityminen: lomake, tekstiviestikoodi, sähköpostilinkki ja niiden viestit.
register-title = Luo tili
register-given-name = Etunimi
register-family-name = Sukunimi
register-email-again = Sähköpostiosoite uudelleen
register-phone = Matkapuhelinnumero
register-phone-hint = Esimerkiksi +41 79 123 45 67. Lähetämme koodin sen vahvistamiseksi.
register-birthdate = Syntymäaika (vapaaehtoinen)
register-birthdate-hint = Sen avulla voit palauttaa sähköpostiosoitteesi matkapuhelinnumerollasi.
register-terms = Hyväksyn käyttöehdot (versio { $version }).
register-terms-link = Lue käyttöehdot
register-submit = Luo tili
register-have-account = Minulla on jo tili
passwords-same = Salasanat ovat samat.

register-name-missing = Kirjoita nimesi (enintään 100 merkkiä).
register-emails-differ = Sähköpostiosoitteet eivät ole samat.
register-phone-invalid = Kirjoita matkapuhelinnumero, esimerkiksi +41 79 123 45 67.
register-birthdate-invalid = Kirjoita todellinen mennyt päivämäärä, esimerkiksi 1980-02-29.
register-terms-required = Hyväksy käyttöehdot luodaksesi tilin.

register-phone-title = Vahvista matkapuhelinnumerosi
register-phone-sent = Lähetimme koodin tekstiviestillä numeroon { $phone }. Kirjoita se tähän.
register-resend = Lähetä uusi koodi
register-code-wrong = Koodi on väärä. Tarkista tekstiviesti ja yritä uudelleen.
register-code-expired = Koodi on vanhentunut tai sitä on yritetty liian monta kertaa. Pyydä uusi koodi.
register-code-resent = Uusi koodi on tulossa.
register-code-throttled = Koodi lähetettiin alle minuutti sitten; käytä sitä.
register-sms-failed = Tekstiviestiä ei voitu lähettää. Yritä hetken kuluttua uudelleen.
register-sms = { $code } on koodisi postipalvelujen tilin luomiseen. Se on voimassa 5 minuuttia. Älä koskaan anna sitä kenellekään.

register-check-email-title = Tarkista sähköpostisi
register-check-email = Matkapuhelinnumerosi on vahvistettu. Lähetimme sähköpostin osoitteeseen { $email }: avaa sen linkki tässä selaimessa viimeistelläksesi tilisi.
register-email = Hei { $name },

    vahvista sähköpostiosoitteesi tällä linkillä viimeistelläksesi postipalvelujen tilisi. Linkki on voimassa { $minutes } minuuttia ja toimii kerran:

    { $link }

    Avaa se selaimessa, jossa aloitit rekisteröinnin.

    Jos et pyytänyt tiliä, voit jättää tämän viestin huomiotta: mitään ei luoda.
    .subject = Vahvista sähköpostiosoitteesi
register-taken-email = Hei,

    joku yritti luoda postipalvelujen tilin sähköpostiosoitteellasi { $email }. Sinulla on jo tili, joten mitään ei luotu.

    Jos se olit sinä, kirjaudu tililläsi: { $link }
    Jos olet unohtanut salasanasi, valitse kirjautuessa ”Unohditko salasanan?”.

    Jos se et ollut sinä, voit jättää tämän viestin huomiotta.
    .subject = Joku yritti rekisteröityä osoitteellasi

register-confirm-title = Vahvista sähköpostiosoitteesi
register-confirm-text = Vahvista { $email } viimeistelläksesi tilisi.
register-confirm-button = Vahvista ja luo tili
register-elsewhere-title = Avaa linkki siellä, missä aloitit
register-elsewhere-text = Tämä linkki luo tilin osoitteelle { $email } vain selaimessa, jossa rekisteröinti aloitettiin. Avaa se siellä. Jos et aloittanut sitä tai et pääse palaamaan sinne, rekisteröidy sen sijaan tässä selaimessa: odottava rekisteröinti perutaan silloin.
register-elsewhere-button = Rekisteröidy tässä selaimessa
register-done-title = Tili luotu
register-done-text = Tilisi on valmis ja olet kirjautunut sisään.
register-done-link = Siirry tilillesi

err-registration-expired = Tämä rekisteröityminen on vanhentunut. Aloita alusta.
    .title = Rekisteröityminen vanhentunut
