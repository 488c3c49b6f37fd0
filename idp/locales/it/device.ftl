# La pagina di verifica dell'autorizzazione del dispositivo (RFC 8628).
device-title = Collega un dispositivo
device-intro = Inserisci il codice mostrato sul tuo dispositivo (un terminale allo sportello, un distributore di pacchi o un'app su un televisore) per collegarlo al tuo account.
device-code-label = Codice mostrato sul dispositivo
device-code-hint = 8 lettere, per esempio BCDF-GHJK. Maiuscole o minuscole, con o senza il trattino.
device-code-invalid = Questo codice non è valido. Controlla il codice sul dispositivo e riprova. Se è scaduto, ricomincia sul dispositivo.
device-confirm-title = Collegare questo dispositivo?
device-confirm-asks = Un dispositivo di { $client } chiede di:
device-confirm-code = Il dispositivo mostra il codice { $code }.
device-confirm-warning = Conferma solo se hai avviato tu questa richiesta su un dispositivo davanti a te e mostra questo codice. Non confermare mai un codice che qualcuno ti ha inviato.
device-confirm-as = Hai effettuato l'accesso come { $email }.
device-confirm = Conferma
device-confirmed-title = Dispositivo collegato
device-confirmed = { $client } sul tuo dispositivo è ora collegato al tuo account. Puoi tornare al dispositivo.
device-denied-title = Dispositivo non collegato
device-denied = Hai rifiutato. { $client } sul dispositivo non è collegato al tuo account.
err-device-code = Questo codice non è più valido: è scaduto o ha già ricevuto una risposta. Ricomincia sul dispositivo.
    .title = Codice non valido
