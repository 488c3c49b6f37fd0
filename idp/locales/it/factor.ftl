action-confirm = Conferma
action-rename = Rinomina
action-remove = Rimuovi

factor-title = Conferma che sei tu
factor-enrol-title = Aggiungi un secondo fattore
factor-passkey-needed = Questo servizio richiede una passkey.
factor-use-your-passkey = Usa la tua passkey
factor-no-passkey-yet = Non hai ancora una passkey. Aggiungine una nella pagina di sicurezza del tuo account, poi torna al servizio.
factor-security-page = Pagina di sicurezza
factor-enrol-text = Questo servizio richiede un secondo fattore. Scansiona questo codice con un’app di autenticazione (o inserisci la chiave a mano), poi digita il codice a 6 cifre che mostra.
factor-key = Chiave:
factor-code-from-app = Codice dell’app
factor-code-from-your-app = Codice della tua app di autenticazione
factor-sms-sent = Abbiamo inviato un codice via SMS al { $phone }.
factor-sms-again = Invia un nuovo codice
factor-sms-send = Inviami un codice via SMS
factor-use-a-passkey = Usa una passkey
factor-use-recovery-code = Usa un codice di recupero
factor-recovery-code = Codice di recupero
factor-err-no-phone = Questo account non ha un numero di cellulare verificato.
factor-err-sms-failed = Non è stato possibile inviare l’SMS. Riprova tra un momento.
factor-err-sms-throttled = Un codice è stato inviato meno di un minuto fa; usa quello.
factor-err-sms-budget = Per ora sono stati inviati troppi codici a questo telefono. Riprova più tardi o conferma in un altro modo.
factor-err-choose = Scegli come confermare che sei tu.

otp-wrong-sms = Il codice non è corretto. Controlla l’SMS e riprova.
otp-expired = Questo codice è scaduto o è già stato usato. Chiedine uno nuovo.
otp-too-many = Troppi codici errati. Chiedine uno nuovo.
otp-totp-replayed = Questo codice è già stato usato. Attendi il prossimo.
otp-wrong-totp = Il codice non è corretto. Controlla l’app e riprova.
otp-recovery-invalid = Questo codice di recupero non è valido o è già stato usato.

sms-sign-in-code = { $code } è il tuo codice di accesso ai servizi postali. È valido 5 minuti. Non darlo mai a nessuno.

security-title = Sicurezza
security-signed-in-as = Accesso effettuato come { $email }
security-totp-heading = App di autenticazione
security-totp-on = È configurata un’app di autenticazione.
security-totp-remove = Rimuovi l’app di autenticazione
security-totp-scan = Scansiona questo codice con la tua app di autenticazione o inserisci la chiave a mano.
security-totp-setup = Configura un’app di autenticazione
security-totp-done = L’app di autenticazione è configurata.
security-totp-removed = L’app di autenticazione è stata rimossa.
security-passkeys-heading = Passkey
security-no-passkeys = Ancora nessuna passkey.
security-passkey-added = aggiunta il { $date }
security-new-name = Nuovo nome
security-passkey-name = Nome della nuova passkey
security-passkey-default-name = Passkey
security-passkey-add = Aggiungi una passkey
security-passkey-name-missing = Dai un nome alla passkey.
security-passkey-renamed = La passkey è stata rinominata.
security-passkey-unknown = Questa passkey non esiste.
security-passkey-removed = La passkey è stata rimossa.
security-codes-heading = Codici di recupero
security-codes-new = I tuoi nuovi codici di recupero. Ognuno funziona una volta. Annotali ora: non verranno mostrati di nuovo.
security-codes-left = { $count ->
    [one] Un codice di recupero inutilizzato.
   *[other] { $count } codici di recupero inutilizzati.
}
security-codes-make = Crea nuovi codici di recupero
security-password-heading = Password
security-current-password = Password attuale
security-password-change = Cambia la password
security-password-keep-sessions = Resta connesso sugli altri miei dispositivi
security-password-others-ended = Gli altri tuoi dispositivi sono disconnessi e le loro app devono accedere di nuovo.
security-password-locked = Troppe password errate: l’account è bloccato per ora.
security-password-wrong = La password attuale non è corretta.
security-password-changed = La tua password è stata cambiata.

js-page-expired = La pagina è scaduta. Ricaricala e riprova.
js-sign-in-again = Accedi di nuovo.
js-request-unreadable = Non è stato possibile leggere la richiesta.
js-sign-in-expired = Questo accesso è scaduto. Ricomincia.
js-passkey-unreadable = Non è stato possibile leggere la risposta della passkey.
js-passkey-account-blocked = L’account di questa passkey non può accedere.
js-account-locked = Questo account è bloccato.
js-passkeys-off = Le passkey non sono disponibili su questo server.
js-passkey-expired = La richiesta della passkey è scaduta. Ricomincia.
js-passkey-unknown = Questa passkey non è conosciuta qui.
js-passkey-rejected = La risposta della passkey non è stata accettata.
