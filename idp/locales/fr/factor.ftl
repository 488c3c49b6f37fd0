action-confirm = Confirmer
action-rename = Renommer
action-remove = Supprimer

factor-title = Confirmez votre identité
factor-enrol-title = Ajouter un second facteur
factor-passkey-needed = Ce service exige une clé d’accès.
factor-use-your-passkey = Utiliser votre clé d’accès
factor-no-passkey-yet = Vous n’avez pas encore de clé d’accès. Ajoutez-en une sur la page de sécurité de votre compte, puis revenez au service.
factor-security-page = Page de sécurité
factor-enrol-text = Ce service exige un second facteur. Scannez ce code avec une application d’authentification (ou saisissez la clé à la main), puis tapez le code à 6 chiffres qu’elle affiche.
factor-key = Clé :
factor-code-from-app = Code de l’application
factor-code-from-your-app = Code de votre application d’authentification
factor-sms-sent = Nous avons envoyé un code par SMS au { $phone }.
factor-sms-again = Envoyer un nouveau code
factor-sms-send = M’envoyer un code par SMS
factor-use-a-passkey = Utiliser une clé d’accès
factor-use-recovery-code = Utiliser un code de secours
factor-recovery-code = Code de secours
factor-err-no-phone = Ce compte n’a pas de numéro de mobile vérifié.
factor-err-sms-failed = Le SMS n’a pas pu être envoyé. Réessayez dans un instant.
factor-err-sms-throttled = Un code a été envoyé il y a moins d’une minute ; utilisez celui-ci.
factor-err-sms-budget = Trop de codes ont été envoyés à ce téléphone pour le moment. Réessayez plus tard ou confirmez d’une autre manière.
factor-err-choose = Choisissez comment confirmer votre identité.

otp-wrong-sms = Le code n’est pas correct. Vérifiez le SMS et réessayez.
otp-expired = Ce code a expiré ou a déjà été utilisé. Demandez-en un nouveau.
otp-too-many = Trop de codes erronés. Demandez-en un nouveau.
otp-totp-replayed = Ce code a déjà été utilisé. Attendez le suivant.
otp-wrong-totp = Le code n’est pas correct. Vérifiez l’application et réessayez.
otp-recovery-invalid = Ce code de secours n’est pas valable ou a déjà été utilisé.

sms-sign-in-code = { $code } est votre code de connexion aux services postaux. Il est valable 5 minutes. Ne le communiquez jamais à personne.

security-title = Sécurité
security-signed-in-as = Connecté en tant que { $email }
security-totp-heading = Application d’authentification
security-totp-on = Une application d’authentification est configurée.
security-totp-remove = Supprimer l’application d’authentification
security-totp-scan = Scannez ce code avec votre application d’authentification, ou saisissez la clé à la main.
security-totp-setup = Configurer une application d’authentification
security-totp-done = L’application d’authentification est configurée.
security-totp-removed = L’application d’authentification est supprimée.
security-passkeys-heading = Clés d’accès
security-no-passkeys = Aucune clé d’accès pour l’instant.
security-passkey-added = ajoutée le { $date }
security-new-name = Nouveau nom
security-passkey-name = Nom de la nouvelle clé d’accès
security-passkey-default-name = Clé d’accès
security-passkey-add = Ajouter une clé d’accès
security-passkey-name-missing = Donnez un nom à la clé d’accès.
security-passkey-renamed = La clé d’accès est renommée.
security-passkey-unknown = Cette clé d’accès n’existe pas.
security-passkey-removed = La clé d’accès est supprimée.
security-codes-heading = Codes de secours
security-codes-new = Vos nouveaux codes de secours. Chacun ne sert qu’une fois. Notez-les maintenant : ils ne seront plus affichés.
security-codes-left = { $count ->
    [one] Un code de secours inutilisé.
   *[other] { $count } codes de secours inutilisés.
}
security-codes-make = Créer de nouveaux codes de secours
security-password-heading = Mot de passe
security-current-password = Mot de passe actuel
security-password-change = Changer le mot de passe
security-password-keep-sessions = Rester connecté sur mes autres appareils
security-password-others-ended = Vos autres appareils sont déconnectés et leurs applications doivent se reconnecter.
security-password-locked = Trop de mots de passe erronés : le compte est bloqué pour le moment.
security-password-wrong = Le mot de passe actuel n’est pas correct.
security-password-changed = Votre mot de passe est changé.

js-page-expired = La page a expiré. Rechargez-la et réessayez.
js-sign-in-again = Reconnectez-vous.
js-request-unreadable = La demande est illisible.
js-sign-in-expired = Cette connexion a expiré. Recommencez.
js-passkey-unreadable = La réponse de la clé d’accès est illisible.
js-passkey-account-blocked = Le compte de cette clé d’accès ne peut pas se connecter.
js-account-locked = Ce compte est bloqué.
js-passkeys-off = Les clés d’accès ne sont pas disponibles sur ce serveur.
js-passkey-expired = La demande de clé d’accès a expiré. Recommencez.
js-passkey-unknown = Cette clé d’accès n’est pas connue ici.
js-passkey-rejected = La réponse de la clé d’accès n’a pas été acceptée.
