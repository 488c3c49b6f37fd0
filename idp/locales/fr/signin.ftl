signin-title = Connexion
signin-continue-to = pour continuer vers { $client }
signin-your-account = votre compte
signin-passkey = Se connecter avec une clé d’accès
signin-create-account = Créer un compte
signin-forgot-email = Adresse e-mail oubliée ?
signin-password-title = Saisissez votre mot de passe
signin-other-address = utiliser une autre adresse
signin-forgot-password = Mot de passe oublié ?
signin-wrong-password = L’adresse e-mail ou le mot de passe est incorrect.

consent-title = Autoriser l’accès ?
consent-asks = { $client } demande à :
consent-asks-unnamed = Un service demande à :
consent-withdraw-later = Vous pourrez retirer cette autorisation depuis votre compte.
data-identity = savoir qui vous êtes
data-name = voir votre nom et votre langue
data-birthdate = voir votre date de naissance
data-email = voir votre adresse e-mail
data-phone = voir votre numéro de mobile
data-address = voir votre adresse postale
data-offline = rester connecté lorsque vous ne l’utilisez pas
data-org = savoir pour quelle organisation vous agissez
data-org-admin = gérer en votre nom les organisations que vous administrez

locked-title = Compte bloqué
locked-until = Trop de tentatives ont échoué. Pour votre sécurité, la connexion à ce compte est bloquée jusqu’à { $time }. Réessayez après cette heure.
locked-permanent = Trop de tentatives ont échoué et la connexion à ce compte est bloquée. Si le compte existe, les instructions pour le débloquer ont été envoyées à son adresse e-mail.

logout-title = Se déconnecter ?
logout-question = Voulez-vous vous déconnecter de tous les services postaux sur cet appareil ?
logged-out-title = Déconnecté
logged-out-text = Vous êtes déconnecté. Vous pouvez fermer cette fenêtre.

reset-title = Choisissez un nouveau mot de passe
reset-code-hint = Nous avons aussi envoyé un code par SMS à votre numéro de mobile.
reset-save = Enregistrer le mot de passe
reset-done-title = Mot de passe enregistré
reset-done-text = Votre nouveau mot de passe est enregistré, le compte est débloqué et toutes les autres sessions sont fermées. Revenez au service pour vous connecter.

# Vérification d’identité et identifiants remis au guichet.
data-assurance = savoir si votre identité a été vérifiée, comment et quand
signin-temporary-expired = Ce mot de passe provisoire a expiré. Demandez-en un nouveau au guichet ou utilisez « Mot de passe oublié ? » ci-dessous.
newpw-title = Choisissez un nouveau mot de passe
newpw-intro = Vous vous êtes connecté avec un mot de passe provisoire ou votre mot de passe doit être changé. Choisissez votre propre mot de passe pour continuer.
newpw-save = Enregistrer et continuer
newpw-same = Choisissez un mot de passe différent de celui qui vous a été remis.
verify-title = Identité vérifiée requise
verify-needed = { $client } est réservé aux personnes dont l’identité a été vérifiée.
verify-needed-unnamed = Ce service est réservé aux personnes dont l’identité a été vérifiée.
verify-text = Vous pouvez faire vérifier votre identité au guichet avec une pièce d’identité, ou par un autre moyen proposé par votre fournisseur. Reconnectez-vous ensuite.
verify-how = Comment faire vérifier son identité
verify-back = Retour à { $client }
verify-back-unnamed = Retour au service
