action-confirm = Vahvista
action-rename = Nimeä uudelleen
action-remove = Poista

factor-title = Vahvista henkilöllisyytesi
factor-enrol-title = Lisää toinen tunnistustekijä
factor-passkey-needed = Tämä palvelu vaatii pääsyavaimen.
factor-use-your-passkey = Käytä pääsyavaintasi
factor-no-passkey-yet = Sinulla ei ole vielä pääsyavainta. Lisää sellainen tilisi suojaussivulla ja palaa sitten palveluun.
factor-security-page = Suojaussivu
factor-enrol-text = Tämä palvelu vaatii toisen tunnistustekijän. Skannaa tämä koodi todennussovelluksella (tai syötä avain käsin) ja kirjoita sitten sovelluksen näyttämä 6-numeroinen koodi.
factor-key = Avain:
factor-code-from-app = Sovelluksen koodi
factor-code-from-your-app = Todennussovelluksesi koodi
factor-sms-sent = Lähetimme koodin tekstiviestinä numeroon { $phone }.
factor-sms-again = Lähetä uusi koodi
factor-sms-send = Lähetä minulle koodi tekstiviestinä
factor-use-a-passkey = Käytä pääsyavainta
factor-use-recovery-code = Käytä palautuskoodia
factor-recovery-code = Palautuskoodi
factor-err-no-phone = Tilillä ei ole vahvistettua matkapuhelinnumeroa.
factor-err-sms-failed = Tekstiviestiä ei voitu lähettää. Yritä hetken kuluttua uudelleen.
factor-err-sms-throttled = Koodi lähetettiin alle minuutti sitten; käytä sitä.
factor-err-sms-budget = Tähän puhelimeen on lähetetty liikaa koodeja. Yritä myöhemmin uudelleen tai vahvista toisella tavalla.
factor-err-choose = Valitse, miten vahvistat henkilöllisyytesi.

otp-wrong-sms = Koodi on väärä. Tarkista tekstiviesti ja yritä uudelleen.
otp-expired = Koodi on vanhentunut tai jo käytetty. Pyydä uusi.
otp-too-many = Liian monta väärää koodia. Pyydä uusi.
otp-totp-replayed = Tämä koodi on jo käytetty. Odota seuraavaa.
otp-wrong-totp = Koodi on väärä. Tarkista sovellus ja yritä uudelleen.
otp-recovery-invalid = Palautuskoodi ei kelpaa tai se on jo käytetty.

sms-sign-in-code = { $code } on kirjautumiskoodisi postin palveluihin. Se on voimassa 5 minuuttia. Älä koskaan anna sitä kenellekään.

security-title = Turvallisuus
security-signed-in-as = Kirjautuneena: { $email }
security-totp-heading = Todennussovellus
security-totp-on = Todennussovellus on käytössä.
security-totp-remove = Poista todennussovellus
security-totp-scan = Skannaa tämä koodi todennussovelluksellasi tai syötä avain käsin.
security-totp-setup = Ota todennussovellus käyttöön
security-totp-done = Todennussovellus on otettu käyttöön.
security-totp-removed = Todennussovellus on poistettu.
security-passkeys-heading = Pääsyavaimet
security-no-passkeys = Ei vielä pääsyavaimia.
security-passkey-added = lisätty { $date }
security-new-name = Uusi nimi
security-passkey-name = Uuden pääsyavaimen nimi
security-passkey-default-name = Pääsyavain
security-passkey-add = Lisää pääsyavain
security-passkey-name-missing = Anna pääsyavaimelle nimi.
security-passkey-renamed = Pääsyavain on nimetty uudelleen.
security-passkey-unknown = Tällaista pääsyavainta ei ole.
security-passkey-removed = Pääsyavain on poistettu.
security-codes-heading = Palautuskoodit
security-codes-new = Uudet palautuskoodisi. Kukin toimii kerran. Kirjoita ne muistiin nyt: niitä ei näytetä uudelleen.
security-codes-left = { $count ->
    [one] Yksi käyttämätön palautuskoodi.
   *[other] { $count } käyttämätöntä palautuskoodia.
}
security-codes-make = Luo uudet palautuskoodit
security-password-heading = Salasana
security-current-password = Nykyinen salasana
security-password-change = Vaihda salasana
security-password-keep-sessions = Pidä minut kirjautuneena muilla laitteillani
security-password-others-ended = Muut laitteesi on kirjattu ulos, ja niiden sovellusten on kirjauduttava uudelleen.
security-password-locked = Liian monta väärää salasanaa: tili on toistaiseksi lukittu.
security-password-wrong = Nykyinen salasana on väärä.
security-password-changed = Salasanasi on vaihdettu.

js-page-expired = Sivu on vanhentunut. Lataa se uudelleen ja yritä uudelleen.
js-sign-in-again = Kirjaudu uudelleen.
js-request-unreadable = Pyyntöä ei voitu lukea.
js-sign-in-expired = Tämä kirjautuminen on vanhentunut. Aloita alusta.
js-passkey-unreadable = Pääsyavaimen vastausta ei voitu lukea.
js-passkey-account-blocked = Tämän pääsyavaimen tili ei voi kirjautua.
js-account-locked = Tämä tili on lukittu.
js-passkeys-off = Pääsyavaimet eivät ole käytettävissä tällä palvelimella.
js-passkey-expired = Pääsyavainpyyntö on vanhentunut. Aloita alusta.
js-passkey-unknown = Tätä pääsyavainta ei tunneta täällä.
js-passkey-rejected = Pääsyavaimen vastausta ei hyväksytty.
