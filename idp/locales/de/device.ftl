# Die Bestätigungsseite der Geräteautorisierung (RFC 8628).
device-title = Gerät verbinden
device-intro = Geben Sie den Code ein, den Ihr Gerät anzeigt (ein Schalterterminal, ein Paketautomat oder eine App auf einem Fernseher), um es mit Ihrem Konto zu verbinden.
device-code-label = Code auf dem Gerät
device-code-hint = 8 Buchstaben, zum Beispiel BCDF-GHJK. Groß- oder Kleinbuchstaben, mit oder ohne Bindestrich.
device-code-invalid = Dieser Code ist nicht gültig. Prüfen Sie den Code auf Ihrem Gerät und versuchen Sie es erneut. Ist er abgelaufen, beginnen Sie auf dem Gerät neu.
device-confirm-title = Dieses Gerät verbinden?
device-confirm-asks = Ein Gerät von { $client } möchte:
device-confirm-code = Das Gerät zeigt den Code { $code }.
device-confirm-warning = Bestätigen Sie nur, wenn Sie dies selbst auf einem Gerät vor Ihnen begonnen haben und es diesen Code zeigt. Bestätigen Sie nie einen Code, den Ihnen jemand geschickt hat.
device-confirm-as = Sie sind angemeldet als { $email }.
device-confirm = Bestätigen
device-confirmed-title = Gerät verbunden
device-confirmed = { $client } auf Ihrem Gerät ist jetzt mit Ihrem Konto verbunden. Sie können zum Gerät zurückkehren.
device-denied-title = Gerät nicht verbunden
device-denied = Sie haben abgelehnt. { $client } auf dem Gerät ist nicht mit Ihrem Konto verbunden.
err-device-code = Dieser Code ist nicht mehr gültig: Er ist abgelaufen oder wurde bereits beantwortet. Beginnen Sie auf Ihrem Gerät neu.
    .title = Code nicht gültig
