# Inscription : le formulaire, le code SMS, le lien par e-mail et leurs messages.
register-title = Créer un compte
register-given-name = Prénom
register-family-name = Nom
register-email-again = Confirmez l’adresse e-mail
register-phone = Numéro de mobile
register-phone-hint = Par exemple +41 79 123 45 67. Nous envoyons un code pour le confirmer.
register-birthdate = Date de naissance (facultatif)
register-birthdate-hint = Elle vous permet de retrouver votre adresse e-mail grâce à votre numéro de mobile.
register-terms = J’accepte les conditions d’utilisation (version { $version }).
register-terms-link = Lire les conditions d’utilisation
register-submit = Créer le compte
register-have-account = J’ai déjà un compte
passwords-same = Les deux mots de passe sont identiques.

register-name-missing = Saisissez votre nom (100 caractères au plus).
register-emails-differ = Les deux adresses e-mail ne sont pas identiques.
register-phone-invalid = Saisissez un numéro de mobile, par exemple +41 79 123 45 67.
register-birthdate-invalid = Saisissez une date réelle dans le passé, par exemple 1980-02-29.
register-terms-required = Acceptez les conditions d’utilisation pour créer un compte.

register-phone-title = Confirmez votre numéro de mobile
register-phone-sent = Nous avons envoyé un code par SMS au { $phone }. Saisissez-le ici.
register-resend = Envoyer un nouveau code
register-code-wrong = Ce code est erroné. Vérifiez le SMS et réessayez.
register-code-expired = Ce code a expiré ou a été essayé trop souvent. Demandez un nouveau code.
register-code-resent = Un nouveau code est en route.
register-code-throttled = Un code a été envoyé il y a moins d’une minute ; utilisez celui-ci.
register-sms-failed = Le SMS n’a pas pu être envoyé. Réessayez dans un instant.
register-sms = { $code } est votre code pour créer votre compte des services postaux. Il est valable 5 minutes. Ne le communiquez à personne.

register-check-email-title = Consultez vos e-mails
register-check-email = Votre numéro de mobile est confirmé. Nous avons envoyé un e-mail à { $email } : ouvrez le lien qu’il contient dans ce navigateur pour terminer la création de votre compte.
register-email = Bonjour { $name },

    confirmez votre adresse e-mail avec ce lien pour terminer la création de votre compte des services postaux. Le lien est valable { $minutes } minutes et ne fonctionne qu’une fois :

    { $link }

    Ouvrez-le dans le navigateur où vous avez commencé l’inscription.

    Si vous n’avez pas demandé de compte, ignorez cet e-mail : rien ne sera créé.
    .subject = Confirmez votre adresse e-mail
register-taken-email = Bonjour,

    quelqu’un a essayé de créer un compte des services postaux avec votre adresse e-mail { $email }. Vous avez déjà un compte, rien n’a donc été créé.

    Si c’était vous, connectez-vous avec votre compte : { $link }
    Si vous avez oublié votre mot de passe, choisissez « Mot de passe oublié ? » lors de la connexion.

    Si ce n’était pas vous, vous pouvez ignorer cet e-mail.
    .subject = Quelqu’un a essayé de s’inscrire avec votre adresse

register-confirm-title = Confirmez votre adresse e-mail
register-confirm-text = Confirmez { $email } pour terminer la création de votre compte.
register-confirm-button = Confirmer et créer le compte
register-elsewhere-title = Ouvrez le lien là où vous avez commencé
register-elsewhere-text = Ce lien ne crée le compte pour { $email } que dans le navigateur où l’inscription a été commencée. Ouvrez-le là-bas. Si vous ne l’avez pas commencée, ou ne pouvez pas y revenir, inscrivez-vous plutôt dans ce navigateur : l’inscription en attente est alors annulée.
register-elsewhere-button = M’inscrire dans ce navigateur
register-done-title = Compte créé
register-done-text = Votre compte est prêt et vous êtes connecté.
register-done-link = Aller à votre compte

err-registration-expired = Cette inscription a expiré. Veuillez recommencer.
    .title = Inscription expirée
