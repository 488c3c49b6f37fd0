# La console dell'account: profilo, e-mail e cellulare, sessioni, servizi, i tuoi dati; avvisi di sicurezza.
console-nav = Il tuo account
console-nav-profile = Profilo
console-nav-security = Sicurezza
console-nav-sessions = Sessioni
console-nav-services = Servizi
console-nav-organizations = Organizzazioni
console-nav-data = I tuoi dati
console-saved = Le modifiche sono salvate.
console-fix-fields = Alcuni campi richiedono la tua attenzione.
console-save = Salva
console-send-code = Invia il codice
console-confirm = Conferma

profile-title = Il tuo profilo
profile-names = Nome e data di nascita
profile-given-name = Nome
profile-family-name = Cognome
profile-birthdate = Data di nascita
profile-birthdate-hint = Nella forma anno-mese-giorno, per esempio 1990-04-01.
profile-birthdate-invalid = Inserisci una data reale nel passato nella forma anno-mese-giorno, per esempio 1990-04-01.
profile-address = Indirizzo postale
profile-street = Via e numero civico
profile-postal-code = Codice postale
profile-postal-code-invalid = Inserisci un codice postale di lettere, cifre, spazi o trattini.
profile-locality = Località
profile-country = Paese
profile-country-hint = Codice di due lettere, per esempio CH, FR, DE, IT, SE o FI.
profile-country-invalid = Inserisci il paese con il suo codice ISO di due lettere, per esempio CH.
profile-text-invalid = Inserisci al massimo 100 caratteri, senza andare a capo.
profile-language = Lingua
profile-language-browser = Come indica il mio browser
profile-locale-invalid = Scegli una delle lingue dell'elenco.
profile-contact = E-mail e numero di cellulare
profile-phone = Numero di cellulare
profile-none = nessuno
profile-change-email = Cambia l'indirizzo e-mail
profile-change-phone = Cambia il numero di cellulare

contact-email-title = Cambia il tuo indirizzo e-mail
contact-phone-title = Cambia il tuo numero di cellulare
contact-new-email = Nuovo indirizzo e-mail
contact-new-phone = Nuovo numero di cellulare
contact-phone-hint = In formato internazionale, per esempio +41 79 123 45 67.
contact-phone-invalid = Inserisci un numero di cellulare in formato internazionale, per esempio +41 79 123 45 67.
contact-email-same = Questo è già il tuo indirizzo e-mail.
contact-phone-same = Questo è già il tuo numero di cellulare.
contact-email-sent = Abbiamo inviato un codice a { $to }. Inseriscilo qui per confermare il nuovo indirizzo.
contact-phone-sent = Abbiamo inviato un codice via SMS al { $to }. Inseriscilo qui per confermare il nuovo numero.
contact-code = Codice
contact-code-wrong = Il codice non è corretto. Controllalo e riprova.
contact-code-expired = Il codice è scaduto o è stato provato troppe volte. Ricomincia per riceverne uno nuovo.
contact-send-failed = Non è stato possibile inviare il codice. Riprova tra un momento.
contact-email-changed = Il tuo indirizzo e-mail è cambiato.
contact-phone-changed = Il tuo numero di cellulare è cambiato.
contact-email-code = { $code } è il tuo codice per confermare questo indirizzo e-mail per il tuo account dei servizi postali. È valido 5 minuti.
    .subject = Conferma il tuo nuovo indirizzo e-mail
contact-sms-code = { $code } è il tuo codice per confermare questo numero di cellulare. È valido 5 minuti. Non comunicarlo mai a nessuno.
contact-email-taken-notice = Qualcuno ha chiesto di usare questo indirizzo e-mail per un altro account dei servizi postali. Non è stato cambiato nulla. Se sei stato tu, hai già un account con questo indirizzo; altrimenti puoi ignorare questo messaggio.
    .subject = Il tuo indirizzo e-mail

sessions-title = Sessioni attive
sessions-intro = Questi sono i browser e i dispositivi connessi al tuo account.
sessions-device = Dispositivo
sessions-place = Luogo
sessions-started = Inizio
sessions-actions = Azioni
sessions-this-one = questo browser
sessions-unknown-device = Dispositivo sconosciuto
sessions-unknown-place = Sconosciuto
sessions-place-hint = Il luogo è l'indirizzo internet da cui è iniziata la sessione; non abbiamo una banca dati di localizzazione, quindi la città o il paese non sono noti.
sessions-end-others = Esci ovunque altrove
sessions-ended = La sessione è terminata.
sessions-others-ended = Tutte le altre sessioni sono terminate.
sessions-unknown = Questa sessione è già terminata.

services-title = Servizi
services-connected = Servizi collegati
services-connected-intro = Questi servizi possono usare i tuoi dati come hai autorizzato. Revocare l'autorizzazione li disconnette; te la chiederanno di nuovo la prossima volta.
services-none = Non hai ancora autorizzato alcun servizio.
services-allowed-on = Autorizzato il { $date }
services-revoke = Revoca l'autorizzazione
services-revoked = L'autorizzazione è revocata e il servizio è disconnesso.
services-catalogue = Tutti i servizi online
services-open = Apri
services-favourite-add = Aggiungi ai preferiti
services-favourite-remove = Togli dai preferiti
services-favourite = Preferito
services-no-catalogue = Non è ancora elencato alcun servizio online.
services-unknown = Questo servizio non è noto.

data-title = I tuoi dati
data-export-intro = Scarica tutto ciò che conserviamo su di te: profilo, organizzazioni, autorizzazioni, sessioni, fattori di sicurezza ed eventi di sicurezza recenti. I segreti come le password non sono mai inclusi.
data-export = Scarica i tuoi dati (JSON)
data-delete-title = Elimina il tuo account
data-delete-intro = L'accesso viene bloccato subito e tutti i servizi vengono disconnessi. I tuoi dati vengono cancellati dopo { $days } giorni; fino ad allora il servizio clienti può ancora fermare l'eliminazione.
data-delete-confirm = Elimina il mio account
data-password-wrong = La password non è corretta.
data-locked = Troppe password errate: l'account è bloccato per ora.
data-last-admin = Lei è l'unico amministratore di un'organizzazione. Nomini prima un altro membro amministratore nella pagina Organizzazioni, oppure chieda al servizio clienti di chiudere l'organizzazione.
data-deleted-title = Eliminazione dell'account richiesta
data-deleted-text = Il tuo account è chiuso e sei disconnesso. I tuoi dati saranno cancellati tra { $days } giorni. Abbiamo inviato una conferma al tuo indirizzo e-mail.

secnotice-security = Buongiorno,

    { $what }

    Se non sei stato tu, reimposta subito la password e controlla il tuo account: { $url }
    .subject = Una modifica al tuo account dei servizi postali
secnotice-email-changed = L'indirizzo e-mail del tuo account è stato cambiato. I messaggi vanno ora al nuovo indirizzo.
secnotice-phone-changed = Il numero di cellulare del tuo account è stato cambiato.
secnotice-password-changed = La password del tuo account è stata cambiata.
secnotice-factor-added = Un fattore di sicurezza (app di autenticazione o passkey) è stato aggiunto al tuo account.
secnotice-factor-removed = Un fattore di sicurezza (app di autenticazione o passkey) è stato rimosso dal tuo account.
secnotice-recovery-codes = Sono stati creati nuovi codici di recupero per il tuo account; quelli vecchi non funzionano più.
secnotice-deletion-requested = Il tuo account sarà eliminato come hai chiesto. L'accesso è disattivato e i dati saranno cancellati tra { $days } giorni.
