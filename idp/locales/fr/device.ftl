# La page de vérification de l'autorisation d'appareil (RFC 8628).
device-title = Connecter un appareil
device-intro = Saisissez le code affiché sur votre appareil (un terminal au guichet, un automate à colis ou une application sur un téléviseur) pour le connecter à votre compte.
device-code-label = Code affiché sur l'appareil
device-code-hint = 8 lettres, par exemple BCDF-GHJK. En majuscules ou en minuscules, avec ou sans le tiret.
device-code-invalid = Ce code n'est pas valable. Vérifiez le code sur votre appareil et réessayez. S'il a expiré, recommencez sur l'appareil.
device-confirm-title = Connecter cet appareil ?
device-confirm-asks = Un appareil de { $client } demande à :
device-confirm-code = L'appareil affiche le code { $code }.
device-confirm-warning = Ne confirmez que si vous avez lancé vous-même cette demande sur un appareil qui se trouve devant vous et qu'il affiche ce code. Ne confirmez jamais un code que quelqu'un vous a envoyé.
device-confirm-as = Compte utilisé : { $email }.
device-confirm = Confirmer
device-confirmed-title = Appareil connecté
device-confirmed = { $client } sur votre appareil est maintenant connecté à votre compte. Vous pouvez retourner à l'appareil.
device-denied-title = Appareil non connecté
device-denied = Vous avez refusé. { $client } sur l'appareil n'est pas connecté à votre compte.
err-device-code = Ce code n'est plus valable : il a expiré ou une réponse a déjà été donnée. Recommencez sur votre appareil.
    .title = Code non valable
