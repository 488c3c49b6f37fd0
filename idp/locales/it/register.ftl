# Registrazione: il modulo, il codice SMS, il link via e-mail e i relativi messaggi.
register-title = Crea un account
register-given-name = Nome
register-family-name = Cognome
register-email-again = Ripeti l’indirizzo e-mail
register-phone = Numero di cellulare
register-phone-hint = Ad esempio +41 79 123 45 67. Inviamo un codice per confermarlo.
register-birthdate = Data di nascita (facoltativa)
register-birthdate-hint = Ti permette di recuperare il tuo indirizzo e-mail con il numero di cellulare.
register-terms = Accetto le condizioni d’uso (versione { $version }).
register-terms-link = Leggi le condizioni d’uso
register-submit = Crea l’account
register-have-account = Ho già un account
passwords-same = Le due password coincidono.

register-name-missing = Inserisci il tuo nome (al massimo 100 caratteri).
register-emails-differ = I due indirizzi e-mail non coincidono.
register-phone-invalid = Inserisci un numero di cellulare, ad esempio +41 79 123 45 67.
register-birthdate-invalid = Inserisci una data reale nel passato, ad esempio 1980-02-29.
register-terms-required = Accetta le condizioni d’uso per creare un account.

register-phone-title = Conferma il tuo numero di cellulare
register-phone-sent = Abbiamo inviato un codice via SMS al { $phone }. Inseriscilo qui.
register-resend = Invia un nuovo codice
register-code-wrong = Il codice è errato. Controlla l’SMS e riprova.
register-code-expired = Il codice è scaduto o è stato provato troppe volte. Richiedi un nuovo codice.
register-code-resent = Un nuovo codice è in arrivo.
register-code-throttled = Un codice è stato inviato meno di un minuto fa; usa quello.
register-sms-failed = Non è stato possibile inviare l’SMS. Riprova tra un momento.
register-sms = { $code } è il tuo codice per creare il tuo account dei servizi postali. È valido 5 minuti. Non comunicarlo a nessuno.

register-check-email-title = Controlla la tua e-mail
register-check-email = Il tuo numero di cellulare è confermato. Abbiamo inviato un’e-mail a { $email }: apri il link che contiene in questo browser per completare la creazione del tuo account.
register-email = Ciao { $name },

    conferma il tuo indirizzo e-mail con questo link per completare la creazione del tuo account dei servizi postali. Il link è valido { $minutes } minuti e funziona una sola volta:

    { $link }

    Aprilo nel browser in cui hai iniziato la registrazione.

    Se non hai richiesto un account, ignora questa e-mail: non verrà creato nulla.
    .subject = Conferma il tuo indirizzo e-mail
register-taken-email = Ciao,

    qualcuno ha provato a creare un account dei servizi postali con il tuo indirizzo e-mail { $email }. Hai già un account, quindi non è stato creato nulla.

    Se sei stato tu, accedi con il tuo account: { $link }
    Se hai dimenticato la password, scegli «Password dimenticata?» durante l’accesso.

    Se non sei stato tu, puoi ignorare questa e-mail.
    .subject = Qualcuno ha provato a registrarsi con il tuo indirizzo

register-confirm-title = Conferma il tuo indirizzo e-mail
register-confirm-text = Conferma { $email } per completare la creazione del tuo account.
register-confirm-button = Conferma e crea l’account
register-elsewhere-title = Apri il link dove hai iniziato
register-elsewhere-text = Questo link crea l’account per { $email } solo nel browser in cui è stata iniziata la registrazione. Aprilo lì. Se non l’hai iniziata tu, o non puoi tornarci, registrati invece in questo browser: la registrazione in sospeso viene allora annullata.
register-elsewhere-button = Registrati in questo browser
register-done-title = Account creato
register-done-text = Il tuo account è pronto e hai effettuato l’accesso.
register-done-link = Vai al tuo account

err-registration-expired = Questa registrazione è scaduta. Ricomincia da capo.
    .title = Registrazione scaduta
