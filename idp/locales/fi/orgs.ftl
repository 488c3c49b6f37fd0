org-pick-title = Kenen puolesta toimit?
org-pick-in = palvelussa { $client }
org-pick-legend = Valitse käytettävä tili
org-personal = Itse (henkilökohtainen)
org-invitation-title = Liity organisaatioon
org-invitation-text = { $email }, sinut on kutsuttu toimimaan organisaation { $org } puolesta.
org-accept = Hyväksy
org-joined-title = Tervetuloa
org-joined-text = Toimit nyt myös organisaation { $org } puolesta. Kun yrityspalvelu kysyy, kenen puolesta toimit, se on luettelossa.
org-invitation-email-subject = Kutsu organisaatiolta { $org }
org-invitation-email = Hei,

    sinut on kutsuttu toimimaan organisaation { $org } puolesta postin palveluissa.
    Kirjaudu tällä sähköpostiosoitteella (tai luo sillä tili) ja hyväksy täällä (linkki toimii kerran, 7 päivän ajan):

    { $link }

orgs-title = Organisaatiot
orgs-none = Et toimi minkään organisaation puolesta.
orgs-your-roles = Roolisi: { $roles }
orgs-leave = Eroa
orgs-members = Jäsenet
orgs-roles-label = Roolit (pilkuin eroteltuina)
orgs-services-label = Palvelut (palvelujen tunnukset, * kaikille)
orgs-save = Tallenna
orgs-invite = Kutsu joku
orgs-send-invitation = Lähetä kutsu
orgs-left = Erosit organisaatiosta.
orgs-member-updated = Jäsen on päivitetty.
orgs-member-removed = Jäsen on poistettu.
orgs-invitation-sent = Kutsu on lähetetty.
orgs-err-no-member = Tällaista jäsentä ei ole.
orgs-err-last-admin = Organisaatiolla on aina vähintään yksi ylläpitäjä.
orgs-err-no-org = Tällaista organisaatiota ei ole.
orgs-err-role = Roolissa voi olla 1–64 kirjainta, numeroa tai merkkiä ”_”, ”-”, ”:” tai ”.”.
orgs-err-service = Palvelun on oltava rekisteröidyn palvelun tunnus tai * kaikille.
orgs-err-name = Nimessä on oltava 1–200 merkkiä.
orgs-err-no-user = Millään tilillä ei ole tätä sähköpostiosoitetta.
orgs-err-already-member = Henkilö on jo jäsen.
