# La console du compte : profil, e-mail et mobile, sessions, services, vos données ; avis de sécurité.
console-nav = Votre compte
console-nav-profile = Profil
console-nav-security = Sécurité
console-nav-sessions = Sessions
console-nav-services = Services
console-nav-organizations = Organisations
console-nav-data = Vos données
console-saved = Vos modifications sont enregistrées.
console-fix-fields = Certains champs demandent votre attention.
console-save = Enregistrer
console-send-code = Envoyer le code
console-confirm = Confirmer

profile-title = Votre profil
profile-names = Nom et date de naissance
profile-given-name = Prénom
profile-family-name = Nom de famille
profile-birthdate = Date de naissance
profile-birthdate-hint = Sous la forme année-mois-jour, par exemple 1990-04-01.
profile-birthdate-invalid = Saisissez une date réelle dans le passé sous la forme année-mois-jour, par exemple 1990-04-01.
profile-address = Adresse postale
profile-street = Rue et numéro
profile-postal-code = Code postal
profile-postal-code-invalid = Saisissez un code postal composé de lettres, de chiffres, d'espaces ou de traits d'union.
profile-locality = Localité
profile-country = Pays
profile-country-hint = Code à deux lettres, par exemple CH, FR, DE, IT, SE ou FI.
profile-country-invalid = Saisissez le pays sous forme de code ISO à deux lettres, par exemple CH.
profile-text-invalid = Saisissez au plus 100 caractères, sans retour à la ligne.
profile-language = Langue
profile-language-browser = Selon mon navigateur
profile-locale-invalid = Choisissez une des langues de la liste.
profile-contact = E-mail et numéro de mobile
profile-phone = Numéro de mobile
profile-none = aucun
profile-change-email = Changer l'adresse e-mail
profile-change-phone = Changer le numéro de mobile

contact-email-title = Changer votre adresse e-mail
contact-phone-title = Changer votre numéro de mobile
contact-new-email = Nouvelle adresse e-mail
contact-new-phone = Nouveau numéro de mobile
contact-phone-hint = Au format international, par exemple +41 79 123 45 67.
contact-phone-invalid = Saisissez un numéro de mobile au format international, par exemple +41 79 123 45 67.
contact-email-same = C'est déjà votre adresse e-mail.
contact-phone-same = C'est déjà votre numéro de mobile.
contact-email-sent = Nous avons envoyé un code à { $to }. Saisissez-le ici pour confirmer la nouvelle adresse.
contact-phone-sent = Nous avons envoyé un code par SMS au { $to }. Saisissez-le ici pour confirmer le nouveau numéro.
contact-code = Code
contact-code-wrong = Le code n'est pas correct. Vérifiez-le et réessayez.
contact-code-expired = Le code a expiré ou a été essayé trop souvent. Recommencez pour en recevoir un nouveau.
contact-send-failed = Le code n'a pas pu être envoyé. Réessayez dans un instant.
contact-email-changed = Votre adresse e-mail est modifiée.
contact-phone-changed = Votre numéro de mobile est modifié.
contact-email-code = { $code } est votre code pour confirmer cette adresse e-mail pour votre compte des services postaux. Il est valable 5 minutes.
    .subject = Confirmez votre nouvelle adresse e-mail
contact-sms-code = { $code } est votre code pour confirmer ce numéro de mobile. Il est valable 5 minutes. Ne le communiquez jamais à personne.
contact-email-taken-notice = Quelqu'un a demandé à utiliser cette adresse e-mail pour un autre compte des services postaux. Rien n'a été modifié. Si c'était vous, vous avez déjà un compte avec cette adresse ; sinon, vous pouvez ignorer ce message.
    .subject = Votre adresse e-mail

sessions-title = Sessions actives
sessions-intro = Voici les navigateurs et appareils connectés à votre compte.
sessions-device = Appareil
sessions-place = Lieu
sessions-started = Début
sessions-actions = Actions
sessions-this-one = ce navigateur
sessions-unknown-device = Appareil inconnu
sessions-unknown-place = Inconnu
sessions-place-hint = Le lieu est l'adresse internet d'où la session a commencé ; nous n'avons pas de base de données de localisation, la ville ou le pays ne sont donc pas connus.
sessions-end-others = Se déconnecter partout ailleurs
sessions-ended = La session est déconnectée.
sessions-others-ended = Toutes les autres sessions sont déconnectées.
sessions-unknown = Cette session est déjà terminée.

services-title = Services
services-connected = Services connectés
services-connected-intro = Ces services peuvent utiliser vos données comme vous l'avez autorisé. Retirer l'autorisation les déconnecte ; ils vous la redemanderont la prochaine fois.
services-none = Vous n'avez encore autorisé aucun service.
services-allowed-on = Autorisé le { $date }
services-revoke = Retirer l'autorisation
services-revoked = L'autorisation est retirée et le service est déconnecté.
services-catalogue = Tous les services en ligne
services-open = Ouvrir
services-favourite-add = Ajouter aux favoris
services-favourite-remove = Retirer des favoris
services-favourite = Favori
services-no-catalogue = Aucun service en ligne n'est encore répertorié.
services-unknown = Ce service n'est pas connu.

data-title = Vos données
data-export-intro = Téléchargez tout ce que nous conservons à votre sujet : profil, organisations, autorisations, sessions, facteurs de sécurité et événements de sécurité récents. Les secrets comme les mots de passe n'y figurent jamais.
data-export = Télécharger vos données (JSON)
data-delete-title = Supprimer votre compte
data-delete-intro = La connexion est bloquée immédiatement et tous les services sont déconnectés. Vos données sont effacées après { $days } jours ; d'ici là, le service clientèle peut encore arrêter la suppression.
data-delete-confirm = Supprimer mon compte
data-password-wrong = Le mot de passe n'est pas correct.
data-locked = Trop de mots de passe erronés : le compte est bloqué pour le moment.
data-last-admin = Vous êtes le seul administrateur d'une organisation. Nommez d'abord un autre membre administrateur sur la page Organisations, ou demandez au service clientèle de fermer l'organisation.
data-deleted-title = Suppression du compte demandée
data-deleted-text = Votre compte est fermé et vous êtes déconnecté. Vos données seront effacées dans { $days } jours. Nous avons envoyé une confirmation à votre adresse e-mail.

secnotice-security = Bonjour,

    { $what }

    Si ce n'était pas vous, réinitialisez votre mot de passe maintenant et vérifiez votre compte : { $url }
    .subject = Une modification de votre compte des services postaux
secnotice-email-changed = L'adresse e-mail de votre compte a été modifiée. Les messages partent désormais à la nouvelle adresse.
secnotice-phone-changed = Le numéro de mobile de votre compte a été modifié.
secnotice-password-changed = Le mot de passe de votre compte a été modifié.
secnotice-factor-added = Un facteur de sécurité (application d'authentification ou clé d'accès) a été ajouté à votre compte.
secnotice-factor-removed = Un facteur de sécurité (application d'authentification ou clé d'accès) a été retiré de votre compte.
secnotice-recovery-codes = De nouveaux codes de récupération ont été créés pour votre compte ; les anciens ne fonctionnent plus.
secnotice-deletion-requested = Votre compte sera supprimé comme vous l'avez demandé. La connexion est désactivée et les données seront effacées dans { $days } jours.
