# Laitevaltuutuksen vahvistussivu (RFC 8628).
device-title = Yhdistä laite
device-intro = Anna laitteesi näyttämä koodi (palvelupisteen pääte, pakettiautomaatti tai television sovellus) yhdistääksesi sen tiliisi.
device-code-label = Laitteen näyttämä koodi
device-code-hint = 8 kirjainta, esimerkiksi BCDF-GHJK. Isot tai pienet kirjaimet, väliviivan kanssa tai ilman.
device-code-invalid = Koodi ei kelpaa. Tarkista laitteen koodi ja yritä uudelleen. Jos koodi on vanhentunut, aloita alusta laitteella.
device-confirm-title = Yhdistetäänkö tämä laite?
device-confirm-asks = Palvelun { $client } laite pyytää lupaa:
device-confirm-code = Laite näyttää koodin { $code }.
device-confirm-warning = Vahvista vain, jos aloitit tämän itse edessäsi olevalla laitteella ja se näyttää tämän koodin. Älä koskaan vahvista koodia, jonka joku on lähettänyt sinulle.
device-confirm-as = Olet kirjautunut tunnuksella { $email }.
device-confirm = Vahvista
device-confirmed-title = Laite yhdistetty
device-confirmed = { $client } laitteellasi on nyt yhdistetty tiliisi. Voit palata laitteelle.
device-denied-title = Laitetta ei yhdistetty
device-denied = Kieltäydyit. { $client } laitteella ei ole yhdistetty tiliisi.
err-device-code = Koodi ei ole enää voimassa: se on vanhentunut tai siihen on jo vastattu. Aloita alusta laitteella.
    .title = Koodi ei kelpaa
