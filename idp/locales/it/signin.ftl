signin-title = Accedi
signin-continue-to = per continuare su { $client }
signin-your-account = il tuo account
signin-passkey = Accedi con una passkey
signin-create-account = Crea un account
signin-forgot-email = Hai dimenticato l’indirizzo e-mail?
signin-password-title = Inserisci la password
signin-other-address = usa un altro indirizzo
signin-forgot-password = Hai dimenticato la password?
signin-wrong-password = L’indirizzo e-mail o la password non sono corretti.

consent-title = Consentire l’accesso?
consent-asks = { $client } chiede di:
consent-asks-unnamed = Un servizio chiede di:
consent-withdraw-later = Potrai revocare il consenso dal tuo account.
data-identity = sapere chi sei
data-name = vedere il tuo nome e la tua lingua
data-birthdate = vedere la tua data di nascita
data-email = vedere il tuo indirizzo e-mail
data-phone = vedere il tuo numero di cellulare
data-address = vedere il tuo indirizzo postale
data-offline = restare connesso quando non lo usi
data-org = sapere per quale organizzazione agisci
data-org-admin = gestire a tuo nome le organizzazioni che amministri

locked-title = Account bloccato
locked-until = Ci sono stati troppi tentativi non riusciti. Per la tua sicurezza l’accesso a questo account è bloccato fino alle { $time }. Riprova dopo tale ora.
locked-permanent = Ci sono stati troppi tentativi non riusciti e l’accesso a questo account è bloccato. Se l’account esiste, le istruzioni per sbloccarlo sono state inviate al suo indirizzo e-mail.

logout-title = Uscire?
logout-question = Vuoi uscire da tutti i servizi postali su questo dispositivo?
logged-out-title = Disconnesso
logged-out-text = Sei uscito. Puoi chiudere questa finestra.

reset-title = Scegli una nuova password
reset-code-hint = Abbiamo inviato anche un codice via SMS al tuo numero di cellulare.
reset-save = Salva la password
reset-done-title = Password salvata
reset-done-text = La nuova password è salvata, l’account è sbloccato e tutte le altre sessioni sono state chiuse. Torna al servizio per accedere.

# Verifica dell’identità e credenziali consegnate allo sportello.
data-assurance = sapere se la tua identità è stata verificata, come e quando
signin-temporary-expired = Questa password temporanea è scaduta. Chiedine una nuova allo sportello oppure usa «Password dimenticata?» qui sotto.
newpw-title = Scegli una nuova password
newpw-intro = Hai effettuato l’accesso con una password temporanea oppure la tua password deve essere cambiata. Scegli la tua password per continuare.
newpw-save = Salva e continua
newpw-same = Scegli una password diversa da quella che hai ricevuto.
verify-title = È richiesta un’identità verificata
verify-needed = { $client } è disponibile solo per le persone con identità verificata.
verify-needed-unnamed = Questo servizio è disponibile solo per le persone con identità verificata.
verify-text = Puoi far verificare la tua identità allo sportello con un documento d’identità, o in un altro modo offerto dal tuo fornitore. Poi accedi di nuovo.
verify-how = Come far verificare l’identità
verify-back = Torna a { $client }
verify-back-unnamed = Torna al servizio
