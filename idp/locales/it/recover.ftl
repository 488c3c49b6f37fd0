# Password dimenticata, indirizzo e-mail dimenticato e l’e-mail di sblocco.
recover-password-title = Password dimenticata?
recover-password-intro = Inserisci l’indirizzo e-mail del tuo account. Ti inviamo un link per scegliere una nuova password.
recover-send-link = Invia il link
recover-password-sent-title = Controlla la tua e-mail
recover-password-sent = Se esiste un account per { $email }, gli abbiamo inviato un link per scegliere una nuova password. Il link è valido { $minutes } minuti e funziona una sola volta.
recover-back = Torna all’accesso

recover-reset-email = Ciao,

    qualcuno (speriamo tu) ha chiesto di scegliere una nuova password per il tuo account dei servizi postali. Usa questo link entro { $minutes } minuti; funziona una sola volta:

    { $link }

    Se il tuo account ha un numero di cellulare, all’apertura del link ti inviamo anche un codice via SMS. Dopo, tutti i dispositivi collegati al tuo account vengono disconnessi.

    Se non sei stato tu, ignora questa e-mail: la tua password resta invariata.
    .subject = Scegli una nuova password
recover-reset-sms = { $code } è il tuo codice per scegliere una nuova password. È valido 5 minuti. Non comunicarlo a nessuno.
recover-code-wrong = Il codice è errato. Controlla l’SMS e riprova.
recover-code-expired = Il codice è scaduto o è stato provato troppe volte. Apri di nuovo il link dell’e-mail per riceverne uno nuovo.
recover-sms-failed = Non è stato possibile inviare l’SMS. Apri di nuovo il link dell’e-mail tra un momento.

unlock-email = Ciao,

    il tuo account dei servizi postali è stato bloccato dopo ripetuti tentativi di accesso non riusciti. Se sei stato tu, scegli una nuova password con questo link (valido { $hours } ore); sblocca anche l’account:

    { $link }

    Se non sei stato tu, scegli comunque una nuova password: qualcuno ha provato a indovinarla.
    .subject = Il tuo account è bloccato

recover-email-title = Indirizzo e-mail dimenticato?
recover-email-intro = Inserisci il numero di cellulare e la data di nascita del tuo account. Inviamo un codice a quel numero, poi l’indirizzo e-mail.
recover-birthdate = Data di nascita
recover-send-code = Invia il codice
recover-email-code-title = Inserisci il codice
recover-email-code-sent = Se questi dati corrispondono a un account, abbiamo inviato un codice via SMS al { $phone }.
recover-email-code-sms = { $code } è il tuo codice per recuperare il tuo indirizzo e-mail. È valido 5 minuti. Non comunicarlo a nessuno.
recover-email-sms = Il tuo account dei servizi postali usa l’indirizzo e-mail { $email }.
recover-email-code-expired = Il codice è scaduto o è stato provato troppe volte. Ricomincia per riceverne uno nuovo.
recover-email-done-title = Controlla il tuo telefono
recover-email-done = Abbiamo inviato l’indirizzo e-mail del tuo account via SMS. Ora puoi accedere con esso.

err-recovery-expired = Questa richiesta è scaduta. Ricomincia da capo.
    .title = Richiesta scaduta
